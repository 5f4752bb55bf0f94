"""JSON API of the case files: households, persons, needs, cooperation plans and consents.

Everything is scoped to the caller's own organisation's case file (``visible_to``): another
organisation's records answer 404 exactly like missing ones, health needs are absent for roles
without ``Perm.VIEW_SPECIAL_CATEGORY``. Every read is audited with the person it is about; every
write goes through ``cases.services`` (which audits it). Errors answer like the directory API:
422 in ninja's shape with German messages, 409 for stale edits and for possible duplicates.
"""

from datetime import date, datetime

from auditlog.context import set_actor
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.forms import Field as FormField
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from cases import categories
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
from cases.models import (
    Consent,
    CooperationPlan,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    PlanVersion,
)
from cases.models.consents import add_months
from cases.services import (
    DuplicatePerson,
    audit_case,
    create_household_with_applicant,
    plan_for,
    plan_subjects,
    record_consent,
    revoke_consent,
    save_goal,
    save_need,
    save_person,
    save_step,
)
from core.choices import AuditAction
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.models import Municipality, Organisation
from core.permissions import Perm, get_visible_or_404
from directory.api import ProblemSituationRef
from directory.models import Offer, ProblemSituation

router = Router(tags=["Fallakten"])

MAX_LIMIT = 100
BODY = ("body", "payload")
FORBIDDEN = "Keine Berechtigung für diese Aktion."
MEMBER_ROLE_ORDER = Case(
    *[When(role=role, then=Value(i)) for i, role in enumerate(MemberRole.values)],
    default=Value(len(MemberRole.values)),
    output_field=IntegerField(),
)


def _user_name(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


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


# --- helpers -----------------------------------------------------------------------------------


def _error(loc, message, kind="invalid") -> dict:
    return {"type": kind or "invalid", "loc": list(loc), "msg": str(message)}


def _model_errors(exc: DjangoValidationError, loc, rename=None) -> list[dict]:
    """A model ValidationError as ninja validation errors; ``rename`` maps field → API name."""
    rename = rename or {}
    by_field = exc.error_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.error_list}
    errors = []
    for field, items in by_field.items():
        path = () if field == NON_FIELD_ERRORS else (rename.get(field, field),)
        for item in items:
            errors.extend(_error((*loc, *path), message, item.code) for message in item)
    return errors


def _validate(instance, loc, rename=None, exclude=None) -> list[dict]:
    try:
        instance.full_clean(exclude=exclude)
    except DjangoValidationError as exc:
        return _model_errors(exc, loc, rename)
    return []


def _write(actor, call, loc=BODY, rename=None):
    """Run a service call; its refusals become 409, 403 or 422 answers, nothing is saved."""
    try:
        with set_actor(actor.user):  # the change history names the token's user, too
            return call()
    except StaleEditError as exc:
        raise HttpError(409, str(STALE_MESSAGE)) from exc
    except PermissionDenied as exc:
        specific = exc.args and not isinstance(exc.args[0], Perm)
        raise HttpError(403, str(exc) if specific else FORBIDDEN) from exc
    except DjangoValidationError as exc:
        raise ValidationError(_model_errors(exc, loc, rename)) from exc


def _check_version(instance, version: int) -> None:
    if instance.version != version:
        raise HttpError(409, str(STALE_MESSAGE))


def _found(queryset, pk, loc, errors, message):
    """A record named in the body; missing and foreign ones get the same message."""
    found = queryset.filter(pk=pk).first() if pk is not None else None
    if pk is not None and found is None:
        errors.append(_error(loc, message))
    return found


def _municipality(actor, pk, loc, errors):
    queryset = Municipality.objects.filter(network_id=actor.network_id)
    return _found(queryset, pk, loc, errors, _("Diese Gemeinde gibt es im Netzwerk nicht."))


def _own_person(actor, pk, loc, errors):
    queryset = Person.objects.visible_to(actor).active()
    return _found(queryset, pk, loc, errors, _("Diese Person gibt es in Ihrer Akte nicht."))


