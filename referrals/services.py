"""Writes to referrals. Every change is validated, checked against the lifecycle table, made under
a row lock (two users accepting at once: one wins, the other is told), recorded as an event and
audited. Views and the API call these functions and never save referrals themselves.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cases import categories as case_categories
from cases.choices import OPEN_NEED_STATUSES, NeedStatus
from cases.models import Consent, Need, Person
from cases.policy import may_pass_on
from cases.services import save_need
from core import audit, workdays
from core.choices import AuditAction
from core.concurrency import StaleEditError
from core.notifications import in_default_language
from core.permissions import Perm
from referrals import notifications, snapshot
from referrals.choices import (
    AWAITING_RESPONSE,
    RUNNING,
    DeclineReason,
    EventKind,
    Kind,
    OnRevocation,
    Outcome,
    PointerOutcome,
    Status,
    Track,
)
from referrals.models import (
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralSettings,
    deadlines_for,
)
from referrals.snapshot import narrowed_snapshot
from referrals.transitions import ACTIONS, RECIPIENT, SENDER, allowed

PURPOSE_REFERRAL = "Überleitung"
PURPOSE_HANDLING = "Bearbeitung einer Überleitung"
PURPOSE_REVOCATION = "Widerruf der Einwilligung"


class TransitionRefused(Exception):
    """The referral is not in a state that allows this step (or someone else was faster)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class DuplicateReferral(Exception):
    """An open referral for the same person to the same organisation or offer exists."""

    def __init__(self, matches):
        super().__init__("possible duplicate referral")
        self.matches = list(matches)


# --- helpers ---------------------------------------------------------------------------------


def side_of(actor, referral: Referral) -> str | None:
    if actor.organisation is None:
        return None
    if referral.sender_id == actor.organisation.pk:
        return SENDER
    if referral.recipient_id == actor.organisation.pk:
        return RECIPIENT
    return None


def _require_side(actor, referral, side: str) -> None:
    perm = Perm.SEND_REFERRALS if side == SENDER else Perm.HANDLE_REFERRALS
    actor.require(perm)
    if side_of(actor, referral) != side:
        raise PermissionDenied


def _audit(actor, action, referral, obj=None, purpose=PURPOSE_HANDLING, legal_basis=""):
    audit.record(
        actor=actor,
        action=action,
        obj=obj or referral,
        subject=referral.person_id and f"cases.person:{referral.person_id}",
        purpose=purpose,
        legal_basis=legal_basis or basis_text(referral),
    )


def basis_text(referral: Referral) -> str:
    """The legal bases of what travelled, one per distinct basis (for audit and proof)."""
    return "; ".join(sorted({entry["basis"] for entry in referral.bases.values()}))


def _event(referral, actor, kind, *, before="", after="", note="", user=None, organisation=None):
    return ReferralEvent.objects.create(
        network_id=referral.network_id,
        referral=referral,
        kind=kind,
        from_status=before,
        to_status=after,
        note=note,
        user=user if user is not None else getattr(actor, "user", None),
        organisation=organisation or getattr(actor, "organisation", None),
    )


