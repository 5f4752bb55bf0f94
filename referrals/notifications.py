"""Who hears about what happens to a referral. Texts name organisations, the reference number and
dates only, never the person: they also go out by e-mail (``core.notifications``)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.choices import Role
from core.models import Membership
from core.notifications import in_default_language, notify

HANDLING_ROLES = (Role.CASE_WORKER, Role.TEAM_LEAD, Role.PARTNER_STAFF)


def staff(organisation, roles=HANDLING_ROLES):
    from core.models import User

    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(organisation=organisation, role__in=roles)
        .values("user_id"),
        is_active=True,
    )


def network_staff(network, roles):
    from core.models import User

    return User.objects.filter(
        pk__in=Membership.objects.active()
        .filter(network=network, role__in=roles)
        .values("user_id"),
        is_active=True,
    )


def _date(day) -> str:
    return day.strftime("%d.%m.%Y") if day else ""


def _recipient_side(referral):
    """The handler if someone took it on, else everyone who handles referrals there."""
    if referral.handler_id:
        return [referral.handler]
    return list(staff(referral.recipient))


def _sender_side(referral):
    if referral.created_by_id and referral.created_by.is_active:
        return [referral.created_by]
    return list(staff(referral.sender))


@in_default_language
def referral_sent(referral) -> None:
    text = _("Neue Überleitung %(number)s von %(sender)s (%(track)s), Antwort bis %(due)s") % {
        "number": referral.number,
        "sender": referral.sender.name,
        "track": referral.get_track_display(),
        "due": _date(referral.response_due),
    }
    notify(
        staff(referral.recipient),
        text=text,
        url=referral.get_absolute_url(),
        key=f"referral:{referral.pk}:sent",
        organisation=referral.recipient,
    )


@in_default_language
def referral_answered(referral) -> None:
    text = _("Überleitung %(number)s an %(recipient)s: %(status)s") % {
        "number": referral.number,
        "recipient": referral.recipient.name,
        "status": referral.get_status_display(),
    }
    notify(
        _sender_side(referral),
        text=text,
        url=referral.get_absolute_url(),
        key=f"referral:{referral.pk}:status:{referral.status}",
        organisation=referral.sender,
    )


@in_default_language
def referral_withdrawn(referral) -> None:
    text = _("Überleitung %(number)s von %(sender)s wurde zurückgezogen") % {
        "number": referral.number,
        "sender": referral.sender.name,
    }
    notify(
        _recipient_side(referral),
        text=text,
        url=referral.get_absolute_url(),
        key=f"referral:{referral.pk}:withdrawn",
        organisation=referral.recipient,
    )


@in_default_language
def message_posted(referral, message, side: str) -> None:
    from referrals.transitions import SENDER

    if side == SENDER:
        users, organisation = _recipient_side(referral), referral.recipient
    else:
        users, organisation = _sender_side(referral), referral.sender
    text = _("Neue Nachricht von %(author_org)s zu Überleitung %(number)s") % {
        "author_org": message.organisation.name,
        "number": referral.number,
    }
    notify(
        [user for user in users if user.pk != message.author_id],
        text=text,
        url=f"{referral.get_absolute_url()}#nachrichten",
        key=f"referral:{referral.pk}:message:{message.pk}",
        organisation=organisation,
    )


@in_default_language
def consent_revoked(referral) -> None:
    text = _(
        "Die Einwilligung zu Überleitung %(number)s wurde widerrufen – keine neuen Daten mehr"
    ) % {"number": referral.number}
    notify(
        _recipient_side(referral),
        text=text,
        url=referral.get_absolute_url(),
        key=f"referral:{referral.pk}:revoked",
        organisation=referral.recipient,
    )


@in_default_language
def escalated(referral, level: int, phase: str, users, organisation=None) -> None:
    due = referral.response_due if phase == "response" else referral.completion_due
    if phase == "response":
        text = _(
            "Frist überschritten: Überleitung %(number)s von %(sender)s an %(recipient)s "
            "ist seit %(due)s unbeantwortet"
        )
    else:
        text = _(
            "Ziel überschritten: Überleitung %(number)s von %(sender)s an %(recipient)s "
            "sollte bis %(due)s erledigt sein"
        )
    notify(
        users,
        text=text
        % {
            "number": referral.number,
            "sender": referral.sender.name,
            "recipient": referral.recipient.name,
            "due": _date(due),
        },
        url=referral.get_absolute_url() if level == 1 else reverse("referrals:escalations"),
        key=f"referral:{referral.pk}:escalation:{phase}:{level}",
        organisation=organisation,
    )
