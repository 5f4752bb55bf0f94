"""Input and output schemas of the conference API.

Two shapes of a conference: ``ConferenceListOut`` (metadata only, for lists and after a step)
and ``ConferenceOut`` (the audited read with the agenda as the caller's organisation may see
it). Agenda items and actions are built as dicts in ``conferences.api.common`` from the
``disclosure`` view, so a schema can never pick up the stored identity of another organisation's
item by attribute name.
"""

from datetime import date, datetime

from ninja import Schema

from cases.api.common import _user_name
from cases.api.schemas import Ref
from conferences.api.common import _actor, may_cancel, may_hold
from conferences.choices import ActionStatus, Frequency, Presentation

# --- output ------------------------------------------------------------------------------------


class ConferenceConflictOut(Schema):
    detail: str


class ConferenceListOut(Schema):
    id: int
    version: int
    title: str
    starts_at: datetime
    ends_at: datetime
    location: str
    video_url: str
    organiser: Ref
    invited_organisations: list[Ref]
    status: str
    cancel_reason: str
    series_id: int | None
    item_count: int
    open_actions: int
    actions: list[str]  # what the caller can do now: ``/actions/{name}``

    @staticmethod
    def resolve_invited_organisations(obj):
        return sorted(obj.invited_organisations.all(), key=lambda o: (o.name, o.pk))

    @staticmethod
    def resolve_actions(obj, context):
        actor = _actor(context)
        checks = (("hold", may_hold), ("cancel", may_cancel))
        return [name for name, check in checks if check(actor, obj)]


class SharedCaseOut(Schema):
    """The pseudonymised part every participant reads."""

    municipality: str
    presented: dict  # role and age band of the person presented
    household: list[dict]  # role and age band of each member, ``presented`` marks the person


class PresentedNeedOut(Schema):
    label: str
    group: str
    severity: str
    special: bool


class IdentityOut(Schema):
    name: str
    birth_date: str
    address: str
    household_number: str


class AgreedActionOut(Schema):
    id: int
    version: int
    conference_id: int
    item_id: int | None
    title: str
    owner: Ref
    owner_user: str
    owner_user_id: int | None
    due_date: date
    status: str
    status_note: str
    done_at: datetime | None
    is_overdue: bool
    referral_id: int | None
    may_update: bool  # whether ``/conference-actions/{id}/status`` accepts the caller


class AgendaItemOut(Schema):
    id: int
    version: int
    position: int
    case_label: str
    presenter: Ref
    presentation: str
    question: str
    minutes: str
    shared: SharedCaseOut
    needs: list[PresentedNeedOut]  # health needs only for roles that may see special category data
    identity: IdentityOut | None  # only while a consent covers the caller's organisation
    identity_withheld: str  # why an item presented with identity shows pseudonymised
    identity_revoked_at: datetime | None
    own: bool  # presented by the caller's organisation
    person_id: int | None  # the case-file link, only for the presenting organisation
    actions: list[AgreedActionOut]


class InvitedPersonOut(Schema):
    id: int
    name: str


class ConferenceOut(ConferenceListOut):
    minutes: str
    invited_people: list[InvitedPersonOut]
    items: list[AgendaItemOut]
    general_actions: list[AgreedActionOut]
    can_present: bool  # whether the caller's organisation can put a case on the agenda

    @staticmethod
    def resolve_invited_people(obj):
        people = obj.invited_people.order_by("last_name", "first_name", "pk")
        return [{"id": user.pk, "name": _user_name(user)} for user in people]

    # Set by the view (``conference.items`` is the unfiltered related manager).
    @staticmethod
    def resolve_items(obj):
        return obj.agenda

    @staticmethod
    def resolve_general_actions(obj):
        return obj.general_actions

    @staticmethod
    def resolve_can_present(obj):
        return obj.can_present


class ConferenceRef(Schema):
    id: int
    title: str
    starts_at: datetime
    status: str


class TaskOut(AgreedActionOut):
    """An action on the own organisation's task list."""

    conference: ConferenceRef
    case_label: str  # the case it is about ("" for a general action)


class ConferenceStepOut(Schema):
    action: str
    label: str
    possible: bool


# --- input -------------------------------------------------------------------------------------


class ConferencePlanIn(Schema):
    title: str  # appears in calendars and e-mails: no names, dates or numbers
    starts_at: datetime  # without offset: local time (Europe/Berlin)
    ends_at: datetime
    location: str = ""  # a place or …
    video_url: str = ""  # … a video link (at least one of them)
    organisation_ids: list[int]  # invited organisations of the network (besides the own)
    person_ids: list[int] = []  # invited users of the participating organisations
    frequency: Frequency | None = None  # a series: weekly, biweekly or monthly …
    count: int = 1  # … with 2 to 24 meetings


class ConferenceCancelIn(Schema):
    reason: str = ""


class AgendaItemIn(Schema):
    person_id: int  # a person of the own case file
    need_ids: list[int] = []  # needs of the person's household to present
    question: str
    presentation: Presentation = Presentation.PSEUDONYMISED
    confirm_identifiers: bool = False  # true: keep a question that seems to name the person


class AgreedActionIn(Schema):
    item_id: int | None = None  # the case it is about (none: a general action)
    title: str
    owner_id: int | None = None  # a participating organisation
    owner_user_id: int | None = None  # someone working there
    due_date: date | None = None  # a working day …
    due_in_days: int | None = None  # … or so many working days from today
    confirm_identifiers: bool = False


class ActionStatusIn(Schema):
    status: ActionStatus
    note: str = ""
    version: int  # the version read; a newer one answers 409
