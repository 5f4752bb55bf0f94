"""The conference API: the pages' rules for API clients. Only the inviting and the invited
organisations, the agenda exactly as ``disclosure`` shows it (audited), writes through the
services with German refusals."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.choices import Purpose
from cases.factories import NeedFactory, PersonFactory
from cases.services import acknowledge_secrecy, revoke_consent
from conferences import services
from conferences.choices import ActionStatus, Presentation, Status
from conferences.models import Action, AgendaItem, Conference, Series
from conferences.tests.conftest import begin, next_week_at, plan
from core.choices import AuditAction, Role
from core.concurrency import STALE_MESSAGE
from core.factories import OrganisationFactory, member
from core.models import AuditEntry
from core.permissions import actor_for
from core.services import create_api_token
from referrals.factories import consent_for

pytestmark = pytest.mark.django_db

JSON = "application/json"
NOT_FOUND = {"detail": "Nicht gefunden."}


def bearer(user):
    _token, key = create_api_token(actor=actor_for(user), name="Fachverfahren")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def locations(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def post(client, path, body, auth):
    return client.post(path, body, content_type=JSON, **auth)


def present(user, conference, person, *needs, question="Wie sichern wir die Wohnung?", **kw):
    return services.add_item(
        actor_for(user), conference, person=person, needs=list(needs), question=question, **kw
    )


@pytest.fixture
def rent_need(anna):
    return NeedFactory(person=anna, code="housing.rent_arrears")


@pytest.fixture
def item(case_worker, conference, anna, ben, rent_need):
    """Anna of the Beispiel household (with her son Ben) on the agenda, pseudonymised."""
    return present(case_worker, conference, anna, rent_need)


@pytest.fixture
def debt_worker(network):
    """A case worker of the network whose organisation is not invited."""
    debt_advice = OrganisationFactory(network=network, name="Schuldnerberatung")
    return member(Role.CASE_WORKER, debt_advice, username="schuldnerberatung")


@pytest.fixture
def other_network_worker(outsider_org):
    return member(Role.CASE_WORKER, outsider_org, username="fallmanager-b")


def _plan_body(*organisations, **extra):
    start = next_week_at(10)
    return {
        "title": "Fallberatung Jobcenter – Jugendamt",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(minutes=90)).isoformat(),
        "location": "Kreishaus, Raum 2.14",
        "organisation_ids": [o.pk for o in organisations],
        **extra,
    }


# --- who sees what -----------------------------------------------------------------------------


def test_the_invited_organisations_list_the_conference_with_its_metadata(
    client, conference, item, youth_worker, partner_user, youth_office, partner
):
    for user in (youth_worker, partner_user):
        response = client.get("/api/conferences", **bearer(user))
        assert ids(response) == [conference.pk]
    row = response.json()["items"][0]
    assert row["title"] == "Fallberatung Jobcenter – Jugendamt"
    assert row["organiser"]["name"] == "Jobcenter A"
    assert {o["id"] for o in row["invited_organisations"]} == {youth_office.pk, partner.pk}
    assert row["status"] == Status.PLANNED
    assert row["item_count"] == 1
    assert row["open_actions"] == 0
    assert row["location"] == "Kreishaus, Raum 2.14"
    assert "items" not in row
    assert item.case_label not in response.content.decode()


def test_others_do_not_see_the_conference_and_get_404(
    client, conference, item, debt_worker, other_network_worker
):
    for user in (debt_worker, other_network_worker):
        auth = bearer(user)
        assert ids(client.get("/api/conferences?when=all", **auth)) == []
        response = client.get(f"/api/conferences/{conference.pk}", **auth)
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
        assert client.get(f"/api/conferences/{conference.pk}/items", **auth).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.VIEW).exists()


def test_roles_without_conferences_get_403(client, conference, dpo, network_admin):
    for user in (dpo, network_admin):
        auth = bearer(user)
        assert client.get("/api/conferences", **auth).status_code == 403
        assert client.get(f"/api/conferences/{conference.pk}", **auth).status_code == 403
        assert client.get("/api/conference-actions", **auth).status_code == 403


def test_the_list_filters_by_time_and_status(client, case_worker, conference, youth_office):
    later = plan(case_worker, youth_office, starts_at=next_week_at() + timedelta(days=7))[0]
    past = plan(case_worker, youth_office)[0]
    start = timezone.now() - timedelta(days=3)
    Conference.objects.filter(pk=past.pk).update(
        starts_at=start, ends_at=start + timedelta(hours=1)
    )
    services.cancel_conference(actor_for(case_worker), later, reason="Krankheit")
    auth = bearer(case_worker)
    assert ids(client.get("/api/conferences", **auth)) == [conference.pk, later.pk]
    assert ids(client.get("/api/conferences?when=past", **auth)) == [past.pk]
    assert ids(client.get("/api/conferences?when=all", **auth)) == [
        later.pk,
        conference.pk,
        past.pk,
    ]
    cancelled = client.get("/api/conferences?when=all&status=cancelled", **auth)
    assert ids(cancelled) == [later.pk]
    assert cancelled.json()["items"][0]["cancel_reason"] == "Krankheit"
    assert client.get("/api/conferences?when=morgen", **auth).status_code == 422
    assert client.get("/api/conferences?status=vertagt", **auth).status_code == 422


def test_the_list_needs_the_same_number_of_queries_for_2_and_10_conferences(
    client, case_worker, youth_office, partner
):
    for _ in range(2):
        plan(case_worker, youth_office, partner)
    auth = bearer(case_worker)
    with CaptureQueriesContext(connection) as few:
        assert client.get("/api/conferences", **auth).json()["count"] == 2
    for _ in range(8):
        plan(case_worker, youth_office, partner)
    with CaptureQueriesContext(connection) as many:
        assert client.get("/api/conferences", **auth).json()["count"] == 10
    assert len(many) == len(few)


# --- the agenda --------------------------------------------------------------------------------


def test_the_jugendamt_reads_the_case_pseudonymised(
    client, conference, item, youth_worker, household, anna, ben
):
    response = client.get(f"/api/conferences/{conference.pk}", **bearer(youth_worker))
    assert response.status_code == 200, response.content
    text = response.content.decode()
    for secret in ("Beispiel", "Anna", "1988", "06432BG0000001", household.street, "64807"):
        assert secret not in text, secret
    [shown] = response.json()["items"]
    assert shown["case_label"] == item.case_label
    assert shown["presenter"]["name"] == "Jobcenter A"
    assert shown["question"] == "Wie sichern wir die Wohnung?"
    assert shown["own"] is False
    assert shown["person_id"] is None
    assert shown["identity"] is None
    assert shown["identity_withheld"] == ""
    assert shown["shared"]["municipality"] == "Dieburg"
    assert shown["shared"]["presented"]["age_band"] == item.shared["presented"]["age_band"]
    assert len(shown["shared"]["household"]) == 2
    assert [need["label"] for need in shown["needs"]] == [n["label"] for n in item.shared["needs"]]
    assert "identity" in shown  # the key is there, empty


def test_the_presenter_sees_its_own_case_with_the_case_file_link(
    client, conference, item, case_worker, anna
):
    response = client.get(f"/api/conferences/{conference.pk}", **bearer(case_worker))
    [shown] = response.json()["items"]
    assert shown["own"] is True
    assert shown["person_id"] == anna.pk
    assert response.json()["can_present"] is True


def test_health_needs_only_for_roles_with_special_category_rights(
    client, case_worker, conference, anna, rent_need, youth_worker, youth_lead
):
    health = NeedFactory(person=anna, code="health.mental", description="Depression")
    present(case_worker, conference, anna, rent_need, health)

    def needs(user):
        response = client.get(f"/api/conferences/{conference.pk}", **bearer(user))
        return [need["special"] for need in response.json()["items"][0]["needs"]]

    assert sorted(needs(youth_worker)) == [False, True]
    assert needs(youth_lead) == [False]


@pytest.fixture
def covered(anna, youth_office, partner, partner_user):
    """Anna's consent covers every participant for the case conference; the neighbourhood
    centre (no statutory duty) has acknowledged the secrecy notice."""
    acknowledge_secrecy(actor=actor_for(partner_user))
    return consent_for(
        anna,
        youth_office,
        partner,
        categories=("master_data",),
        purposes=(Purpose.CASE_CONFERENCE,),
    )


def test_an_identified_case_shows_the_name_only_while_the_consent_holds(
    client, conference, case_worker, youth_worker, anna, rent_need, covered,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    body = {
        "person_id": anna.pk,
        "need_ids": [rent_need.pk],
        "question": "Wie sichern wir die Wohnung?",
        "presentation": Presentation.IDENTIFIED,
    }
    created = post(client, f"/api/conferences/{conference.pk}/items", body, bearer(case_worker))
    assert created.status_code == 201, created.content
    assert created.json()["identity"]["name"] == "Anna Beispiel"
    path = f"/api/conferences/{conference.pk}"
    auth = bearer(youth_worker)
    [shown] = client.get(path, **auth).json()["items"]
    assert shown["identity"]["name"] == "Anna Beispiel"
    assert shown["identity"]["birth_date"] == "02.05.1988"
    assert shown["person_id"] is None

    with django_capture_on_commit_callbacks(execute=True):
        revoke_consent(actor=actor_for(case_worker), consent=covered)

    response = client.get(path, **auth)
    [shown] = response.json()["items"]
    assert shown["identity"] is None
    assert shown["identity_withheld"]
    assert shown["identity_revoked_at"] is not None
    for secret in ("Beispiel", "Anna", "1988", "06432BG0000001"):
        assert secret not in response.content.decode(), secret
    # The presenting organisation keeps reading its own case file.
    [own] = client.get(path, **bearer(case_worker)).json()["items"]
    assert own["identity"]["name"] == "Anna Beispiel"


def test_the_organisers_coordination_gets_no_case_file_data(
    client, conference, case_worker, coordinator, anna, covered
):
    """The network coordination acts for the inviting Jobcenter but has no case file: it reads
    the Jobcenter's own case like every other participant, without name or case-file link."""
    present(case_worker, conference, anna, presentation=Presentation.IDENTIFIED)
    response = client.get(f"/api/conferences/{conference.pk}", **bearer(coordinator))
    [shown] = response.json()["items"]
    assert shown["own"] is False
    assert shown["person_id"] is None
    assert shown["identity"] is None
    assert "Beispiel" not in response.content.decode()


