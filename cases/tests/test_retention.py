"""Retention: closed case files are put before the DPO when their period has passed; erasing one
removes everything personal and keeps an anonymous statistic and the audit trail."""

from datetime import date

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from cases import retention
from cases.choices import MemberRole, RetentionRecordType, ReviewStatus
from cases.factories import (
    ConsentFactory,
    DocumentFactory,
    HouseholdFactory,
    NeedFactory,
    PersonFactory,
    StepFactory,
    member_of,
)
from cases.models import (
    Consent,
    CooperationPlan,
    DeletionReview,
    Document,
    ErasedCaseStatistic,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    PlanVersion,
    RetentionRule,
    StatutoryBasis,
)
from cases.tasks import list_records_due_for_deletion
from core import audit
from core.choices import AuditAction, LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member
from core.models import AuditEntry
from core.permissions import actor_for

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)


def _close(record, closed_on, **fields):
    type(record).objects.filter(pk=record.pk).update(closed_on=closed_on, **fields)
    record.refresh_from_db()
    return record


def _review_for(record):
    return DeletionReview.objects.get(object_id=record.pk, organisation=record.organisation)


@pytest.mark.parametrize(
    ("regime", "years"),
    [
        (LegalRegime.SGB_II, 10),
        (LegalRegime.SGB_III, 10),
        (LegalRegime.SGB_XII, 10),
        (LegalRegime.SGB_VIII, 50),
        (LegalRegime.NONE, 3),
    ],
)
def test_without_a_rule_the_period_follows_the_legal_regime(network, regime, years):
    organisation = OrganisationFactory(network=network, legal_regime=regime)
    person = _close(PersonFactory(organisation=organisation), date(2012, 2, 29))

    assert retention.retention_years(organisation, RetentionRecordType.PERSON) == years
    # 29 February of a leap year: due on 28 February in a year without it.
    assert retention.due_on(person) == date(2012 + years, 2, 28)


def test_a_retention_rule_of_the_organisation_replaces_the_default(jobcenter, household):
    RetentionRule.objects.create(
        network=jobcenter.network,
        organisation=jobcenter,
        record_type=RetentionRecordType.HOUSEHOLD,
        years=6,
        note="Aktenordnung 2024",
    )
    _close(household, date(2015, 6, 30))

    assert retention.due_on(household) == date(2021, 6, 30)
    # The rule is per record type: persons without household keep the default.
    assert retention.retention_years(jobcenter, RetentionRecordType.PERSON) == 10


def test_only_closed_files_past_their_period_are_due(jobcenter, household, anna):
    long_closed = _close(HouseholdFactory(organisation=jobcenter), date(2015, 1, 10))
    _close(HouseholdFactory(organisation=jobcenter), date(2020, 1, 10))  # period still running
    loner = _close(PersonFactory(organisation=jobcenter), date(2016, 2, 29))
    # A member is erased with the household, never on their own.
    _close(anna, date(2010, 1, 1))

    due = retention.records_due(jobcenter, TODAY)

    assert [(item.record_type, item.record) for item in due] == [
        (RetentionRecordType.HOUSEHOLD, long_closed),
        (RetentionRecordType.PERSON, loner),
    ]
    assert due[1].due_on == date(2026, 2, 28)


def test_a_legal_hold_keeps_a_file_off_the_list(jobcenter, household, anna):
    held = _close(
        HouseholdFactory(organisation=jobcenter),
        date(2010, 1, 1),
        legal_hold=True,
        legal_hold_reason="Klageverfahren SG Darmstadt",
    )
    _close(household, date(2010, 1, 1))
    # A member's own hold keeps the whole household.
    _close(anna, None, legal_hold=True, legal_hold_reason="Strafverfahren")

    assert retention.records_due(jobcenter, TODAY) == []
    assert retention.list_due_for_review(TODAY) == 0
    assert not DeletionReview.objects.filter(object_id__in=[held.pk, household.pk]).exists()


def test_a_legal_hold_after_listing_stops_the_erasure(jobcenter, household, anna, dpo):
    _close(household, date(2010, 1, 1))
    retention.list_due_for_review(TODAY)
    review = _review_for(household)
    _close(household, date(2010, 1, 1), legal_hold=True, legal_hold_reason="Prüfung Rechnungshof")

    with pytest.raises(ValidationError, match="Aufbewahrungspflicht"):
        retention.erase(actor=actor_for(dpo), review=review)

    assert Household.objects.filter(pk=household.pk).exists()
    assert Person.objects.filter(pk=anna.pk).exists()
    assert not ErasedCaseStatistic.objects.exists()
    # The next daily run withdraws the review: nothing left to decide.
    retention.list_due_for_review(TODAY)
    assert not DeletionReview.objects.filter(pk=review.pk).exists()


