"""Lists cost the same number of queries whatever their length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.choices import Role
from core.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, member

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize("path", ["/", "/organisationen/", "/gemeinden/", "/api/organisations"])
def test_a_page_costs_the_same_queries_with_more_rows(client_for, case_worker, jobcenter, path):
    client = client_for(case_worker)
    few = _queries(client, path)
    for i in range(20):
        town = MunicipalityFactory(network=jobcenter.network)
        OrganisationFactory(network=jobcenter.network, municipality=town, name=f"Träger {i}")
    assert _queries(client, path) == few


def test_more_organisations_to_switch_to_cost_no_extra_query(client_for, jobcenter):
    user = member(Role.CASE_WORKER, jobcenter, username="viele")
    client = client_for(user)
    one = _queries(client, "/")
    for i in range(5):
        MembershipFactory(
            user=user, organisation=OrganisationFactory(network=jobcenter.network, name=f"Z{i}")
        )
    assert _queries(client, "/") == one
