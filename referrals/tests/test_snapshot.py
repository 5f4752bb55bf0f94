"""The snapshot: what a referral carries is exactly the chosen, covered categories, frozen when it
was sent. Health data only with the health category; data entrusted to the Jugendamt (§ 65
SGB VIII) only with the entrusting person's consent; later changes to the case file never reach
the recipient.
"""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from cases import categories
from cases.choices import Purpose, Signatory
from cases.factories import (
    ConsentFactory,
    DocumentFactory,
    GoalFactory,
    NeedFactory,
    PersonFactory,
    PlanFactory,
    StepFactory,
)
from cases.models import HelpAssessment
from core.choices import Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for
from referrals import services, snapshot
from referrals.factories import consent_for
from referrals.snapshot import narrowed_snapshot

pytestmark = pytest.mark.django_db

MASTER = categories.MASTER_DATA
HOUSEHOLD = categories.HOUSEHOLD
PLAN = categories.PLAN
HEALTH = categories.HEALTH
DOCUMENTS = categories.DOCUMENTS
HOUSING = categories.need_category("housing")
FAMILY = categories.need_category("family")


@pytest.fixture
def health_need(anna):
    return NeedFactory(person=anna, code="health.addiction", description="Alkohol, seit 2022")


@pytest.fixture
def plan(household, health_need, housing_need):
    plan = PlanFactory(household=household)
    housing = GoalFactory(plan=plan, title="Wohnung sichern", position=1)
    StepFactory(goal=housing, description="Mietschuldenübernahme beantragen", position=1)
    # A step for the health need under an ordinary goal reveals the need: special.
    StepFactory(goal=housing, need=health_need, description="Suchtberatung", position=2)
    health = GoalFactory(plan=plan, title="Abstinenz stabilisieren", position=2)
    health.is_special_category = True
    health.save()
    StepFactory(goal=health, description="Termin Fachklinik", position=1)
    return plan


def build(anna, recipient, chosen, needs=()):
    data, excluded = snapshot.build(
        person=anna,
        recipient=recipient,
        chosen=chosen,
        needs=list(needs),
        sender_name="Jobcenter A",
    )
    return data, excluded


# --- only what was chosen ------------------------------------------------------------------------


def test_only_master_data_when_only_master_data_is_chosen(
    anna, ben, social_office, housing_need, plan
):
    DocumentFactory(person=anna, title="Mietvertrag")
    data, excluded = build(anna, social_office, [MASTER], needs=[housing_need])

    assert set(data) == {"schema", "taken_at", "sender", "categories", "person"}
    assert data["categories"] == [MASTER]
    assert data["person"] == {
        "first_name": "Anna",
        "last_name": "Beispiel",
        "birth_date": "1988-05-02",
        "phone": anna.phone,
        "email": anna.email,
        "languages": ["de"],
    }
    assert excluded == []


def test_the_household_shows_its_shape_not_the_other_members_details(
    anna, ben, social_office, household
):
    data, _ = build(anna, social_office, [MASTER, HOUSEHOLD])
    assert data["household"]["street"] == household.street
    assert data["household"]["postal_code"] == household.postal_code
    (member_entry,) = data["household"]["members"]  # Anna herself is not listed again
    assert member_entry["first_name"] == "Ben"
    assert set(member_entry) == {"first_name", "role", "age"}
    assert "Beispiel" not in str(data["household"])


def test_needs_travel_only_in_their_own_category(
    anna, social_office, housing_need, health_need, network
):
    debt = NeedFactory(person=anna, code="finances.debt", description="Inkasso")
    data, _ = build(anna, social_office, [MASTER, HOUSING], needs=[housing_need, health_need, debt])
    assert [need["situation"] for need in data["needs"]] == ["Drohender Wohnungsverlust"]
    assert "Inkasso" not in str(data)


def test_health_needs_only_with_the_health_category(anna, social_office, housing_need, health_need):
    without, _ = build(anna, social_office, [MASTER, HOUSING], needs=[housing_need, health_need])
    assert "Alkohol" not in str(without)

    with_health, _ = build(
        anna, social_office, [MASTER, HOUSING, HEALTH], needs=[housing_need, health_need]
    )
    assert sorted(need["category"] for need in with_health["needs"]) == [HEALTH, HOUSING]
    assert "Alkohol, seit 2022" in str(with_health)


def test_only_the_needs_the_referral_is_about_travel(anna, social_office, housing_need):
    NeedFactory(person=anna, code="housing.rent_arrears", description="Zweiter Bedarf")
    data, _ = build(anna, social_office, [MASTER, HOUSING], needs=[housing_need])
    assert len(data["needs"]) == 1
    assert "Zweiter Bedarf" not in str(data)


