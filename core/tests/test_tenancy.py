"""A user of network A never sees anything of network B: pages, API and admin."""

import re

import pytest

from core.choices import Role
from core.factories import MembershipFactory, OrganisationFactory, member
from core.models import Membership, Municipality, Organisation
from core.permissions import actor_for

pytestmark = pytest.mark.django_db


def _main(html: str) -> str:
    return re.search(r"<main.*</main>", html, re.S).group(0)


def test_visible_to_returns_only_rows_of_the_actors_network(case_worker, jobcenter, outsider_org):
    actor = actor_for(case_worker)
    assert set(Organisation.objects.visible_to(actor)) == {jobcenter}
    assert outsider_org.municipality not in Municipality.objects.visible_to(actor)
    assert all(m.network_id == jobcenter.network_id for m in Membership.objects.visible_to(actor))


def test_visible_to_returns_nothing_without_an_active_membership(jobcenter):
    user = member(Role.CASE_WORKER, jobcenter, username="neu")
    Membership.objects.filter(user=user).update(is_active=False)
    assert not Organisation.objects.visible_to(actor_for(user)).exists()


def test_the_organisation_list_hides_other_networks(client_for, case_worker, outsider_org):
    response = client_for(case_worker).get("/organisationen/")
    assert response.status_code == 200
    assert "Jobcenter A" in response.text
    assert outsider_org.name not in response.text


def test_an_organisation_of_another_network_answers_404_like_a_missing_one(
    client_for, case_worker, outsider_org
):
    client = client_for(case_worker)
    foreign = client.get(f"/organisationen/{outsider_org.pk}/")
    missing = client.get("/organisationen/987654/")
    assert foreign.status_code == missing.status_code == 404
    assert _main(foreign.text) == _main(missing.text)


def test_the_municipality_filter_cannot_name_a_foreign_municipality(
    client_for, case_worker, outsider_org
):
    response = client_for(case_worker).get(
        f"/organisationen/?municipality={outsider_org.municipality_id}"
    )
    assert outsider_org.name not in response.text
    assert "Gültige Option" in response.text or "gültige" in response.text.lower()


def test_the_api_hides_other_networks(client_for, case_worker, outsider_org):
    client = client_for(case_worker)
    names = [o["name"] for o in client.get("/api/organisations").json()["items"]]
    assert names == ["Jobcenter A"]
    assert client.get(f"/api/organisations/{outsider_org.pk}").status_code == 404
    assert outsider_org.municipality.name not in client.get("/api/municipalities").text


def test_the_admin_of_network_b_sees_nothing_of_network_a(
    client_for, outsider, jobcenter, case_worker
):
    client = client_for(outsider)
    changelist = client.get("/admin/core/organisation/")
    assert changelist.status_code == 200
    assert "Jobcenter B" in changelist.text
    assert jobcenter.name not in changelist.text
    users = client.get("/admin/core/user/")
    assert case_worker.username not in users.text
    foreign = client.get(f"/admin/core/organisation/{jobcenter.pk}/change/")
    missing = client.get("/admin/core/organisation/987654/change/")
    assert foreign.status_code == missing.status_code
    assert jobcenter.name not in foreign.text


def test_the_admin_cannot_attach_a_foreign_organisation(
    client_for, outsider, jobcenter, case_worker
):
    """Choices in admin forms are scoped too: posting a foreign id is refused."""
    client = client_for(outsider)
    response = client.post(
        "/admin/core/membership/add/",
        {
            "user": case_worker.pk,
            "organisation": jobcenter.pk,
            "role": Role.CASE_WORKER,
            "is_active": "on",
        },
    )
    assert response.status_code == 200  # the form comes back with errors
    assert "errornote" in response.text
    assert Membership.objects.filter(user=case_worker).count() == 1


def test_switching_to_an_organisation_without_membership_is_refused(
    client_for, case_worker, outsider_org
):
    client = client_for(case_worker)
    response = client.post(
        "/konto/organisation-wechseln/", {"organisation": outsider_org.pk, "next": "/"}, follow=True
    )
    assert "keine freigeschaltete Mitgliedschaft" in response.text
    assert response.context["actor"].organisation.name == "Jobcenter A"


def test_a_user_with_two_organisations_acts_as_exactly_one(client_for, jobcenter):
    town_hall = OrganisationFactory(
        network=jobcenter.network, name="Gemeindeverwaltung Eppertshausen"
    )
    user = member(Role.CASE_WORKER, jobcenter, username="vorort")
    MembershipFactory(user=user, organisation=town_hall, role=Role.PARTNER_STAFF)
    client = client_for(user)
    assert client.get("/").context["actor"].organisation == town_hall  # first by name
    response = client.post(
        "/konto/organisation-wechseln/", {"organisation": jobcenter.pk, "next": "/"}, follow=True
    )
    actor = response.context["actor"]
    assert actor.organisation == jobcenter
    assert actor.roles == (Role.CASE_WORKER,)


def test_the_staff_list_of_a_large_organisation_is_paginated(client_for, case_worker, jobcenter):
    for i in range(60):
        member(Role.CASE_WORKER, jobcenter, username=f"kollegin{i}")
    client = client_for(case_worker)
    first = client.get(f"/organisationen/{jobcenter.pk}/")
    assert len(first.context["staff_page"].object_list) == 50
    second = client.get(f"/organisationen/{jobcenter.pk}/", {"page": 2})
    assert len(second.context["staff_page"].object_list) == 11
