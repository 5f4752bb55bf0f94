"""The referral API: the pages' rules for API clients. Sender and recipient only, lists without
data, every read of a snapshot audited, writes through the services with German refusals."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.factories import NeedFactory, PersonFactory
from cases.services import revoke_consent
from core.choices import AuditAction, LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member
from core.models import AuditEntry
from core.permissions import actor_for
from core.services import create_api_token
from referrals import snapshot
from referrals.choices import Kind, Status, Track
from referrals.factories import ReferralFactory, consent_for, send_referral_about
from referrals.models import Referral, ReferralMessage

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


@pytest.fixture
def sent(anna, social_office, case_worker, housing_need):
    """The Jobcenter's urgent referral of Anna (master data, housing needs) to the Sozialamt."""
    return send_referral_about(
        anna,
        social_office,
        user=case_worker,
        categories=("master_data", "needs.housing"),
        needs=[housing_need],
        track=Track.HOUSING_LOSS,
    )


@pytest.fixture
def partner_staff(partner):
    return member(Role.PARTNER_STAFF, partner, username="partnerin")


@pytest.fixture
def other_network_worker(outsider_org):
    return member(Role.CASE_WORKER, outsider_org, username="fallmanager-b")


@pytest.fixture
def debt_advice(network):
    """Another organisation with a statutory duty, to forward to."""
    return OrganisationFactory(
        network=network,
        name="Schuldnerberatung des Kreises",
        type=OrganisationType.SOCIAL_WELFARE_OFFICE,
        legal_regime=LegalRegime.SGB_XII,
    )


def _referral_body(person, recipient, **extra):
    return {
        "person_id": person.pk,
        "recipient_id": recipient.pk,
        "reason": "Räumungsklage angekündigt, Mietschulden",
        "track": Track.HOUSING_LOSS,
        "categories": ["master_data"],
        **extra,
    }


# --- lists -------------------------------------------------------------------------------------


def test_the_inbox_lists_received_referrals_without_any_personal_data(client, social_worker, sent):
    response = client.get("/api/referrals?box=inbox", **bearer(social_worker))
    assert ids(response) == [sent.pk]
    item = response.json()["items"][0]
    assert item["number"] == f"Ü-{sent.pk}"
    assert item["sender"]["name"] == "Jobcenter A"
    assert item["recipient"]["name"] == "Sozialamt Musterkreis"
    assert item["track"] == Track.HOUSING_LOSS
    assert item["status"] == Status.SENT
    assert item["response_due"] == sent.response_due.isoformat()
    assert item["person_id"] is None
    assert "snapshot" not in item
    assert "reason" not in item
    assert "Anna" not in response.content.decode()
    assert "Beispiel" not in response.content.decode()


def test_the_outbox_shows_the_senders_own_person_id(client, case_worker, sent, anna):
    auth = bearer(case_worker)
    response = client.get("/api/referrals?box=outbox", **auth)
    assert ids(response) == [sent.pk]
    assert response.json()["items"][0]["person_id"] == anna.pk
    assert ids(client.get("/api/referrals?box=inbox", **auth)) == []


def test_the_list_filters_like_the_pages(client, social_worker, sent, jobcenter, social_office):
    standard = ReferralFactory(sender=jobcenter, recipient=social_office, track=Track.STANDARD)
    closed = ReferralFactory(
        sender=jobcenter, recipient=social_office, status=Status.COMPLETED, track=Track.STANDARD
    )
    auth = bearer(social_worker)
    assert set(ids(client.get("/api/referrals", **auth))) == {sent.pk, standard.pk}
    urgent = client.get(f"/api/referrals?track={Track.HOUSING_LOSS}", **auth)
    assert ids(urgent) == [sent.pk]
    assert ids(client.get("/api/referrals?status=closed", **auth)) == [closed.pk]
    everything = client.get("/api/referrals?status=all", **auth)
    assert set(ids(everything)) == {sent.pk, standard.pk, closed.pk}
    assert ids(client.get("/api/referrals?overdue=true", **auth)) == []
    unknown = locations(client.get("/api/referrals?status=lost", **auth))
    assert unknown[("query", "status")].startswith("Unbekannter Status.")
    assert locations(client.get("/api/referrals?box=trash", **auth))[("query", "box")] == (
        "Unzulässiger Wert."
    )


