"""The referral lifecycle: every action from every status for both kinds, the sides, bad input.

The matrix is generated from ``referrals.transitions.ACTIONS``: an allowed step lands in its
target status with an event naming user and organisation; a forbidden one is refused in German
and changes nothing. Each case calls the service a view or the API would call.
"""

import itertools

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cases import categories
from cases.choices import NeedStatus
from cases.factories import NeedFactory
from cases.models import SecrecyAcknowledgement
from core.choices import LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for
from directory.factories import OfferFactory
from referrals import services
from referrals.choices import (
    DeclineReason,
    EventKind,
    Kind,
    Outcome,
    PointerOutcome,
    Status,
    Track,
)
from referrals.factories import ReferralFactory, consent_for, send_referral_about
from referrals.models import Referral, ReferralEvent
from referrals.services import DuplicateReferral, TransitionRefused
from referrals.transitions import ACTIONS, SENDER, allowed

pytestmark = pytest.mark.django_db

MASTER = categories.MASTER_DATA
HOUSING = categories.need_category("housing")
HEALTH = categories.HEALTH


@pytest.fixture
def agency(network):
    """A public body with statutory duty: a possible next recipient when forwarding."""
    return OrganisationFactory(
        network=network,
        name="Agentur für Arbeit A",
        type=OrganisationType.EMPLOYMENT_AGENCY,
        legal_regime=LegalRegime.SGB_III,
    )


@pytest.fixture
def sender(case_worker):
    return actor_for(case_worker)


@pytest.fixture
def recipient(social_worker):
    return actor_for(social_worker)


@pytest.fixture
def partner_staff(partner):
    return member(Role.PARTNER_STAFF, partner, username="stadtteilzentrum")


@pytest.fixture
def acknowledged(partner, partner_staff):
    """§ 78 SGB X confirmed, so the partner may receive data on a consent."""
    return SecrecyAcknowledgement.objects.create(
        network=partner.network, organisation=partner, acknowledged_by=partner_staff
    )


def rows(referral):
    """What a refused step must leave exactly as it was."""
    fresh = Referral.objects.get(pk=referral.pk)
    return (
        fresh.status,
        fresh.version,
        ReferralEvent.objects.filter(referral=referral).count(),
        Referral.objects.count(),
    )


def last_status_event(referral):
    return ReferralEvent.objects.filter(referral=referral, kind=EventKind.STATUS).last()


# --- the matrix ------------------------------------------------------------------------------


def _perform(name, referral, *, sender, recipient, agency):
    """Call the public service behind ``name`` as the side the lifecycle table names."""
    if name == "send":
        return services.send_referral(actor=sender, referral=referral)
    if name == "accept":
        return services.accept(actor=recipient, referral=referral)
    if name == "decline":
        return services.decline(
            actor=recipient, referral=referral, reason=DeclineReason.NO_CAPACITY
        )
    if name == "forward":
        return services.forward(
            actor=recipient, referral=referral, recipient=agency, categories=[MASTER]
        )
    if name == "start":
        return services.start(actor=recipient, referral=referral)
    if name == "complete":
        return services.complete(actor=recipient, referral=referral, outcome=Outcome.HELP_GIVEN)
    if name == "withdraw":
        return services.withdraw(actor=sender, referral=referral, note="Hat sich erledigt")
    if name == "record_arrival":
        return services.record_arrival(
            actor=sender, referral=referral, outcome=PointerOutcome.ARRIVED
        )
    raise AssertionError(f"no service for {name}")


def expected_refusal(action, kind, status) -> str:
    if kind not in action.kinds:
        if kind == Kind.POINTER:
            return f"„{action.label}“ gibt es bei einem beratenden Hinweis nicht."
        return f"„{action.label}“ gibt es nur bei beratenden Hinweisen."
    return (
        f"„{action.label}“ ist nicht möglich: "
        f"Die Überleitung hat den Status „{Status(status).label}“."
    )


MATRIX = [
    (name, status, kind)
    for name, status, kind in itertools.product(ACTIONS, Status.values, Kind.values)
    if name != "receive"  # happens by opening: see the tests of record_view below
]