def recorded_bases(decisions, codes) -> dict:
    """The proof of transfer per category. A legal record: always in German, whatever language
    the sender's screen shows."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            code: {
                "basis": decisions[code].legal_basis,
                "consent": decisions[code].consent.pk if decisions[code].consent else None,
                "statute": decisions[code].statute.pk if decisions[code].statute else None,
            }
            for code in codes
        }


def compute_deadlines(network, track: str, sent_at, sender=None, recipient=None) -> tuple:
    """Answer and completion deadlines; the day of sending does not count (§ 26 SGB X)."""
    sent_on = timezone.localdate(sent_at)
    response_days, completion_days = deadlines_for(network, track, sender, recipient, sent_on)
    return (
        network.add_working_days(sent_on, response_days),
        network.add_working_days(sent_on, completion_days),
    )


def _lock(referral: Referral) -> Referral:
    # Lock the referral row only (``of``), and as FOR NO KEY UPDATE: a plain FOR UPDATE with
    # select_related would also lock the network row, which every insert of a network-owned
    # row checks (FOR KEY SHARE) at commit. With the audit chain's lock taken afterwards, that
    # could deadlock against any audited write in the network, and a message or event referring
    # to this referral would wait for the lock too.
    locked = (
        Referral.objects.select_for_update(no_key=True, of=("self",))
        .select_related("network")
        .get(pk=referral.pk)
    )
    # Compare-and-set on the version as well: SQLite ignores SELECT … FOR UPDATE.
    locked._expected_version = locked.version
    return locked


def refuse_transition(action_name: str, referral: Referral) -> TransitionRefused:
    action = ACTIONS[action_name]
    if referral.kind not in action.kinds:
        if referral.kind == Kind.POINTER:
            text = _("„%(action)s“ gibt es bei einem beratenden Hinweis nicht.")
        else:
            text = _("„%(action)s“ gibt es nur bei beratenden Hinweisen.")
        return TransitionRefused(text % {"action": action.label})
    # Not "ist bereits …": a draft cannot be accepted, but it is not "already" a draft.
    return TransitionRefused(
        _("„%(action)s“ ist nicht möglich: Die Überleitung hat den Status „%(status)s“.")
        % {"action": action.label, "status": referral.get_status_display()}
    )


def person_municipality_id(person) -> int | None:
    household = person.household
    return household.municipality_id if household is not None else person.municipality_id


def record_workdays(referral: Referral) -> None:
    """Working days from sending to the answer and to completion, in the network's calendar."""
    if referral.sent_at is None:
        return
    sent_on = timezone.localdate(referral.sent_at)
    state = referral.network.federal_state
    if referral.responded_at is not None and referral.response_workdays is None:
        answered_on = timezone.localdate(referral.responded_at)
        referral.response_workdays = workdays.working_days_between(sent_on, answered_on, state)
    if referral.status == Status.COMPLETED and referral.completion_workdays is None:
        closed_on = timezone.localdate(referral.closed_at)
        referral.completion_workdays = workdays.working_days_between(sent_on, closed_on, state)


def _save_locked(locked: Referral) -> None:
    try:
        locked.save()
    except StaleEditError as exc:
        raise TransitionRefused(
            _(
                "Jemand anderes hat die Überleitung gerade bearbeitet. "
                "Bitte laden Sie die Seite neu."
            )
        ) from exc


def _transition(actor, referral: Referral, action_name: str, apply=None, note: str = ""):
    """Lock, check the lifecycle table and the side, change, record the event, audit."""
    action = ACTIONS[action_name]
    _require_side(actor, referral, action.side)
    locked = _lock(referral)
    if not allowed(action, locked.kind, locked.status):
        raise refuse_transition(action_name, locked)
    before = locked.status
    now = timezone.now()
    locked.status = action.target
    if apply is not None:
        apply(locked, now)
    if locked.is_closed:
        locked.closed_at = now
    record_workdays(locked)
    _save_locked(locked)
    _event(locked, actor, EventKind.STATUS, before=before, after=locked.status, note=note)
    _audit(actor, AuditAction.UPDATE, locked)
    return locked


# --- creating and sending ----------------------------------------------------------------------


def _validate_target(actor, recipient, offer):
    if offer is not None:
        if offer.network_id != actor.network_id:
            raise ValidationError({"offer": _("Das Angebot gehört nicht zum Netzwerk.")})
        if recipient is None:
            recipient = offer.organisation
        elif offer.organisation_id != recipient.pk:
            raise ValidationError(
                {"offer": _("Das Angebot gehört nicht zur gewählten Organisation.")}
            )
    if recipient is None:
        raise ValidationError(
            {"recipient": _("Bitte wählen Sie eine Organisation oder ein Angebot.")}
        )
    if recipient.network_id != actor.network_id:
        raise ValidationError(
            {"recipient": _("%(name)s gehört nicht zum Netzwerk.") % {"name": recipient.name}}
        )
    if recipient.pk == actor.organisation.pk:
        raise ValidationError({"recipient": _("Die eigene Organisation ist kein Empfänger.")})
    if not recipient.is_active:
        raise ValidationError(
            {"recipient": _("%(name)s ist nicht mehr aktiv.") % {"name": recipient.name}}
        )
    return recipient