def test_an_identified_case_needs_a_consent_covering_every_participant(
    client, conference, case_worker, anna, youth_office
):
    consent_for(anna, youth_office, purposes=(Purpose.CASE_CONFERENCE,))
    body = {"person_id": anna.pk, "question": "Wohnung?", "presentation": "identified"}
    response = post(client, f"/api/conferences/{conference.pk}/items", body, bearer(case_worker))
    errors = locations(response)
    assert "Einwilligung" in errors[("body", "payload", "presentation")]
    assert not AgendaItem.objects.exists()


def test_every_read_of_the_agenda_is_audited_per_case(
    client, conference, item, case_worker, youth_worker, ben, youth_office
):
    second = present(case_worker, conference, ben, question="Schulbegleitung?")
    auth = bearer(youth_worker)
    before = AuditEntry.objects.filter(action=AuditAction.VIEW).count()
    for path in (f"/api/conferences/{conference.pk}", f"/api/conferences/{conference.pk}/items"):
        assert client.get(path, **auth).status_code == 200
    views = AuditEntry.objects.filter(action=AuditAction.VIEW).order_by("sequence")
    assert views.count() == before + 4
    entries = list(views)[before:]
    assert [e.object_ref for e in entries] == [
        f"conferences.agendaitem:{item.pk}",
        f"conferences.agendaitem:{second.pk}",
    ] * 2
    assert {e.subject_ref for e in entries} == {
        f"cases.person:{item.person_id}",
        f"cases.person:{ben.pk}",
    }
    assert {e.organisation_id for e in entries} == {youth_office.pk}
    assert {e.user_id for e in entries} == {youth_worker.pk}