@pytest.fixture
def in_status(jobcenter, social_office, anna, agency):
    """A referral (or pointer) about Anna from the Jobcenter to the Sozialamt in any status,
    with a consent that lets the Jobcenter send and the Sozialamt forward to the agency."""
    consent_for(anna, social_office, agency)

    def make(status, kind=Kind.REFERRAL):
        return ReferralFactory(
            sender=jobcenter,
            recipient=social_office,
            person=anna,
            household=anna.household,
            kind=kind,
            status=status,
            **({"sent_at": None} if status == Status.DRAFT else {}),
        )

    return make


@pytest.mark.parametrize(("name", "status", "kind"), MATRIX)
def test_every_action_from_every_status_is_allowed_or_refused_by_the_table(
    name, status, kind, in_status, sender, recipient, agency
):
    action = ACTIONS[name]
    referral = in_status(status, kind)
    actor = sender if action.side == SENDER else recipient
    before = rows(referral)

    if allowed(action, kind, status):
        _perform(name, referral, sender=sender, recipient=recipient, agency=agency)

        referral.refresh_from_db()
        assert referral.status == action.target
        assert referral.version > before[1]
        event = last_status_event(referral)
        assert (event.from_status, event.to_status) == (status, action.target)
        assert (event.user, event.organisation) == (actor.user, actor.organisation)
        if referral.is_closed:
            assert referral.closed_at is not None
    else:
        with pytest.raises(TransitionRefused) as excinfo:
            _perform(name, referral, sender=sender, recipient=recipient, agency=agency)

        assert excinfo.value.message == expected_refusal(action, kind, status)
        assert rows(referral) == before


def test_the_matrix_covers_every_action_and_allows_the_documented_paths():
    """The table is the documented lifecycle (issue 6): guard against a silent edit."""
    paths = {
        (name, status)
        for name, status, kind in itertools.product(ACTIONS, Status.values, [Kind.REFERRAL])
        if allowed(ACTIONS[name], kind, status)
    }
    assert paths == {
        ("send", Status.DRAFT),
        ("receive", Status.SENT),
        ("accept", Status.SENT),
        ("accept", Status.RECEIVED),
        ("decline", Status.SENT),
        ("decline", Status.RECEIVED),
        ("forward", Status.SENT),
        ("forward", Status.RECEIVED),
        ("forward", Status.ACCEPTED),
        ("start", Status.ACCEPTED),
        ("complete", Status.ACCEPTED),
        ("complete", Status.IN_PROGRESS),
        ("withdraw", Status.DRAFT),
        ("withdraw", Status.SENT),
        ("withdraw", Status.RECEIVED),
        ("withdraw", Status.ACCEPTED),
        ("withdraw", Status.IN_PROGRESS),
    }
    pointer_paths = {
        (name, status)
        for name, status in itertools.product(ACTIONS, Status.values)
        if allowed(ACTIONS[name], Kind.POINTER, status)
    }
    assert pointer_paths == {("record_arrival", Status.SENT)}


def test_a_refusal_names_the_status_in_plain_german(in_status, recipient):
    referral = in_status(Status.COMPLETED)
    with pytest.raises(TransitionRefused) as excinfo:
        services.accept(actor=recipient, referral=referral)
    assert excinfo.value.message == (
        "„annehmen“ ist nicht möglich: Die Überleitung hat den Status „abgeschlossen“."
    )


def test_a_pointer_refuses_referral_steps_with_its_own_reason(in_status, recipient, sender):
    pointer = in_status(Status.SENT, Kind.POINTER)
    with pytest.raises(TransitionRefused) as excinfo:
        services.accept(actor=recipient, referral=pointer)
    assert excinfo.value.message == "„annehmen“ gibt es bei einem beratenden Hinweis nicht."

    referral = in_status(Status.SENT)
    with pytest.raises(TransitionRefused) as excinfo:
        services.record_arrival(actor=sender, referral=referral, outcome=PointerOutcome.ARRIVED)
    assert excinfo.value.message == "„Ankunft erfassen“ gibt es nur bei beratenden Hinweisen."


# --- receiving happens by opening ------------------------------------------------------------