def open_duplicates(person: Person, recipient, offer=None):
    """Open referrals of the same person to the same organisation or offer."""
    found = Referral.objects.filter(person=person, kind=Kind.REFERRAL).filter(
        status__in=[Status.DRAFT, *AWAITING_RESPONSE, *RUNNING]
    )
    if offer is not None:
        return found.filter(offer=offer) | found.filter(recipient=recipient, offer__isnull=True)
    return found.filter(recipient=recipient)


@transaction.atomic
def create_referral(
    *,
    actor,
    person: Person,
    reason: str,
    recipient=None,
    offer=None,
    needs=(),
    track: str = Track.STANDARD,
    message: str = "",
    categories=(),
    kind: str = Kind.REFERRAL,
    send: bool = True,
    allow_duplicate: bool = False,
) -> Referral:
    """Create a referral (sent at once unless ``send`` is false) or record an advisory pointer."""
    actor.require(Perm.SEND_REFERRALS)
    if person.organisation_id != actor.organisation.pk:
        raise PermissionDenied
    recipient = _validate_target(actor, recipient, offer)
    errors = {}
    if not (reason or "").strip():
        errors["reason"] = _("Bitte beschreiben Sie den Anlass.")
    if kind not in Kind.values:
        errors["kind"] = _("Unbekannte Art.")
    if track not in Track.values:
        errors["track"] = _("Unbekannte Dringlichkeit.")
    needs = list(needs)
    if any(need.person_id != person.pk for need in needs):
        errors["needs"] = _("Die Bedarfe gehören zu einer anderen Person.")
    categories = sorted(set(categories))
    if kind == Kind.POINTER and categories:
        errors["categories"] = _("Bei einem beratenden Hinweis werden keine Daten übermittelt.")
    known = {code for code, _label in case_categories.choices_for_network(person.network_id)}
    if set(categories) - known:
        errors["categories"] = _("Unbekannte Datenkategorie.")
    if errors:
        raise ValidationError(errors)
    referral = Referral.objects.create(
        network_id=actor.network_id,
        kind=kind,
        sender=actor.organisation,
        recipient=recipient,
        offer=offer,
        person=person,
        household_id=person.household_id,
        reason=reason.strip(),
        track=track,
        message=message.strip(),
        categories=categories,
        created_by=actor.user,
    )
    referral.needs.set(needs)
    _event(referral, actor, EventKind.STATUS, after=Status.DRAFT)
    _audit(actor, AuditAction.CREATE, referral, purpose=PURPOSE_REFERRAL, legal_basis="-")
    if kind == Kind.POINTER:
        return _record_pointer(actor, referral)
    if send:
        return send_referral(actor=actor, referral=referral, allow_duplicate=allow_duplicate)
    return referral


def _record_pointer(actor, referral: Referral) -> Referral:
    """A pointer carries no data: it is recorded as sent and never reaches the recipient."""
    referral.status = Status.SENT
    referral.sent_at = timezone.now()
    referral.municipality_id = person_municipality_id(referral.person)
    referral.save()
    _event(referral, actor, EventKind.STATUS, before=Status.DRAFT, after=Status.SENT)
    return referral