def _situation(actor, code, loc, errors):
    found = (
        ProblemSituation.objects.visible_to(actor)
        .active()
        .leaves()
        .select_related("parent")
        .filter(code=code)
        .first()
    )
    if found is None:
        errors.append(_error(loc, _("Unbekannte Problemlage: %(code)s") % {"code": code}))
    return found


def _require_special(actor, situation) -> None:
    """Health needs are written only by roles allowed to read them back (403, not 422)."""
    special = categories.is_special(categories.need_category(situation.parent.code))
    if special and not actor.can(Perm.VIEW_SPECIAL_CATEGORY):
        raise HttpError(403, _("Gesundheitsdaten dürfen Sie nicht erfassen."))


def _apply(instance, changes: dict, loc) -> list[dict]:
    """Set the sent fields; an explicit null on a field that cannot be empty is an error."""
    errors = []
    for name, value in changes.items():
        field = instance._meta.get_field(name)
        if value is None and not field.null:
            errors.append(_error((*loc, name), field.error_messages["null"], "null"))
        else:
            setattr(instance, name, value)
    return errors


def _audit_page(make_items):
    """Audit the records on a page (only those) as read, once the page is cut."""

    class AuditedPagination(LimitOffsetPagination):
        def paginate_queryset(self, queryset, pagination, request, **params):
            page = super().paginate_queryset(queryset, pagination, request, **params)
            page["items"] = list(page["items"])
            audit_case(request.auth, AuditAction.VIEW, make_items(page["items"]))
            return page

    return paginate(AuditedPagination, max_limit=MAX_LIMIT)


def _needs(actor):
    return Need.objects.visible_to(actor).select_related("problem_situation", "created_by")


def _households(actor, *, detail=True):
    members = Person.objects.visible_to(actor).order_by(MEMBER_ROLE_ORDER, "birth_date", "pk")
    if detail:
        members = members.select_related("municipality").prefetch_related(
            Prefetch("needs", queryset=_needs(actor), to_attr="visible_needs")
        )
    return Household.objects.select_related("municipality", "plan").prefetch_related(
        Prefetch("members", queryset=members)
    )


def _household_items(households) -> list:
    items = []
    for household in households:
        members = list(household.members.all())
        items += [(household, m) for m in members] or [(household, None)]
        items += [(need, m) for m in members for need in getattr(m, "visible_needs", [])]
    return items


def _plans():
    steps = PlanStep.objects.select_related(
        "responsible_person", "partner", "offer__organisation", "organisation", "need"
    )
    return CooperationPlan.objects.select_related("household", "person").prefetch_related(
        Prefetch("goals", queryset=PlanGoal.objects.prefetch_related(Prefetch("steps", steps))),
        Prefetch("versions", queryset=PlanVersion.objects.select_related("agreed_by")),
        "household__members",
    )


def _read_plan(actor, plan):
    audit_case(actor, AuditAction.VIEW, [(plan, p) for p in plan_subjects(plan)] or [(plan, None)])
    return plan


def _consents():
    return Consent.objects.select_related("data_subject", "revoked_by").prefetch_related(
        Prefetch("recipients", queryset=Organisation.objects.order_by("name"))
    )


# --- households --------------------------------------------------------------------------------


@router.get("/households", response=list[HouseholdSummaryOut], summary="Bedarfsgemeinschaften")
@api_requires(Perm.VIEW_CASES)
@_audit_page(_household_items)
def list_households(request, q: str = "", municipality: int | None = None):
    """The own organisation's households; ``q`` searches the number and the members' names."""
    actor = request.auth
    households = _households(actor, detail=False).visible_to(actor).filter(erased_at__isnull=True)
    if q.strip():
        persons = Person.objects.visible_to(actor).search(q)
        households = households.filter(
            Q(number__icontains=q.strip()) | Q(pk__in=persons.values("household_id"))
        )
    if municipality is not None:
        households = households.filter(municipality_id=municipality)
    return households


