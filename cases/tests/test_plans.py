"""The cooperation plan pages: versions, stale edits, matching, the client's copy, isolation."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.choices import NeedStatus, Responsible, StepStatus
from cases.factories import GoalFactory, NeedFactory, PersonFactory, PlanFactory, StepFactory
from cases.models import CooperationPlan, PlanGoal, PlanStep, PlanVersion
from core.choices import AuditAction
from core.concurrency import STALE_MESSAGE
from core.models import AuditEntry
from directory.factories import OfferFactory, PlaceFactory

pytestmark = pytest.mark.django_db

STALE = str(STALE_MESSAGE)


@pytest.fixture
def plan(household, anna, ben):
    return PlanFactory(household=household, starts_on=timezone.localdate() - timedelta(days=30))


@pytest.fixture
def step(plan):
    goal = GoalFactory(plan=plan, title="Die Wohnung bleibt erhalten")
    return StepFactory(
        goal=goal,
        description="Termin bei der Schuldnerberatung vereinbaren",
        due_on=timezone.localdate() + timedelta(days=14),
    )


@pytest.fixture
def worker(client_for, case_worker):
    return client_for(case_worker)


def _url(name, *args):
    return reverse(f"cases:{name}", args=args)


def _version(plan) -> int:
    return CooperationPlan.objects.values_list("version", flat=True).get(pk=plan.pk)


def _agree(client, plan, **data):
    data = {
        "agreed_on": timezone.localdate().isoformat(),
        "agreed_with": "Anna Beispiel",
        "edit_version": _version(plan),
        **data,
    }
    return client.post(_url("plan_agree", plan.pk), data)


def _edit_step(client, plan, step, *, version, **data):
    data = {
        "description": step.description,
        "responsible": step.responsible,
        "responsible_person": "",
        "partner": "",
        "due_on": step.due_on.isoformat() if step.due_on else "",
        "status": step.status,
        "edit_version": version,
        **data,
    }
    return client.post(_url("plan_step_edit", plan.pk, step.pk), data)


def test_opening_the_household_plan_creates_it_once_and_shows_it(worker, household, anna):
    response = worker.get(_url("household_plan", household.pk))
    plan = CooperationPlan.objects.get(household=household)
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", plan.pk)
    worker.get(_url("household_plan", household.pk))
    assert CooperationPlan.objects.filter(household=household).count() == 1
    page = worker.get(_url("plan_detail", plan.pk)).content.decode()
    assert "Anna Beispiel" in page
    assert "Entwurf – noch nicht vereinbart" in page


def test_a_person_without_household_gets_their_own_plan(worker, jobcenter):
    person = PersonFactory(organisation=jobcenter, first_name="Jonas", last_name="Ohnehaus")
    response = worker.get(_url("person_plan", person.pk))
    plan = CooperationPlan.objects.get(person=person)
    assert response["Location"] == _url("plan_detail", plan.pk)
    goal = GoalFactory(plan=plan)
    page = worker.get(_url("plan_step_add", plan.pk, goal.pk)).content.decode()
    assert "die Person selbst" in page
    assert "Jonas Ohnehaus" in page


def test_a_members_plan_link_leads_to_the_household_plan(worker, household, anna):
    response = worker.get(_url("person_plan", anna.pk))
    assert response["Location"] == _url("household_plan", household.pk)


def test_agreeing_twice_keeps_both_versions_and_the_first_reads_as_agreed(worker, plan, step):
    assert _agree(worker, plan).status_code == 302
    response = _edit_step(
        worker, plan, step, version=_version(plan), description="Mietschulden in Raten zahlen"
    )
    assert response.status_code == 302
    detail = worker.get(_url("plan_detail", plan.pk)).content.decode()
    assert "Seit der letzten Vereinbarung geändert" in detail
    assert _agree(worker, plan).status_code == 302

    versions = {v.number: v for v in PlanVersion.objects.filter(plan=plan)}
    assert set(versions) == {1, 2}
    first_steps = versions[1].content["goals"][0]["steps"]
    assert [s["description"] for s in first_steps] == [
        "Termin bei der Schuldnerberatung vereinbaren"
    ]
    assert versions[2].content["goals"][0]["steps"][0]["description"] == (
        "Mietschulden in Raten zahlen"
    )
    old_page = worker.get(_url("plan_version", plan.pk, 1)).content.decode()
    assert "Termin bei der Schuldnerberatung vereinbaren" in old_page
    assert "Mietschulden in Raten zahlen" not in old_page
    assert "frühere Fassung" in old_page
    detail = worker.get(_url("plan_detail", plan.pk)).content.decode()
    assert "Seit der letzten Vereinbarung geändert" not in detail


def test_a_plan_without_steps_cannot_be_agreed(worker, plan):
    response = _agree(worker, plan)
    assert response.status_code == 200
    assert "Ein Plan ohne Schritte kann nicht vereinbart werden" in response.content.decode()
    assert not PlanVersion.objects.filter(plan=plan).exists()


def test_the_second_of_two_edits_from_the_same_version_is_refused(worker, plan, step):
    seen = _version(plan)
    first = _edit_step(worker, plan, step, version=seen, description="Erste Änderung")
    assert first.status_code == 302
    second = _edit_step(worker, plan, step, version=seen, description="Zweite Änderung")
    assert second.status_code == 200
    assert STALE in second.content.decode()
    step.refresh_from_db()
    assert step.description == "Erste Änderung"
    assert _version(plan) == seen + 1


def test_a_stale_goal_or_start_date_changes_nothing(worker, plan, step):
    old = _version(plan) - 1
    response = worker.post(
        _url("plan_goal_add", plan.pk), {"title": "Arbeit finden", "edit_version": old}
    )
    assert STALE in response.content.decode()
    assert not PlanGoal.objects.filter(title="Arbeit finden").exists()
    response = worker.post(
        _url("plan_start", plan.pk),
        {"starts_on": timezone.localdate().isoformat(), "edit_version": old},
    )
    assert STALE in response.content.decode()
    plan.refresh_from_db()
    assert plan.starts_on == timezone.localdate() - timedelta(days=30)


def test_a_step_due_before_the_plan_starts_is_refused_in_german(worker, plan, step, anna):
    response = worker.post(
        _url("plan_step_add", plan.pk, step.goal_id),
        {
            "description": "Bewerbungsmappe erstellen",
            "responsible": Responsible.CLIENT,
            "responsible_person": anna.pk,
            "due_on": (plan.starts_on - timedelta(days=1)).isoformat(),
            "edit_version": _version(plan),
        },
    )
    assert response.status_code == 200
    assert "kann nicht vor Beginn des Plans" in response.content.decode()
    assert not PlanStep.objects.filter(description="Bewerbungsmappe erstellen").exists()


def test_a_step_for_a_person_names_them_and_partner_steps_name_the_partner(
    worker, plan, step, anna, partner
):
    base = {"due_on": "", "edit_version": _version(plan)}
    response = worker.post(
        _url("plan_step_add", plan.pk, step.goal_id),
        base | {"description": "Kontoauszüge mitbringen", "responsible": Responsible.CLIENT},
    )
    assert "Bitte wählen Sie die verantwortliche Person." in response.content.decode()
    response = worker.post(
        _url("plan_step_add", plan.pk, step.goal_id),
        base
        | {
            "description": "Kontoauszüge mitbringen",
            "responsible": Responsible.CLIENT,
            "responsible_person": anna.pk,
        },
    )
    assert response.status_code == 302
    response = worker.post(
        _url("plan_step_add", plan.pk, step.goal_id),
        {
            "description": "Beratungstermin anbieten",
            "responsible": Responsible.PARTNER,
            "partner": partner.pk,
            "edit_version": _version(plan),
        },
    )
    assert response.status_code == 302
    page = worker.get(_url("plan_detail", plan.pk)).content.decode()
    assert "Kontoauszüge mitbringen" in page
    assert "Stadtteilzentrum Nord" in page


def test_the_partner_list_offers_no_organisation_outside_the_network(
    worker, plan, step, outsider_org
):
    response = worker.post(
        _url("plan_step_add", plan.pk, step.goal_id),
        {
            "description": "Beratung",
            "responsible": Responsible.PARTNER,
            "partner": outsider_org.pk,
            "edit_version": _version(plan),
        },
    )
    assert response.status_code == 200
    assert not PlanStep.objects.filter(description="Beratung").exists()
    assert "Jobcenter B" not in response.content.decode()


def test_overdue_steps_are_marked_in_words(worker, plan, step):
    step.due_on = timezone.localdate() - timedelta(days=2)
    step.save()
    page = worker.get(_url("plan_detail", plan.pk)).content.decode()
    assert "überfällig" in page
    step.status = StepStatus.DONE
    step.save()
    assert "überfällig" not in worker.get(_url("plan_detail", plan.pk)).content.decode()


def test_deleting_a_step_asks_first_and_keeps_it_in_agreed_versions(worker, plan, step):
    _agree(worker, plan)
    confirm = worker.get(_url("plan_step_delete", plan.pk, step.pk))
    assert "Ja, Schritt löschen" in confirm.content.decode()
    assert PlanStep.objects.filter(pk=step.pk).exists()
    response = worker.post(
        _url("plan_step_delete", plan.pk, step.pk), {"edit_version": _version(plan)}
    )
    assert response.status_code == 302
    assert not PlanStep.objects.filter(pk=step.pk).exists()
    assert (
        "Termin bei der Schuldnerberatung"
        in worker.get(_url("plan_version", plan.pk, 1)).content.decode()
    )


def test_the_plan_page_costs_the_same_queries_for_one_or_many_steps(worker, plan, step, anna):
    url = _url("plan_detail", plan.pk)
    worker.get(url)  # warm the session and the actor
    with CaptureQueriesContext(connection) as few:
        worker.get(url)
    for n in range(6):
        goal = GoalFactory(plan=plan, title=f"Ziel {n}")
        StepFactory(goal=goal, responsible=Responsible.CLIENT, responsible_person=anna)
        StepFactory(goal=goal, responsible=Responsible.OWN_ORGANISATION)
    NeedFactory(person=anna)
    with CaptureQueriesContext(connection) as many:
        worker.get(url)
    assert len(many) == len(few)


# --- matching ---------------------------------------------------------------------------------


@pytest.fixture
def debt_offer(network, partner, household):
    offer = OfferFactory(
        organisation=partner,
        title="Schuldnerberatung im Stadtteil",
        situations=["housing.rent_arrears"],
    )
    municipality = household.municipality
    PlaceFactory(
        offer=offer,
        municipality=municipality,
        latitude=municipality.latitude,
        longitude=municipality.longitude,
    )
    return offer


def test_matching_from_a_need_lists_the_offer_and_adds_it_as_a_step(
    worker, household, anna, debt_offer
):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    page = worker.get(_url("need_match", need.pk)).content.decode()
    assert "Schuldnerberatung im Stadtteil" in page
    assert "Stadtteilzentrum Nord" in page
    assert "deckt" in page  # the explanation
    assert "In den Plan übernehmen" in page

    due = (timezone.localdate() + timedelta(days=21)).isoformat()
    response = worker.post(
        _url("need_add_offer", need.pk, debt_offer.pk),
        {f"offer-{debt_offer.pk}-goal_title": "", f"offer-{debt_offer.pk}-due_on": due},
    )
    step = PlanStep.objects.get(offer=debt_offer)
    assert response.status_code == 302
    assert response["Location"] == _url("plan_detail", step.plan_id) + f"#step-{step.pk}"
    assert step.responsible == Responsible.OFFER
    assert step.need == need
    assert step.partner == debt_offer.organisation
    assert step.plan.household == household
    assert step.goal.title == need.problem_situation.label
    page = worker.get(response["Location"]).content.decode()
    assert "Schuldnerberatung im Stadtteil (Stadtteilzentrum Nord)" in page


def test_adding_an_offer_with_a_due_date_before_the_plan_is_refused(worker, plan, anna, debt_offer):
    need = NeedFactory(person=anna)
    prefix = f"offer-{debt_offer.pk}"
    response = worker.post(
        _url("need_add_offer", need.pk, debt_offer.pk),
        {
            f"{prefix}-goal_title": "Schulden ordnen",
            f"{prefix}-due_on": (plan.starts_on - timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "kann nicht vor Beginn des Plans" in response.content.decode()
    assert not PlanStep.objects.filter(offer=debt_offer).exists()
    assert not PlanGoal.objects.filter(title="Schulden ordnen").exists()


def test_a_closed_need_offers_nothing_to_add(worker, anna, debt_offer):
    need = NeedFactory(person=anna, status=NeedStatus.RESOLVED)
    page = worker.get(_url("need_match", need.pk)).content.decode()
    assert "Schuldnerberatung im Stadtteil" in page
    assert "ist abgeschlossen" in page
    assert "In den Plan übernehmen" not in page
    worker.post(_url("need_add_offer", need.pk, debt_offer.pk), {})
    assert not PlanStep.objects.exists()


def test_no_match_explains_and_links_to_the_search(worker, anna):
    need = NeedFactory(person=anna, code="housing.rent_arrears")
    page = worker.get(_url("need_match", need.pk)).content.decode()
    assert "kein veröffentlichtes Angebot gefunden" in page
    assert reverse("directory:search") + "?problem=housing.rent_arrears" in page


def test_an_offer_of_another_network_cannot_be_added(worker, anna, outsider_org):
    need = NeedFactory(person=anna)
    foreign = OfferFactory(organisation=outsider_org, situations=["housing.rent_arrears"])
    response = worker.post(_url("need_add_offer", need.pk, foreign.pk), {})
    assert response.status_code == 404
    assert not PlanStep.objects.exists()


# --- the client's copy ------------------------------------------------------------------------


def test_the_print_page_speaks_plainly_and_marks_a_draft(worker, plan, step):
    page = worker.get(_url("plan_print", plan.pk)).content.decode()
    assert "Ihr Kooperationsplan" in page
    assert "Was wir gemeinsam erreichen wollen" in page
    assert "Was als Nächstes passiert – wer macht was bis wann" in page
    assert "Die Wohnung bleibt erhalten" in page
    assert "Termin bei der Schuldnerberatung vereinbaren" in page
    assert "Entwurf – noch nicht vereinbart" in page
    assert "06432BG" not in page  # no internal codes on the client's sheet


def test_the_print_page_shows_the_agreed_version_not_later_changes(worker, plan, step):
    _agree(worker, plan)
    _edit_step(worker, plan, step, version=_version(plan), description="Später geändert")
    page = worker.get(_url("plan_print", plan.pk)).content.decode()
    assert "Termin bei der Schuldnerberatung vereinbaren" in page
    assert "Später geändert" not in page
    assert "Fassung 1" in page
    assert "Entwurf – noch nicht vereinbart" not in page
    assert worker.get(_url("plan_print", plan.pk) + "?fassung=7").status_code == 404


def test_the_pdf_is_a_pdf(worker, plan, step):
    response = worker.get(_url("plan_pdf", plan.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


# --- who may see what -------------------------------------------------------------------------


def test_the_youth_office_gets_404_for_the_jobcenters_plan(
    client_for, youth_worker, plan, step, household, anna
):
    client = client_for(youth_worker)
    need = NeedFactory(person=anna)
    PlanVersion.objects.create(
        plan=plan,
        network=plan.network,
        organisation=plan.organisation,
        number=1,
        agreed_on=timezone.localdate(),
        agreed_by=youth_worker,
        agreed_with="x",
        content={"goals": []},
    )
    urls = [
        _url("household_plan", household.pk),
        _url("person_plan", anna.pk),
        _url("plan_detail", plan.pk),
        _url("plan_version", plan.pk, 1),
        _url("plan_print", plan.pk),
        _url("plan_pdf", plan.pk),
        _url("plan_step_edit", plan.pk, step.pk),
        _url("plan_step_delete", plan.pk, step.pk),
        _url("plan_step_add", plan.pk, step.goal_id),
        _url("need_match", need.pk),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(_url("plan_goal_add", plan.pk), {"title": "x", "edit_version": 1})
    assert response.status_code == 404
    assert not PlanGoal.objects.filter(title="x").exists()


def test_a_team_lead_does_not_reach_a_health_need_through_matching(
    client_for, team_lead, case_worker, anna
):
    need = NeedFactory(person=anna, code="health.mental", description="Depression")
    assert client_for(team_lead).get(_url("need_match", need.pk)).status_code == 404
    assert client_for(case_worker).get(_url("need_match", need.pk)).status_code == 200


def test_health_needs_are_absent_from_the_plan_page_of_a_team_lead(
    client_for, team_lead, case_worker, plan, anna
):
    NeedFactory(person=anna, code="health.mental")
    assert (
        "Psychische Gesundheit"
        in client_for(case_worker).get(_url("plan_detail", plan.pk)).content.decode()
    )
    page = client_for(team_lead).get(_url("plan_detail", plan.pk)).content.decode()
    assert "Psychische Gesundheit" not in page


def test_roles_without_case_access_are_refused(client_for, dpo, plan):
    assert client_for(dpo).get(_url("plan_detail", plan.pk)).status_code == 403


def test_reading_the_plan_is_audited_for_each_person(worker, plan, anna, ben):
    worker.get(_url("plan_detail", plan.pk))
    entries = AuditEntry.objects.filter(
        action=AuditAction.VIEW, object_ref=f"cases.cooperationplan:{plan.pk}"
    )
    assert set(entries.values_list("subject_ref", flat=True)) == {
        f"cases.person:{anna.pk}",
        f"cases.person:{ben.pk}",
    }


def test_printing_and_matching_are_audited(worker, plan, step, anna):
    need = NeedFactory(person=anna)
    worker.get(_url("plan_print", plan.pk))
    worker.get(_url("plan_pdf", plan.pk))
    worker.get(_url("need_match", need.pk))
    subject = f"cases.person:{anna.pk}"
    assert AuditEntry.objects.filter(action=AuditAction.EXPORT, subject_ref=subject).exists()
    assert AuditEntry.objects.filter(
        action=AuditAction.VIEW, subject_ref=subject, object_ref=f"cases.need:{need.pk}"
    ).exists()
