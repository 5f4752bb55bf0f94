from datetime import date

import pytest

from cases.choices import MemberRole
from cases.factories import HouseholdFactory, member_of
from core.choices import Role
from core.factories import MunicipalityFactory, NetworkFactory, OrganisationFactory, member
from core.permissions import actor_for

pytest_plugins = ["core.tests.browser_fixtures"]


@pytest.fixture
def network():
    return NetworkFactory(name="Landkreis A", slug="a")


@pytest.fixture
def other_network():
    return NetworkFactory(name="Landkreis B", slug="b")


@pytest.fixture
def jobcenter(network):
    return OrganisationFactory(
        network=network,
        name="Jobcenter A",
        jobcenter=True,
        municipality=MunicipalityFactory(network=network, name="Dieburg"),
    )


@pytest.fixture
def outsider_org(other_network):
    return OrganisationFactory(
        network=other_network,
        name="Jobcenter B",
        jobcenter=True,
        municipality=MunicipalityFactory(network=other_network, name="Fremdstadt"),
    )


@pytest.fixture
def case_worker(jobcenter):
    return member(Role.CASE_WORKER, jobcenter, username="fallmanagerin")


@pytest.fixture
def dpo(jobcenter):
    return member(Role.DATA_PROTECTION_OFFICER, jobcenter, username="dsb")


@pytest.fixture
def network_admin(jobcenter):
    return member(Role.NETWORK_ADMIN, jobcenter, username="netzadmin")


@pytest.fixture
def outsider(outsider_org):
    """A fully entitled user of another network: must never see anything of network A."""
    user = member(Role.NETWORK_ADMIN, outsider_org, username="aussen")
    from core.factories import MembershipFactory

    MembershipFactory(user=user, organisation=outsider_org, role=Role.DATA_PROTECTION_OFFICER)
    return user


@pytest.fixture
def client_for(client):
    """Log a user in (with a fresh login timestamp) and return the test client."""

    def login(user):
        client.force_login(user)
        return client

    return login


# --- a case file shared by the cases and referrals tests ----------------------------------------


@pytest.fixture
def partner(network):
    """A neighbourhood centre: no statutory duty (legal regime "none")."""
    return OrganisationFactory(network=network, name="Stadtteilzentrum Nord")


@pytest.fixture
def actor(case_worker):
    return actor_for(case_worker)


@pytest.fixture
def household(jobcenter):
    return HouseholdFactory(organisation=jobcenter, number="06432BG0000001")


@pytest.fixture
def anna(household):
    return member_of(
        household, first_name="Anna", last_name="Beispiel", birth_date=date(1988, 5, 2)
    )


@pytest.fixture
def ben(household):
    return member_of(
        household,
        first_name="Ben",
        last_name="Beispiel",
        birth_date=date(2010, 9, 1),
        role=MemberRole.CHILD,
    )