def test_organisations_outside_the_referral_get_nothing(
    client, sent, partner_staff, other_network_worker
):
    for user in (partner_staff, other_network_worker):
        auth = bearer(user)
        missing = client.get("/api/referrals/987654", **auth)
        assert missing.status_code == 404
        assert missing.json() == NOT_FOUND
        for box in ("inbox", "outbox"):
            assert ids(client.get(f"/api/referrals?box={box}&status=all", **auth)) == []
        for path in (
            f"/api/referrals/{sent.pk}",
            f"/api/referrals/{sent.pk}/messages",
            f"/api/referrals/{sent.pk}/actions/accept",
        ):
            response = client.get(path, **auth)
            assert response.status_code == 404, path
            assert response.json() == NOT_FOUND
        refused = post(client, f"/api/referrals/{sent.pk}/actions/accept", {}, auth)
        assert refused.status_code == 404
        message = {"body": "Hallo"}
        assert post(client, f"/api/referrals/{sent.pk}/messages", message, auth).status_code == 404
        assert not AuditEntry.objects.filter(user=user, object_ref__startswith="referrals.")
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    assert not ReferralMessage.objects.exists()


def test_roles_without_referral_rights_are_refused(client, coordinator, sent):
    auth = bearer(coordinator)
    assert client.get("/api/referrals", **auth).status_code == 403
    refused = client.get(f"/api/referrals/{sent.pk}", **auth)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Keine Berechtigung für diese Aktion."}


def test_the_session_of_a_logged_in_user_works_too(client_for, social_worker, sent):
    assert ids(client_for(social_worker).get("/api/referrals")) == [sent.pk]


def test_a_drafted_referral_stays_out_of_the_recipients_inbox(
    client, case_worker, social_worker, anna, social_office
):
    consent_for(anna, social_office)
    created = post(
        client,
        "/api/referrals",
        _referral_body(anna, social_office, send=False),
        bearer(case_worker),
    )
    assert created.status_code == 201, created.content
    assert created.json()["status"] == Status.DRAFT
    assert created.json()["actions"] == ["send", "withdraw"]
    auth = bearer(social_worker)
    assert ids(client.get("/api/referrals?status=all", **auth)) == []
    assert client.get(f"/api/referrals/{created.json()['id']}", **auth).status_code == 404


# --- one referral ------------------------------------------------------------------------------


def test_the_recipients_read_is_audited_and_marks_the_referral_received(
    client, social_worker, sent, anna
):
    auth = bearer(social_worker)
    response = client.get(f"/api/referrals/{sent.pk}", **auth)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["status"] == Status.RECEIVED
    assert data["received_at"] is not None
    assert data["side"] == "recipient"
    assert data["snapshot"]["person"]["first_name"] == "Anna"
    assert [need["situation"] for need in data["snapshot"]["needs"]] == [
        "Drohender Wohnungsverlust"
    ]
    assert data["reason"].startswith("Drohender Wohnungsverlust")
    assert {basis["category"] for basis in data["bases"]} == {"master_data", "needs.housing"}
    assert all(basis["basis"].startswith("Einwilligung vom") for basis in data["bases"])
    assert all(basis["consent_id"] for basis in data["bases"])
    assert [e["to_status"] for e in data["events"]] == ["draft", "sent", "received"]
    assert data["events"][-1]["organisation"]["name"] == "Sozialamt Musterkreis"
    # The recipient gets no pointer into the sender's case file.
    assert data["person_id"] is None
    assert data["household_id"] is None
    assert data["need_ids"] == []
    assert set(data["actions"]) == {"accept", "decline", "forward"}
    sent.refresh_from_db()
    assert sent.status == Status.RECEIVED
    views = AuditEntry.objects.filter(
        user=social_worker, action=AuditAction.VIEW, object_ref=f"referrals.referral:{sent.pk}"
    )
    assert views.count() == 1
    assert views.get().subject_ref == f"cases.person:{anna.pk}"

    again = client.get(f"/api/referrals/{sent.pk}", **auth).json()
    assert again["status"] == Status.RECEIVED  # received once, not again
    assert [e["to_status"] for e in again["events"]] == ["draft", "sent", "received"]
    assert views.count() == 2  # but every read is audited