@pytest.mark.parametrize("status", Status.values)
def test_the_recipients_first_view_marks_only_a_sent_referral_received(
    status, in_status, recipient
):
    referral = in_status(status)
    events = referral.events.count()

    services.record_view(actor=recipient, referral=referral)

    referral.refresh_from_db()
    if status == Status.SENT:
        assert referral.status == Status.RECEIVED
        assert referral.received_at is not None
        event = last_status_event(referral)
        assert (event.from_status, event.to_status) == (Status.SENT, Status.RECEIVED)
        assert (event.user, event.organisation) == (recipient.user, recipient.organisation)
    else:
        assert referral.status == status
        assert referral.events.count() == events


def test_the_senders_view_does_not_mark_it_received(in_status, sender):
    referral = in_status(Status.SENT)
    services.record_view(actor=sender, referral=referral)
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_a_pointer_is_never_received_by_opening(in_status, recipient):
    pointer = in_status(Status.SENT, Kind.POINTER)
    services.record_view(actor=recipient, referral=pointer)
    pointer.refresh_from_db()
    assert pointer.status == Status.SENT


# --- sides -----------------------------------------------------------------------------------


def test_the_sender_cannot_accept_its_own_referral(in_status, sender):
    referral = in_status(Status.SENT)
    before = rows(referral)
    with pytest.raises(PermissionDenied):
        services.accept(actor=sender, referral=referral)
    assert rows(referral) == before


def test_the_recipient_cannot_withdraw(in_status, recipient):
    referral = in_status(Status.SENT)
    before = rows(referral)
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=recipient, referral=referral)
    assert rows(referral) == before


@pytest.mark.parametrize(
    "step",
    [
        lambda actor, r: services.accept(actor=actor, referral=r),
        lambda actor, r: services.decline(
            actor=actor, referral=r, reason=DeclineReason.NOT_RESPONSIBLE
        ),
        lambda actor, r: services.withdraw(actor=actor, referral=r),
        lambda actor, r: services.record_view(actor=actor, referral=r),
        lambda actor, r: services.post_message(actor=actor, referral=r, body="Hallo"),
    ],
    ids=["accept", "decline", "withdraw", "view", "message"],
)
def test_a_third_organisation_is_denied_everything(step, in_status, agency):
    third = actor_for(member(Role.CASE_WORKER, agency, username="agentur"))
    referral = in_status(Status.SENT)
    before = rows(referral)
    with pytest.raises(PermissionDenied):
        step(third, referral)
    assert rows(referral) == before


def test_partner_staff_handle_a_referral_but_cannot_send(
    partner, partner_staff, acknowledged, anna, case_worker, social_office
):
    referral = send_referral_about(anna, partner, user=case_worker)
    staff = actor_for(partner_staff)

    services.accept(actor=staff, referral=referral)
    services.post_message(actor=staff, referral=referral, body="Termin am Dienstag.")
    services.complete(actor=staff, referral=referral, outcome=Outcome.HELP_GIVEN)
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED

    count = Referral.objects.count()
    with pytest.raises(PermissionDenied):
        services.create_referral(
            actor=staff, person=anna, recipient=social_office, reason="Wohnung", categories=[MASTER]
        )
    assert Referral.objects.count() == count


def test_a_data_protection_officer_of_the_sender_cannot_withdraw(in_status, dpo):
    referral = in_status(Status.SENT)
    with pytest.raises(PermissionDenied):
        services.withdraw(actor=actor_for(dpo), referral=referral)


# --- bad input when creating ----------------------------------------------------------------


@pytest.fixture
def create(sender, anna, social_office):
    """``create_referral`` about Anna to the Sozialamt with a valid default for every field."""

    def call(**kwargs):
        kwargs.setdefault("person", anna)
        kwargs.setdefault("reason", "Räumungsklage angekündigt")
        if "offer" not in kwargs:
            kwargs.setdefault("recipient", social_office)
        kwargs.setdefault("categories", [MASTER])
        return services.create_referral(actor=sender, **kwargs)

    return call


def refused(create, field, **kwargs) -> list[str]:
    with pytest.raises(ValidationError) as excinfo:
        create(**kwargs)
    assert not Referral.objects.exists()
    assert not ReferralEvent.objects.exists()
    return excinfo.value.message_dict[field]