@transaction.atomic
def send_referral(*, actor, referral: Referral, allow_duplicate: bool = False) -> Referral:
    """Check the legal basis of every chosen category now, freeze the snapshot and send."""
    _require_side(actor, referral, SENDER)
    locked = _lock(referral)
    if not allowed(ACTIONS["send"], locked.kind, locked.status):
        raise refuse_transition("send", locked)
    person = locked.person
    if person is None:
        raise TransitionRefused(_("Die Person ist nicht mehr in der Akte."))
    if not allow_duplicate:
        duplicates = open_duplicates(person, locked.recipient, locked.offer).exclude(pk=locked.pk)
        if duplicates.exists():
            raise DuplicateReferral(duplicates)
    now = timezone.now()
    decisions = snapshot.decisions_for(person, locked.recipient, at=now)
    refused = {code: decisions[code] for code in locked.categories if not decisions[code]}
    if refused:
        raise ValidationError({"categories": [decision.reason for decision in refused.values()]})
    if case_categories.MASTER_DATA not in locked.categories:
        raise ValidationError(
            {
                "categories": _(
                    "Ohne Stammdaten kann die empfangende Stelle nicht handeln. Gibt es dafür "
                    "keine Rechtsgrundlage, erfassen Sie stattdessen einen beratenden Hinweis."
                )
            }
        )
    data, excluded = snapshot.build(
        person=person,
        recipient=locked.recipient,
        chosen=locked.categories,
        needs=list(locked.needs.select_related("problem_situation", "entrusted_by")),
        at=now,
        sender_name=locked.sender.name,
    )
    if excluded:
        data["excluded"] = [{"label": item.label, "reason": item.reason} for item in excluded]
    locked.snapshot = data
    locked.bases = recorded_bases(decisions, locked.categories)
    locked.status = Status.SENT
    locked.sent_at = now
    locked.response_due, locked.completion_due = compute_deadlines(
        locked.network, locked.track, now, locked.sender, locked.recipient
    )
    locked.municipality_id = person_municipality_id(person)
    _save_locked(locked)
    locked.consents.set(
        {decisions[code].consent.pk for code in locked.categories if decisions[code].consent}
    )
    _event(locked, actor, EventKind.STATUS, before=Status.DRAFT, after=Status.SENT)
    _audit(actor, AuditAction.TRANSFER, locked, purpose=PURPOSE_REFERRAL)
    notifications.referral_sent(locked)
    return locked


# --- the recipient's side ----------------------------------------------------------------------


def _mark_received(locked, now):
    locked.received_at = now


@transaction.atomic
def record_view(*, actor, referral: Referral) -> Referral:
    """Every view of a snapshot is audited; the recipient's first view marks it received."""
    side = side_of(actor, referral)
    if side is None:
        raise PermissionDenied
    if side == RECIPIENT and referral.status == Status.SENT and actor.can(Perm.HANDLE_REFERRALS):
        try:
            referral = _transition(actor, referral, "receive", _mark_received)
        except TransitionRefused:
            referral.refresh_from_db()  # a colleague opened it at the same moment
    if referral.snapshot:
        _audit(actor, AuditAction.VIEW, referral)
    return referral


@transaction.atomic
def accept(*, actor, referral: Referral) -> Referral:
    def apply(locked, now):
        locked.responded_at = now
        locked.handler = actor.user
        locked.escalation_level = 0  # the answer came; only the completion target runs now

    locked = _transition(actor, referral, "accept", apply)
    notifications.referral_answered(locked)
    return locked


@transaction.atomic
def decline(*, actor, referral: Referral, reason: str, note: str = "") -> Referral:
    if reason not in DeclineReason.values:
        raise ValidationError({"decline_reason": _("Bitte wählen Sie einen Grund.")})
    if reason == DeclineReason.OTHER and not note.strip():
        raise ValidationError({"outcome_note": _("Bitte erläutern Sie den Grund.")})

    def apply(locked, now):
        locked.responded_at = now
        locked.decline_reason = reason
        locked.outcome_note = note.strip()
        locked.handler = actor.user

    locked = _transition(actor, referral, "decline", apply, note=note.strip())
    notifications.referral_answered(locked)
    return locked


@transaction.atomic
def start(*, actor, referral: Referral) -> Referral:
    return _transition(actor, referral, "start")