def test_the_agenda_needs_the_same_number_of_queries_for_1_and_4_cases(
    client, conference, case_worker, youth_worker, youth_office, anna, rent_need
):
    present(case_worker, conference, anna, rent_need)
    begin(conference)
    path = f"/api/conferences/{conference.pk}"
    auth = bearer(youth_worker)
    with CaptureQueriesContext(connection) as few:
        assert len(client.get(path, **auth).json()["items"]) == 1
    for number in range(3):
        other = PersonFactory(organisation=anna.organisation)
        added = present(case_worker, conference, other, question=f"Frage {number}")
        services.add_action(
            actor_for(case_worker), conference, item=added, title="Termin", owner=youth_office,
            due_in_days=3,
        )  # fmt: skip
    with CaptureQueriesContext(connection) as many:
        assert len(client.get(path, **auth).json()["items"]) == 4
    assert len(many) == len(few)


# --- planning ----------------------------------------------------------------------------------


def test_planning_a_series_answers_every_meeting(
    client, case_worker, youth_office, partner, youth_worker, mailoutbox
):
    body = _plan_body(youth_office, partner, person_ids=[youth_worker.pk])
    body.update(frequency="monthly", count=3)
    response = post(client, "/api/conferences", body, bearer(case_worker))
    assert response.status_code == 201, response.content
    planned = response.json()
    assert len(planned) == 3
    assert len({row["series_id"] for row in planned}) == 1
    assert planned[0]["series_id"] == Series.objects.get().pk
    assert [row["id"] for row in planned] == list(
        Conference.objects.order_by("starts_at").values_list("pk", flat=True)
    )
    assert {o["id"] for o in planned[0]["invited_organisations"]} == {youth_office.pk, partner.pk}
    assert list(Conference.objects.first().invited_people.all()) == [youth_worker]