def test_a_valid_referral_is_sent_with_deadlines_snapshot_and_basis(
    create, anna, social_office, sender
):
    consent = consent_for(anna, social_office)
    referral = create(track=Track.HOUSING_LOSS)
    assert referral.status == Status.SENT
    assert referral.sent_at is not None
    assert referral.response_due is not None
    assert referral.completion_due is not None
    assert referral.snapshot["person"]["last_name"] == "Beispiel"
    assert f"Nr. {consent.pk}" in referral.bases[MASTER]["basis"]
    assert list(referral.consents.all()) == [consent]
    assert [(e.from_status, e.to_status) for e in referral.events.all()] == [
        ("", Status.DRAFT),
        (Status.DRAFT, Status.SENT),
    ]


@pytest.mark.parametrize("reason", ["", "   \n"])
def test_an_empty_reason_is_refused(create, anna, social_office, reason):
    consent_for(anna, social_office)
    assert refused(create, "reason", reason=reason) == ["Bitte beschreiben Sie den Anlass."]


def test_a_recipient_outside_the_network_is_refused(create, anna, outsider_org):
    assert refused(create, "recipient", recipient=outsider_org) == [
        "Jobcenter B gehört nicht zum Netzwerk."
    ]


def test_the_own_organisation_is_not_a_recipient(create, jobcenter):
    assert refused(create, "recipient", recipient=jobcenter) == [
        "Die eigene Organisation ist kein Empfänger."
    ]


def test_an_inactive_recipient_is_refused(create, anna, social_office):
    consent_for(anna, social_office)
    social_office.is_active = False
    social_office.save()
    assert refused(create, "recipient", recipient=social_office) == [
        "Sozialamt Musterkreis ist nicht mehr aktiv."
    ]


def test_an_offer_of_another_organisation_is_refused(create, anna, social_office, agency):
    consent_for(anna, social_office)
    offer = OfferFactory(organisation=agency)
    assert refused(create, "offer", recipient=social_office, offer=offer) == [
        "Das Angebot gehört nicht zur gewählten Organisation."
    ]


def test_an_offer_of_another_network_is_refused(create, outsider_org):
    offer = OfferFactory(organisation=outsider_org)
    assert refused(create, "offer", offer=offer) == ["Das Angebot gehört nicht zum Netzwerk."]


def test_an_offer_alone_names_its_organisation_as_recipient(create, anna, social_office):
    consent_for(anna, social_office)
    offer = OfferFactory(organisation=social_office)
    referral = create(offer=offer)
    assert (referral.recipient, referral.offer) == (social_office, offer)


def test_a_category_without_legal_basis_is_refused_with_the_policys_reason(
    create, anna, social_office
):
    consent_for(anna, social_office)  # master data only
    assert refused(create, "categories", categories=[MASTER, HEALTH]) == [
        "Keine Einwilligung für Gesundheitsdaten (Gesundheit, Sucht, ärztliche Unterlagen) "
        "gegenüber Sozialamt Musterkreis."
    ]


def test_without_any_consent_nothing_is_sent(create):
    messages = refused(create, "categories")
    assert messages == [
        "Keine Einwilligung für Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen) "
        "gegenüber Sozialamt Musterkreis."
    ]


def test_a_partner_that_has_not_acknowledged_secrecy_receives_nothing(create, anna, partner):
    consent_for(anna, partner)
    (message,) = refused(create, "categories", recipient=partner)
    assert "§ 78 SGB X" in message
    assert "Stadtteilzentrum Nord" in message


def test_a_referral_without_master_data_is_refused_and_suggests_a_pointer(
    create, anna, social_office
):
    consent_for(anna, social_office, categories=[HOUSING])
    (message,) = refused(create, "categories", categories=[HOUSING])
    assert "Stammdaten" in message
    assert "beratenden Hinweis" in message


def test_a_pointer_with_categories_is_refused(create):
    assert refused(create, "categories", kind=Kind.POINTER) == [
        "Bei einem beratenden Hinweis werden keine Daten übermittelt."
    ]