def test_plan_goals_and_steps_for_health_are_hidden_without_health(anna, social_office, plan):
    data, _ = build(anna, social_office, [MASTER, PLAN])
    (goal,) = data["plan"]["goals"]
    assert goal["title"] == "Wohnung sichern"
    assert [step["description"] for step in goal["steps"]] == ["Mietschuldenübernahme beantragen"]
    assert "Sucht" not in str(data)
    assert "Abstinenz" not in str(data)

    with_health, _ = build(anna, social_office, [MASTER, PLAN, HEALTH])
    assert [goal["title"] for goal in with_health["plan"]["goals"]] == [
        "Wohnung sichern",
        "Abstinenz stabilisieren",
    ]
    assert [s["description"] for s in with_health["plan"]["goals"][0]["steps"]] == [
        "Mietschuldenübernahme beantragen",
        "Suchtberatung",
    ]


def test_the_plan_travels_only_with_the_plan_category(anna, social_office, plan):
    data, _ = build(anna, social_office, [MASTER, HOUSEHOLD, HEALTH])
    assert "plan" not in data


def test_documents_travel_by_title_only_and_health_documents_only_with_health(anna, social_office):
    consent_for(anna, social_office, categories=[MASTER, DOCUMENTS, HEALTH])
    DocumentFactory(person=anna, title="Mietvertrag", received_on=date(2025, 1, 10))
    DocumentFactory(person=anna, title="Arztbrief", from_doctor=True, received_on=date(2025, 2, 1))

    data, _ = build(anna, social_office, [MASTER, DOCUMENTS])
    assert data["documents"] == [
        {"title": "Mietvertrag", "received_on": "2025-01-10", "category": DOCUMENTS}
    ]
    with_health, _ = build(anna, social_office, [MASTER, DOCUMENTS, HEALTH])
    assert [d["title"] for d in with_health["documents"]] == ["Mietvertrag", "Arztbrief"]


def test_a_document_without_its_own_legal_basis_is_excluded_with_the_reason(anna, social_office):
    consent_for(anna, social_office, categories=[MASTER])
    DocumentFactory(person=anna, title="Mietvertrag")
    data, excluded = build(anna, social_office, [MASTER, DOCUMENTS])
    assert "documents" not in data
    assert [(item.label, "Keine Einwilligung" in item.reason) for item in excluded] == [
        ("Mietvertrag", True)
    ]


# --- § 65 SGB VIII: entrusted data ---------------------------------------------------------------


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(network=network, name="Jugendamt A", youth_office=True)


@pytest.fixture
def youth_worker(youth_office):
    return member(Role.CASE_WORKER, youth_office, username="jugendamt")


@pytest.fixture
def mother(youth_office):
    return PersonFactory(
        organisation=youth_office,
        first_name="Carla",
        last_name="Muster",
        birth_date=date(1990, 1, 1),
    )


@pytest.fixture
def grandmother(youth_office):
    return PersonFactory(organisation=youth_office, first_name="Gerda", last_name="Muster")


@pytest.fixture
def entrusted(mother, grandmother):
    return NeedFactory(
        person=mother,
        code="family.childcare",
        description="Die Großmutter berichtet von Streit in der Familie.",
        entrusted=True,
        entrusted_by=grandmother,
    )


@pytest.fixture
def ordinary(mother):
    return NeedFactory(person=mother, code="family.single_parent", description="Alleinerziehend")


@pytest.fixture
def may_refer_to_jobcenter(mother, jobcenter):
    """The mother's consent and the § 64 Abs. 2 assessment: all but § 65 is in order."""
    HelpAssessment.objects.create(
        network=mother.network,
        organisation=mother.organisation,
        person=mother,
        recipient=jobcenter,
        purpose=Purpose.REFERRAL,
        endangers_help=False,
        reasoning="Die Mutter wünscht die Unterstützung durch das Jobcenter.",
        created_at=timezone.now() - timedelta(minutes=5),
    )
    return consent_for(mother, jobcenter, categories=[MASTER, FAMILY])


def refer_from_youth_office(youth_worker, mother, jobcenter, needs):
    return services.create_referral(
        actor=actor_for(youth_worker),
        person=mother,
        recipient=jobcenter,
        reason="Unterstützung bei der Kinderbetreuung",
        categories=[MASTER, FAMILY],
        needs=needs,
    )