def test_a_time_without_offset_is_local_time(client, case_worker, youth_office):
    body = _plan_body(youth_office)
    start = timezone.localtime(next_week_at(10))
    body["starts_at"] = start.replace(tzinfo=None).isoformat()
    body["ends_at"] = (start + timedelta(hours=1)).replace(tzinfo=None).isoformat()
    response = post(client, "/api/conferences", body, bearer(case_worker))
    assert response.status_code == 201, response.content
    assert Conference.objects.get().starts_at == start


@pytest.mark.parametrize(
    ("change", "loc", "message"),
    [
        (
            {"starts_at": (timezone.now() - timedelta(days=1)).isoformat()},
            "starts_at",
            "Eine Fallberatung kann nicht in der Vergangenheit geplant werden.",
        ),
        ({"organisation_ids": []}, "organisation_ids", "Bitte laden Sie mindestens eine"),
        ({"location": ""}, "location", "Bitte geben Sie einen Ort oder einen Videolink an."),
        ({"title": "Fall 06432BG0000001"}, "title", "Der Titel erscheint in Kalendern"),
        ({"frequency": "monthly", "count": 30}, "count", "Eine Terminreihe hat 2 bis 24"),
    ],
)
def test_bad_plans_answer_422_in_german_and_plan_nothing(
    client, case_worker, youth_office, change, loc, message, mailoutbox
):
    body = {**_plan_body(youth_office), **change}
    errors = locations(post(client, "/api/conferences", body, bearer(case_worker)))
    assert errors[("body", "payload", loc)].startswith(message)
    assert not Conference.objects.exists()
    assert mailoutbox == []