@transaction.atomic
def complete(*, actor, referral: Referral, outcome: str, note: str = "") -> Referral:
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Bitte wählen Sie ein Ergebnis.")})

    def apply(locked, now):
        locked.outcome = outcome
        locked.outcome_note = note.strip()

    locked = _transition(actor, referral, "complete", apply, note=note.strip())
    notifications.referral_answered(locked)
    return locked


@transaction.atomic
def forward(
    *, actor, referral: Referral, recipient=None, offer=None, categories=(), message: str = ""
) -> Referral:
    """Pass the referral on with the same or narrower data; the original is closed as forwarded.

    The holder must be allowed to pass data on at all (§ 78 SGB X), the consent behind the
    referral must not be revoked, and the data subject's controller's legal basis must cover
    the new recipient for every category that travels on.
    """
    _require_side(actor, referral, RECIPIENT)
    holder = may_pass_on(actor.organisation)
    if not holder:
        raise ValidationError({"recipient": holder.reason})
    if referral.is_consent_revoked:
        raise ValidationError(
            {"recipient": _("Die Einwilligung wurde widerrufen; die Daten dürfen nicht weiter.")}
        )
    recipient = _validate_target(actor, recipient, offer)
    categories = sorted(set(categories))
    if not set(categories) <= set(referral.categories):
        raise ValidationError(
            {"categories": _("Weitergeleitet werden nur Daten, die die Überleitung enthielt.")}
        )
    if case_categories.MASTER_DATA not in categories:
        raise ValidationError({"categories": _("Ohne Stammdaten ist keine Weiterleitung möglich.")})
    person = referral.person
    if person is None:
        raise ValidationError(
            {"recipient": _("Die Fallakte der sendenden Stelle besteht nicht mehr.")}
        )
    if recipient.pk == referral.sender_id:
        raise ValidationError(
            {"recipient": _("Zurück an die sendende Stelle geht es mit „Ablehnen“.")}
        )
    now = timezone.now()
    decisions = snapshot.decisions_for(person, recipient, at=now)
    refused = [decisions[code].reason for code in categories if not decisions[code]]
    if refused:
        raise ValidationError({"categories": refused})

    def apply(locked, moment):
        locked.responded_at = locked.responded_at or moment
        locked.handler = actor.user

    with translation.override(settings.LANGUAGE_CODE):
        note = _("an %(name)s") % {"name": recipient.name}
    original = _transition(actor, referral, "forward", apply, note=note)
    data = narrowed_snapshot(original.snapshot, categories)
    data["taken_at"] = now.isoformat()
    data["forwarded_by"] = actor.organisation.name
    onward = Referral.objects.create(
        network_id=actor.network_id,
        kind=Kind.REFERRAL,
        sender=actor.organisation,
        recipient=recipient,
        offer=offer,
        person=person,
        household_id=original.household_id,
        reason=original.reason,
        track=original.track,
        message=message.strip(),
        categories=categories,
        bases=recorded_bases(decisions, categories),
        snapshot=data,
        status=Status.SENT,
        sent_at=now,
        created_by=actor.user,
        forwarded_from=original,
        municipality_id=original.municipality_id,
    )
    onward.response_due, onward.completion_due = compute_deadlines(
        original.network, onward.track, now, onward.sender, onward.recipient
    )
    onward.save()
    onward.consents.set(
        {decisions[code].consent.pk for code in categories if decisions[code].consent}
    )
    _event(onward, actor, EventKind.STATUS, before=Status.DRAFT, after=Status.SENT)
    _audit(actor, AuditAction.TRANSFER, onward, purpose=PURPOSE_REFERRAL)
    notifications.referral_sent(onward)
    notifications.referral_answered(original)
    return onward


# --- the sender's side -----------------------------------------------------------------------


@transaction.atomic
def withdraw(*, actor, referral: Referral, note: str = "") -> Referral:
    locked = _transition(actor, referral, "withdraw", note=note.strip())
    if locked.sent_at is not None:
        notifications.referral_withdrawn(locked)
    return locked