def test_an_unknown_category_or_track_is_refused(create, anna, social_office):
    consent_for(anna, social_office)
    assert refused(create, "categories", categories=[MASTER, "secret"]) == [
        "Unbekannte Datenkategorie."
    ]
    assert refused(create, "track", track="yesterday") == ["Unbekannte Dringlichkeit."]


def test_needs_of_another_person_are_refused(create, anna, ben, social_office):
    consent_for(anna, social_office)
    bens_need = NeedFactory(person=ben, code="transition.apprenticeship_search")
    assert refused(create, "needs", needs=[bens_need]) == [
        "Die Bedarfe gehören zu einer anderen Person."
    ]


def test_a_person_of_another_case_file_is_refused(sender, social_office):
    from cases.factories import PersonFactory

    stranger = PersonFactory(organisation=social_office)
    with pytest.raises(PermissionDenied):
        services.create_referral(
            actor=sender, person=stranger, recipient=social_office, reason="x", categories=[MASTER]
        )
    assert not Referral.objects.exists()


def test_a_pointer_is_recorded_without_data_and_without_notifying_anyone(create):
    from core.models import Notification

    pointer = create(kind=Kind.POINTER, categories=[])
    assert (pointer.kind, pointer.status) == (Kind.POINTER, Status.SENT)
    assert pointer.snapshot == {}
    assert pointer.bases == {}
    assert not Notification.objects.exists()


def test_a_draft_is_not_sent_until_the_sender_sends_it(create, anna, social_office, sender):
    consent_for(anna, social_office)
    draft = create(send=False)
    assert draft.status == Status.DRAFT
    assert draft.snapshot == {}
    assert draft.sent_at is None

    sent = services.send_referral(actor=sender, referral=draft)
    assert sent.status == Status.SENT
    assert sent.snapshot["person"]["first_name"] == "Anna"


def test_the_legal_basis_is_checked_again_when_a_draft_is_sent(
    create, anna, social_office, sender, case_worker
):
    from cases.services import revoke_consent

    consent = consent_for(anna, social_office)
    draft = create(send=False)
    revoke_consent(actor=sender, consent=consent)
    with pytest.raises(ValidationError):
        services.send_referral(actor=sender, referral=draft)
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT
    assert draft.snapshot == {}


# --- duplicates ------------------------------------------------------------------------------


def test_an_open_referral_to_the_same_organisation_is_a_duplicate(
    create, anna, social_office, case_worker
):
    first = send_referral_about(anna, social_office, user=case_worker)
    with pytest.raises(DuplicateReferral) as excinfo:
        create()
    assert excinfo.value.matches == [first]
    assert Referral.objects.count() == 1

    second = create(allow_duplicate=True)
    assert second.status == Status.SENT
    assert Referral.objects.count() == 2


def test_a_closed_referral_is_no_duplicate(create, anna, social_office, case_worker, sender):
    first = send_referral_about(anna, social_office, user=case_worker)
    services.withdraw(actor=sender, referral=first)
    assert create().status == Status.SENT


def test_a_referral_to_another_organisation_is_no_duplicate(
    create, anna, social_office, agency, case_worker
):
    send_referral_about(anna, social_office, user=case_worker)
    consent_for(anna, agency)
    assert create(recipient=agency).status == Status.SENT


# --- what an answer needs ---------------------------------------------------------------------


@pytest.fixture
def sent(anna, social_office, case_worker, housing_need):
    return send_referral_about(
        anna, social_office, user=case_worker, categories=[MASTER, HOUSING], needs=[housing_need]
    )


@pytest.mark.parametrize("reason", ["", "whatever"])
def test_declining_needs_a_reason(sent, recipient, reason):
    before = rows(sent)
    with pytest.raises(ValidationError) as excinfo:
        services.decline(actor=recipient, referral=sent, reason=reason)
    assert excinfo.value.message_dict["decline_reason"] == ["Bitte wählen Sie einen Grund."]
    assert rows(sent) == before