def test_participants_outside_the_network_are_refused(
    client, case_worker, youth_office, outsider_org, other_network_worker, debt_worker
):
    body = _plan_body(youth_office, outsider_org, person_ids=[other_network_worker.pk])
    errors = locations(post(client, "/api/conferences", body, bearer(case_worker)))
    assert errors == {
        ("body", "payload", "organisation_ids", 1): "Diese Organisation gibt es im Netzwerk nicht.",
        ("body", "payload", "person_ids", 0): "Diese Person gibt es im Netzwerk nicht.",
    }
    # Someone of the network whose organisation does not take part is named by the service.
    body = _plan_body(youth_office, person_ids=[debt_worker.pk])
    errors = locations(post(client, "/api/conferences", body, bearer(case_worker)))
    assert (
        "gehört zu keiner teilnehmenden Organisation" in errors[("body", "payload", "person_ids")]
    )
    assert not Conference.objects.exists()


def test_planning_needs_the_planning_right(client, partner_user, youth_office):
    response = post(client, "/api/conferences", _plan_body(youth_office), bearer(partner_user))
    assert response.status_code == 403
    assert not Conference.objects.exists()


# --- holding and cancelling --------------------------------------------------------------------


def test_holding_before_the_day_is_refused_with_409(client, conference, case_worker):
    auth = bearer(case_worker)
    path = f"/api/conferences/{conference.pk}/actions/hold"
    assert client.get(path, **auth).json() == {
        "action": "hold",
        "label": "als durchgeführt vermerken",
        "possible": False,
    }
    response = post(client, path, None, auth)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Die Fallberatung ist erst am ")
    conference.refresh_from_db()
    assert conference.status == Status.PLANNED

    begin(conference)
    assert client.get(path, **auth).json()["possible"] is True
    response = post(client, path, None, auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.HELD
    assert response.json()["actions"] == []


def test_only_the_inviting_organisation_holds_or_cancels(
    client, conference, youth_worker, partner_user
):
    response = post(
        client, f"/api/conferences/{conference.pk}/actions/cancel", None, bearer(youth_worker)
    )
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Nur die einladende Organisation (Jobcenter A) kann das ändern."
    )
    path = f"/api/conferences/{conference.pk}/actions/cancel"
    assert post(client, path, None, bearer(partner_user)).status_code == 403
    conference.refresh_from_db()
    assert conference.status == Status.PLANNED


def test_cancelling_records_the_reason_and_closes_the_agenda(
    client, conference, case_worker, anna, mailoutbox
):
    auth = bearer(case_worker)
    path = f"/api/conferences/{conference.pk}/actions/cancel"
    response = post(client, path, {"reason": "Raum nicht verfügbar"}, auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.CANCELLED
    assert response.json()["cancel_reason"] == "Raum nicht verfügbar"
    assert post(client, path, None, auth).status_code == 409
    body = {"person_id": anna.pk, "question": "Wohnung?"}
    response = post(client, f"/api/conferences/{conference.pk}/items", body, auth)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Die Fallberatung ist abgesagt; das ist nicht mehr möglich."
    )


def test_an_unknown_step_is_404(client, conference, case_worker):
    auth = bearer(case_worker)
    assert (
        post(client, f"/api/conferences/{conference.pk}/actions/vertagen", None, auth).status_code
        == 404
    )
    assert (
        client.get(f"/api/conferences/{conference.pk}/actions/vertagen", **auth).status_code == 404
    )


# --- cases on the agenda -----------------------------------------------------------------------


def test_a_question_naming_the_person_needs_confirmation(
    client, conference, case_worker, anna, rent_need
):
    auth = bearer(case_worker)
    path = f"/api/conferences/{conference.pk}/items"
    body = {
        "person_id": anna.pk,
        "need_ids": [rent_need.pk],
        "question": "Frau Beispiel (02.05.1988) droht die Räumung.",
    }
    response = post(client, path, body, auth)
    assert response.status_code == 422
    errors = response.json()["detail"]
    assert {tuple(e["loc"]) for e in errors} == {("body", "payload", "question")}
    messages = " ".join(e["msg"] for e in errors)
    assert "Name: „Beispiel“" in messages
    assert "Geburtsdatum: „02.05.1988“" in messages
    assert all("confirm_identifiers: true" in e["msg"] for e in errors)
    assert not AgendaItem.objects.exists()

    confirmed = post(client, path, {**body, "confirm_identifiers": True}, auth)
    assert confirmed.status_code == 201, confirmed.content
    item = AgendaItem.objects.get()
    assert item.warnings_confirmed is True
    assert confirmed.json()["id"] == item.pk
    assert confirmed.json()["own"] is True