def test_the_senders_read_is_audited_and_does_not_mark_it_received(
    client, case_worker, sent, anna, household, housing_need
):
    data = client.get(f"/api/referrals/{sent.pk}", **bearer(case_worker)).json()
    assert data["status"] == Status.SENT
    assert data["side"] == "sender"
    assert data["person_id"] == anna.pk
    assert data["household_id"] == household.pk
    assert data["need_ids"] == [housing_need.pk]
    assert data["actions"] == ["withdraw"]
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    assert AuditEntry.objects.filter(
        user=case_worker, action=AuditAction.VIEW, object_ref=f"referrals.referral:{sent.pk}"
    ).exists()


def test_health_data_is_shown_only_to_roles_that_may_see_it(
    client, case_worker, social_worker, social_lead, anna, social_office
):
    addiction = NeedFactory(person=anna, code="health.addiction", description="Alkohol")
    referral = send_referral_about(
        anna,
        social_office,
        user=case_worker,
        categories=("master_data", "health"),
        needs=[addiction],
    )
    worker = client.get(f"/api/referrals/{referral.pk}", **bearer(social_worker)).json()
    assert [need["description"] for need in worker["snapshot"]["needs"]] == ["Alkohol"]
    lead = client.get(f"/api/referrals/{referral.pk}", **bearer(social_lead))
    assert lead.json()["snapshot"]["needs"] == []
    assert lead.json()["snapshot"]["health_hidden"] is True
    assert "Alkohol" not in lead.content.decode()


def test_what_was_left_out_is_shown_to_the_sender_only(
    client, case_worker, social_worker, jobcenter, social_office, anna
):
    referral = ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        person=anna,
        snapshot={
            "schema": 1,
            "person": {"first_name": "Anna"},
            "excluded": [{"label": "Sucht", "reason": "anvertraut (§ 65 SGB VIII)"}],
        },
    )
    own = client.get(f"/api/referrals/{referral.pk}", **bearer(case_worker)).json()
    assert own["snapshot"]["excluded"][0]["label"] == "Sucht"
    received = client.get(f"/api/referrals/{referral.pk}", **bearer(social_worker))
    assert "excluded" not in received.json()["snapshot"]
    assert "Sucht" not in received.content.decode()


def test_the_resolved_needs_note_stays_with_the_sender(
    client, case_worker, social_worker, sent, housing_need
):
    from referrals import services

    recipient, sender = actor_for(social_worker), actor_for(case_worker)
    accepted = services.accept(actor=recipient, referral=sent)
    done = services.complete(actor=recipient, referral=accepted, outcome="help_given")
    services.resolve_needs(actor=sender, referral=done)
    own = client.get(f"/api/referrals/{sent.pk}", **bearer(case_worker)).json()
    assert "needs_resolved" in [event["kind"] for event in own["events"]]
    received = client.get(f"/api/referrals/{sent.pk}", **bearer(social_worker)).json()
    assert "needs_resolved" not in [event["kind"] for event in received["events"]]


# --- the recipient never reaches the live case file --------------------------------------------


def test_the_recipient_cannot_reach_the_senders_case_file(
    client, social_worker, sent, anna, household, housing_need, social_office
):
    auth = bearer(social_worker)
    assert client.get(f"/api/referrals/{sent.pk}", **auth).status_code == 200
    for path in (
        f"/api/households/{household.pk}",
        f"/api/households/{household.pk}/plan",
        f"/api/persons/{anna.pk}",
        f"/api/persons/{anna.pk}/needs",
        f"/api/persons/{anna.pk}/consents",
        f"/api/persons/{anna.pk}/plan",
        f"/api/needs/{housing_need.pk}",
        f"/api/persons/{anna.pk}/referral-options?recipient={social_office.pk}",
    ):
        response = client.get(path, **auth)
        assert response.status_code == 404, path
        assert response.json() == NOT_FOUND, path
    for path in ("/api/persons?q=Beispiel", "/api/households?q=Beispiel"):
        assert client.get(path, **auth).json()["count"] == 0, path


