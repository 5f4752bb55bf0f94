"""Who reaches which conference page: the organiser and the invited organisations, nobody else.

The Jobcenter plans a conference, invites the Jugendamt and a neighbourhood centre and presents
the Beispiel household pseudonymised; the conference is held and the Jugendamt owns an agreed
action. A second conference of the same round has begun but is not held yet, so that holding,
cancelling, editing and withdrawing a case can really happen for the users allowed to.

A Sozialamt of the same network and a coordination office that are not invited, the Jobcenter's
data protection officer and network admin (no conference role), and two users of another
network get 403 or 404 on every conference, case and action URL, and nothing changes.
``ROUTES`` must name every URL of the namespace.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.factories import NeedFactory
from conferences import services
from conferences import urls as conference_urls
from conferences.choices import ActionStatus, Status
from conferences.models import Action, AgendaItem, CalendarToken, Conference
from conferences.tests.conftest import begin, plan
from core.choices import LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member
from core.models import Notification, User
from core.permissions import actor_for

pytestmark = pytest.mark.django_db

QUESTION = "Räumungsklage angedroht, Vermieter Quendel"
TITLE = "Fallberatung Kirschgarten"
OPEN_TITLE = "Fallberatung Lindenhof"
ACTION_TITLE = "Mietschulden mit dem Vermieter klären"
NOT_ORGANISER = "Nur die einladende Organisation (Jobcenter A) kann das ändern."


@dataclass(frozen=True)
class Route:
    kwargs: dict[str, str] = field(default_factory=dict)
    # Who may open it, or whose POST is carried out; everyone else must be refused.
    allowed: tuple[str, ...] = ()
    # Users who pass the permission and visibility checks, but whose POST the service refuses:
    # the view shows this German message (a redirect to the conference, or the form again) and
    # nothing changes. They count as refused, not as allowed.
    refused_in_page: tuple[str, ...] = ()
    refusal: str = ""
    # POST only: GET answers 405.
    post_only: bool = False
    # What an allowed GET answers.
    ok: int = 200


JOBCENTER = ("case_worker", "team_lead", "coordinator")  # the organiser: PLAN_CONFERENCES there
PRESENTERS = ("case_worker", "team_lead")  # PRESENT_CASES and Anna's case file
YOUTH = ("youth_worker", "youth_lead")
PARTICIPANTS = (*JOBCENTER, *YOUTH, "partner_user")
# VIEW_CONFERENCES, but not invited (or not even in the network).
UNINVITED = ("social_worker", "coordination", "outsider_worker")
CONFERENCE_ROLES = (*PARTICIPANTS, *UNINVITED)
PLANNERS = (*JOBCENTER, *YOUTH, *UNINVITED)  # every role with PLAN_CONFERENCES
NO_CONFERENCE_ROLE = ("dpo", "network_admin", "outsider")
ALL_USERS = (*CONFERENCE_ROLES, *NO_CONFERENCE_ROLE)

# "open_conference"/"open_item": the begun, not yet held conference and its case (no actions),
# where holding, cancelling, editing and withdrawing are still possible for the organiser.
ROUTES: dict[str, Route] = {
    "list": Route(allowed=CONFERENCE_ROLES),
    "create": Route(allowed=PLANNERS),
    "detail": Route({"pk": "conference"}, allowed=PARTICIPANTS),
    # Not the organiser: 404, the edit and cancel pages do not exist for invitees.
    "edit": Route({"pk": "open_conference"}, allowed=JOBCENTER),
    "cancel": Route({"pk": "open_conference"}, allowed=JOBCENTER),
    "hold": Route(
        {"pk": "open_conference"},
        allowed=JOBCENTER,
        refused_in_page=YOUTH,
        refusal=NOT_ORGANISER,
        post_only=True,
    ),
    "minutes": Route(
        {"pk": "conference"},
        allowed=JOBCENTER,
        refused_in_page=YOUTH,
        refusal=NOT_ORGANISER,
        post_only=True,
    ),
    "ics": Route({"pk": "conference"}, allowed=PARTICIPANTS),
    # Every participant sees the form page; only the organiser (or the presenter) may agree.
    "action_create": Route(
        {"pk": "conference"},
        allowed=JOBCENTER,
        refused_in_page=(*YOUTH, "partner_user"),
        refusal="Vereinbarungen halten die einladende und die vorstellende Organisation fest.",
    ),
    # Anna is in the Jobcenter's case file: 404 for everyone else with PRESENT_CASES.
    "item_create": Route({"person_pk": "anna"}, allowed=PRESENTERS),
    "item_minutes": Route(
        {"pk": "item"},
        allowed=JOBCENTER,
        refused_in_page=(*YOUTH, "partner_user"),
        refusal="Das Protokoll führen die einladende und die vorstellende Organisation.",
        post_only=True,
    ),
    "item_remove": Route({"pk": "open_item"}, allowed=PRESENTERS),
    "actions": Route(allowed=CONFERENCE_ROLES),
    # The Jugendamt owns the action: it keeps its status current.
    "action_status": Route(
        {"pk": "action"},
        allowed=(*JOBCENTER, *YOUTH),
        refused_in_page=("partner_user",),
        refusal="Den Stand pflegen die zuständige, die einladende und die vorstellende "
        "Organisation.",
        post_only=True,
    ),
    "action_referral": Route({"pk": "action"}, allowed=PRESENTERS, ok=302),
    "calendar": Route(allowed=CONFERENCE_ROLES),
    # The secret address is the key (calendar programs cannot log in): anyone holding it.
    "feed": Route({"token": "feed_token"}, allowed=ALL_USERS),
}


@pytest.fixture
def social_office(network):
    return OrganisationFactory(
        network=network,
        name="Sozialamt Musterkreis",
        type=OrganisationType.SOCIAL_WELFARE_OFFICE,
        legal_regime=LegalRegime.SGB_XII,
    )


@pytest.fixture
def world(
    network,
    jobcenter,
    youth_office,
    partner,
    social_office,
    outsider_org,
    anna,
    case_worker,
    youth_worker,
    youth_lead,
    partner_user,
    coordinator,
    dpo,
    network_admin,
    outsider,
):
    users = {
        "case_worker": case_worker,
        "team_lead": member(Role.TEAM_LEAD, jobcenter, username="teamleitung"),
        "coordinator": coordinator,
        "youth_worker": youth_worker,
        "youth_lead": youth_lead,
        "partner_user": partner_user,
        "social_worker": member(Role.CASE_WORKER, social_office, username="sozialamt"),
        "coordination": member(
            Role.NETWORK_COORDINATOR,
            OrganisationFactory(network=network, name="Netzwerkkoordination Landkreis A"),
            username="netzwerk",
        ),
        "outsider_worker": member(Role.CASE_WORKER, outsider_org, username="aussen-fall"),
        "dpo": dpo,
        "network_admin": network_admin,
        "outsider": outsider,
    }
    # Generated names could contain "Anna" and blur the checks for Anna's name below.
    User.objects.update(first_name="Kim", last_name="Muster")

    jobcenter_actor = actor_for(case_worker)
    need = NeedFactory(person=anna, code="housing.rent_arrears", description="Mietrückstand")
    conference = plan(case_worker, youth_office, partner, people=[youth_worker], title=TITLE)[0]
    item = services.add_item(
        jobcenter_actor, conference, person=anna, needs=[need], question=QUESTION
    )
    begin(conference)
    services.hold_conference(jobcenter_actor, conference)
    action = services.add_action(
        jobcenter_actor,
        conference,
        item=item,
        title=ACTION_TITLE,
        owner=youth_office,
        due_in_days=5,
    )
    open_conference = plan(case_worker, youth_office, partner, title=OPEN_TITLE)[0]
    open_item = services.add_item(
        jobcenter_actor, open_conference, person=anna, needs=[need], question=QUESTION
    )
    begin(open_conference)
    token = CalendarToken.objects.create(user=case_worker, token=secrets.token_urlsafe(32))
    return {
        **users,
        "anna": anna,
        "need": need,
        "youth_office": youth_office,
        "partner": partner,
        "conference": conference,
        "item": item,
        "action": action,
        "open_conference": open_conference,
        "open_item": open_item,
        "feed_token": token.token,
    }


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
    return reverse(f"conferences:{name}", kwargs=kwargs)


def payload(name: str, world) -> dict:
    """A POST that the route's allowed users get carried out (proved below), so a refusal of the
    same POST means something. Versions are read fresh: they count every save."""
    next_week = (timezone.localdate() + timedelta(days=7)).isoformat()
    conference = Conference.objects.get(pk=world["conference"].pk)
    open_conference = Conference.objects.get(pk=world["open_conference"].pk)
    item = AgendaItem.objects.get(pk=world["item"].pk)
    action = Action.objects.get(pk=world["action"].pk)
    a = f"a{item.pk}"
    return {
        "create": {
            "title": "Neue Runde",
            "day": next_week,
            "start": "10:00",
            "end": "11:30",
            "location": "Kreishaus",
            "organisations": [world["partner"].pk],
        },
        "edit": {
            "title": f"{OPEN_TITLE}, verschoben",
            "day": next_week,
            "start": "09:00",
            "end": "10:30",
            "location": "Kreishaus, Raum 1",
            "organisations": [world["youth_office"].pk, world["partner"].pk],
            "version": open_conference.version,
        },
        "cancel": {"reason": "Raum nicht verfügbar"},
        "minutes": {
            "general-text": "Alle Punkte besprochen",
            "general-version": conference.version,
        },
        "action_create": {
            "prefix": a,
            f"{a}-item": item.pk,
            f"{a}-title": "Schuldnerberatung vermitteln",
            f"{a}-owner": world["partner"].pk,
            f"{a}-due_in_days": 10,
        },
        "item_create": {
            "conference": open_conference.pk,
            "needs": [world["need"].pk],
            "question": "Wie geht es mit der Wohnung weiter?",
            "presentation": "pseudonymised",
        },
        "item_minutes": {
            f"item{item.pk}-text": "Wohnung vorerst gesichert",
            f"item{item.pk}-version": item.version,
        },
        "action_status": {
            f"s{action.pk}-status": ActionStatus.DONE,
            f"s{action.pk}-note": "Termin beim Vermieter vereinbart",
            f"s{action.pk}-version": action.version,
        },
    }.get(name, {})


def snapshot() -> dict:
    """Everything a conference POST could change (row counts, states, texts, versions)."""
    counts = {
        model._meta.label: model._default_manager.count()
        for app in ("conferences", "cases", "referrals")
        for model in apps.get_app_config(app).get_models()
    }
    counts["core.Notification"] = Notification.objects.count()
    return {
        "counts": counts,
        "conferences": list(
            Conference.objects.order_by("pk").values_list(
                "pk", "status", "title", "starts_at", "minutes", "cancel_reason", "version"
            )
        ),
        "items": list(AgendaItem.objects.order_by("pk").values_list("pk", "minutes", "version")),
        "actions": list(
            Action.objects.order_by("pk").values_list("pk", "status", "status_note", "version")
        ),
        "tokens": list(CalendarToken.objects.order_by("pk").values_list("user_id", "token")),
    }


def shown_messages(response) -> str:
    """What the user reads after a POST: the page (form errors) and its flashed messages."""
    return response.content.decode() + " ".join(
        str(message) for message in response.context.get("messages", [])
    )


def test_every_conference_url_is_in_the_map():
    names = {pattern.name for pattern in conference_urls.urlpatterns}
    assert names == set(ROUTES), (
        f"update ROUTES in conferences/tests/test_isolation.py: {names ^ set(ROUTES)}"
    )


def test_allowed_users_reach_the_pages(world, clients):
    """Proves the map points at real objects, so the refusals below mean something."""
    unreachable = {}
    for name, route in ROUTES.items():
        if route.post_only:
            continue  # carried out in test_allowed_posts_are_carried_out
        for user in route.allowed:
            status = clients[user].get(url_for(name, world)).status_code
            if status != route.ok:
                unreachable[(name, user)] = status
    assert not unreachable


def test_nobody_else_reaches_any_conference_page(world, clients):
    before = snapshot()
    leaks, changed = [], []
    for name, route in ROUTES.items():
        url = url_for(name, world)
        for user in ALL_USERS:
            if user in route.allowed or user in route.refused_in_page:
                continue
            got = clients[user].get(url).status_code
            posted = clients[user].post(url, payload(name, world)).status_code
            refused = (got in (403, 404) and posted in (403, 404, 405)) or (
                got == 405 and posted in (403, 404)
            )
            if not refused:
                leaks.append((name, user, got, posted))
        if snapshot() != before:
            changed.append(name)
    assert not leaks, leaks
    assert not changed, f"a refused POST changed data: {changed}"


def test_the_service_refuses_invitees_in_the_page_and_nothing_changes(world, clients):
    before = snapshot()
    wrong, changed = [], []
    for name, route in ROUTES.items():
        url = url_for(name, world)
        for user in route.refused_in_page:
            got = clients[user].get(url).status_code
            response = clients[user].post(url, payload(name, world), follow=True)
            redirected = [status for _url, status in response.redirect_chain]
            if (
                got != (405 if route.post_only else 200)
                or redirected not in ([], [302])
                or response.status_code != 200
                or route.refusal not in shown_messages(response)
            ):
                wrong.append((name, user, got, redirected, response.status_code))
        if snapshot() != before:
            changed.append(name)
    assert not wrong, wrong
    assert not changed, f"a refused POST changed data: {changed}"


def _changed(name: str, world, user: str, before: dict) -> bool:
    open_conference = Conference.objects.get(pk=world["open_conference"].pk)
    conference = Conference.objects.get(pk=world["conference"].pk)
    return {
        "create": lambda: Conference.objects.filter(title="Neue Runde").exists(),
        "edit": lambda: open_conference.title == f"{OPEN_TITLE}, verschoben",
        "cancel": lambda: open_conference.status == Status.CANCELLED,
        "hold": lambda: open_conference.status == Status.HELD,
        "minutes": lambda: conference.minutes == "Alle Punkte besprochen",
        "action_create": lambda: Action.objects.filter(
            title="Schuldnerberatung vermitteln"
        ).exists(),
        "item_create": lambda: (
            AgendaItem.objects.count() == before["counts"]["conferences.AgendaItem"] + 1
        ),
        "item_minutes": lambda: (
            AgendaItem.objects.get(pk=world["item"].pk).minutes == "Wohnung vorerst gesichert"
        ),
        "item_remove": lambda: not AgendaItem.objects.filter(pk=world["open_item"].pk).exists(),
        "action_status": lambda: (
            Action.objects.get(pk=world["action"].pk).status == ActionStatus.DONE
        ),
        "calendar": lambda: (
            CalendarToken.objects.filter(user=world[user]).values_list("user_id", "token")[0]
            not in before["tokens"]
        ),
    }[name]()


CHANGING = (
    "create",
    "edit",
    "cancel",
    "hold",
    "minutes",
    "action_create",
    "item_create",
    "item_minutes",
    "item_remove",
    "action_status",
    "calendar",
)


@pytest.mark.parametrize(
    ("name", "user"),
    [
        (name, user)
        for name in CHANGING
        for user in ROUTES[name].allowed
        # The payload invites the partner of network A, which another network cannot.
        if not (name == "create" and user == "outsider_worker")
    ],
)
def test_allowed_posts_are_carried_out(world, clients, name, user):
    before = snapshot()
    response = clients[user].post(url_for(name, world), payload(name, world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _changed(name, world, user, before), (name, user)


# Lists with every entry, not only the upcoming or open ones.
LIST_QUERIES = {"list": {"when": "all"}, "actions": {"status": "all"}, "calendar": {}}


def test_third_parties_never_get_a_conference_case_or_action(world, clients):
    """Not invited, no conference role or another network: never a 200, and not even the
    refusal shows the conference's title, the case label or the question."""
    secrets_ = [TITLE, OPEN_TITLE, world["item"].case_label, QUESTION, ACTION_TITLE]
    with_object = [name for name, route in ROUTES.items() if route.kwargs and name != "feed"]
    leaks = []
    for user in ("social_worker", "coordination", *NO_CONFERENCE_ROLE, "outsider_worker"):
        for name in with_object:
            url = url_for(name, world)
            posted = clients[user].post(url, payload(name, world))
            for response in (clients[user].get(url), posted):
                page = response.content.decode()
                if response.status_code == 200 or any(s in page for s in secrets_):
                    leaks.append((user, name, response.status_code))
        # Their own lists open, but show nothing of the round.
        for name, query in LIST_QUERIES.items():
            response = clients[user].get(url_for(name, world), query)
            page = response.content.decode()
            if any(s in page for s in secrets_):
                leaks.append((user, name, response.status_code))
    assert not leaks, leaks