def test_only_persons_and_needs_of_the_own_case_file_can_be_presented(
    client, conference, youth_worker, anna, rent_need, youth_office
):
    path = f"/api/conferences/{conference.pk}/items"
    auth = bearer(youth_worker)
    body = {"person_id": anna.pk, "need_ids": [rent_need.pk], "question": "Wohnung?"}
    assert locations(post(client, path, body, auth)) == {
        ("body", "payload", "person_id"): "Diese Person gibt es in Ihrer Akte nicht.",
        ("body", "payload", "need_ids", 0): "Diesen Handlungsbedarf gibt es in Ihrer Akte nicht.",
    }
    own = PersonFactory(organisation=youth_office)
    body = {"person_id": own.pk, "need_ids": [rent_need.pk], "question": "Wohnung?"}
    assert ("body", "payload", "need_ids", 0) in locations(post(client, path, body, auth))
    body = {"person_id": own.pk, "question": "Wie geht es weiter?"}
    assert post(client, path, body, auth).status_code == 201
    assert AgendaItem.objects.get().presenter == youth_office


def test_presenting_needs_the_right_and_a_visible_conference(
    client, conference, partner_user, debt_worker, anna
):
    body = {"person_id": anna.pk, "question": "Wohnung?"}
    path = f"/api/conferences/{conference.pk}/items"
    assert post(client, path, body, bearer(partner_user)).status_code == 403
    assert post(client, path, body, bearer(debt_worker)).status_code == 404
    assert not AgendaItem.objects.exists()


# --- agreed actions ----------------------------------------------------------------------------