# --- creating ----------------------------------------------------------------------------------


def test_a_case_worker_creates_and_sends_a_referral(
    client, case_worker, social_worker, anna, social_office, housing_need
):
    consent_for(anna, social_office, categories=("master_data", "needs.housing"))
    body = _referral_body(
        anna,
        social_office,
        need_ids=[housing_need.pk],
        categories=["master_data", "needs.housing"],
        message="Bitte um Rückruf",
    )
    response = post(client, "/api/referrals", body, bearer(case_worker))
    assert response.status_code == 201, response.content
    data = response.json()
    referral = Referral.objects.get()
    assert data["id"] == referral.pk
    assert data["status"] == Status.SENT
    assert data["response_due"] == referral.response_due.isoformat()
    assert data["person_id"] == anna.pk
    assert "snapshot" not in data
    assert referral.sender.name == "Jobcenter A"
    assert referral.snapshot["person"]["last_name"] == "Beispiel"
    assert list(referral.needs.all()) == [housing_need]
    assert AuditEntry.objects.filter(
        user=case_worker, action=AuditAction.TRANSFER, object_ref=f"referrals.referral:{data['id']}"
    ).exists()
    assert ids(client.get("/api/referrals", **bearer(social_worker))) == [referral.pk]


def test_an_offer_is_enough_to_name_the_recipient(client, case_worker, anna, social_office):
    from directory.factories import OfferFactory

    offer = OfferFactory(organisation=social_office, title="Wohnungsnotfallhilfe")
    consent_for(anna, social_office)
    body = _referral_body(anna, social_office, offer_id=offer.pk)
    del body["recipient_id"]
    response = post(client, "/api/referrals", body, bearer(case_worker))
    assert response.status_code == 201, response.content
    assert response.json()["recipient"]["name"] == "Sozialamt Musterkreis"
    assert response.json()["offer"] == {"id": offer.pk, "title": "Wohnungsnotfallhilfe"}


def test_an_advisory_pointer_carries_no_data(client, case_worker, anna, partner):
    body = _referral_body(anna, partner, kind=Kind.POINTER, categories=[])
    response = post(client, "/api/referrals", body, bearer(case_worker))
    assert response.status_code == 201, response.content
    assert response.json()["kind"] == Kind.POINTER
    assert Referral.objects.get().snapshot == {}
    refused = post(
        client, "/api/referrals", {**body, "categories": ["master_data"]}, bearer(case_worker)
    )
    assert locations(refused)[("body", "payload", "categories")] == (
        "Bei einem beratenden Hinweis werden keine Daten übermittelt."
    )


def test_creating_refuses_bad_input_with_german_messages(
    client, case_worker, anna, social_office, outsider_org
):
    consent_for(anna, social_office)  # master data only
    auth = bearer(case_worker)

    empty = post(client, "/api/referrals", _referral_body(anna, social_office, reason="  "), auth)
    assert locations(empty)[("body", "payload", "reason")] == "Bitte beschreiben Sie den Anlass."

    foreign = post(client, "/api/referrals", _referral_body(anna, outsider_org), auth)
    assert locations(foreign)[("body", "payload", "recipient_id")] == (
        "Diese Organisation gibt es im Netzwerk nicht."
    )
    assert "Jobcenter B" not in foreign.content.decode()

    expected = snapshot.decisions_for(anna, social_office)["health"].reason
    assert expected.startswith("Keine Einwilligung für Gesundheitsdaten")
    assert "Sozialamt Musterkreis" in expected
    health = _referral_body(anna, social_office, categories=["master_data", "health"])
    refused = post(client, "/api/referrals", health, auth)
    assert locations(refused)[("body", "payload", "categories")] == expected

    no_master = _referral_body(anna, social_office, categories=[])
    missing = locations(post(client, "/api/referrals", no_master, auth))
    assert missing[("body", "payload", "categories")].startswith("Ohne Stammdaten")

    unknown_need = _referral_body(anna, social_office, need_ids=[987654])
    assert (
        locations(post(client, "/api/referrals", unknown_need, auth))[
            ("body", "payload", "need_ids", 0)
        ]
        == "Diesen offenen Handlungsbedarf gibt es bei dieser Person nicht."
    )

    bad_track = locations(
        post(client, "/api/referrals", _referral_body(anna, social_office, track="sofort"), auth)
    )
    assert bad_track[("body", "payload", "track")] == "Unzulässiger Wert."
    assert not Referral.objects.exists()