@router.get(
    "/households/{int:household_id}",
    response=HouseholdOut,
    summary="Eine Bedarfsgemeinschaft mit Mitgliedern und Handlungsbedarfen",
)
@api_requires(Perm.VIEW_CASES)
def get_household(request, household_id: int):
    household = get_visible_or_404(_households(request.auth), request.auth, pk=household_id)
    audit_case(request.auth, AuditAction.VIEW, _household_items([household]))
    return household


@router.post(
    "/households",
    response={201: HouseholdOut, 409: DuplicateOut},
    summary="Bedarfsgemeinschaft mit antragstellender Person anlegen",
)
@api_requires(Perm.EDIT_CASES)
def create_household(request, payload: HouseholdIn):
    """A person with the applicant's name and birth date already in the file answers 409 with
    their ids, unless ``allow_duplicate`` is true."""
    actor = request.auth
    errors = []
    municipality = _municipality(actor, payload.municipality, (*BODY, "municipality"), errors)
    number = payload.number.strip()
    if (
        number
        and Household.objects.of_controller(actor.organisation).filter(number=number).exists()
    ):
        message = _("Diese Nummer ist in Ihrer Akte bereits vergeben.")
        errors.append(_error((*BODY, "number"), message))
    household = Household(
        network_id=actor.network_id,
        organisation=actor.organisation,
        number=number,
        street=payload.street,
        postal_code=payload.postal_code,
        municipality=municipality,
    )
    applicant = Person(
        network_id=actor.network_id,
        organisation=actor.organisation,
        role=MemberRole.APPLICANT,
        **payload.applicant.dict(),
    )
    if not errors:
        errors += _validate(household, BODY)
    errors += _validate(applicant, (*BODY, "applicant"), exclude=["household"])
    if errors:
        raise ValidationError(errors)
    try:
        _write(
            actor,
            lambda: create_household_with_applicant(
                actor=actor,
                household=household,
                applicant=applicant,
                allow_duplicate=payload.allow_duplicate,
            ),
        )
    except DuplicatePerson as exc:
        return Status(409, _duplicates(exc))
    return Status(201, _households(actor).get(pk=household.pk))


def _duplicates(exc: DuplicatePerson) -> dict:
    return {
        "detail": _(
            "In Ihrer Akte gibt es bereits eine Person mit diesem Namen und Geburtsdatum. "
            "Öffnen Sie die vorhandene Akte oder senden Sie allow_duplicate: true."
        ),
        "duplicates": [{"id": p.pk, "household_id": p.household_id} for p in exc.matches],
    }


# --- persons -----------------------------------------------------------------------------------


def _persons(actor):
    return Person.objects.visible_to(actor).select_related("municipality")


@router.get("/persons", response=list[PersonOut], summary="Personen")
@api_requires(Perm.VIEW_CASES)
@_audit_page(lambda persons: [(p, p) for p in persons])
def list_persons(request, q: str = ""):
    """The own organisation's persons (with and without household); ``q``: name or BG number."""
    persons = _persons(request.auth).active()
    return persons.search(q) if q.strip() else persons


@router.get("/persons/{int:person_id}", response=PersonOut, summary="Eine Person")
@api_requires(Perm.VIEW_CASES)
def get_person(request, person_id: int):
    person = get_visible_or_404(_persons(request.auth), request.auth, pk=person_id)
    audit_case(request.auth, AuditAction.VIEW, [(person, person)])
    return person


ADDRESS_FIELDS = ("street", "postal_code", "municipality")


def _address_errors(in_household: bool, sent: dict, loc) -> list[dict]:
    """Members live at the household's address; everyone else needs a municipality."""
    if in_household:
        message = _("Mitglieder wohnen unter der Anschrift der Bedarfsgemeinschaft.")
        return [_error((*loc, name), message) for name in ADDRESS_FIELDS if sent.get(name)]
    if "municipality" in sent and sent["municipality"] is None:
        return [_error((*loc, "municipality"), FormField.default_error_messages["required"])]
    return []