def test_agreeing_an_action_and_keeping_its_status(
    client, conference, item, case_worker, youth_worker, youth_office, mailoutbox,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    begin(conference)
    body = {
        "item_id": item.pk,
        "title": "Mietschulden mit dem Vermieter klären",
        "owner_id": youth_office.pk,
        "owner_user_id": youth_worker.pk,
        "due_in_days": 5,
    }
    with django_capture_on_commit_callbacks(execute=True):
        created = post(
            client, f"/api/conferences/{conference.pk}/actions", body, bearer(case_worker)
        )
    assert created.status_code == 201, created.content
    action = Action.objects.get()
    assert created.json()["id"] == action.pk
    assert created.json()["owner"]["name"] == "Jugendamt A"
    assert created.json()["due_date"] == action.due_date.isoformat()

    auth = bearer(youth_worker)
    tasks = client.get("/api/conference-actions", **auth)
    assert ids(tasks) == [action.pk]
    task = tasks.json()["items"][0]
    assert task["case_label"] == item.case_label
    assert task["conference"]["id"] == conference.pk
    assert task["may_update"] is True
    [shown] = client.get(f"/api/conferences/{conference.pk}", **auth).json()["items"]
    assert [a["id"] for a in shown["actions"]] == [action.pk]
    assert ids(client.get("/api/conference-actions", **bearer(case_worker))) == []

    path = f"/api/conference-actions/{action.pk}/status"
    body = {"status": ActionStatus.DONE, "note": "Ratenzahlung vereinbart", "version": 1}
    done = post(client, path, body, auth)
    assert done.status_code == 200, done.content
    assert done.json()["status"] == ActionStatus.DONE
    assert done.json()["version"] == 2
    stale = post(client, path, {**body, "status": ActionStatus.OPEN}, auth)
    assert stale.status_code == 409
    assert stale.json()["detail"] == str(STALE_MESSAGE)
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE
    assert ids(client.get("/api/conference-actions?status=done", **auth)) == [action.pk]
    assert ids(client.get("/api/conference-actions", **auth)) == []


def test_an_action_without_owner_is_refused_in_german(client, conference, item, case_worker):
    begin(conference)
    body = {"item_id": item.pk, "title": "Termin beim Vermieter", "due_in_days": 3}
    response = post(client, f"/api/conferences/{conference.pk}/actions", body, bearer(case_worker))
    assert locations(response) == {
        ("body", "payload", "owner_id"): "Bitte wählen Sie die zuständige Organisation."
    }
    assert not Action.objects.exists()


def test_actions_wait_for_the_day_and_for_the_right_organisation(
    client, conference, item, case_worker, partner_user, partner
):
    path = f"/api/conferences/{conference.pk}/actions"
    body = {"item_id": item.pk, "title": "Termin", "owner_id": partner.pk, "due_in_days": 3}
    early = post(client, path, body, bearer(case_worker))
    assert early.status_code == 409
    assert early.json()["detail"].startswith("Protokoll und Vereinbarungen sind ab dem Tag")
    begin(conference)
    refused = post(client, path, body, bearer(partner_user))
    assert refused.status_code == 409
    assert refused.json()["detail"].startswith("Vereinbarungen halten die einladende")
    assert not Action.objects.exists()


def test_an_action_title_naming_the_person_needs_confirmation(
    client, conference, item, case_worker, youth_office
):
    begin(conference)
    path = f"/api/conferences/{conference.pk}/actions"
    body = {
        "item_id": item.pk,
        "title": "Anna zur Schuldnerberatung begleiten",
        "owner_id": youth_office.pk,
        "due_in_days": 3,
    }
    errors = locations(post(client, path, body, bearer(case_worker)))
    assert list(errors) == [("body", "payload", "title")]
    assert "Name: „Anna“" in errors[("body", "payload", "title")]
    assert not Action.objects.exists()
    confirmed = post(client, path, {**body, "confirm_identifiers": True}, bearer(case_worker))
    assert confirmed.status_code == 201, confirmed.content


def test_only_responsible_organisations_keep_the_status(
    client, conference, item, case_worker, youth_office, partner_user
):
    begin(conference)
    action = services.add_action(
        actor_for(case_worker), conference, item=item, title="Termin", owner=youth_office,
        due_in_days=3,
    )  # fmt: skip
    auth = bearer(partner_user)
    path = f"/api/conference-actions/{action.pk}/status"
    assert client.get(path, **auth).json()["may_update"] is False
    response = post(client, path, {"status": "done", "version": action.version}, auth)
    assert response.status_code == 409
    assert response.json()["detail"].startswith("Den Stand pflegen")
    assert client.get("/api/conference-actions?status=all", **auth).json()["count"] == 0
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_the_openapi_document_lists_the_conference_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/conferences": {"get", "post"},
        "/api/conferences/{conference_id}": {"get"},
        "/api/conferences/{conference_id}/actions/{action}": {"get", "post"},
        "/api/conferences/{conference_id}/items": {"get", "post"},
        "/api/conferences/{conference_id}/actions": {"get", "post"},
        "/api/conference-actions": {"get"},
        "/api/conference-actions/{action_id}/status": {"get", "post"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    operations = [op for path in expected for op in paths[path].values()]
    assert all(op["operationId"].startswith("conferences_api_") for op in operations)
    assert all(op["tags"] == ["Fallberatungen"] for op in operations)


def test_the_conference_schemas_do_not_replace_other_components_of_the_document():
    """The OpenAPI document names components by class name only: a schema called like one of
    another app would silently replace its description."""
    from ninja import Schema

    import api.api  # noqa: F401  (every app's schemas)
    import conferences.api.schemas as ours

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    mine = {c.__name__ for c in subclasses(Schema) if c.__module__ == ours.__name__}
    others = {
        c.__name__
        for c in subclasses(Schema)
        if c.__module__ != ours.__name__ and c.__module__.split(".")[0] != "ninja"
    }
    assert mine
    assert not mine & others
