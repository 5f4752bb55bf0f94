import pytest
from auditlog.models import LogEntry

from core.choices import Role
from core.factories import MembershipFactory, UserFactory
from core.models import Membership, Organisation

pytestmark = pytest.mark.django_db


def test_a_superuser_without_network_admin_role_gets_no_admin(client):
    boss = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(boss)
    assert client.get("/admin/").status_code == 404


def test_the_admin_redirects_anonymous_visitors_to_the_login(client):
    response = client.get("/admin/core/organisation/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/anmelden/")


def test_a_network_admin_adds_an_organisation_to_their_own_network(
    client_for, network_admin, jobcenter
):
    response = client_for(network_admin).post(
        "/admin/core/organisation/add/",
        {
            "name": "Stadtteilzentrum Süd",
            "type": "neighbourhood_centre",
            "legal_regime": "none",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="Stadtteilzentrum Süd").network == jobcenter.network


def test_a_wrong_legal_regime_is_explained(client_for, network_admin):
    response = client_for(network_admin).post(
        "/admin/core/organisation/add/",
        {
            "name": "Jobcenter Nord",
            "type": "jobcenter",
            "legal_regime": "sgb8",
            "is_active": "on",
        },
    )
    assert "SGB II" in response.text
    assert not Organisation.objects.filter(name="Jobcenter Nord").exists()


def test_a_network_admin_grants_waiting_memberships(client_for, network_admin, jobcenter):
    waiting = MembershipFactory(
        organisation=jobcenter,
        role=Role.CASE_WORKER,
        is_active=False,
        user=UserFactory(username="neu"),
    )
    client_for(network_admin).post(
        "/admin/core/membership/",
        {
            "action": "activate",
            "_selected_action": [waiting.pk],
        },
    )
    waiting.refresh_from_db()
    assert waiting.is_active
    change = LogEntry.objects.get_for_object(waiting).filter(action=LogEntry.Action.UPDATE).get()
    assert change.actor == network_admin
    assert "is_active" in change.changes_dict


def test_nothing_can_be_deleted_in_the_admin(client_for, network_admin, jobcenter):
    assert client_for(network_admin).get(
        f"/admin/core/organisation/{jobcenter.pk}/delete/"
    ).status_code in {302, 403}
    assert Organisation.objects.filter(pk=jobcenter.pk).exists()


def test_only_users_of_the_network_can_be_chosen_for_memberships(
    client_for, network_admin, outsider
):
    form = client_for(network_admin).get("/admin/core/membership/add/").context["adminform"].form
    usernames = {u.username for u in form.fields["user"].queryset}
    assert "aussen" not in usernames
    assert "netzadmin" in usernames


def test_a_member_of_two_networks_administers_only_the_active_one(
    client_for, network_admin, outsider_org
):
    MembershipFactory(user=network_admin, organisation=outsider_org, role=Role.CASE_WORKER)
    client = client_for(network_admin)
    names = {o.name for o in client.get("/admin/core/organisation/").context["cl"].result_list}
    assert "Jobcenter B" not in names
    client.post("/konto/organisation-wechseln/", {"organisation": outsider_org.pk})
    assert client.get("/admin/core/organisation/").status_code == 404  # only a case worker there
    assert Membership.objects.filter(user=network_admin).count() == 2


def test_the_change_history_shows_on_the_organisation_page_for_admins(
    client_for, network_admin, jobcenter
):
    client = client_for(network_admin)
    saved = client.post(
        f"/admin/core/organisation/{jobcenter.pk}/change/",
        {
            "name": jobcenter.name,
            "type": "jobcenter",
            "legal_regime": "sgb2",
            "phone": "06071 999",
            "is_active": "on",
            "edit_version": jobcenter.version,
        },
    )
    assert saved.status_code == 302
    history = client.get(f"/organisationen/{jobcenter.pk}/").context["history"]
    assert history[0].actor == network_admin  # newest first; the creation follows
    assert "phone" in history[0].changes_dict


def test_opening_a_staff_account_in_the_admin_is_an_audited_read(
    client_for, network_admin, case_worker
):
    from core.models import AuditEntry

    response = client_for(network_admin).get(f"/admin/core/user/{case_worker.pk}/change/")
    assert response.status_code == 200
    entry = AuditEntry.objects.get(user=network_admin, action="view")
    assert entry.object_ref == f"core.user:{case_worker.pk}"