def _identifiers(world) -> list[str]:
    """Anna's name, birth date, BG number, street and case file address."""
    anna = world["anna"]
    # They are really Anna's, else the checks against them prove nothing.
    assert anna.full_name == "Anna Beispiel"
    assert anna.birth_date.strftime("%d.%m.%Y") == "02.05.1988"
    assert anna.household.number == "06432BG0000001"
    assert anna.household.street
    return [
        "Beispiel",
        "Anna",
        "02.05.1988",
        "06432BG0000001",
        anna.household.street,
        anna.get_absolute_url().split("#")[0],
    ]


@pytest.mark.parametrize("user", [*YOUTH, "partner_user"])
def test_invitees_see_the_case_pseudonymised(world, clients, user):
    identifiers = _identifiers(world)
    pages = {
        "detail": clients[user].get(url_for("detail", world)),
        "ics": clients[user].get(url_for("ics", world)),
        "actions": clients[user].get(url_for("actions", world), LIST_QUERIES["actions"]),
    }
    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)
    detail = pages["detail"].content.decode()
    assert world["item"].case_label in detail
    assert QUESTION in detail
    if user in YOUTH:  # the owner's task list shows its action
        assert ACTION_TITLE in pages["actions"].content.decode()
    for name, response in pages.items():
        page = response.content.decode()
        leaked = [secret for secret in identifiers if secret in page]
        assert not leaked, (user, name, leaked)