def test_persons_outside_the_own_case_file_answer_404(
    client, case_worker, social_worker, anna, social_office, jobcenter
):
    sozialamt_client = PersonFactory(organisation=social_office)
    body = _referral_body(sozialamt_client, jobcenter)
    response = post(client, "/api/referrals", body, bearer(case_worker))
    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    # Nor may the recipient refer the Jobcenter's client on its own.
    theirs = post(client, "/api/referrals", _referral_body(anna, jobcenter), bearer(social_worker))
    assert theirs.status_code == 404
    assert not Referral.objects.exists()


def test_an_open_referral_to_the_same_organisation_answers_409(
    client, case_worker, sent, anna, social_office
):
    auth = bearer(case_worker)
    body = _referral_body(anna, social_office)
    response = post(client, "/api/referrals", body, auth)
    assert response.status_code == 409, response.content
    assert [d["id"] for d in response.json()["duplicates"]] == [sent.pk]
    assert response.json()["duplicates"][0]["number"] == f"Ü-{sent.pk}"
    assert "offene Überleitung" in response.json()["detail"]
    assert Referral.objects.count() == 1  # nothing saved, not even a draft

    again = post(client, "/api/referrals", {**body, "allow_duplicate": True}, auth)
    assert again.status_code == 201, again.content
    assert Referral.objects.count() == 2


# --- the lifecycle -----------------------------------------------------------------------------


def test_the_recipient_accepts_starts_and_completes(client, social_worker, sent):
    auth = bearer(social_worker)
    url = f"/api/referrals/{sent.pk}/actions"
    accepted = post(client, f"{url}/accept", None, auth)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == Status.ACCEPTED
    assert accepted.json()["handler"]
    assert set(accepted.json()["actions"]) == {"start", "complete", "forward"}

    twice = post(client, f"{url}/accept", None, auth)
    assert twice.status_code == 409
    assert twice.json()["detail"].startswith("„annehmen“ ist nicht möglich")
    assert "angenommen" in twice.json()["detail"]

    started = post(client, f"{url}/start", {}, auth)
    assert started.json()["status"] == Status.IN_PROGRESS

    no_outcome = locations(post(client, f"{url}/complete", {"note": "erledigt"}, auth))
    assert no_outcome[("body", "payload", "outcome")] == "Bitte wählen Sie ein Ergebnis."
    done = post(
        client, f"{url}/complete", {"outcome": "help_given", "note": "Miete gesichert"}, auth
    )
    assert done.status_code == 200, done.content
    assert done.json()["status"] == Status.COMPLETED
    assert done.json()["outcome"] == "help_given"
    assert done.json()["outcome_note"] == "Miete gesichert"
    assert done.json()["actions"] == []
    sent.refresh_from_db()
    assert sent.status == Status.COMPLETED
    assert list(sent.events.values_list("to_status", flat=True)) == [
        "draft",
        "sent",
        "accepted",
        "in_progress",
        "completed",
    ]


def test_declining_needs_a_reason(client, social_worker, sent):
    auth = bearer(social_worker)
    url = f"/api/referrals/{sent.pk}/actions/decline"
    empty = locations(post(client, url, {}, auth))
    assert empty[("body", "payload", "decline_reason")] == "Bitte wählen Sie einen Grund."
    other = locations(post(client, url, {"decline_reason": "other"}, auth))
    assert other[("body", "payload", "note")] == "Bitte erläutern Sie den Grund."
    sent.refresh_from_db()
    assert sent.status == Status.SENT
    declined = post(client, url, {"decline_reason": "no_capacity", "note": "voll"}, auth)
    assert declined.status_code == 200, declined.content
    assert declined.json()["status"] == Status.DECLINED
    assert declined.json()["decline_reason"] == "no_capacity"
    late = post(client, f"/api/referrals/{sent.pk}/actions/start", None, auth)
    assert late.status_code == 409
    assert late.json()["detail"].startswith("„Bearbeitung beginnen“ ist nicht möglich")
    assert "abgelehnt" in late.json()["detail"]


