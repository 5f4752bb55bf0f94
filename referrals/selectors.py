"""Reads for the referral pages: inbox, outbox, the escalation overview, home counts, and the
case file's timeline entries. Every query starts from ``visible_to(actor)``."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import timeline
from core.permissions import Perm
from referrals.choices import AWAITING_RESPONSE, CLOSED_STATUSES, RUNNING, Kind, Status
from referrals.models import Referral
from referrals.querysets import overdue_q

STATUS_FILTERS = {
    "open": [*AWAITING_RESPONSE, *RUNNING],
    "waiting": list(AWAITING_RESPONSE),
    "running": list(RUNNING),
    "closed": list(CLOSED_STATUSES),
    "draft": [Status.DRAFT],
}


def _filtered(referrals, *, status="open", track="", overdue=False, escalated=False, q=""):
    if status in STATUS_FILTERS:
        referrals = referrals.filter(status__in=STATUS_FILTERS[status])
    elif status in Status.values:
        referrals = referrals.filter(status=status)
    if track:
        referrals = referrals.filter(track=track)
    if overdue:
        referrals = referrals.overdue(timezone.localdate())
    if escalated:
        referrals = referrals.filter(escalation_level__gt=0)
    if q:
        text = q.strip().upper().removeprefix("Ü-").removeprefix("H-")
        match = Q(recipient__name__icontains=q.strip()) | Q(sender__name__icontains=q.strip())
        if text.isdigit():
            match |= Q(pk=int(text))
        referrals = referrals.filter(match)
    return referrals


def inbox(actor, *, mine=False, sort="", **filters):
    referrals = _filtered(
        Referral.objects.visible_to(actor).inbox(actor.organisation), **filters
    ).select_related("sender", "recipient", "offer", "handler")
    if mine:
        referrals = referrals.filter(handler=actor.user)
    if sort == "sent":
        return referrals.order_by("-sent_at", "-pk")
    return referrals.by_urgency()


def outbox(actor, *, mine=False, sort="", kind="", **filters):
    referrals = _filtered(
        Referral.objects.visible_to(actor).outbox(actor.organisation), **filters
    ).select_related("sender", "recipient", "offer", "person", "created_by")
    if kind in Kind.values:
        referrals = referrals.filter(kind=kind)
    if mine:
        referrals = referrals.filter(created_by=actor.user)
    if sort == "due":
        return referrals.by_urgency()
    return referrals.order_by("-sent_at", "-created_at", "-pk")


def escalations(actor):
    """Network-wide overdue and escalated referrals, without anything about the person."""
    if not actor.can(Perm.VIEW_ESCALATIONS):
        return Referral.objects.none()
    return (
        Referral.objects.filter(network_id=actor.network_id, kind=Kind.REFERRAL)
        .open()
        .filter(Q(escalation_level__gt=0) | overdue_q(timezone.localdate()))
        .select_related("sender", "recipient")
        .only(
            "pk",
            "kind",
            "track",
            "status",
            "sent_at",
            "response_due",
            "completion_due",
            "escalation_level",
            "escalated_at",
            "sender__name",
            "recipient__name",
        )
        .order_by("-escalation_level", "response_due", "pk")
    )


def for_home(actor):
    if not actor.can(Perm.VIEW_REFERRALS):
        return None
    today = timezone.localdate()
    visible = Referral.objects.visible_to(actor)
    incoming = visible.inbox(actor.organisation).open()
    counts = incoming.aggregate(
        waiting=Count("pk", filter=Q(status__in=AWAITING_RESPONSE)),
        unread=Count("pk", filter=Q(status=Status.SENT)),
        overdue=Count("pk", filter=overdue_q(today)),
        running=Count("pk", filter=Q(status__in=RUNNING)),
    )
    outgoing = visible.outbox(actor.organisation).filter(kind=Kind.REFERRAL)
    counts["outgoing_open"] = outgoing.open().count()
    urgent = list(
        incoming.filter(status__in=AWAITING_RESPONSE).by_urgency().select_related("sender")[:5]
    )
    return {"counts": counts, "urgent": urgent}


def _referral_events(actor, *, persons, household, context) -> list[timeline.Event]:
    """Referrals the actor's organisation sent about these persons, with their outcome."""
    if not actor.can(Perm.VIEW_REFERRALS):
        return []
    referrals = (
        Referral.objects.visible_to(actor)
        .outbox(actor.organisation)
        .filter(person__in=[p.pk for p in persons])
        .exclude(status=Status.DRAFT)
        .select_related("recipient", "person")
    )
    events = []
    for referral in referrals:
        events.append(
            timeline.Event(
                at=referral.sent_at or referral.created_at,
                kind=referral.get_kind_display(),
                text=_("%(number)s an %(recipient)s (%(track)s)")
                % {
                    "number": referral.number,
                    "recipient": referral.recipient.name,
                    "track": referral.get_track_display(),
                },
                url=referral.get_absolute_url(),
                person=referral.person.full_name if referral.person else "",
            )
        )
        if referral.closed_at:
            events.append(
                timeline.Event(
                    at=referral.closed_at,
                    kind=_("Rückmeldung"),
                    text=_outcome_text(referral),
                    url=referral.get_absolute_url(),
                    person=referral.person.full_name if referral.person else "",
                )
            )
    return events


def _outcome_text(referral) -> str:
    detail = (
        referral.get_outcome_display()
        or referral.get_pointer_outcome_display()
        or referral.get_decline_reason_display()
    )
    text = _("%(number)s %(status)s") % {
        "number": referral.number,
        "status": referral.get_status_display(),
    }
    if detail:
        text = f"{text}: {detail}"
    if referral.outcome_note:
        text = f"{text} – {referral.outcome_note}"
    return text


timeline.register(_referral_events)