def test_declining_for_another_reason_needs_an_explanation(sent, recipient):
    with pytest.raises(ValidationError) as excinfo:
        services.decline(actor=recipient, referral=sent, reason=DeclineReason.OTHER, note=" ")
    assert excinfo.value.message_dict["outcome_note"] == ["Bitte erläutern Sie den Grund."]

    services.decline(
        actor=recipient, referral=sent, reason=DeclineReason.OTHER, note="Umzug in anderen Kreis"
    )
    sent.refresh_from_db()
    assert (sent.status, sent.decline_reason, sent.outcome_note) == (
        Status.DECLINED,
        DeclineReason.OTHER,
        "Umzug in anderen Kreis",
    )
    assert sent.responded_at is not None


@pytest.mark.parametrize("outcome", ["", "great"])
def test_completing_needs_an_outcome(sent, recipient, outcome):
    services.accept(actor=recipient, referral=sent)
    before = rows(sent)
    with pytest.raises(ValidationError) as excinfo:
        services.complete(actor=recipient, referral=sent, outcome=outcome)
    assert excinfo.value.message_dict["outcome"] == ["Bitte wählen Sie ein Ergebnis."]
    assert rows(sent) == before


def test_accepting_records_the_handler_and_the_answer(sent, recipient):
    services.accept(actor=recipient, referral=sent)
    sent.refresh_from_db()
    assert sent.handler == recipient.user
    assert sent.responded_at is not None
    assert sent.closed_at is None


def test_recording_arrival_of_a_pointer_needs_an_answer(create, sender):
    pointer = create(kind=Kind.POINTER, categories=[])
    with pytest.raises(ValidationError):
        services.record_arrival(actor=sender, referral=pointer, outcome="")
    services.record_arrival(actor=sender, referral=pointer, outcome=PointerOutcome.NOT_ARRIVED)
    pointer.refresh_from_db()
    assert (pointer.status, pointer.pointer_outcome) == (
        Status.COMPLETED,
        PointerOutcome.NOT_ARRIVED,
    )


# --- feedback to the case file ------------------------------------------------------------------


def test_needs_are_resolved_only_after_completion(sent, sender, recipient, housing_need):
    with pytest.raises(TransitionRefused):
        services.resolve_needs(actor=sender, referral=sent)
    services.accept(actor=recipient, referral=sent)
    sent.refresh_from_db()
    with pytest.raises(TransitionRefused):
        services.resolve_needs(actor=sender, referral=sent)
    housing_need.refresh_from_db()
    assert housing_need.status == NeedStatus.OPEN

    services.complete(actor=recipient, referral=sent, outcome=Outcome.HELP_GIVEN)
    sent.refresh_from_db()  # as the next request would load it
    resolved = services.resolve_needs(actor=sender, referral=sent)

    housing_need.refresh_from_db()
    assert resolved == [housing_need]
    assert housing_need.status == NeedStatus.RESOLVED
    event = sent.events.get(kind=EventKind.NEEDS_RESOLVED)
    assert event.note == "Drohender Wohnungsverlust"
    assert event.user == sender.user

    # Again: nothing left to resolve, no second event.
    assert services.resolve_needs(actor=sender, referral=sent) == []
    assert sent.events.filter(kind=EventKind.NEEDS_RESOLVED).count() == 1


def test_only_the_sender_resolves_its_needs(sent, recipient):
    services.accept(actor=recipient, referral=sent)
    completed = services.complete(actor=recipient, referral=sent, outcome=Outcome.HELP_GIVEN)
    with pytest.raises(PermissionDenied):
        services.resolve_needs(actor=recipient, referral=completed)


# --- forwarding ------------------------------------------------------------------------------


@pytest.fixture
def forwardable(anna, social_office, agency, case_worker, housing_need):
    """Anna's consent names the Sozialamt and the agency, for master data and housing needs."""
    consent_for(anna, social_office, agency, categories=[MASTER, HOUSING])
    return services.create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=social_office,
        reason="Räumungsklage angekündigt",
        categories=[MASTER, HOUSING],
        needs=[housing_need],
    )


