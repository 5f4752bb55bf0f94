"""Privacy by default: roles grant only what ROLE_GRANTS names; inactive memberships nothing."""

import pytest

from core.choices import Role
from core.factories import MembershipFactory, member
from core.models import Membership
from core.permissions import ROLE_GRANTS, Perm, actor_for, permissions_for_roles

pytestmark = pytest.mark.django_db


def test_an_unknown_role_grants_nothing():
    assert permissions_for_roles(["brand_new_role"]) == frozenset()


def test_every_role_is_listed_explicitly():
    assert set(ROLE_GRANTS) == set(Role.values)


def test_only_the_data_protection_officer_reads_the_audit_log():
    readers = {role for role, perms in ROLE_GRANTS.items() if Perm.VIEW_AUDIT in perms}
    assert readers == {Role.DATA_PROTECTION_OFFICER}


def test_only_network_admins_use_the_admin():
    assert {role for role, perms in ROLE_GRANTS.items() if Perm.USE_ADMIN in perms} == {
        Role.NETWORK_ADMIN
    }


def test_a_new_membership_grants_nothing_until_activated(jobcenter):
    user = member(Role.DATA_PROTECTION_OFFICER, jobcenter, username="wartend")
    membership = Membership.objects.get(user=user)
    membership.is_active = False
    membership.save()
    assert Membership._meta.get_field("is_active").default is False
    actor = actor_for(user)
    assert not actor.is_member
    assert actor.permissions == frozenset()


def test_a_deactivated_account_grants_nothing(case_worker):
    case_worker.is_active = False
    case_worker.save()
    assert actor_for(case_worker).permissions == frozenset()


def test_permissions_are_those_of_the_roles_in_the_active_organisation_only(jobcenter):
    from core.factories import OrganisationFactory

    other = OrganisationFactory(network=jobcenter.network, name="Zzz Jugendamt", youth_office=True)
    user = member(Role.CASE_WORKER, jobcenter, username="doppelt")
    MembershipFactory(user=user, organisation=other, role=Role.DATA_PROTECTION_OFFICER)
    assert not actor_for(user, jobcenter.pk).can(Perm.VIEW_AUDIT)
    assert actor_for(user, other.pk).can(Perm.VIEW_AUDIT)


@pytest.mark.parametrize(
    ("role", "path", "status"),
    [
        (Role.CASE_WORKER, "/datenschutz/protokoll/", 403),
        (Role.PARTNER_STAFF, "/datenschutz/protokoll/export.csv", 403),
        (Role.NETWORK_ADMIN, "/datenschutz/protokoll/", 403),
        (Role.DATA_PROTECTION_OFFICER, "/datenschutz/protokoll/", 200),
        (Role.CASE_WORKER, "/admin/", 404),
        (Role.DATA_PROTECTION_OFFICER, "/admin/", 404),
        (Role.NETWORK_ADMIN, "/admin/", 200),
        (Role.PARTNER_STAFF, "/organisationen/", 200),
        (Role.DATA_PROTECTION_OFFICER, "/konto/api-schluessel/", 403),
        (Role.CASE_WORKER, "/konto/api-schluessel/", 200),
    ],
)
def test_each_role_reaches_exactly_its_pages(client_for, jobcenter, role, path, status):
    user = member(role, jobcenter, username=f"r-{role}")
    assert client_for(user).get(path).status_code == status


def test_the_navigation_shows_only_permitted_entries(client_for, case_worker, dpo):
    nav = client_for(case_worker).get("/").context["nav_items"]
    labels = [str(item["label"]) for item in nav]
    assert "Organisationen" in labels
    assert "Zugriffsprotokoll" not in labels
    assert "Verwaltung" not in labels
    dpo_labels = [str(item["label"]) for item in client_for(dpo).get("/").context["nav_items"]]
    assert "Zugriffsprotokoll" in dpo_labels


def test_a_forbidden_page_answers_in_german(client_for, case_worker):
    response = client_for(case_worker).get("/datenschutz/protokoll/")
    assert "Keine Berechtigung" in response.text
