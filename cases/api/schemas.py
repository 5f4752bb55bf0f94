"""Input and output schemas of the case-file API."""

from datetime import date, datetime

from django.utils import timezone
from ninja import Schema

from cases.api.common import _user_name
from cases.choices import (
    ConsentForm,
    MemberRole,
    NeedStatus,
    Purpose,
    Responsible,
    Severity,
    Signatory,
    StepStatus,
)
from core.permissions import Perm
from directory.api import ProblemSituationRef

# --- schemas: output ---------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class DetailOut(Schema):
    detail: str


class DuplicateRef(Schema):
    id: int
    household_id: int | None


class DuplicateOut(Schema):
    detail: str
    duplicates: list[DuplicateRef]


class NeedOut(Schema):
    id: int
    version: int
    person_id: int
    problem_situation: ProblemSituationRef
    category: str
    is_special_category: bool
    description: str
    severity: str
    status: str
    since: date
    disputed_note: str
    is_disputed: bool
    entrusted: bool
    entrusted_by_id: int | None
    created_at: datetime
    recorded_by: str

    @staticmethod
    def resolve_recorded_by(obj):
        return _user_name(obj.created_by)


class MemberRef(Schema):
    id: int
    role: str
    first_name: str
    last_name: str
    birth_date: date


class PersonOut(MemberRef):
    version: int
    household_id: int | None
    age: int
    languages: list[str]
    phone: str
    email: str
    street: str
    postal_code: str
    municipality: Ref | None
    objects_to_medical_transfer: bool
    disputed_note: str
    is_disputed: bool
    closed_on: date | None
    created_at: datetime

    @staticmethod
    def resolve_is_disputed(obj):
        return bool(obj.disputed_note.strip())


class MemberOut(PersonOut):
    needs: list[NeedOut]

    @staticmethod
    def resolve_needs(obj):
        return obj.visible_needs


class HouseholdSummaryOut(Schema):
    id: int
    version: int
    number: str
    case_label: str
    street: str
    postal_code: str
    municipality: Ref
    closed_on: date | None
    members: list[MemberRef]

    @staticmethod
    def resolve_members(obj):
        return list(obj.members.all())


class HouseholdOut(HouseholdSummaryOut):
    legal_hold: bool
    legal_hold_reason: str
    created_at: datetime
    plan_id: int | None
    members: list[MemberOut]

    @staticmethod
    def resolve_plan_id(obj):
        plan = getattr(obj, "plan", None)  # the reverse one-to-one raises AttributeError if none
        return plan.pk if plan else None


class OfferRef(Schema):
    id: int
    title: str


class StepOut(Schema):
    id: int
    goal_id: int
    description: str
    responsible: str
    responsible_label: str
    responsible_person_id: int | None
    partner: Ref | None
    offer: OfferRef | None
    need_id: int | None
    due_on: date | None
    status: str
    is_overdue: bool
    position: int

    @staticmethod
    def resolve_need_id(obj, context):
        # A step may point at a health need; its id is left out for roles that cannot see it.
        actor = context["request"].auth
        if obj.need_id and obj.need.is_special_category:
            return obj.need_id if actor.can(Perm.VIEW_SPECIAL_CATEGORY) else None
        return obj.need_id


class GoalOut(Schema):
    id: int
    title: str
    position: int
    steps: list[StepOut]

    @staticmethod
    def resolve_steps(obj):
        return list(obj.steps.all())


class PlanVersionOut(Schema):
    id: int
    number: int
    agreed_on: date
    agreed_with: str
    agreed_by: str
    agreed_at: datetime
    content: dict

    @staticmethod
    def resolve_agreed_by(obj):
        return _user_name(obj.agreed_by)


class PlanOut(Schema):
    id: int
    version: int
    household_id: int | None
    person_id: int | None
    starts_on: date
    changed_since_agreement: bool
    goals: list[GoalOut]
    versions: list[PlanVersionOut]

    @staticmethod
    def resolve_goals(obj):
        return list(obj.goals.all())

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())