@router.post("/persons", response={201: PersonOut, 409: DuplicateOut}, summary="Person anlegen")
@api_requires(Perm.EDIT_CASES)
def create_person(request, payload: PersonIn):
    """Into a household (``household_id``) or on its own; duplicates answer 409 as above."""
    actor = request.auth
    errors = []
    queryset = Household.objects.visible_to(actor).filter(erased_at__isnull=True)
    household = _found(
        queryset,
        payload.household_id,
        (*BODY, "household_id"),
        errors,
        _("Diese Bedarfsgemeinschaft gibt es in Ihrer Akte nicht."),
    )
    data = payload.dict(exclude={"household_id", "allow_duplicate"})
    errors += _address_errors(payload.household_id is not None, data, BODY)
    loc = (*BODY, "municipality")
    data["municipality"] = _municipality(actor, data["municipality"], loc, errors)
    person = Person(
        network_id=actor.network_id, organisation=actor.organisation, household=household, **data
    )
    rename = {"household": "household_id"}
    errors += _validate(person, BODY, rename)
    if errors:
        raise ValidationError(errors)
    try:
        _write(
            actor,
            lambda: save_person(
                actor=actor, person=person, allow_duplicate=payload.allow_duplicate
            ),
            rename=rename,
        )
    except DuplicatePerson as exc:
        return Status(409, _duplicates(exc))
    return Status(201, _persons(actor).get(pk=person.pk))


@router.patch(
    "/persons/{int:person_id}",
    response={200: PersonOut, 409: DetailOut},
    summary="Person ändern (nur gesendete Felder)",
)
@api_requires(Perm.EDIT_CASES)
def update_person(request, person_id: int, payload: PersonPatch):
    actor = request.auth
    person = get_visible_or_404(_persons(actor), actor, pk=person_id)
    _check_version(person, payload.version)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    in_household = person.household_id is not None
    errors = _address_errors(in_household, changes, BODY)
    if in_household and "closed_on" in changes:
        message = _("Mitglieder schließen mit ihrer Bedarfsgemeinschaft.")
        errors.append(_error((*BODY, "closed_on"), message))
    if "municipality" in changes:
        loc = (*BODY, "municipality")
        changes["municipality"] = _municipality(actor, changes["municipality"], loc, errors)
    if errors:
        raise ValidationError(errors)
    errors = _apply(person, changes, BODY)
    if errors:
        raise ValidationError(errors)
    person._expected_version = payload.version  # compare-and-set on save: a race answers 409
    _write(actor, lambda: save_person(actor=actor, person=person))
    return _persons(actor).get(pk=person.pk)  # as stored (e.g. languages sorted)


# --- needs -------------------------------------------------------------------------------------


@router.get("/persons/{int:person_id}/needs", response=list[NeedOut], summary="Handlungsbedarfe")
@api_requires(Perm.VIEW_CASES)
def list_needs(request, person_id: int):
    """The person's needs the caller may see (health needs only with the right to see them)."""
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    needs = list(_needs(actor).filter(person=person))
    audit_case(actor, AuditAction.VIEW, [(n, person) for n in needs] or [(person, person)])
    return needs


@router.get("/needs/{int:need_id}", response=NeedOut, summary="Ein Handlungsbedarf")
@api_requires(Perm.VIEW_CASES)
def get_need(request, need_id: int):
    need = get_visible_or_404(_needs(request.auth), request.auth, pk=need_id)
    audit_case(request.auth, AuditAction.VIEW, [(need, need.person)])
    return need


NEED_RENAME = {"entrusted_by": "entrusted_by_id"}


def _need_refs(actor, changes: dict, errors) -> dict:
    """Codes and ids of the body as model values."""
    if changes.get("problem_situation") is not None:
        loc = (*BODY, "problem_situation")
        changes["problem_situation"] = _situation(actor, changes["problem_situation"], loc, errors)
    if "entrusted_by_id" in changes:
        loc = (*BODY, "entrusted_by_id")
        changes["entrusted_by"] = _own_person(actor, changes.pop("entrusted_by_id"), loc, errors)
    return changes