@transaction.atomic
def record_arrival(*, actor, referral: Referral, outcome: str, note: str = "") -> Referral:
    if outcome not in PointerOutcome.values:
        raise ValidationError({"pointer_outcome": _("Bitte wählen Sie eine Antwort.")})

    def apply(locked, now):
        locked.pointer_outcome = outcome
        locked.outcome_note = note.strip()

    return _transition(actor, referral, "record_arrival", apply, note=note.strip())


@transaction.atomic
def resolve_needs(*, actor, referral: Referral) -> list[Need]:
    """Close the needs the referral was about, from the outcome the recipient reported."""
    _require_side(actor, referral, SENDER)
    actor.require(Perm.EDIT_CASES)
    referral = _lock(referral)  # the status as it is now, not as the caller last read it
    if referral.status != Status.COMPLETED:
        raise TransitionRefused(_("Erst wenn die Überleitung abgeschlossen ist."))
    resolved = []
    for need in referral.needs.filter(status__in=OPEN_NEED_STATUSES):
        need.status = NeedStatus.RESOLVED
        resolved.append(save_need(actor=actor, need=need))
    if resolved:
        _event(
            referral,
            actor,
            EventKind.NEEDS_RESOLVED,
            note=", ".join(need.problem_situation.label for need in resolved),
        )
    return resolved


# --- the thread ----------------------------------------------------------------------------------


@transaction.atomic
def post_message(
    *, actor, referral: Referral, body: str, no_new_personal_data: bool = False
) -> ReferralMessage:
    """A message between the two organisations. After a revocation only messages that carry no
    new personal data may be written, and the writer has to confirm that."""
    side = side_of(actor, referral)
    if side is None:
        raise PermissionDenied
    actor.require(Perm.HANDLE_REFERRALS)
    if referral.status == Status.DRAFT or referral.kind != Kind.REFERRAL:
        raise TransitionRefused(_("Nachrichten gibt es erst, wenn die Überleitung gesendet ist."))
    if not body.strip():
        raise ValidationError({"body": _("Bitte schreiben Sie eine Nachricht.")})
    if referral.is_consent_revoked and not no_new_personal_data:
        raise ValidationError(
            {
                "no_new_personal_data": _(
                    "Die Einwilligung wurde widerrufen. Nachrichten dürfen keine neuen Angaben "
                    "zur Person enthalten – bitte bestätigen Sie das."
                )
            }
        )
    message = ReferralMessage.objects.create(
        network_id=referral.network_id,
        referral=referral,
        organisation=actor.organisation,
        author=actor.user,
        body=body.strip(),
    )
    _audit(actor, AuditAction.CREATE, referral, obj=message)
    notifications.message_posted(referral, message, side)
    return message


# --- revocation ----------------------------------------------------------------------------------


@transaction.atomic
@in_default_language
def apply_revocation(consent: Consent, actor=None) -> list[Referral]:
    """Mark every referral that relied on ``consent``; close open ones if the network says so.

    What was shared stays with the recipient, marked; nothing new may follow (messages need a
    confirmation, forwarding is refused, the API and exports show the mark).
    """
    rules = ReferralSettings.for_network(consent.network)
    affected = []
    for referral in consent.referrals.filter(consent_revoked_at__isnull=True):
        locked = _lock(referral)  # the same lock as every transition; the save bumps the version
        locked.consent_revoked_at = consent.revoked_at
        before = locked.status
        close = rules.on_revocation == OnRevocation.CLOSE and before in (
            *AWAITING_RESPONSE,
            *RUNNING,
        )
        if close:
            locked.status = Status.WITHDRAWN
            locked.closed_at = timezone.now()
        locked.save()
        _event(
            locked,
            actor,
            EventKind.REVOCATION,
            before=before if close else "",
            after=locked.status if close else "",
            note=_("Die Überleitung wurde beendet.") if close else _("Keine neuen Daten mehr."),
        )
        if actor is not None:
            _audit(actor, AuditAction.UPDATE, locked, purpose=PURPOSE_REVOCATION)
        notifications.consent_revoked(locked)
        affected.append(locked)
    return affected
