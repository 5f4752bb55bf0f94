"""Rules about single case records: bad input is refused with a German message, nothing saved."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import categories
from cases.choices import Purpose, Responsible, Signatory
from cases.factories import (
    DocumentFactory,
    GoalFactory,
    NeedFactory,
    PersonFactory,
    PlanFactory,
    StepFactory,
)
from cases.models import Consent, Need, Person, PlanStep
from cases.services import DuplicatePerson, save_need, save_person, save_plan_start, save_step
from core.permissions import actor_for
from directory.factories import situation

pytestmark = pytest.mark.django_db


def today():
    return timezone.localdate()


def born(years_ago: int, days: int = 0) -> date:
    """A birth date ``years_ago`` years before today, shifted by ``days`` (positive = later)."""
    now = today()
    try:
        birthday = now.replace(year=now.year - years_ago)
    except ValueError:  # 29 February
        birthday = now.replace(year=now.year - years_ago, day=28)
    return birthday + timedelta(days=days)


def messages(excinfo, field):
    return excinfo.value.message_dict[field]


# --- persons ---------------------------------------------------------------------------------


def test_a_birth_date_in_the_future_is_refused(jobcenter):
    person = PersonFactory.build(organisation=jobcenter, birth_date=today() + timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        person.full_clean()

    assert messages(excinfo, "birth_date") == ["Das Geburtsdatum darf nicht in der Zukunft liegen."]


def test_a_birth_date_of_today_is_accepted(jobcenter):
    PersonFactory.build(organisation=jobcenter, birth_date=today()).full_clean()


def test_saving_a_person_born_in_the_future_saves_nothing(actor, jobcenter):
    person = Person(first_name="Zoe", last_name="Zukunft", birth_date=today() + timedelta(days=30))

    with pytest.raises(ValidationError):
        save_person(actor=actor, person=person)

    assert not Person.objects.filter(last_name="Zukunft").exists()


# --- needs -----------------------------------------------------------------------------------


def test_a_need_since_a_future_day_is_refused(anna):
    need = NeedFactory.build(person=anna, since=today() + timedelta(days=1))

    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()

    assert messages(excinfo, "since") == ["„Besteht seit“ darf nicht in der Zukunft liegen."]


def test_saving_a_need_since_a_future_day_saves_nothing(actor, anna):
    need = Need(
        person=anna,
        problem_situation=situation(anna.network, "housing.rent_arrears"),
        since=today() + timedelta(days=3),
    )

    with pytest.raises(ValidationError):
        save_need(actor=actor, need=need)

    assert not Need.objects.exists()


def test_only_a_jugendamt_records_entrusted_data(anna, ben):
    need = NeedFactory.build(person=anna, entrusted=True, entrusted_by=ben)

    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()

    assert messages(excinfo, "entrusted") == [
        "Nur das Jugendamt erfasst anvertraute Daten (§ 65 SGB VIII)."
    ]


def test_entrusted_data_needs_the_person_who_entrusted_it(youth_office):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))
    need = NeedFactory.build(person=child, entrusted=True, entrusted_by=None)

    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()

    assert messages(excinfo, "entrusted_by") == [
        "Bitte geben Sie an, wer die Angaben anvertraut hat."
    ]


def test_the_entrusting_person_comes_from_the_jugendamts_own_file(youth_office, anna):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))
    need = NeedFactory.build(person=child, entrusted=True, entrusted_by=anna)

    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()

    assert messages(excinfo, "entrusted_by") == ["Die Person gehört zu einer anderen Akte."]


def test_an_entrusted_need_with_grandmother_from_the_file_is_accepted(youth_office):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))
    grandmother = PersonFactory(organisation=youth_office, birth_date=born(70))

    NeedFactory.build(person=child, entrusted=True, entrusted_by=grandmother).full_clean()


def test_entrusted_by_without_the_entrusted_flag_is_refused(youth_office):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))
    grandmother = PersonFactory(organisation=youth_office, birth_date=born(70))
    need = NeedFactory.build(person=child, entrusted=False, entrusted_by=grandmother)

    with pytest.raises(ValidationError) as excinfo:
        need.full_clean()

    assert messages(excinfo, "entrusted_by") == [
        "„Anvertraut von“ gilt nur für anvertraute Angaben."
    ]


@pytest.mark.parametrize("code", ["health.physical", "health.mental", "health.addiction"])
def test_a_health_need_is_special_category_data(anna, code):
    need = NeedFactory(person=anna, code=code)

    assert need.is_special_category
    assert need.category == categories.HEALTH


def test_a_housing_need_is_not_special_category_data(anna):
    need = NeedFactory(person=anna, code="housing.rent_arrears")

    assert not need.is_special_category
    assert need.category == "needs.housing"


def test_changing_a_need_to_a_health_situation_makes_it_special_category(anna):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    need.problem_situation = situation(anna.network, "health.addiction")
    need.save()

    need.refresh_from_db()
    assert need.is_special_category


def test_a_document_from_a_doctor_is_always_special_category(anna):
    document = DocumentFactory(person=anna, from_doctor=True, is_special_category=False)

    document.refresh_from_db()
    assert document.is_special_category
    assert document.category == categories.HEALTH


def test_an_ordinary_document_is_not_special_category(anna):
    document = DocumentFactory(person=anna, title="Mietvertrag")

    assert not document.is_special_category
    assert document.category == categories.DOCUMENTS


# --- consents --------------------------------------------------------------------------------


def draft_consent(person, **kwargs) -> Consent:
    """An unsaved consent that passes ``full_clean``; each test breaks one thing."""
    values = {
        "data_subject": person,
        "organisation": person.organisation,
        "network": person.network,
        "purposes": [Purpose.REFERRAL],
        "categories": [categories.MASTER_DATA],
        "informed_purpose": True,
        "informed_refusal": True,
        "informed_revocation": True,
        "valid_from": today(),
        "valid_until": today() + timedelta(days=180),
    }
    values.update(kwargs)
    return Consent(**values)


def consent_errors(consent) -> dict:
    try:
        consent.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_a_complete_consent_passes_validation(anna):
    assert consent_errors(draft_consent(anna)) == {}


def test_a_consent_cannot_start_before_the_day_it_is_recorded(anna):
    errors = consent_errors(draft_consent(anna, valid_from=today() - timedelta(days=1)))

    assert errors["valid_from"] == [
        "Eine Einwilligung gilt frühestens ab heute; rückwirkend ist sie nicht möglich."
    ]


def test_a_consent_may_start_on_a_later_day(anna):
    start = today() + timedelta(days=7)

    assert consent_errors(draft_consent(anna, valid_from=start, valid_until=start)) == {}


def test_a_consent_ending_before_it_starts_is_refused(anna):
    errors = consent_errors(draft_consent(anna, valid_until=today() - timedelta(days=1)))

    assert errors["valid_until"] == ["Das Ende liegt vor dem Beginn."]


def test_a_consent_longer_than_the_configured_maximum_is_refused(anna, settings):
    settings.CONSENT_MAX_MONTHS = 12
    start = date(today().year + 1, 1, 31)

    assert (
        consent_errors(
            draft_consent(anna, valid_from=start, valid_until=date(start.year + 1, 1, 31))
        )
        == {}
    )
    errors = consent_errors(
        draft_consent(anna, valid_from=start, valid_until=date(start.year + 1, 2, 1))
    )
    assert errors["valid_until"] == ["Eine Einwilligung gilt höchstens 12 Monate."]


def test_the_maximum_period_ends_on_the_last_day_of_a_shorter_month(anna, settings):
    settings.CONSENT_MAX_MONTHS = 1
    start = date(today().year + 1, 1, 31)
    # 31 January + 1 month = 28/29 February, not 3 March.
    end_of_february = date(start.year, 3, 1) - timedelta(days=1)

    assert consent_errors(draft_consent(anna, valid_from=start, valid_until=end_of_february)) == {}
    errors = consent_errors(
        draft_consent(anna, valid_from=start, valid_until=date(start.year, 3, 1))
    )
    assert "valid_until" in errors


def test_the_default_maximum_is_the_configured_24_months(anna):
    start = today()
    errors = consent_errors(draft_consent(anna, valid_until=start + timedelta(days=3 * 365)))

    assert errors["valid_until"] == ["Eine Einwilligung gilt höchstens 24 Monate."]


@pytest.mark.parametrize("missing", ["informed_purpose", "informed_refusal", "informed_revocation"])
def test_a_consent_without_every_information_given_is_refused(anna, missing):
    errors = consent_errors(draft_consent(anna, **{missing: False}))

    assert errors["informed_revocation"] == [
        "Die Person muss über Zweck, Folgen einer Verweigerung und Widerrufsrecht informiert "
        "worden sein."
    ]


def test_under_15_the_young_person_cannot_sign_herself(jobcenter):
    child = PersonFactory(organisation=jobcenter, birth_date=born(15, days=1))  # 15 tomorrow

    errors = consent_errors(draft_consent(child, signatory=Signatory.SELF, capacity_confirmed=True))

    assert errors["signatory"] == [
        "Unter 15 Jahren unterschreibt die gesetzliche Vertretung (§ 36 SGB I)."
    ]


def test_under_15_the_guardian_signs(jobcenter):
    child = PersonFactory(organisation=jobcenter, birth_date=born(10))

    consent = draft_consent(child, signatory=Signatory.GUARDIAN, signatory_name="Eva Beispiel")

    assert consent_errors(consent) == {}


def test_a_guardian_consent_says_who_signed(jobcenter):
    child = PersonFactory(organisation=jobcenter, birth_date=born(10))

    errors = consent_errors(draft_consent(child, signatory=Signatory.GUARDIAN))

    assert errors["signatory_name"] == ["Bitte geben Sie an, wer unterschrieben hat."]


def test_from_15_the_case_worker_confirms_the_young_persons_capacity(jobcenter):
    young = PersonFactory(organisation=jobcenter, birth_date=born(15))  # 15 today

    errors = consent_errors(draft_consent(young, signatory=Signatory.SELF))

    assert errors["capacity_confirmed"] == [
        "Bitte bestätigen Sie, dass die junge Person die Tragweite versteht."
    ]
    assert consent_errors(draft_consent(young, capacity_confirmed=True)) == {}


def test_at_17_the_capacity_confirmation_is_still_needed(jobcenter):
    young = PersonFactory(organisation=jobcenter, birth_date=born(18, days=1))  # 18 tomorrow

    assert "capacity_confirmed" in consent_errors(draft_consent(young))


def test_an_adult_signs_without_a_capacity_confirmation(jobcenter):
    adult = PersonFactory(organisation=jobcenter, birth_date=born(18))

    assert consent_errors(draft_consent(adult)) == {}


def test_a_guardian_cannot_sign_for_an_adult(anna, ben):
    errors = consent_errors(draft_consent(anna, signatory=Signatory.GUARDIAN, signatory_person=ben))

    assert errors["signatory"] == ["Die Person ist volljährig und willigt selbst ein."]


def test_an_entrusting_signatory_is_a_person_from_the_file(youth_office):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))

    errors = consent_errors(
        draft_consent(child, signatory=Signatory.ENTRUSTING, signatory_name="Oma Gerda")
    )

    assert errors["signatory_person"] == [
        "Bitte wählen Sie die anvertrauende Person aus der Akte (§ 65 SGB VIII)."
    ]


def test_a_signatory_from_another_organisations_file_is_refused(youth_office, anna):
    child = PersonFactory(organisation=youth_office, birth_date=born(12))

    errors = consent_errors(
        draft_consent(child, signatory=Signatory.GUARDIAN, signatory_person=anna)
    )

    assert errors["signatory_person"] == ["Die Person gehört zu einer anderen Akte."]


def test_a_consent_needs_at_least_one_purpose_and_category(anna):
    errors = consent_errors(draft_consent(anna, purposes=[], categories=[]))

    assert "purposes" in errors
    assert "categories" in errors


def test_a_consent_without_recipients_is_refused(anna):
    with pytest.raises(ValidationError) as excinfo:
        draft_consent(anna).clean_recipients([])

    assert messages(excinfo, "recipients") == [
        "Bitte nennen Sie mindestens eine empfangende Organisation."
    ]


def test_a_recipient_outside_the_network_is_refused(anna, youth_office, outsider_org):
    with pytest.raises(ValidationError) as excinfo:
        draft_consent(anna).clean_recipients([youth_office, outsider_org])

    assert messages(excinfo, "recipients") == ["Jobcenter B gehört nicht zum Netzwerk."]


def test_the_own_organisation_is_not_a_recipient(anna, jobcenter):
    with pytest.raises(ValidationError) as excinfo:
        draft_consent(anna).clean_recipients([jobcenter])

    assert messages(excinfo, "recipients") == ["Die eigene Organisation ist kein Empfänger."]


def test_named_organisations_of_the_network_are_accepted_recipients(anna, youth_office, partner):
    draft_consent(anna).clean_recipients([youth_office, partner])


# --- cooperation plan ------------------------------------------------------------------------


def test_a_step_due_before_the_plan_starts_is_refused(household):
    plan = PlanFactory(household=household, starts_on=date(2025, 4, 1))
    step = StepFactory.build(goal=GoalFactory(plan=plan), due_on=date(2025, 3, 31))

    with pytest.raises(ValidationError) as excinfo:
        step.full_clean()

    assert messages(excinfo, "due_on") == [
        "Der Schritt kann nicht vor Beginn des Plans (01.04.2025) fällig sein."
    ]


def test_a_step_due_on_the_first_day_of_the_plan_is_accepted(household):
    plan = PlanFactory(household=household, starts_on=date(2025, 4, 1))

    StepFactory.build(goal=GoalFactory(plan=plan), due_on=date(2025, 4, 1)).full_clean()


def test_saving_a_step_due_before_the_plan_starts_saves_nothing(actor, household):
    plan = PlanFactory(household=household, starts_on=today())
    goal = GoalFactory(plan=plan)
    step = PlanStep(
        goal=goal,
        description="Bewerbungsmappe erstellen",
        responsible=Responsible.OWN_ORGANISATION,
        due_on=today() - timedelta(days=1),
    )

    version = plan.version

    with pytest.raises(ValidationError) as excinfo:
        save_step(actor=actor, plan=plan, step=step, expected_version=version)

    assert "due_on" in excinfo.value.message_dict
    assert not PlanStep.objects.exists()
    plan.refresh_from_db()
    assert plan.version == version  # a refused change is no change


def test_moving_the_plan_start_after_a_step_is_due_is_refused(actor, household):
    plan = PlanFactory(household=household, starts_on=date(2025, 4, 1))
    StepFactory(
        goal=GoalFactory(plan=plan), description="Schuldnerberatung", due_on=date(2025, 4, 5)
    )

    with pytest.raises(ValidationError) as excinfo:
        save_plan_start(
            actor=actor, plan=plan, starts_on=date(2025, 4, 6), expected_version=plan.version
        )

    assert messages(excinfo, "starts_on") == [
        "Der Schritt „Schuldnerberatung“ wäre dann vor Beginn des Plans fällig."
    ]
    plan.refresh_from_db()
    assert plan.starts_on == date(2025, 4, 1)


# --- duplicate detection ---------------------------------------------------------------------


@pytest.fixture
def mueller(jobcenter):
    return PersonFactory(
        organisation=jobcenter, first_name="Jörg", last_name="Müller", birth_date=date(1979, 7, 1)
    )


def test_mueller_is_found_as_a_possible_duplicate_of_mueller_with_umlaut(mueller, jobcenter):
    matches = Person.objects.possible_duplicates(
        organisation=jobcenter, first_name="joerg", last_name="MUELLER", birth_date=date(1979, 7, 1)
    )

    assert list(matches) == [mueller]


def test_another_birth_date_is_not_a_duplicate(mueller, jobcenter):
    matches = Person.objects.possible_duplicates(
        organisation=jobcenter, first_name="Jörg", last_name="Müller", birth_date=date(1979, 7, 2)
    )

    assert not matches.exists()


def test_creating_mueller_again_raises_duplicate_person_and_saves_nothing(actor, mueller):
    person = Person(first_name="Joerg", last_name="Mueller", birth_date=date(1979, 7, 1))

    with pytest.raises(DuplicatePerson) as excinfo:
        save_person(actor=actor, person=person)

    assert excinfo.value.matches == [mueller]
    assert Person.objects.filter(birth_date=date(1979, 7, 1)).count() == 1


def test_the_case_worker_may_create_the_duplicate_deliberately(actor, mueller):
    person = Person(first_name="Joerg", last_name="Mueller", birth_date=date(1979, 7, 1))

    save_person(actor=actor, person=person, allow_duplicate=True)

    assert Person.objects.filter(birth_date=date(1979, 7, 1)).count() == 2


def test_editing_an_existing_person_is_no_duplicate_of_itself(actor, mueller):
    mueller.phone = "06071 98765"

    save_person(actor=actor, person=mueller)

    mueller.refresh_from_db()
    assert mueller.phone == "06071 98765"


def test_another_organisations_person_is_never_reported_as_duplicate(
    youth_worker, youth_office, mueller
):
    """No cross-organisation person index: the Jugendamt does not learn of the Jobcenter's file."""
    person = Person(first_name="Jörg", last_name="Müller", birth_date=date(1979, 7, 1))

    save_person(actor=actor_for(youth_worker), person=person)

    assert person.organisation == youth_office
    assert not Person.objects.possible_duplicates(
        organisation=youth_office,
        first_name="Jörg",
        last_name="Müller",
        birth_date=date(1979, 7, 1),
    ).exclude(pk=person.pk)


def test_an_erased_person_is_not_reported_as_duplicate(actor, mueller):
    mueller.erased_at = timezone.now()
    mueller.save()

    created = save_person(
        actor=actor,
        person=Person(first_name="Jörg", last_name="Müller", birth_date=date(1979, 7, 1)),
    )

    assert created.pk != mueller.pk


def test_a_person_of_another_network_is_never_a_duplicate(actor, jobcenter, outsider_org):
    PersonFactory(
        organisation=outsider_org,
        first_name="Jörg",
        last_name="Müller",
        birth_date=date(1979, 7, 1),
    )

    created = save_person(
        actor=actor,
        person=Person(first_name="Jörg", last_name="Müller", birth_date=date(1979, 7, 1)),
    )

    assert created.organisation == jobcenter
    assert Person.objects.filter(organisation=jobcenter).count() == 1
