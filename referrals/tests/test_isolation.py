"""Who reaches which referral page: sender and recipient, nobody else.

A referral from the Jobcenter to the Sozialamt is open to both organisations' staff; a draft and
an advisory pointer stay with the Jobcenter. A partner of the same network, the Jobcenter's data
protection officer (no referral role), the network coordination and an outsider of another
network get 403 or 404 on every URL of the namespace, and nothing changes. The recipient never
reaches the sender's live case file. ``ROUTES`` must name every URL of the namespace.
"""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from cases.factories import NeedFactory
from core.choices import Role
from core.factories import member
from referrals import urls as referral_urls
from referrals.choices import Kind
from referrals.factories import send_referral_about
from referrals.services import create_referral

pytestmark = pytest.mark.django_db

HOUSING_TEXT = "Räumungsklage angedroht, Vermieter Quendel"


@dataclass(frozen=True)
class Route:
    kwargs: dict[str, str] = field(default_factory=dict)
    # Who may open it (everyone else must be refused).
    allowed: tuple[str, ...] = ()


SENDER_STAFF = ("case_worker", "team_lead")
BOTH_SIDES = (*SENDER_STAFF, "social_worker", "social_lead")
ROUTES: dict[str, Route] = {
    "inbox": Route(allowed=(*BOTH_SIDES, "partner_user")),
    "outbox": Route(allowed=(*BOTH_SIDES, "partner_user")),
    "escalations": Route(allowed=("coordinator",)),
    "create": Route({"person_pk": "anna"}, allowed=SENDER_STAFF),
    "categories": Route({"person_pk": "anna"}, allowed=SENDER_STAFF),
    "detail": Route({"pk": "referral"}, allowed=BOTH_SIDES),
    "act": Route({"pk": "referral", "action": "accept_action"}, allowed=BOTH_SIDES),
    "forward": Route({"pk": "referral"}, allowed=("social_worker", "social_lead")),
    "message": Route({"pk": "referral"}, allowed=BOTH_SIDES),
    "resolve_needs": Route({"pk": "referral"}, allowed=SENDER_STAFF),
}
ALL_USERS = (
    *BOTH_SIDES,
    "dpo",
    "partner_user",
    "coordinator",
    "outsider",
)


@pytest.fixture
def world(
    network,
    jobcenter,
    social_office,
    partner,
    anna,
    case_worker,
    team_lead_user,
    dpo,
    social_worker,
    social_lead,
    coordinator,
    outsider,
):
    need = NeedFactory(person=anna, code="housing.rent_arrears", description=HOUSING_TEXT)
    referral = send_referral_about(
        anna,
        social_office,
        user=case_worker,
        needs=[need],
        categories=["master_data", "needs.housing"],
    )
    from core.permissions import actor_for

    draft = create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=partner,
        reason="Entwurf an das Stadtteilzentrum",
        categories=[],
        send=False,
    )
    pointer = create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=social_office,
        kind=Kind.POINTER,
        reason="Hinweis auf die Wohnberatung",
    )
    return {
        "anna": anna,
        "referral": referral,
        "draft": draft,
        "pointer": pointer,
        "accept_action": "accept",
        "case_worker": case_worker,
        "team_lead": team_lead_user,
        "dpo": dpo,
        "social_worker": social_worker,
        "social_lead": social_lead,
        "partner_user": member(Role.PARTNER_STAFF, partner, username="stadtteilzentrum"),
        "coordinator": coordinator,
        "outsider": outsider,
    }


@pytest.fixture
def team_lead_user(jobcenter):
    return member(Role.TEAM_LEAD, jobcenter, username="teamleitung")


@pytest.fixture
def clients(world):
    logged_in = {}
    for key in ALL_USERS:
        client = Client()
        client.force_login(world[key])
        logged_in[key] = client
    return logged_in


def url_for(name: str, world, **override) -> str:
    kwargs = {}
    for argument, key in {**ROUTES[name].kwargs, **override}.items():
        value = world[key]
        kwargs[argument] = value if isinstance(value, str | int) else value.pk
    return reverse(f"referrals:{name}", kwargs=kwargs)


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("cases", "referrals")
        for model in apps.get_app_config(app).get_models()
    }


def test_every_referral_url_is_in_the_map():
    names = {pattern.name for pattern in referral_urls.urlpatterns}
    assert names == set(ROUTES), (
        f"update ROUTES in referrals/tests/test_isolation.py: {names ^ set(ROUTES)}"
    )


def test_allowed_users_reach_the_pages(world, clients):
    """Proves the map points at real objects, so the refusals below mean something."""
    unreachable = {}
    for name, route in ROUTES.items():
        if name in ("act", "message", "resolve_needs"):
            continue  # POST-only actions change state; refusals are checked below
        for user in route.allowed:
            status = clients[user].get(url_for(name, world)).status_code
            if status != 200:
                unreachable[(name, user)] = status
    assert not unreachable


def test_nobody_else_reaches_any_referral_page(world, clients):
    before = row_counts()
    leaks = []
    for name, route in ROUTES.items():
        url = url_for(name, world)
        for user in ALL_USERS:
            if user in route.allowed:
                continue
            got = clients[user].get(url).status_code
            posted = clients[user].post(url, {}).status_code
            refused = (got in (403, 404) and posted in (403, 404, 405)) or (
                got == 405 and posted in (403, 404)
            )
            if not refused:
                leaks.append((name, user, got, posted))
    assert not leaks, leaks
    assert row_counts() == before


def test_drafts_and_pointers_stay_with_the_sender(world, clients):
    for key in ("draft", "pointer"):
        url = url_for("detail", world, pk=key)
        assert clients["case_worker"].get(url).status_code == 200
        for user in ("social_worker", "social_lead", "partner_user"):
            assert clients[user].get(url).status_code == 404, (key, user)


def test_the_recipient_never_reaches_the_live_case_file(world, clients):
    anna = world["anna"]
    recipient = clients["social_worker"]
    page = recipient.get(url_for("detail", world)).content.decode()
    assert "Anna" in page  # the snapshot
    assert anna.get_absolute_url() not in page
    for url in (
        anna.get_absolute_url(),
        reverse("cases:person_edit", args=[anna.pk]),
        reverse("cases:consent_create", args=[anna.pk]),
        f"/api/persons/{anna.pk}",
        f"/api/households/{anna.household_id}",
    ):
        assert recipient.get(url).status_code in (403, 404), url


def test_lists_of_third_parties_show_nothing_of_the_referral(world, clients):
    # Not the first name alone: the users' generated names may contain "Anna".
    secrets = ["Beispiel", HOUSING_TEXT, world["referral"].number]
    for user in ("partner_user", "outsider"):
        for name in ("inbox", "outbox"):
            response = clients[user].get(url_for(name, world))
            page = response.content.decode() if response.status_code == 200 else ""
            leaked = [secret for secret in secrets if secret in page]
            assert not leaked, (user, name, leaked)


def test_the_escalation_overview_names_organisations_but_no_person(world, clients):
    from datetime import timedelta

    from django.utils import timezone

    referral = world["referral"]
    referral.response_due = timezone.localdate() - timedelta(days=3)
    referral.save(update_fields=["response_due"])
    page = clients["coordinator"].get(url_for("escalations", world)).content.decode()
    assert referral.number in page
    assert "Sozialamt Musterkreis" in page
    for secret in ("Beispiel", HOUSING_TEXT, "Räumungsklage"):
        assert secret not in page