class ConsentOut(Schema):
    id: int
    data_subject_id: int
    signatory: str
    signatory_person_id: int | None
    signatory_name: str
    capacity_confirmed: bool
    recipients: list[Ref]
    purposes: list[str]
    purpose_note: str
    categories: list[str]
    informed_purpose: bool
    informed_refusal: bool
    informed_revocation: bool
    given_at: datetime
    valid_from: date
    valid_until: date
    form: str
    has_document: bool
    revoked_at: datetime | None
    revoked_by: str
    is_valid_now: bool

    @staticmethod
    def resolve_recipients(obj):
        return list(obj.recipients.all())

    @staticmethod
    def resolve_has_document(obj):
        return bool(obj.document)

    @staticmethod
    def resolve_revoked_by(obj):
        return _user_name(obj.revoked_by)

    @staticmethod
    def resolve_is_valid_now(obj):
        return obj.is_valid_at(timezone.now())


class RevocationOut(Schema):
    consent_id: int
    revoked: bool
    revoked_at: datetime | None
    revoked_by: str


# --- schemas: input ----------------------------------------------------------------------------


class ApplicantIn(Schema):
    first_name: str
    last_name: str
    birth_date: date
    languages: list[str] = []
    phone: str = ""
    email: str = ""
    objects_to_medical_transfer: bool = False


class HouseholdIn(Schema):
    number: str = ""
    street: str = ""
    postal_code: str = ""
    municipality: int
    applicant: ApplicantIn
    allow_duplicate: bool = (
        False  # true: create although a person with that name and birth date exists
    )


class PersonIn(ApplicantIn):
    household_id: int | None = None  # into this household; members live at its address
    role: MemberRole = MemberRole.APPLICANT
    street: str = ""
    postal_code: str = ""
    municipality: int | None = None  # required without a household
    allow_duplicate: bool = False


class PersonPatch(Schema):
    """Only the fields sent change. ``version`` is the one read last; a stale one answers 409."""

    version: int
    role: MemberRole | None = None
    first_name: str | None = None
    last_name: str | None = None
    birth_date: date | None = None
    languages: list[str] | None = None
    phone: str | None = None
    email: str | None = None
    street: str | None = None
    postal_code: str | None = None
    municipality: int | None = None
    objects_to_medical_transfer: bool | None = None
    disputed_note: str | None = None
    closed_on: date | None = None


class NeedIn(Schema):
    problem_situation: str  # code of a situation, e.g. "housing.rent_arrears"
    description: str = ""
    severity: Severity = Severity.MEDIUM
    status: NeedStatus = NeedStatus.OPEN
    since: date | None = None  # default: today
    disputed_note: str = ""
    entrusted: bool = False  # § 65 SGB VIII, only at a Jugendamt
    entrusted_by_id: int | None = None


class NeedPatch(Schema):
    version: int
    problem_situation: str | None = None
    description: str | None = None
    severity: Severity | None = None
    status: NeedStatus | None = None
    since: date | None = None
    disputed_note: str | None = None
    entrusted: bool | None = None
    entrusted_by_id: int | None = None


class StepIn(Schema):
    """A new step; ``goal_title`` names a goal of the plan (created if missing) instead of
    ``goal_id``. ``version`` is the plan's version read last."""

    version: int
    goal_id: int | None = None
    goal_title: str = ""
    description: str
    responsible: Responsible
    responsible_person_id: int | None = None
    partner_id: int | None = None
    offer_id: int | None = None
    need_id: int | None = None
    due_on: date | None = None
    status: StepStatus = StepStatus.OPEN


class ConsentIn(Schema):
    data_subject_id: int
    recipient_ids: list[int]
    purposes: list[Purpose]
    purpose_note: str = ""
    categories: list[str]
    signatory: Signatory = Signatory.SELF
    signatory_person_id: int | None = None
    signatory_name: str = ""
    capacity_confirmed: bool = False
    informed_purpose: bool = False
    informed_refusal: bool = False
    informed_revocation: bool = False
    valid_from: date | None = None  # default: today
    valid_until: date | None = None  # default: CONSENT_DEFAULT_MONTHS after valid_from
    form: ConsentForm = ConsentForm.WRITTEN