def test_an_entrusted_need_is_left_out_with_the_reason(
    youth_worker, mother, jobcenter, entrusted, ordinary, may_refer_to_jobcenter
):
    referral = refer_from_youth_office(youth_worker, mother, jobcenter, [entrusted, ordinary])

    assert [need["description"] for need in referral.snapshot["needs"]] == ["Alleinerziehend"]
    assert "Streit" not in str(referral.snapshot)
    assert referral.snapshot["excluded"] == [
        {
            "label": "Kinderbetreuung",
            "reason": "Anvertraute Angaben (§ 65 SGB VIII) dürfen nur mit Einwilligung von "
            "Gerda Muster weitergegeben werden.",
        }
    ]


def test_an_entrusted_need_travels_with_the_entrusting_persons_consent(
    youth_worker, mother, grandmother, jobcenter, entrusted, ordinary, may_refer_to_jobcenter
):
    ConsentFactory(
        data_subject=mother,
        recipients=[jobcenter],
        categories=[FAMILY],
        signatory=Signatory.ENTRUSTING,
        signatory_person=grandmother,
        given_at=timezone.now() - timedelta(minutes=1),
    )

    referral = refer_from_youth_office(youth_worker, mother, jobcenter, [entrusted, ordinary])

    assert "Streit in der Familie" in str(referral.snapshot["needs"])
    assert "excluded" not in referral.snapshot


# --- isolation from the live case file ---------------------------------------------------------


def test_the_snapshot_does_not_follow_later_changes_to_the_case_file(
    anna, social_office, case_worker, housing_need, household
):
    consent_for(anna, social_office, categories=[MASTER, HOUSEHOLD, HOUSING])
    referral = services.create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=social_office,
        reason="Räumungsklage",
        categories=[MASTER, HOUSEHOLD, HOUSING],
        needs=[housing_need],
    )
    shared = referral.snapshot

    anna.last_name = "Neumann"
    anna.phone = "0151 000000"
    anna.save()
    household.street = "Neue Straße 1"
    household.save()
    housing_need.description = "Neue, vertrauliche Einzelheiten"
    housing_need.save()
    NeedFactory(person=anna, code="housing.rent_arrears", description="Später erfasst")
    referral.needs.add(NeedFactory(person=anna, code="housing.homelessness"))

    referral.refresh_from_db()
    assert referral.snapshot == shared
    assert referral.snapshot["person"]["last_name"] == "Beispiel"
    assert referral.snapshot["household"]["street"] != "Neue Straße 1"
    assert "vertrauliche" not in str(referral.snapshot)


# --- narrowing for a forward -------------------------------------------------------------------


@pytest.fixture
def full(anna, social_office, plan, housing_need, health_need):
    DocumentFactory(person=anna, title="Mietvertrag")
    DocumentFactory(person=anna, title="Arztbrief", from_doctor=True)
    consent_for(
        anna, social_office, categories=[MASTER, HOUSEHOLD, HOUSING, PLAN, DOCUMENTS, HEALTH]
    )
    data, _ = build(
        anna,
        social_office,
        [MASTER, HOUSEHOLD, HOUSING, PLAN, DOCUMENTS, HEALTH],
        needs=[housing_need, health_need],
    )
    return data


def test_narrowing_keeps_only_the_chosen_categories(full):
    narrowed = narrowed_snapshot(full, [MASTER])
    assert set(narrowed) == {"schema", "sender", "person", "categories"}
    assert narrowed["person"] == full["person"]
    assert narrowed["categories"] == [MASTER]


def test_narrowing_drops_health_needs_documents_and_plan_parts(full):
    narrowed = narrowed_snapshot(full, [MASTER, HOUSING, PLAN, DOCUMENTS])
    assert [need["category"] for need in narrowed["needs"]] == [HOUSING]
    assert [d["title"] for d in narrowed["documents"]] == ["Mietvertrag"]
    assert [goal["title"] for goal in narrowed["plan"]["goals"]] == ["Wohnung sichern"]
    assert [s["description"] for s in narrowed["plan"]["goals"][0]["steps"]] == [
        "Mietschuldenübernahme beantragen"
    ]
    assert "household" not in narrowed
    # The original is not changed by narrowing.
    assert len(full["plan"]["goals"]) == 2


def test_narrowing_to_everything_keeps_everything_shared(full):
    chosen = full["categories"]
    narrowed = narrowed_snapshot(full, chosen)
    assert {key: full[key] for key in narrowed} == narrowed
    assert set(full) - set(narrowed) == {"taken_at"}