@router.post(
    "/persons/{int:person_id}/needs", response={201: NeedOut}, summary="Handlungsbedarf erfassen"
)
@api_requires(Perm.EDIT_CASES)
def create_need(request, person_id: int, payload: NeedIn):
    """``entrusted``/``entrusted_by_id`` (§ 65 SGB VIII) only at a Jugendamt."""
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    errors = []
    changes = _need_refs(actor, payload.dict(exclude_none=True), errors)
    if errors:
        raise ValidationError(errors)
    _require_special(actor, changes["problem_situation"])
    need = Need(person=person, **changes)
    _write(actor, lambda: save_need(actor=actor, need=need), rename=NEED_RENAME)
    return Status(201, need)


@router.patch(
    "/needs/{int:need_id}",
    response={200: NeedOut, 409: DetailOut},
    summary="Handlungsbedarf ändern (nur gesendete Felder)",
)
@api_requires(Perm.EDIT_CASES)
def update_need(request, need_id: int, payload: NeedPatch):
    actor = request.auth
    need = get_visible_or_404(_needs(actor).select_related("person"), actor, pk=need_id)
    _check_version(need, payload.version)
    errors = []
    changes = _need_refs(actor, payload.dict(exclude_unset=True, exclude={"version"}), errors)
    if errors:
        raise ValidationError(errors)
    if changes.get("problem_situation") is not None:
        _require_special(actor, changes["problem_situation"])
    errors = _apply(need, changes, BODY)
    if errors:
        raise ValidationError(errors)
    need._expected_version = payload.version
    _write(actor, lambda: save_need(actor=actor, need=need), rename=NEED_RENAME)
    return need


# --- cooperation plans -------------------------------------------------------------------------


@router.get("/plans/{int:plan_id}", response=PlanOut, summary="Ein Kooperationsplan")
@api_requires(Perm.VIEW_CASES)
def get_plan(request, plan_id: int):
    """Goals, steps and every agreed version (number, date, agreed with, content)."""
    return _read_plan(request.auth, get_visible_or_404(_plans(), request.auth, pk=plan_id))


def _owner_plan(actor, **owner):
    plan = _plans().visible_to(actor).filter(**owner).first()
    if plan is None:
        raise Http404
    return _read_plan(actor, plan)


@router.get(
    "/households/{int:household_id}/plan",
    response=PlanOut,
    summary="Kooperationsplan einer Bedarfsgemeinschaft",
)
@api_requires(Perm.VIEW_CASES)
def get_household_plan(request, household_id: int):
    """404 while the household has no plan yet (``POST`` creates it)."""
    household = get_visible_or_404(Household.objects.all(), request.auth, pk=household_id)
    return _owner_plan(request.auth, household=household)


@router.get(
    "/persons/{int:person_id}/plan", response=PlanOut, summary="Kooperationsplan einer Person"
)
@api_requires(Perm.VIEW_CASES)
def get_person_plan(request, person_id: int):
    person = get_visible_or_404(Person.objects.all(), request.auth, pk=person_id)
    return _owner_plan(request.auth, person=person)


def _start_plan(request, **owner):
    actor = request.auth
    existed = CooperationPlan.objects.filter(**owner).exists()
    plan = _write(actor, lambda: plan_for(actor=actor, **owner))
    return Status(200 if existed else 201, _plans().get(pk=plan.pk))


@router.post(
    "/households/{int:household_id}/plan",
    response={200: PlanOut, 201: PlanOut},
    summary="Kooperationsplan der Bedarfsgemeinschaft anlegen (201) oder vorhandenen liefern",
)
@api_requires(Perm.EDIT_CASES)
def start_household_plan(request, household_id: int):
    household = get_visible_or_404(Household.objects.all(), request.auth, pk=household_id)
    return _start_plan(request, household=household)


@router.post(
    "/persons/{int:person_id}/plan",
    response={200: PlanOut, 201: PlanOut},
    summary="Kooperationsplan der Person anlegen (201) oder vorhandenen liefern",
)
@api_requires(Perm.EDIT_CASES)
def start_person_plan(request, person_id: int):
    person = get_visible_or_404(Person.objects.all(), request.auth, pk=person_id)
    return _start_plan(request, person=person)


