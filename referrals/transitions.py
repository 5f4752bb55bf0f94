"""Which status change is allowed from where, and by which side: the one table of the lifecycle.

draft → sent → received (first opened by the recipient) → accepted / declined / forwarded →
in progress → completed; the sender may withdraw until it is closed. Advisory pointers are only
recorded and later get the arrival answer.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from referrals.choices import Kind, Status

SENDER = "sender"
RECIPIENT = "recipient"


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    side: str
    kinds: tuple[str, ...] = (Kind.REFERRAL,)


ACTIONS = {
    action.name: action
    for action in (
        Action("send", _("senden"), (Status.DRAFT,), Status.SENT, SENDER),
        Action(
            "receive", _("als eingegangen markieren"), (Status.SENT,), Status.RECEIVED, RECIPIENT
        ),
        Action("accept", _("annehmen"), (Status.SENT, Status.RECEIVED), Status.ACCEPTED, RECIPIENT),
        Action(
            "decline", _("ablehnen"), (Status.SENT, Status.RECEIVED), Status.DECLINED, RECIPIENT
        ),
        Action(
            "forward",
            _("weiterleiten"),
            (Status.SENT, Status.RECEIVED, Status.ACCEPTED),
            Status.FORWARDED,
            RECIPIENT,
        ),
        Action(
            "start", _("Bearbeitung beginnen"), (Status.ACCEPTED,), Status.IN_PROGRESS, RECIPIENT
        ),
        Action(
            "complete",
            _("abschließen"),
            (Status.ACCEPTED, Status.IN_PROGRESS),
            Status.COMPLETED,
            RECIPIENT,
        ),
        Action(
            "withdraw",
            _("zurückziehen"),
            (Status.DRAFT, Status.SENT, Status.RECEIVED, Status.ACCEPTED, Status.IN_PROGRESS),
            Status.WITHDRAWN,
            SENDER,
        ),
        Action(
            "record_arrival",
            _("Ankunft erfassen"),
            (Status.SENT,),
            Status.COMPLETED,
            SENDER,
            kinds=(Kind.POINTER,),
        ),
    )
}


def allowed(action: Action, kind: str, status: str) -> bool:
    return kind in action.kinds and status in action.sources


def available(kind: str, status: str, side: str) -> list[Action]:
    """What the given side can do now (buttons, API hints). ``receive`` happens by opening."""
    return [
        action
        for action in ACTIONS.values()
        if action.side == side
        and action.name not in ("receive", "send")
        and allowed(action, kind, status)
    ]