def test_the_sender_withdraws_and_cannot_act_for_the_recipient(
    client, case_worker, social_worker, sent
):
    auth = bearer(case_worker)
    url = f"/api/referrals/{sent.pk}/actions"
    foreign = post(client, f"{url}/accept", None, auth)
    assert foreign.status_code == 403
    assert post(client, f"{url}/withdraw", None, bearer(social_worker)).status_code == 403
    withdrawn = post(client, f"{url}/withdraw", {"note": "Person ist umgezogen"}, auth)
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == Status.WITHDRAWN
    assert post(client, f"{url}/withdraw", None, auth).status_code == 409
    assert post(client, f"{url}/fly", None, auth).status_code == 404
    assert client.get(f"{url}/fly", **auth).status_code == 404


def test_a_draft_is_sent_later(client, case_worker, social_worker, anna, social_office):
    consent_for(anna, social_office)
    auth = bearer(case_worker)
    draft = post(client, "/api/referrals", _referral_body(anna, social_office, send=False), auth)
    url = f"/api/referrals/{draft.json()['id']}/actions/send"
    assert client.get(url, **auth).json() == {"action": "send", "label": "senden", "possible": True}
    response = post(client, url, None, auth)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == Status.SENT
    assert response.json()["sent_at"] is not None
    assert client.get(url, **auth).json()["possible"] is False
    assert post(client, url, None, auth).status_code == 409
    assert ids(client.get("/api/referrals", **bearer(social_worker))) == [draft.json()["id"]]


def test_sending_a_draft_checks_for_duplicates(client, case_worker, sent, anna, social_office):
    auth = bearer(case_worker)
    draft = post(client, "/api/referrals", _referral_body(anna, social_office, send=False), auth)
    url = f"/api/referrals/{draft.json()['id']}/actions/send"
    duplicate = post(client, url, None, auth)
    assert duplicate.status_code == 409
    assert [d["id"] for d in duplicate.json()["duplicates"]] == [sent.pk]
    assert post(client, url, {"allow_duplicate": True}, auth).json()["status"] == Status.SENT


def test_the_sender_records_whether_the_person_arrived(client, case_worker, anna, partner):
    auth = bearer(case_worker)
    body = _referral_body(anna, partner, kind=Kind.POINTER, categories=[])
    pointer = post(client, "/api/referrals", body, auth).json()
    assert pointer["actions"] == ["record_arrival"]
    url = f"/api/referrals/{pointer['id']}/actions/record_arrival"
    wrong = locations(post(client, url, {"outcome": "help_given"}, auth))
    assert wrong[("body", "payload", "outcome")] == "Bitte wählen Sie eine Antwort."
    arrived = post(client, url, {"outcome": "arrived", "note": "war da"}, auth)
    assert arrived.status_code == 200, arrived.content
    assert arrived.json()["status"] == Status.COMPLETED
    assert arrived.json()["pointer_outcome"] == "arrived"


def test_the_action_state_tells_each_side_what_it_can_do(client, case_worker, social_worker, sent):
    url = f"/api/referrals/{sent.pk}/actions/accept"
    assert client.get(url, **bearer(social_worker)).json() == {
        "action": "accept",
        "label": "annehmen",
        "possible": True,
    }
    assert client.get(url, **bearer(case_worker)).json()["possible"] is False


# --- forwarding --------------------------------------------------------------------------------