@router.get("/plans/{int:plan_id}/steps", response=list[StepOut], summary="Schritte eines Plans")
@api_requires(Perm.VIEW_CASES)
def list_steps(request, plan_id: int):
    plan = _read_plan(request.auth, get_visible_or_404(_plans(), request.auth, pk=plan_id))
    return [step for goal in plan.goals.all() for step in goal.steps.all()]


STEP_RENAME = {
    "goal": "goal_id",
    "title": "goal_title",
    "responsible_person": "responsible_person_id",
    "partner": "partner_id",
    "offer": "offer_id",
    "need": "need_id",
}


@router.post(
    "/plans/{int:plan_id}/steps",
    response={201: PlanOut, 409: DetailOut},
    summary="Schritt hinzufügen (mit der zuletzt gelesenen Planversion)",
)
@api_requires(Perm.EDIT_CASES)
def create_step(request, plan_id: int, payload: StepIn):
    """Answers the whole plan with its new ``version``; a stale ``version`` answers 409."""
    actor = request.auth
    plan = get_visible_or_404(CooperationPlan.objects.all(), actor, pk=plan_id)
    _check_version(plan, payload.version)
    errors = []
    goal = _found(
        plan.goals.all(),
        payload.goal_id,
        (*BODY, "goal_id"),
        errors,
        _("Dieses Ziel gehört nicht zu diesem Plan."),
    )
    if goal is None and payload.goal_id is None:
        goal = plan.goals.filter(title=payload.goal_title.strip()).first()
        if goal is None and not payload.goal_title.strip():
            errors.append(_error((*BODY, "goal_id"), _("Bitte ein Ziel angeben.")))
    not_found = _("Diesen Eintrag gibt es nicht.")
    refs = {
        "responsible_person": _own_person(
            actor, payload.responsible_person_id, (*BODY, "responsible_person_id"), errors
        ),
        "partner": _found(
            Organisation.objects.filter(network_id=actor.network_id),
            payload.partner_id,
            (*BODY, "partner_id"),
            errors,
            _("Diese Organisation gibt es im Netzwerk nicht."),
        ),
        "offer": _found(
            Offer.objects.visible_to(actor),
            payload.offer_id,
            (*BODY, "offer_id"),
            errors,
            not_found,
        ),
        "need": _found(_needs(actor), payload.need_id, (*BODY, "need_id"), errors, not_found),
    }
    if errors:
        raise ValidationError(errors)
    fields = payload.dict(include={"description", "responsible", "due_on", "status"})
    step = PlanStep(**fields, **refs)

    @transaction.atomic  # a new goal is kept only together with its step
    def add():
        version = payload.version
        if goal is None:
            new_goal = PlanGoal(title=payload.goal_title.strip())
            save_goal(actor=actor, plan=plan, goal=new_goal, expected_version=version)
            step.goal, version = new_goal, plan.version
        else:
            step.goal = goal
        save_step(actor=actor, plan=plan, step=step, expected_version=version)

    _write(actor, add, rename=STEP_RENAME)
    return Status(201, _plans().get(pk=plan.pk))


# --- consents ----------------------------------------------------------------------------------


@router.get(
    "/persons/{int:person_id}/consents",
    response=list[ConsentOut],
    summary="Einwilligungen einer Person",
)
@api_requires(Perm.VIEW_CASES)
def list_person_consents(request, person_id: int):
    actor = request.auth
    person = get_visible_or_404(Person.objects.all(), actor, pk=person_id)
    consents = list(_consents().visible_to(actor).filter(data_subject=person))
    audit_case(actor, AuditAction.VIEW, [(c, person) for c in consents] or [(person, person)])
    return consents


@router.get("/consents", response=list[ConsentOut], summary="Einwilligungen")
@api_requires(Perm.VIEW_CASES)
@_audit_page(lambda consents: [(c, c.data_subject) for c in consents])
def list_consents(request, person: int | None = None, valid_now: bool = False):
    """The own organisation's consents, newest first; ``valid_now``: only those in force."""
    consents = _consents().visible_to(request.auth)
    if person is not None:
        consents = consents.filter(data_subject_id=person)
    return consents.valid_at() if valid_now else consents