def test_forwarding_passes_on_only_the_chosen_categories(forwardable, recipient, agency):
    assert "needs" in forwardable.snapshot

    onward = services.forward(
        actor=recipient,
        referral=forwardable,
        recipient=agency,
        categories=[MASTER],
        message="Bitte übernehmen",
    )

    forwardable.refresh_from_db()
    assert forwardable.status == Status.FORWARDED
    assert (onward.sender, onward.recipient, onward.status) == (
        recipient.organisation,
        agency,
        Status.SENT,
    )
    assert onward.forwarded_from == forwardable
    assert onward.categories == [MASTER]
    assert onward.snapshot["person"] == forwardable.snapshot["person"]
    assert "needs" not in onward.snapshot
    assert onward.snapshot["categories"] == [MASTER]
    assert onward.snapshot["forwarded_by"] == "Sozialamt Musterkreis"
    assert set(onward.bases) == {MASTER}
    assert onward.response_due is not None
    event = last_status_event(onward)
    assert (event.from_status, event.to_status) == (Status.DRAFT, Status.SENT)


def test_forwarding_more_than_was_received_is_refused(forwardable, recipient, agency):
    before = rows(forwardable)
    with pytest.raises(ValidationError) as excinfo:
        services.forward(
            actor=recipient, referral=forwardable, recipient=agency, categories=[MASTER, HEALTH]
        )
    assert excinfo.value.message_dict["categories"] == [
        "Weitergeleitet werden nur Daten, die die Überleitung enthielt."
    ]
    assert rows(forwardable) == before


def test_forwarding_without_master_data_is_refused(forwardable, recipient, agency):
    with pytest.raises(ValidationError):
        services.forward(
            actor=recipient, referral=forwardable, recipient=agency, categories=[HOUSING]
        )
    assert Referral.objects.count() == 1


def test_forwarding_to_a_recipient_the_consent_does_not_name_is_refused(
    forwardable, recipient, network
):
    elsewhere = OrganisationFactory(
        network=network,
        name="Schuldnerberatung Süd",
        type=OrganisationType.MUNICIPAL_ADMINISTRATION,
        legal_regime=LegalRegime.SGB_XII,
    )
    before = rows(forwardable)
    with pytest.raises(ValidationError) as excinfo:
        services.forward(
            actor=recipient, referral=forwardable, recipient=elsewhere, categories=[MASTER]
        )
    assert excinfo.value.message_dict["categories"] == [
        "Keine Einwilligung für Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen) "
        "gegenüber Schuldnerberatung Süd."
    ]
    assert rows(forwardable) == before


def test_forwarding_back_to_the_sender_is_refused(forwardable, recipient, jobcenter):
    with pytest.raises(ValidationError):
        services.forward(
            actor=recipient, referral=forwardable, recipient=jobcenter, categories=[MASTER]
        )
    assert Referral.objects.count() == 1


def test_a_partner_without_statutory_duty_cannot_forward(
    partner, partner_staff, acknowledged, anna, agency, case_worker
):
    consent_for(anna, partner, agency)
    referral = services.create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=partner,
        reason="Begleitung zur Wohnungssuche",
        categories=[MASTER],
    )
    before = rows(referral)
    with pytest.raises(ValidationError) as excinfo:
        services.forward(
            actor=actor_for(partner_staff), referral=referral, recipient=agency, categories=[MASTER]
        )
    assert excinfo.value.message_dict["recipient"] == [
        "Stadtteilzentrum Nord hat die Daten nach § 78 SGB X erhalten und darf sie nicht "
        "weitergeben."
    ]
    assert rows(referral) == before


def test_the_sender_cannot_forward_its_own_referral(forwardable, sender, agency):
    with pytest.raises(PermissionDenied):
        services.forward(actor=sender, referral=forwardable, recipient=agency, categories=[MASTER])


# --- messages --------------------------------------------------------------------------------


def test_messages_need_a_body_and_a_sent_referral(create, anna, social_office, sender, sent):
    with pytest.raises(ValidationError):
        services.post_message(actor=sender, referral=sent, body="  ")
    consent_for(anna, social_office)
    draft = create(send=False, allow_duplicate=True)
    with pytest.raises(TransitionRefused):
        services.post_message(actor=sender, referral=draft, body="Hallo")

    message = services.post_message(actor=sender, referral=sent, body=" Rückruf erbeten ")
    assert (message.body, message.organisation, message.author) == (
        "Rückruf erbeten",
        sender.organisation,
        sender.user,
    )