def test_listing_twice_creates_no_second_review(jobcenter, household, anna):
    _close(household, date(2010, 1, 1))

    assert retention.list_due_for_review(TODAY) == 1
    assert retention.list_due_for_review(TODAY) == 0
    assert DeletionReview.objects.count() == 1
    review = DeletionReview.objects.get()
    assert (review.record_type, review.object_id, review.due_on) == (
        RetentionRecordType.HOUSEHOLD,
        household.pk,
        date(2020, 1, 1),
    )


def test_the_daily_task_lists_due_files_once(jobcenter, household, capsys):
    _close(household, date(2010, 1, 1))

    assert list_records_due_for_deletion.enqueue().return_value == 1
    assert list_records_due_for_deletion.enqueue().return_value == 0
    call_command("run_periodic_tasks", "--now")

    assert "list_records_due_for_deletion: 0" in capsys.readouterr().out
    assert DeletionReview.objects.count() == 1


def test_a_held_file_is_not_listed_again(jobcenter, household, dpo):
    _close(household, date(2010, 1, 1))
    retention.list_due_for_review(TODAY)
    retention.hold(actor=actor_for(dpo), review=_review_for(household), note="Widerspruch läuft")

    assert retention.list_due_for_review(TODAY) == 0
    assert _review_for(household).status == ReviewStatus.HELD
    assert Household.objects.filter(pk=household.pk).exists()


@pytest.fixture
def full_case(jobcenter, household, anna, ben, case_worker, settings, tmp_path):
    """The Beispiel household with everything a case file holds, closed in 2012."""
    settings.MEDIA_ROOT = tmp_path
    NeedFactory(person=anna, code="housing.rent_arrears")
    NeedFactory(person=anna, code="health.mental", description="Depression")
    NeedFactory(person=ben, code="housing.rent_arrears")
    consent = ConsentFactory(
        data_subject=anna,
        recipients=[OrganisationFactory(network=jobcenter.network)],
        document=SimpleUploadedFile("einwilligung.pdf", b"%PDF-1.4 signed"),
    )
    document = DocumentFactory(
        person=anna,
        title="Attest",
        from_doctor=True,
        file=SimpleUploadedFile("attest.pdf", b"%PDF-1.4 attest"),
    )
    step = StepFactory(goal__plan__household=household)
    StepFactory(goal=step.goal)
    PlanVersion.objects.create(
        plan=step.plan,
        network=jobcenter.network,
        organisation=jobcenter,
        number=1,
        agreed_on=date(2011, 5, 1),
        agreed_by=case_worker,
        agreed_with="Anna Beispiel",
        content={"goals": []},
    )
    _close(household, date(2012, 8, 31))
    retention.list_due_for_review(TODAY)
    return {
        "review": _review_for(household),
        "files": [tmp_path / consent.document.name, tmp_path / document.file.name],
        "plan": step.plan,
    }


