"""Input and output schemas of the referral API.

Three shapes of a referral: ``ReferralListOut`` (metadata only, for lists), ``ReferralStateOut``
(after a step: status, answer, outcome, what can be done next) and ``ReferralOut`` (the audited
read with the snapshot, the proof of transfer and the history).
"""

from datetime import date, datetime

from ninja import Schema

from cases import categories as case_categories
from cases.api.common import _user_name
from cases.api.schemas import OfferRef, Ref
from referrals import snapshot
from referrals.api.common import _actor, actions_for, is_sender, owns_case_file
from referrals.choices import EventKind, Kind, Track

# --- output ------------------------------------------------------------------------------------


class ReferralListOut(Schema):
    """What inbox and outbox show: no snapshot, no name; the person's id only for the
    organisation whose case file the person is in (the original sender)."""

    id: int
    number: str
    kind: str
    sender: Ref
    recipient: Ref
    offer: OfferRef | None
    track: str
    status: str
    sent_at: datetime | None
    response_due: date | None
    completion_due: date | None
    is_overdue: bool
    escalation_level: int
    consent_revoked_at: datetime | None
    person_id: int | None

    @staticmethod
    def resolve_is_overdue(obj):
        return obj.is_overdue()

    @staticmethod
    def resolve_person_id(obj, context):
        return obj.person_id if owns_case_file(_actor(context), obj) else None


class ReferralStateOut(ReferralListOut):
    received_at: datetime | None
    responded_at: datetime | None
    closed_at: datetime | None
    handler: str
    decline_reason: str
    outcome: str
    pointer_outcome: str
    outcome_note: str
    forwarded_from_id: int | None
    actions: list[str]  # what the caller can do now: ``/actions/{name}``, "forward"

    @staticmethod
    def resolve_handler(obj):
        return _user_name(obj.handler)

    @staticmethod
    def resolve_forwarded_from_id(obj, context):
        # The referral it came from is the forwarding organisation's, not the new recipient's.
        return obj.forwarded_from_id if is_sender(_actor(context), obj) else None

    @staticmethod
    def resolve_actions(obj, context):
        return actions_for(_actor(context), obj)


class BasisOut(Schema):
    """Proof of transfer: one category that travelled and its legal basis at sending time."""

    category: str
    label: str
    basis: str
    consent_id: int | None
    statute_id: int | None


class EventOut(Schema):
    kind: str
    from_status: str
    to_status: str
    note: str
    at: datetime
    user: str
    organisation: Ref | None

    @staticmethod
    def resolve_user(obj):
        return _user_name(obj.user)


class ReferralOut(ReferralStateOut):
    side: str  # "sender" or "recipient": which end of the referral the caller is
    household_id: int | None
    need_ids: list[int]
    reason: str
    message: str
    categories: list[str]
    snapshot: dict
    bases: list[BasisOut]
    events: list[EventOut]

    @staticmethod
    def resolve_side(obj, context):
        return "sender" if is_sender(_actor(context), obj) else "recipient"

    @staticmethod
    def resolve_household_id(obj, context):
        return obj.household_id if owns_case_file(_actor(context), obj) else None

    @staticmethod
    def resolve_need_ids(obj, context):
        if not owns_case_file(_actor(context), obj):
            return []
        return sorted(obj.needs.values_list("pk", flat=True))

    @staticmethod
    def resolve_categories(obj):
        return list(obj.categories)

    @staticmethod
    def resolve_snapshot(obj, context):
        """What the recipient received, health data only for roles that may see it; what was
        left out (and why) only for the sender, as on the page."""
        actor = _actor(context)
        return snapshot.shown_to(actor, obj, is_sender=is_sender(actor, obj))

    @staticmethod
    def resolve_bases(obj):
        labels = dict(case_categories.choices_for_network(obj.network_id))
        return [
            {
                "category": code,
                "label": labels.get(code, code),
                "basis": entry.get("basis", ""),
                "consent_id": entry.get("consent"),
                "statute_id": entry.get("statute"),
            }
            for code, entry in obj.bases.items()
        ]

    @staticmethod
    def resolve_events(obj, context):
        events = obj.events.select_related("user", "organisation")
        if not is_sender(_actor(context), obj):
            # Resolving needs is a note in the sender's case file; its labels may name needs
            # that never travelled (e.g. health needs), so the recipient does not get them.
            events = events.exclude(kind=EventKind.NEEDS_RESOLVED)
        return list(events)


class MessageOut(Schema):
    id: int
    organisation: Ref
    author: str
    body: str
    created_at: datetime

    @staticmethod
    def resolve_author(obj):
        return _user_name(obj.author)


class DuplicateRef(Schema):
    id: int
    number: str
    status: str


class ConflictOut(Schema):
    """409: a step the current status does not allow (``detail`` only) or possible duplicates
    (``duplicates``: the open referrals of the person to the same organisation or offer)."""

    detail: str
    duplicates: list[DuplicateRef] = []


class ActionStateOut(Schema):
    action: str
    label: str
    possible: bool


class CategoryRef(Schema):
    code: str
    label: str


class ForwardOptionsOut(Schema):
    possible: bool
    reason: str  # why not, in German ("" when possible)
    categories: list[CategoryRef]  # what may travel on (at most what the referral carried)


class CategoryOptionOut(Schema):
    code: str
    label: str
    allowed: bool
    reason: str  # the policy's German answer, e.g. "Keine Einwilligung für … gegenüber …"
    legal_basis: str  # the basis that would be recorded ("" when not allowed)


class ReferralOptionsOut(Schema):
    person_id: int
    recipient: Ref
    categories: list[CategoryOptionOut]


# --- input -------------------------------------------------------------------------------------


class ReferralIn(Schema):
    person_id: int  # a person of the own case file
    recipient_id: int | None = None  # an organisation of the network …
    offer_id: int | None = None  # … or one of its offers (then recipient_id may be left out)
    need_ids: list[int] = []  # open needs of the person the referral is about
    reason: str
    track: Track = Track.STANDARD
    message: str = ""
    categories: list[str] = []  # data categories that travel (``master_data`` is required)
    kind: Kind = Kind.REFERRAL  # "pointer": an advisory pointer, no data travels
    send: bool = True  # false: keep as a draft (send later with ``/actions/send``)
    allow_duplicate: bool = False  # true: send although an open referral to the target exists


class ActionIn(Schema):
    """``decline``: ``decline_reason`` (+ ``note``); ``complete``: ``outcome`` (+ ``note``);
    ``record_arrival``: ``outcome`` arrived/not_arrived/unknown (+ ``note``); ``withdraw``:
    ``note``; ``send``: ``allow_duplicate``. ``accept`` and ``start`` need no body."""

    decline_reason: str = ""
    outcome: str = ""
    note: str = ""
    allow_duplicate: bool = False


class ForwardIn(Schema):
    recipient_id: int | None = None
    offer_id: int | None = None
    categories: list[str]  # the same or fewer categories than the referral carried
    message: str = ""


class MessageIn(Schema):
    body: str
    no_new_personal_data: bool = False  # required (true) once the consent has been revoked
