"""Cross-organisation isolation for every page of the ``cases`` namespace.

The Jobcenter's case file (household, members, needs incl. health, plan, consent, documents) is
reachable only by the Jobcenter's own staff. Every URL pattern is walked: a Jugendamt case
worker, the Jugendamt's data protection officer, a user of a partner organisation and the fully
entitled outsider of another network get 403 or 404, never the page, and nothing changes.

``ROUTES`` names, for every URL of the namespace, which object fills its arguments and who owns
it. A new page fails ``test_every_case_url_is_in_the_isolation_map`` until it is added here.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from cases import urls as case_urls
from cases.choices import Purpose, RetentionRecordType
from cases.factories import (
    ConsentFactory,
    DocumentFactory,
    GoalFactory,
    HouseholdFactory,
    NeedFactory,
    PersonFactory,
    PlanFactory,
    StepFactory,
    member_of,
)
from cases.models import DeletionReview, HelpAssessment, PlanVersion
from core.choices import Role
from core.factories import member
from directory.factories import OfferFactory

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "Angststörung, Behandlung bei Dr. Isolde Vertraulich"
HOUSING_TEXT = "Räumungsklage angedroht, Vermieter Quendel"


@dataclass(frozen=True)
class Route:
    """``kwargs`` maps each URL argument to a key of the ``world`` fixture (an object's pk, or
    an int); ``owner`` is the user key of the world who may open it; ``query`` is appended to
    pages without arguments (searches)."""

    kwargs: dict[str, str] = field(default_factory=dict)
    owner: str = "case_worker"
    query: str = ""


ROUTES: dict[str, Route] = {
    # households and persons
    "case_list": Route(query="?q=Beispiel&status=all"),
    "household_create": Route(),
    "household_detail": Route({"pk": "household"}),
    "household_edit": Route({"pk": "household"}),
    "member_add": Route({"pk": "household"}),
    "person_create": Route(),
    "person_detail": Route({"pk": "single"}),
    "person_edit": Route({"pk": "anna"}),
    "need_create": Route({"pk": "anna"}),
    "document_create": Route({"pk": "anna"}),
    "need_edit": Route({"pk": "health_need"}),
    "document_download": Route({"pk": "doctors_letter"}),
    # cooperation plan (the second household and the single person have no plan yet: opening
    # their plan page would create one)
    "household_plan": Route({"pk": "household_without_plan"}),
    "person_plan": Route({"pk": "single"}),
    "plan_detail": Route({"pk": "plan"}),
    "plan_start": Route({"pk": "plan"}),
    "plan_goal_add": Route({"pk": "plan"}),
    "plan_step_add": Route({"pk": "plan", "goal_pk": "goal"}),
    "plan_step_edit": Route({"pk": "plan", "step_pk": "step"}),
    "plan_step_delete": Route({"pk": "plan", "step_pk": "step"}),
    "plan_agree": Route({"pk": "plan"}),
    "plan_version": Route({"pk": "plan", "number": "version_number"}),
    "plan_print": Route({"pk": "plan"}),
    "plan_pdf": Route({"pk": "plan"}),
    "need_match": Route({"pk": "housing_need"}),
    "need_add_offer": Route({"pk": "housing_need", "offer_pk": "offer"}),
    # consents and the special rules
    "consent_list": Route(query="?q=Beispiel"),
    "consent_create": Route({"pk": "anna"}),
    "consent_detail": Route({"pk": "consent"}),
    "consent_revoke": Route({"pk": "consent"}),
    "consent_print": Route({"pk": "consent"}),
    "consent_pdf": Route({"pk": "consent"}),
    "consent_document": Route({"pk": "consent"}),
    "secrecy_acknowledgement": Route(owner="partner_user"),
    "help_assessment_create": Route({"pk": "youth_client"}, owner="youth_worker"),
    # retention and subject access
    "retention_review": Route(owner="dpo"),
    "retention_erase": Route({"pk": "review"}, owner="dpo"),
    "retention_hold": Route({"pk": "review"}, owner="dpo"),
    "subject_access": Route(owner="dpo", query="?name=Beispiel"),
    "subject_access_export": Route({"pk": "anna"}, owner="dpo"),
}

# Who belongs to which organisation: everyone else is an intruder for its records.
USERS_BY_ORGANISATION = {
    "jobcenter": ["case_worker", "team_lead", "dpo"],
    "youth_office": ["youth_worker", "youth_dpo"],
    "partner": ["partner_user"],
    "outsider_org": ["outsider"],
}
ALL_USERS = [user for users in USERS_BY_ORGANISATION.values() for user in users]


def organisation_of(user_key: str) -> str:
    return next(org for org, users in USERS_BY_ORGANISATION.items() if user_key in users)


def intruders(route: Route) -> list[str]:
    own = organisation_of(route.owner)
    return [user for user in ALL_USERS if organisation_of(user) != own]


def case_url_names() -> list[str]:
    names = []
    for pattern in case_urls.urlpatterns:
        assert isinstance(pattern, URLPattern), f"nested resolver {pattern} is not walked"
        assert not isinstance(pattern, URLResolver)
        names.append(pattern.name)
    return names


# --- the world -------------------------------------------------------------------------------


@pytest.fixture
def world(
    settings,
    tmp_path,
    network,
    jobcenter,
    youth_office,
    partner,
    outsider_org,
    household,
    anna,
    ben,
    case_worker,
    team_lead,
    dpo,
    youth_worker,
    outsider,
):
    settings.MEDIA_ROOT = tmp_path
    single = PersonFactory(organisation=jobcenter, first_name="Sven", last_name="Solo")
    other_household = HouseholdFactory(organisation=jobcenter, number="06432BG0000002")
    member_of(other_household, first_name="Olga", last_name="Ohneplan")
    health_need = NeedFactory(person=anna, code="health.mental", description=HEALTH_TEXT)
    housing_need = NeedFactory(person=anna, code="housing.rent_arrears", description=HOUSING_TEXT)
    doctors_letter = DocumentFactory(
        person=anna,
        title="Attest Dr. Vertraulich",
        from_doctor=True,
        file=ContentFile(b"%PDF-1.4 Attest", name="attest.pdf"),
    )
    consent = ConsentFactory(
        data_subject=anna,
        recipients=[youth_office, partner],
        purposes=[Purpose.REFERRAL],
        categories=["master_data", "needs.housing"],
        document=ContentFile(b"%PDF-1.4 Einwilligung", name="einwilligung.pdf"),
    )
    plan = PlanFactory(household=household, starts_on=timezone.localdate() - timedelta(days=30))
    goal = GoalFactory(plan=plan, title="Wohnung sichern")
    step = StepFactory(goal=goal, description="Termin bei der Mietschuldnerberatung")
    version = PlanVersion.objects.create(
        plan=plan,
        network=network,
        organisation=jobcenter,
        number=1,
        agreed_on=timezone.localdate() - timedelta(days=20),
        agreed_by=case_worker,
        agreed_with="Anna Beispiel",
        content={"starts_on": plan.starts_on.isoformat(), "goals": []},
    )
    review = DeletionReview.objects.create(
        network=network,
        organisation=jobcenter,
        record_type=RetentionRecordType.HOUSEHOLD,
        object_id=other_household.pk,
        due_on=timezone.localdate() - timedelta(days=1),
    )
    offer = OfferFactory(organisation=partner, title="Mietschuldnerberatung Nord")
    youth_client = PersonFactory(
        organisation=youth_office,
        first_name="Yvonne",
        last_name="Jugend",
        birth_date=date(2009, 5, 5),
    )
    HelpAssessment.objects.create(
        network=network,
        organisation=youth_office,
        person=youth_client,
        recipient=jobcenter,
        purpose=Purpose.REFERRAL,
        reasoning="Die Übermittlung unterstützt die Hilfe.",
    )
    return {
        "household": household,
        "household_without_plan": other_household,
        "anna": anna,
        "ben": ben,
        "single": single,
        "health_need": health_need,
        "housing_need": housing_need,
        "doctors_letter": doctors_letter,
        "consent": consent,
        "plan": plan,
        "goal": goal,
        "step": step,
        "version_number": version.number,
        "review": review,
        "offer": offer,
        "youth_client": youth_client,
        # users
        "case_worker": case_worker,
        "team_lead": team_lead,
        "dpo": dpo,
        "youth_worker": youth_worker,
        "youth_dpo": member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt"),
        "partner_user": member(Role.PARTNER_STAFF, partner, username="stadtteilzentrum"),
        "outsider": outsider,
    }


@pytest.fixture
def clients(world):
    """One logged-in client per user (logging in is itself audited, so it happens first)."""
    logged_in = {}
    for key in ALL_USERS:
        client = Client()
        client.force_login(world[key])
        logged_in[key] = client
    return logged_in


def url_for(name: str, world) -> str:
    route = ROUTES[name]
    kwargs = {}
    for argument, key in route.kwargs.items():
        value = world[key]
        kwargs[argument] = value if isinstance(value, int) else value.pk
    return reverse(f"cases:{name}", kwargs=kwargs) + route.query


def row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("core", "directory", "cases")
        for model in apps.get_app_config(app).get_models()
    }


# The Jobcenter's data that must never appear on another organisation's page.
# Full names only: Faker names of the users (shown in the page header) never collide with them.
SECRETS = [
    "Anna Beispiel",
    "Beispiel, Anna",
    "Sven Solo",
    "Solo, Sven",
    "Olga Ohneplan",
    "Ohneplan, Olga",
    "06432BG0000001",
    "06432BG0000002",
    HOUSING_TEXT,
]


# --- the map is complete ---------------------------------------------------------------------


def test_every_case_url_is_in_the_isolation_map():
    names = case_url_names()

    missing = sorted(set(names) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(names))
    assert not missing, f"add these case URLs to ROUTES in test_isolation.py: {missing}"
    assert not stale, f"these ROUTES entries no longer exist: {stale}"


def test_the_owner_reaches_every_mapped_page(world, clients):
    """Proves the map points at real objects: otherwise every 404 below would prove nothing."""
    unreachable = {}
    for name in case_url_names():
        route = ROUTES[name]
        client, url = clients[route.owner], url_for(name, world)
        status = client.get(url).status_code
        if status == 405:  # a form action: the owner's (empty) POST reaches the view
            status = client.post(url, {}).status_code
        if status not in (200, 302):
            unreachable[name] = status
    assert not unreachable


# --- nobody else gets in ---------------------------------------------------------------------


def test_no_other_organisation_opens_any_case_record_by_url(world, clients):
    before = row_counts()
    leaks = []
    for name in case_url_names():
        route = ROUTES[name]
        if not route.kwargs:
            continue
        url = url_for(name, world)
        for user in intruders(route):
            got = clients[user].get(url).status_code
            posted = clients[user].post(url, {}).status_code
            # A GET-only or POST-only view may answer 405 to the other method, but then the
            # method it accepts must be refused.
            refused = (got in (403, 404) and posted in (403, 404, 405)) or (
                got == 405 and posted in (403, 404)
            )
            if not refused:
                leaks.append((name, user, got, posted))
    assert not leaks, leaks
    assert row_counts() == before


def test_pages_without_an_object_show_another_organisation_nothing_of_the_jobcenter(world, clients):
    before = row_counts()
    leaks = []
    for name in case_url_names():
        route = ROUTES[name]
        if route.kwargs:
            continue
        url = url_for(name, world)
        for user in intruders(ROUTES["household_detail"]):  # everyone outside the Jobcenter
            response = clients[user].get(url)
            if response.status_code in (403, 404):
                continue
            content = response.content.decode()
            shown = [secret for secret in SECRETS if secret in content]
            if response.status_code != 200 or shown:
                leaks.append((name, user, response.status_code, shown))
    assert not leaks, leaks
    assert row_counts() == before


def test_the_jobcenters_team_lead_cannot_open_the_health_need_either(world, clients):
    """Same organisation, but no right to special category data: absent like a foreign record."""
    client = clients["team_lead"]
    for name in ("need_edit", "need_match"):
        url = reverse(f"cases:{name}", args=[world["health_need"].pk])
        assert client.get(url).status_code == 404, name
    url = reverse("cases:document_download", args=[world["doctors_letter"].pk])
    assert client.get(url).status_code == 404


# --- no cross-organisation person search ----------------------------------------------------


@pytest.fixture
def jana(youth_office):
    """The Jugendamt's own client with the same family name as the Jobcenter's Anna."""
    return PersonFactory(organisation=youth_office, first_name="Jana", last_name="Beispiel")


@pytest.mark.parametrize(
    "query",
    [
        "?q=Beispiel",
        "?q=Beispiel&status=all",
        "?q=Beispiel&kind=persons&status=all",
        "?q=Solo&kind=persons&status=all",
        "?q=06432BG0000001&status=all",
        "?q=Anna",
    ],
)
def test_the_case_search_finds_only_the_own_organisations_persons(world, clients, jana, query):
    response = clients["youth_worker"].get(reverse("cases:case_list") + query)

    assert response.status_code == 200
    content = response.content.decode()
    # The page repeats the query in its search field; everything else must be absent.
    for secret in SECRETS:
        if secret not in query:
            assert secret not in content
    assert "Quendel" not in content
    assert world["household"].get_absolute_url() not in content
    assert reverse("cases:household_detail", args=[world["household_without_plan"].pk]) not in (
        content
    )
    assert reverse("cases:person_detail", args=[world["single"].pk]) not in content


def test_the_case_search_does_find_the_own_client(world, clients, jana):
    """Control: the search works, it is only scoped to the own case file."""
    url = reverse("cases:case_list") + "?q=Beispiel&kind=persons&status=all"

    content = clients["youth_worker"].get(url).content.decode()

    assert "Beispiel, Jana" in content
    assert "Beispiel, Anna" not in content


def test_the_subject_access_search_finds_only_the_own_organisations_persons(world, clients, jana):
    url = reverse("cases:subject_access") + "?name=Beispiel"

    content = clients["youth_dpo"].get(url).content.decode()

    assert "Beispiel, Jana" in content
    assert "Beispiel, Anna" not in content
    assert "Anna Beispiel" not in content
    assert reverse("cases:subject_access_export", args=[world["anna"].pk]) not in content


def test_the_consent_list_searches_only_the_own_file(world, clients, jana):
    response = clients["youth_worker"].get(reverse("cases:consent_list") + "?q=Beispiel")

    assert response.status_code == 200
    assert "Anna Beispiel" not in response.content.decode()


def test_the_jobcenters_own_search_shows_what_the_others_must_not_see(world, clients):
    """Control for the markers above: the owner's pages do show them."""
    client = clients["case_worker"]
    households = client.get(reverse("cases:case_list") + "?q=Beispiel").content.decode()
    persons = client.get(reverse("cases:case_list") + "?q=Solo&kind=persons").content.decode()

    assert "06432BG0000001" in households
    assert world["household"].get_absolute_url() in households
    assert "Solo, Sven" in persons