def test_the_jobcenter_sees_its_own_case_with_a_link_to_the_file(world, clients):
    anna = world["anna"]
    for user in PRESENTERS:
        page = clients[user].get(url_for("detail", world)).content.decode()
        assert anna.get_absolute_url() in page, user
        assert "Anna Beispiel" in page, user
        assert clients[user].get(anna.get_absolute_url()).status_code == 200, user


def test_the_jobcenters_coordination_gets_no_case_file_data(world, clients):
    """The network coordinator acts for the Jobcenter (the organiser) but has no case file role
    (no VIEW_CASES): the round's page must show it the case like any participant, without
    Anna's name or a link it cannot follow."""
    anna = world["anna"]
    client = clients["coordinator"]
    assert client.get(anna.get_absolute_url()).status_code in (403, 404)
    page = client.get(url_for("detail", world)).content.decode()
    assert world["item"].case_label in page
    leaked = [secret for secret in ("Anna Beispiel", anna.get_absolute_url()) if secret in page]
    assert not leaked, f"the Jobcenter's coordinator (no VIEW_CASES) sees {leaked}"


def test_only_the_jobcenters_case_workers_put_anna_on_the_agenda(world, clients):
    url = url_for("item_create", world)
    expected = {
        "case_worker": 200,
        "team_lead": 200,
        # PRESENT_CASES, but Anna is not in their case file.
        "youth_worker": 404,
        "youth_lead": 404,
        "social_worker": 404,
        "outsider_worker": 404,
        # No PRESENT_CASES at all.
        "coordinator": 403,
        "partner_user": 403,
        "coordination": 403,
        "dpo": 403,
    }
    got = {user: clients[user].get(url).status_code for user in expected}
    assert got == expected


def test_the_feed_opens_with_its_secret_address_only(world, clients):
    url = url_for("feed", world)
    for client in (Client(), clients["outsider"], clients["youth_worker"]):
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/calendar")
        page = response.content.decode()
        assert TITLE in page
        leaked = [s for s in (*_identifiers(world), QUESTION) if s in page]
        assert not leaked, leaked
    world["wrong_token"] = secrets.token_urlsafe(32)
    wrong = url_for("feed", world, token="wrong_token")
    for client in (Client(), clients["case_worker"]):
        assert client.get(wrong).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(world):
    anonymous = Client()
    before = snapshot()
    for name in ROUTES:
        if name == "feed":
            continue
        url = url_for(name, world)
        for response in (anonymous.get(url), anonymous.post(url, payload(name, world))):
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), name
    assert snapshot() == before
