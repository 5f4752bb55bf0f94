"""The case file pages: creating households and persons, duplicates, needs, the case file page."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import MemberRole, NeedStatus
from cases.factories import ConsentFactory, NeedFactory, PlanFactory, StepFactory, member_of
from cases.models import Household, Need, Person
from core import audit
from core.choices import AuditAction
from core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _household_post(municipality, **overrides):
    data = {
        "number": "06432BG0000099",
        "street": "Lindenweg 3",
        "postal_code": "64807",
        "municipality": municipality.pk,
        "applicant-first_name": "Maria",
        "applicant-last_name": "Müller",
        "applicant-birth_date": "1979-11-30",
        "applicant-languages": ["de", "tr"],
        "applicant-phone": "06071 555",
    }
    return data | overrides


def test_a_case_worker_creates_a_household_with_its_applicant(client_for, case_worker, jobcenter):
    client = client_for(case_worker)

    response = client.post(
        reverse("cases:household_create"), _household_post(jobcenter.municipality)
    )

    household = Household.objects.get(number="06432BG0000099")
    assert response.status_code == 302
    assert response.url == household.get_absolute_url()
    applicant = household.members.get()
    assert (applicant.first_name, applicant.role) == ("Maria", MemberRole.APPLICANT)
    assert household.organisation == jobcenter
    assert AuditEntry.objects.filter(
        action=AuditAction.CREATE, subject_ref=audit.ref(applicant)
    ).exists()


def test_a_second_person_with_the_same_name_and_birth_date_is_offered_as_existing_record(
    client_for, case_worker, jobcenter, household, anna
):
    client = client_for(case_worker)
    data = {"first_name": "anna", "last_name": "BEISPIEL", "birth_date": "1988-05-02"}

    response = client.post(
        reverse("cases:person_create"), data | {"municipality": household.municipality_id}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "Diese Person gibt es vielleicht schon" in content
    assert anna.get_absolute_url() in content
    assert Person.objects.count() == 1

    response = client.post(
        reverse("cases:person_create"),
        data | {"municipality": household.municipality_id, "allow_duplicate": "1"},
    )
    assert response.status_code == 302
    assert Person.objects.count() == 2


def test_the_same_person_in_another_organisation_is_no_duplicate(
    client_for, youth_worker, anna, household
):
    """Each organisation keeps its own file; there is no shared person index."""
    client = client_for(youth_worker)

    response = client.post(
        reverse("cases:person_create"),
        {
            "first_name": "Anna",
            "last_name": "Beispiel",
            "birth_date": "1988-05-02",
            "municipality": household.municipality_id,
        },
    )

    assert response.status_code == 302
    assert Person.objects.filter(name_key="anna beispiel").count() == 2


def test_a_birth_date_in_the_future_is_refused_in_german(client_for, case_worker, household):
    client = client_for(case_worker)
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = client.post(
        reverse("cases:member_add", args=[household.pk]),
        {"role": "child", "first_name": "Lea", "last_name": "Beispiel", "birth_date": tomorrow},
    )

    assert response.status_code == 200
    assert "Das Geburtsdatum darf nicht in der Zukunft liegen." in response.content.decode()
    assert not household.members.exists()


def test_recording_a_need_puts_it_on_the_case_file_page(client_for, case_worker, anna, network):
    from directory.factories import situation

    client = client_for(case_worker)
    rent = situation(network, "housing.rent_arrears")

    response = client.post(
        reverse("cases:need_create", args=[anna.pk]),
        {
            "problem_situation": rent.pk,
            "description": "Zwei Monatsmieten offen",
            "severity": "high",
            "status": NeedStatus.OPEN,
            "since": "2026-09-01",
        },
    )

    assert response.status_code == 302
    need = Need.objects.get()
    assert (need.person, need.category, need.is_special_category) == (
        anna,
        "needs.housing",
        False,
    )
    page = client.get(anna.household.get_absolute_url()).content.decode()
    assert "Zwei Monatsmieten offen" in page
    assert reverse("cases:need_match", args=[need.pk]) in page


def test_editing_a_need_someone_else_changed_meanwhile_is_refused(client_for, case_worker, anna):
    need = NeedFactory(person=anna, description="alt")
    client = client_for(case_worker)
    form = {
        "problem_situation": need.problem_situation_id,
        "severity": "medium",
        "status": "open",
        "since": need.since.isoformat(),
        "edit_version": need.version,
    }
    first = client.post(reverse("cases:need_edit", args=[need.pk]), form | {"description": "A"})
    second = client.post(reverse("cases:need_edit", args=[need.pk]), form | {"description": "B"})

    assert first.status_code == 302
    assert second.status_code == 200
    assert "inzwischen von jemand anderem geändert" in second.content.decode()
    need.refresh_from_db()
    assert need.description == "A"


def test_the_case_file_page_shows_members_plan_deadlines_and_timeline(
    client_for, case_worker, household, anna, ben, partner
):
    NeedFactory(person=anna, description="Mietschulden seit Juli")
    plan = PlanFactory(household=household)
    StepFactory(
        goal__plan=plan,
        description="Vermieter anrufen",
        due_on=timezone.localdate() - timedelta(days=2),
    )
    ConsentFactory(
        data_subject=anna,
        recipients=[partner],
        valid_until=timezone.localdate() + timedelta(days=10),
    )
    client = client_for(case_worker)

    page = client.get(household.get_absolute_url()).content.decode()

    assert "Anna Beispiel" in page
    assert "Ben Beispiel" in page
    assert "Mietschulden seit Juli" in page
    assert "Vermieter anrufen" in page
    assert "überfällig" in page
    assert "Einwilligung von Anna Beispiel läuft ab" in page
    assert "Stadtteilzentrum Nord" in page
    assert "Einwilligung erfasst (Stadtteilzentrum Nord)" in page


def test_viewing_the_case_file_audits_each_member_and_each_health_record(
    client_for, case_worker, household, anna, ben
):
    health = NeedFactory(person=anna, code="health.addiction", description="Alkohol")
    client = client_for(case_worker)

    client.get(household.get_absolute_url())

    views = AuditEntry.objects.filter(action=AuditAction.VIEW)
    assert set(views.values_list("subject_ref", flat=True)) == {audit.ref(anna), audit.ref(ben)}
    assert views.filter(object_ref=audit.ref(health), subject_ref=audit.ref(anna)).exists()


def test_a_team_lead_sees_the_household_but_not_health_needs(
    client_for, team_lead, household, anna
):
    NeedFactory(person=anna, code="health.mental", description="Depression")
    NeedFactory(person=anna, code="finances.debt", description="Inkasso")
    client = client_for(team_lead)

    page = client.get(household.get_absolute_url()).content.decode()

    assert "Inkasso" in page
    assert "Depression" not in page
    assert "Psychische Gesundheit" not in page


def test_another_organisation_cannot_open_the_case_file(
    client_for, youth_worker, outsider, household, anna
):
    for user in (youth_worker, outsider):
        client = client_for(user)
        assert client.get(household.get_absolute_url()).status_code in (403, 404)
        assert client.get(reverse("cases:person_edit", args=[anna.pk])).status_code in (403, 404)


def test_the_case_list_searches_only_the_own_file(
    client_for, case_worker, youth_worker, household, anna
):
    assert "Beispiel" in client_for(case_worker).get("/faelle/?q=beisp").content.decode()
    page = client_for(youth_worker).get("/faelle/?q=Beispiel").content.decode()
    assert "06432BG0000001" not in page
    assert "0 Bedarfsgemeinschaften gefunden" in page


def test_the_case_file_page_costs_the_same_queries_for_a_small_and_a_large_household(
    client_for, case_worker, household, anna, partner
):
    def queries() -> int:
        client = client_for(case_worker)
        client.get(household.get_absolute_url())  # warm the session
        with CaptureQueriesContext(connection) as captured:
            assert client.get(household.get_absolute_url()).status_code == 200
        return len(captured)

    NeedFactory(person=anna)
    ConsentFactory(data_subject=anna, recipients=[partner])
    small = queries()
    for index in range(4):
        child = member_of(
            household,
            first_name=f"Kind{index}",
            role=MemberRole.CHILD,
            birth_date=date(2012 + index, 1, 1),
        )
        NeedFactory(person=child, code="family.childcare")
        NeedFactory(person=child, code="health.physical")
        ConsentFactory(data_subject=child.household.members.first(), recipients=[partner])
    assert queries() == small


def test_the_case_list_finds_names_with_or_without_umlauts(client_for, case_worker, household):
    member_of(household, first_name="Jörg", last_name="Müller", birth_date=date(1970, 1, 1))
    client = client_for(case_worker)

    for query in ("Mueller", "müller", "JÖRG MÜLL"):
        page = client.get("/faelle/", {"q": query}).content.decode()
        assert "1 Bedarfsgemeinschaft gefunden" in page, query


def test_case_labels_continue_after_the_highest_even_when_files_were_erased(jobcenter):
    from cases.factories import HouseholdFactory

    first, second, third = (HouseholdFactory(organisation=jobcenter) for _ in range(3))
    second.delete()

    fourth = HouseholdFactory(organisation=jobcenter)

    year = timezone.localdate().year
    assert [first.case_label, third.case_label] == [f"{year}-0001", f"{year}-0003"]
    assert fourth.case_label == f"{year}-0004"