def test_the_recipient_forwards_with_the_same_or_less_data(
    client, social_worker, case_worker, debt_advice, sent, anna
):
    consent_for(anna, debt_advice)
    auth = bearer(social_worker)
    url = f"/api/referrals/{sent.pk}/forward"
    options = client.get(url, **auth).json()
    assert options["possible"] is True
    assert [c["code"] for c in options["categories"]] == ["master_data", "needs.housing"]

    more = post(
        client, url, {"recipient_id": debt_advice.pk, "categories": ["master_data", "health"]}, auth
    )
    assert locations(more)[("body", "payload", "categories")] == (
        "Weitergeleitet werden nur Daten, die die Überleitung enthielt."
    )
    response = post(
        client,
        url,
        {"recipient_id": debt_advice.pk, "categories": ["master_data"], "message": "zuständig"},
        auth,
    )
    assert response.status_code == 201, response.content
    onward = response.json()
    assert onward["recipient"]["name"] == "Schuldnerberatung des Kreises"
    assert onward["sender"]["name"] == "Sozialamt Musterkreis"
    assert onward["status"] == Status.SENT
    assert onward["person_id"] is None  # Anna is in the Jobcenter's file, not the Sozialamt's
    assert Referral.objects.get(pk=onward["id"]).snapshot["categories"] == ["master_data"]
    sent.refresh_from_db()
    assert sent.status == Status.FORWARDED
    assert client.get(url, **auth).json()["possible"] is False
    # The sender cannot forward; for it the address does not exist.
    assert client.get(url, **bearer(case_worker)).status_code == 404


def test_a_partner_without_statutory_duty_may_not_forward(
    client, partner_staff, jobcenter, partner, social_office, anna
):
    referral = ReferralFactory(
        sender=jobcenter, recipient=partner, person=anna, status=Status.RECEIVED
    )
    auth = bearer(partner_staff)
    url = f"/api/referrals/{referral.pk}/forward"
    reason = (
        "Stadtteilzentrum Nord hat die Daten nach § 78 SGB X erhalten und darf sie nicht "
        "weitergeben."
    )
    assert client.get(url, **auth).json()["reason"] == reason
    detail = client.get(f"/api/referrals/{referral.pk}", **auth).json()
    assert "forward" not in detail["actions"]
    response = post(
        client, url, {"recipient_id": social_office.pk, "categories": ["master_data"]}, auth
    )
    assert locations(response)[("body", "payload", "recipient_id")] == reason
    referral.refresh_from_db()
    assert referral.status == Status.RECEIVED
    assert Referral.objects.count() == 1


# --- messages and revocation -------------------------------------------------------------------


def test_both_sides_write_in_the_thread(client, case_worker, social_worker, sent):
    url = f"/api/referrals/{sent.pk}/messages"
    written = post(client, url, {"body": "Termin am Montag möglich?"}, bearer(social_worker))
    assert written.status_code == 201, written.content
    assert written.json()["organisation"]["name"] == "Sozialamt Musterkreis"
    assert written.json()["author"]
    post(client, url, {"body": "Ja, 10 Uhr."}, bearer(case_worker))
    thread = client.get(url, **bearer(case_worker))
    assert [m["body"] for m in thread.json()] == ["Termin am Montag möglich?", "Ja, 10 Uhr."]
    empty = locations(post(client, url, {"body": "  "}, bearer(case_worker)))
    assert empty[("body", "payload", "body")] == "Bitte schreiben Sie eine Nachricht."
    assert AuditEntry.objects.filter(
        user=case_worker, action=AuditAction.VIEW, object_ref=f"referrals.referral:{sent.pk}"
    ).exists()


def test_a_draft_has_no_thread_yet(client, case_worker, anna, social_office):
    consent_for(anna, social_office)
    auth = bearer(case_worker)
    draft = post(client, "/api/referrals", _referral_body(anna, social_office, send=False), auth)
    response = post(client, f"/api/referrals/{draft.json()['id']}/messages", {"body": "x"}, auth)
    assert response.status_code == 409
    assert response.json()["detail"] == (
        "Nachrichten gibt es erst, wenn die Überleitung gesendet ist."
    )


