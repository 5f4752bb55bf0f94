"""Special category data (Art. 9 DSGVO): only roles that need it see it, and every view of it is
audited. Disputed facts carry their "bestritten" note (§ 84 Abs. 2 SGB X)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.factories import (
    ConsentFactory,
    DocumentFactory,
    GoalFactory,
    HouseholdFactory,
    NeedFactory,
    PersonFactory,
    PlanFactory,
    StepFactory,
)
from cases.models import (
    Consent,
    CooperationPlan,
    Document,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanStep,
    PlanVersion,
)
from cases.services import add_offer_as_step
from core.audit import ref
from core.choices import AuditAction, Role
from core.factories import member
from core.models import AuditEntry
from core.permissions import actor_for
from directory.factories import OfferFactory

pytestmark = pytest.mark.django_db

HEALTH_TEXT = "Depressive Episode, in ärztlicher Behandlung seit Januar"
HOUSING_TEXT = "Mietrückstand von zwei Monaten"


@pytest.fixture
def health_need(anna):
    return NeedFactory(person=anna, code="health.mental", description=HEALTH_TEXT)


@pytest.fixture
def housing_need(anna):
    return NeedFactory(person=anna, code="housing.rent_arrears", description=HOUSING_TEXT)


@pytest.fixture
def doctors_letter(anna):
    return DocumentFactory(person=anna, title="Attest Dr. Weber", from_doctor=True)


def household_page(client_for, user, household):
    response = client_for(user).get(reverse("cases:household_detail", args=[household.pk]))
    assert response.status_code == 200
    return response.content.decode()


# --- querysets -------------------------------------------------------------------------------


def test_a_case_worker_sees_the_health_needs_of_her_organisations_persons(
    case_worker, health_need, housing_need
):
    visible = Need.objects.visible_to(actor_for(case_worker))

    assert set(visible) == {health_need, housing_need}


def test_a_team_lead_does_not_see_health_needs(team_lead, health_need, housing_need):
    visible = Need.objects.visible_to(actor_for(team_lead))

    assert list(visible) == [housing_need]


def test_a_team_lead_does_not_see_documents_from_a_doctor(team_lead, anna, doctors_letter):
    notice = DocumentFactory(person=anna, title="Bewilligungsbescheid")

    assert list(Document.objects.visible_to(actor_for(team_lead))) == [notice]


def test_a_case_worker_sees_documents_from_a_doctor(case_worker, doctors_letter):
    assert list(Document.objects.visible_to(actor_for(case_worker))) == [doctors_letter]


def test_a_case_worker_of_another_organisation_sees_no_health_need(
    youth_worker, health_need, housing_need
):
    assert not Need.objects.visible_to(actor_for(youth_worker)).exists()


@pytest.fixture
def whole_file(anna, health_need, housing_need, doctors_letter, youth_office, case_worker):
    """One record of every kind in the Jobcenter's file."""
    ConsentFactory(data_subject=anna, recipients=[youth_office])
    plan = PlanFactory(household=anna.household)
    StepFactory(goal=GoalFactory(plan=plan))
    PlanVersion.objects.create(
        plan=plan,
        network=plan.network,
        organisation=plan.organisation,
        number=1,
        agreed_on=timezone.localdate(),
        agreed_by=case_worker,
        agreed_with="Anna Beispiel",
        content={},
    )
    return anna.organisation


@pytest.mark.parametrize(
    "model",
    [Household, Person, Need, Document, Consent, CooperationPlan, PlanStep, PlanVersion],
    ids=lambda model: model.__name__,
)
def test_the_data_protection_officer_sees_no_case_records_through_visible_to(
    dpo, whole_file, model
):
    assert model.objects.of_controller(whole_file).exists()

    assert not model.objects.visible_to(actor_for(dpo)).exists()


def test_the_jugendamts_data_protection_officer_sees_no_help_assessment(youth_office, network):
    dpo = member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt")
    person = PersonFactory(organisation=youth_office)
    HelpAssessment.objects.create(
        network=network,
        organisation=youth_office,
        person=person,
        recipient=youth_office,
        purpose="referral",
        reasoning="Test",
    )

    assert HelpAssessment.objects.of_controller(youth_office).exists()
    assert not HelpAssessment.objects.visible_to(actor_for(dpo)).exists()
    assert not Person.objects.visible_to(actor_for(dpo)).exists()


# --- pages -----------------------------------------------------------------------------------


def test_the_case_worker_sees_the_health_need_on_the_household_page(
    client_for, case_worker, household, health_need, housing_need
):
    content = household_page(client_for, case_worker, household)

    assert HEALTH_TEXT in content
    assert HOUSING_TEXT in content
    assert "Gesundheitsdaten (Art. 9 DSGVO)" in content


def test_the_team_lead_sees_the_household_page_without_the_health_need(
    client_for, team_lead, household, health_need, housing_need, doctors_letter
):
    content = household_page(client_for, team_lead, household)

    assert HOUSING_TEXT in content
    assert HEALTH_TEXT not in content
    # Not even that a health need or a doctor's letter exists.
    assert "Psychische Gesundheit" not in content
    assert "Attest Dr. Weber" not in content
    assert reverse("cases:need_edit", args=[health_need.pk]) not in content