@router.get("/consents/{int:consent_id}", response=ConsentOut, summary="Eine Einwilligung")
@api_requires(Perm.VIEW_CASES)
def get_consent(request, consent_id: int):
    consent = get_visible_or_404(_consents(), request.auth, pk=consent_id)
    audit_case(request.auth, AuditAction.VIEW, [(consent, consent.data_subject)])
    return consent


CONSENT_RENAME = {
    "data_subject": "data_subject_id",
    "signatory_person": "signatory_person_id",
    "recipients": "recipient_ids",
}


@router.post("/consents", response={201: ConsentOut}, summary="Einwilligung erfassen (§ 67b SGB X)")
@api_requires(Perm.MANAGE_CONSENTS)
def create_consent(request, payload: ConsentIn):
    """Recorded as of now (server time). Recipients are organisations of the network;
    ``categories`` are the network's data categories (``master_data``, ``needs.housing`` …)."""
    actor = request.auth
    errors = []
    subject = _own_person(actor, payload.data_subject_id, (*BODY, "data_subject_id"), errors)
    signatory = _own_person(
        actor, payload.signatory_person_id, (*BODY, "signatory_person_id"), errors
    )
    ids = list(dict.fromkeys(payload.recipient_ids))
    recipients = list(Organisation.objects.filter(network_id=actor.network_id, pk__in=ids))
    known = {o.pk for o in recipients}
    for index, pk in enumerate(payload.recipient_ids):
        if pk not in known:
            message = _("Diese Organisation gibt es im Netzwerk nicht.")
            errors.append(_error((*BODY, "recipient_ids", index), message))
    valid = dict(categories.choices_for_network(actor.network_id))
    if unknown := [code for code in payload.categories if code not in valid]:
        message = _("Unbekannte Datenkategorie: %(codes)s") % {"codes": ", ".join(unknown)}
        errors.append(_error((*BODY, "categories"), message))
    if errors:
        raise ValidationError(errors)
    valid_from = payload.valid_from or timezone.localdate()
    consent = Consent(
        data_subject=subject,
        signatory_person=signatory,
        valid_from=valid_from,
        valid_until=payload.valid_until or add_months(valid_from, settings.CONSENT_DEFAULT_MONTHS),
        **payload.dict(
            exclude={
                "data_subject_id",
                "signatory_person_id",
                "recipient_ids",
                "valid_from",
                "valid_until",
            }
        ),
    )
    _write(
        actor,
        lambda: record_consent(actor=actor, consent=consent, recipients=recipients),
        rename=CONSENT_RENAME,
    )
    return Status(201, _consents().get(pk=consent.pk))


@router.post(
    "/consents/{int:consent_id}/revoke",
    response=ConsentOut,
    summary="Einwilligung widerrufen (ab sofort; erneuter Widerruf ändert nichts)",
)
@api_requires(Perm.MANAGE_CONSENTS)
def revoke(request, consent_id: int):
    actor = request.auth
    consent = get_visible_or_404(_consents(), actor, pk=consent_id)
    _write(actor, lambda: revoke_consent(actor=actor, consent=consent))
    return consent


@router.get(
    "/consents/{int:consent_id}/revoke",
    response=RevocationOut,
    summary="Ob und wann eine Einwilligung widerrufen wurde",
)
@api_requires(Perm.VIEW_CASES)
def get_revocation(request, consent_id: int):
    """The state ``POST`` on this address changes (every API address also answers ``GET``)."""
    consent = get_visible_or_404(_consents(), request.auth, pk=consent_id)
    audit_case(request.auth, AuditAction.VIEW, [(consent, consent.data_subject)])
    return {
        "consent_id": consent.pk,
        "revoked": consent.is_revoked,
        "revoked_at": consent.revoked_at,
        "revoked_by": _user_name(consent.revoked_by),
    }