def test_erasing_removes_everything_personal_and_keeps_an_anonymous_statistic(
    client_for, dpo, jobcenter, household, anna, ben, full_case, django_capture_on_commit_callbacks
):
    assert all(path.exists() for path in full_case["files"])
    assert LogEntry.objects.filter(object_repr__contains="Beispiel").exists()
    url = reverse("cases:retention_erase", args=[full_case["review"].pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(dpo).post(url)

    assert response.status_code == 302
    for model in (Household, Person, Need, Consent, Document, CooperationPlan):
        assert not model.objects.filter(organisation=jobcenter).exists(), model
    assert not PlanGoal.objects.exists()
    assert not PlanStep.objects.exists()
    assert not PlanVersion.objects.exists()
    assert not any(path.exists() for path in full_case["files"])
    statistic = ErasedCaseStatistic.objects.get()
    assert statistic.organisation == jobcenter
    assert statistic.municipality == household.municipality
    assert statistic.record_type == RetentionRecordType.HOUSEHOLD
    assert (statistic.closed_year, statistic.persons, statistic.plan_steps) == (2012, 2, 2)
    assert statistic.need_counts == {"housing.rent_arrears": 2, "health.mental": 1}
    stored = str(model_to_dict(statistic))
    for personal in ("Anna", "Beispiel", "Depression", household.number, household.street):
        assert personal not in stored
    review = DeletionReview.objects.get(pk=full_case["review"].pk)
    assert (review.status, review.decided_by) == (ReviewStatus.ERASED, dpo)
    # The audit trail keeps a DELETE per person; the change history with old values is gone.
    deleted = AuditEntry.objects.filter(action=AuditAction.DELETE)
    assert {e.subject_ref for e in deleted} >= {audit.ref(anna), audit.ref(ben)}
    assert not LogEntry.objects.filter(object_repr__contains="Beispiel").exists()
    assert not LogEntry.objects.filter(changes_text__contains="Depression").exists()


def test_the_confirmation_page_shows_what_goes_and_changes_nothing(
    client_for, dpo, household, anna, full_case
):
    response = client_for(dpo).get(reverse("cases:retention_erase", args=[full_case["review"].pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "2 Personen mit allen Stammdaten" in content
    assert "3 Handlungsbedarfe" in content
    assert "1 Einwilligung" in content
    assert "1 Dokument" in content
    assert "1 vereinbarte Fassung des Kooperationsplans" in content
    assert "anonymisierte Statistik" in content
    assert Household.objects.filter(pk=household.pk).exists()
    assert Need.objects.filter(person=anna).count() == 2
    assert _review_for(household).status == ReviewStatus.PENDING
    assert not ErasedCaseStatistic.objects.exists()


def test_only_the_own_data_protection_officer_may_erase(
    client_for, case_worker, youth_office, outsider, household, full_case
):
    url = reverse("cases:retention_erase", args=[full_case["review"].pk])
    other_dpo = member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt")

    assert client_for(case_worker).get(url).status_code == 403
    assert client_for(case_worker).post(url).status_code == 403
    assert client_for(other_dpo).get(url).status_code == 404
    assert client_for(other_dpo).post(url).status_code == 404
    assert client_for(outsider).post(url).status_code == 404
    assert client_for(case_worker).get(reverse("cases:retention_review")).status_code == 403
    assert Household.objects.filter(pk=household.pk).exists()
    assert _review_for(household).status == ReviewStatus.PENDING


def test_the_service_refuses_anyone_but_the_controllers_officer(
    youth_office, case_worker, household, full_case
):
    other_dpo = member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt")
    for user in (case_worker, other_dpo):
        with pytest.raises(PermissionDenied):
            retention.erase(actor=actor_for(user), review=full_case["review"])
    assert Household.objects.filter(pk=household.pk).exists()


def test_an_erased_review_cannot_be_erased_again(dpo, household, full_case):
    retention.erase(actor=actor_for(dpo), review=full_case["review"])

    with pytest.raises(ValidationError, match="bereits entschieden"):
        retention.erase(actor=actor_for(dpo), review=full_case["review"])
    assert ErasedCaseStatistic.objects.count() == 1


def test_a_person_who_entrusted_facts_in_another_file_is_not_erased(youth_office):
    grandmother = _close(
        PersonFactory(organisation=youth_office, first_name="Gerda"), date(1960, 1, 1)
    )
    grandchild = PersonFactory(organisation=youth_office, birth_date=date(2012, 1, 1))
    NeedFactory(person=grandchild, entrusted=True, entrusted_by=grandmother)
    officer = member(Role.DATA_PROTECTION_OFFICER, youth_office, username="dsb-jugendamt")
    retention.list_due_for_review(TODAY)

    with pytest.raises(ValidationError, match="anvertraut"):
        retention.erase(actor=actor_for(officer), review=_review_for(grandmother))
    assert Person.objects.filter(pk=grandmother.pk).exists()
    assert Need.objects.filter(person=grandchild).exists()


def test_holding_needs_a_note_and_keeps_the_record(client_for, dpo, household, full_case):
    url = reverse("cases:retention_hold", args=[full_case["review"].pk])
    client = client_for(dpo)

    response = client.post(url, {"note": "  "})
    assert "Bitte geben Sie an, warum die Akte bleibt." in response.content.decode()
    assert _review_for(household).status == ReviewStatus.PENDING

    response = client.post(url, {"note": "Widerspruchsverfahren läuft"})
    assert response.status_code == 302
    review = _review_for(household)
    assert (review.status, review.note, review.decided_by) == (
        ReviewStatus.HELD,
        "Widerspruchsverfahren läuft",
        dpo,
    )
    assert Household.objects.filter(pk=household.pk).exists()


def test_the_review_page_lists_pending_files_and_the_periods_in_force(
    client_for, dpo, jobcenter, household, anna, full_case
):
    RetentionRule.objects.create(
        network=jobcenter.network,
        organisation=jobcenter,
        record_type=RetentionRecordType.PERSON,
        years=5,
        note="Dienstanweisung 3/2024",
    )

    response = client_for(dpo).get(reverse("cases:retention_review"))

    content = response.content.decode()
    assert "Anna Beispiel" in content
    assert household.number in content
    assert "31.08.2012" in content  # closed on
    assert "31.08.2022" in content  # due since
    assert "Voreinstellung für SGB II" in content  # households: the regime's default
    assert "Dienstanweisung 3/2024" in content  # persons: the network's rule
    # The officer read names: audited per person.
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, subject_ref=audit.ref(anna), user=dpo
    ).exists()


def test_the_review_page_shows_an_empty_state(client_for, dpo):
    response = client_for(dpo).get(reverse("cases:retention_review"))
    assert "Keine Akte wartet auf eine Entscheidung" in response.content.decode()


def test_the_home_page_tells_the_officer_how_many_files_wait(
    client_for, dpo, case_worker, household, full_case
):
    assert retention.retention_for_home(actor_for(dpo)) == {"count": 1}
    assert retention.retention_for_home(actor_for(case_worker)) is None
    retention.hold(actor=actor_for(dpo), review=full_case["review"], note="bleibt")
    assert retention.retention_for_home(actor_for(dpo)) is None


def test_network_admins_set_retention_rules_for_their_own_network_only(
    client_for, network_admin, jobcenter, outsider_org
):
    client = client_for(network_admin)
    form = client.get("/admin/cases/retentionrule/add/").content.decode()
    assert "Jobcenter A" in form
    assert "Jobcenter B" not in form

    refused = client.post(
        "/admin/cases/retentionrule/add/",
        {"organisation": outsider_org.pk, "record_type": "household", "years": 5},
    )
    assert refused.status_code == 200
    assert not RetentionRule.objects.exists()

    client.post(
        "/admin/cases/retentionrule/add/",
        {"organisation": jobcenter.pk, "record_type": "household", "years": 7, "note": "AO"},
    )
    rule = RetentionRule.objects.get()
    assert (rule.network, rule.years) == (jobcenter.network, 7)
    assert retention.retention_years(jobcenter, RetentionRecordType.HOUSEHOLD) == 7


def test_network_admins_record_a_statutory_basis_with_checkbox_choices(
    client_for, network_admin, jobcenter
):
    client = client_for(network_admin)
    form = client.get("/admin/cases/statutorybasis/add/").content.decode()
    assert 'type="checkbox" name="categories" value="needs.housing"' in form
    assert 'name="recipient_types" value="employment_agency"' in form

    response = client.post(
        "/admin/cases/statutorybasis/add/",
        {
            "label": "§ 69 Abs. 1 Nr. 1 SGB X",
            "sender_regime": LegalRegime.SGB_II,
            "recipient_types": [OrganisationType.EMPLOYMENT_AGENCY],
            "purposes": ["referral"],
            "categories": ["master_data", "needs.housing"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    basis = StatutoryBasis.objects.get()
    assert basis.network == jobcenter.network
    assert basis.categories == ["master_data", "needs.housing"]
    assert client.get(f"/admin/cases/statutorybasis/{basis.pk}/delete/").status_code == 403


def test_a_person_file_is_erased_alone(jobcenter, dpo):
    household = HouseholdFactory(organisation=jobcenter)
    member_of(household, role=MemberRole.APPLICANT)
    loner = _close(PersonFactory(organisation=jobcenter), date(2014, 1, 1))
    NeedFactory(person=loner)
    retention.list_due_for_review(TODAY)

    statistic = retention.erase(actor=actor_for(dpo), review=_review_for(loner))

    assert not Person.objects.filter(pk=loner.pk).exists()
    assert Person.objects.filter(household=household).count() == 1
    assert (statistic.record_type, statistic.persons) == (RetentionRecordType.PERSON, 1)