def test_the_team_lead_cannot_open_the_health_need_by_url(client_for, team_lead, health_need):
    client = client_for(team_lead)

    assert client.get(reverse("cases:need_edit", args=[health_need.pk])).status_code == 404
    assert client.get(reverse("cases:need_match", args=[health_need.pk])).status_code == 404


def test_the_team_lead_sees_a_person_without_household_without_health_data(
    client_for, team_lead, jobcenter
):
    single = PersonFactory(organisation=jobcenter, first_name="Sven", last_name="Solo")
    NeedFactory(person=single, code="health.addiction", description="Alkoholabhängigkeit")
    NeedFactory(person=single, code="finances.debt", description="Schulden bei der Bank")

    response = client_for(team_lead).get(reverse("cases:person_detail", args=[single.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Schulden bei der Bank" in content
    assert "Alkoholabhängigkeit" not in content


def test_the_data_protection_officer_cannot_open_the_household_page(client_for, dpo, household):
    response = client_for(dpo).get(reverse("cases:household_detail", args=[household.pk]))

    assert response.status_code == 403


def test_viewing_the_household_page_audits_the_view_of_the_health_need(
    client_for, case_worker, household, anna, health_need, housing_need
):
    household_page(client_for, case_worker, household)

    entries = AuditEntry.objects.filter(action=AuditAction.VIEW, object_ref=ref(health_need))
    assert entries.count() == 1
    entry = entries.get()
    assert entry.subject_ref == ref(anna)
    assert entry.user == case_worker
    assert entry.organisation == household.organisation
    assert entry.controller == household.organisation
    assert entry.legal_basis


def test_viewing_the_household_page_audits_every_member_shown(
    client_for, case_worker, household, anna, ben
):
    household_page(client_for, case_worker, household)

    subjects = set(
        AuditEntry.objects.filter(action=AuditAction.VIEW, user=case_worker).values_list(
            "subject_ref", flat=True
        )
    )
    assert subjects >= {ref(anna), ref(ben)}


def test_a_team_leads_view_does_not_claim_to_have_shown_the_health_need(
    client_for, team_lead, household, health_need
):
    household_page(client_for, team_lead, household)

    assert not AuditEntry.objects.filter(object_ref=ref(health_need)).exists()


def test_each_view_is_audited_again(client_for, case_worker, household, health_need):
    household_page(client_for, case_worker, household)
    household_page(client_for, case_worker, household)

    assert (
        AuditEntry.objects.filter(action=AuditAction.VIEW, object_ref=ref(health_need)).count() == 2
    )


def test_a_disputed_need_shows_bestritten_on_the_household_page(
    client_for, case_worker, household, anna
):
    NeedFactory(
        person=anna,
        code="finances.debt",
        description="Schulden beim Versandhandel",
        disputed_note="Frau Beispiel sagt, die Forderung sei bezahlt.",
    )

    content = household_page(client_for, case_worker, household)

    assert "bestritten" in content
    assert "Frau Beispiel sagt, die Forderung sei bezahlt." in content


def test_an_undisputed_need_shows_no_bestritten_note(client_for, case_worker, household, anna):
    NeedFactory(person=anna, code="finances.debt", description="Schulden beim Versandhandel")

    assert "bestritten" not in household_page(client_for, case_worker, household)


def test_disputed_master_data_shows_bestritten_on_the_household_page(
    client_for, case_worker, household, anna
):
    anna.disputed_note = "Das Geburtsdatum sei falsch erfasst."
    anna.save()

    content = household_page(client_for, case_worker, household)

    assert "bestritten" in content
    assert "Das Geburtsdatum sei falsch erfasst." in content


def test_another_households_health_need_is_not_on_the_page(
    client_for, case_worker, household, jobcenter
):
    other = HouseholdFactory(organisation=jobcenter)
    stranger = PersonFactory(organisation=jobcenter, household=other)
    NeedFactory(person=stranger, code="health.physical", description="Bandscheibenvorfall")

    assert "Bandscheibenvorfall" not in household_page(client_for, case_worker, household)


def test_a_plan_step_for_a_health_need_does_not_reveal_it_to_the_team_lead(
    client_for, case_worker, team_lead, household, anna, health_need, partner
):
    """ "Passendes Angebot übernehmen" for a health need: the team lead sees the plan, but not
    which health problem it addresses."""
    offer = OfferFactory(organisation=partner, title="Offene Sprechstunde Stadtteilzentrum")
    step = add_offer_as_step(actor=actor_for(case_worker), need=health_need, offer=offer)
    client = client_for(team_lead)

    plan_url = reverse("cases:plan_detail", args=[step.plan_id])
    print_url = reverse("cases:plan_print", args=[step.plan_id])
    pages = {
        "household": household_page(client_for, team_lead, household),
        "plan": client.get(plan_url).content.decode(),
        "plan print": client.get(print_url).content.decode(),
    }

    revealing = [name for name, content in pages.items() if "Psychische Gesundheit" in content]
    assert not revealing, f"the health need's problem situation is shown on: {revealing}"
    assert not [name for name, content in pages.items() if HEALTH_TEXT in content]