def test_after_a_revocation_messages_must_carry_no_new_personal_data(
    client, case_worker, social_worker, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        revoke_consent(actor=actor_for(case_worker), consent=sent.consents.get())
    auth = bearer(social_worker)
    listed = client.get("/api/referrals", **auth).json()["items"][0]
    assert listed["consent_revoked_at"] is not None
    detail = client.get(f"/api/referrals/{sent.pk}", **auth).json()
    assert detail["consent_revoked_at"] is not None
    assert "forward" not in detail["actions"]
    url = f"/api/referrals/{sent.pk}/messages"
    refused = locations(post(client, url, {"body": "Neue Diagnose liegt vor"}, auth))
    assert refused[("body", "payload", "no_new_personal_data")].startswith(
        "Die Einwilligung wurde widerrufen."
    )
    assert not ReferralMessage.objects.exists()
    confirmed = post(client, url, {"body": "Wir schließen ab.", "no_new_personal_data": True}, auth)
    assert confirmed.status_code == 201, confirmed.content


# --- what may travel ---------------------------------------------------------------------------


def test_the_options_show_per_category_what_may_travel_and_why(
    client, case_worker, anna, social_office
):
    consent = consent_for(anna, social_office)
    response = client.get(
        f"/api/persons/{anna.pk}/referral-options?recipient={social_office.pk}",
        **bearer(case_worker),
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["recipient"] == {"id": social_office.pk, "name": "Sozialamt Musterkreis"}
    rows = {row["code"]: row for row in data["categories"]}
    assert rows["master_data"]["allowed"] is True
    assert rows["master_data"]["legal_basis"].endswith(f"Nr. {consent.pk}")
    assert rows["health"]["allowed"] is False
    assert rows["health"]["legal_basis"] == ""
    assert rows["health"]["reason"] == (
        "Keine Einwilligung für Gesundheitsdaten (Gesundheit, Sucht, ärztliche Unterlagen) "
        "gegenüber Sozialamt Musterkreis."
    )
    assert AuditEntry.objects.filter(
        user=case_worker, action=AuditAction.VIEW, subject_ref=f"cases.person:{anna.pk}"
    ).exists()


def test_the_options_are_only_for_the_own_case_file_and_network(
    client, case_worker, coordinator, anna, outsider_org
):
    auth = bearer(case_worker)
    foreign = client.get(
        f"/api/persons/{anna.pk}/referral-options?recipient={outsider_org.pk}", **auth
    )
    assert locations(foreign)[("query", "recipient")] == (
        "Diese Organisation gibt es im Netzwerk nicht."
    )
    missing = client.get(f"/api/persons/{anna.pk}/referral-options", **auth)
    assert locations(missing)[("query", "recipient")] == "Pflichtangabe fehlt."
    refused = client.get(
        f"/api/persons/{anna.pk}/referral-options?recipient={outsider_org.pk}",
        **bearer(coordinator),
    )
    assert refused.status_code == 403


# --- query counts and the OpenAPI document -----------------------------------------------------


def _add_referrals(jobcenter, social_office, anna, count):
    from directory.factories import OfferFactory

    offer = OfferFactory(organisation=social_office)
    for index in range(count):
        ReferralFactory(
            sender=jobcenter,
            recipient=social_office,
            person=anna,
            offer=offer if index % 2 else None,
            track=Track.HOUSING_LOSS if index % 3 else Track.STANDARD,
        )


@pytest.mark.parametrize(("box", "reader"), [("inbox", "social_worker"), ("outbox", "case_worker")])
def test_list_queries_do_not_grow_with_the_number_of_referrals(
    request, client, django_assert_max_num_queries, jobcenter, social_office, anna, box, reader
):
    client.force_login(request.getfixturevalue(reader))
    path = f"/api/referrals?box={box}&limit=100"
    _add_referrals(jobcenter, social_office, anna, 3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(path).json()["count"] == 3
    _add_referrals(jobcenter, social_office, anna, 17)
    with django_assert_max_num_queries(len(few)):
        assert client.get(path).json()["count"] == 20


def test_the_openapi_document_lists_the_referral_paths(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    expected = {
        "/api/referrals": {"get", "post"},
        "/api/referrals/{referral_id}": {"get"},
        "/api/referrals/{referral_id}/actions/{action}": {"get", "post"},
        "/api/referrals/{referral_id}/forward": {"get", "post"},
        "/api/referrals/{referral_id}/messages": {"get", "post"},
        "/api/persons/{person_id}/referral-options": {"get"},
    }
    for path, methods in expected.items():
        assert set(paths[path]) == methods, path
    operation_ids = {op["operationId"] for path in expected for op in paths[path].values()}
    assert all(op.startswith("referrals_api_") for op in operation_ids)
