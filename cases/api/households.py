"""Households (Bedarfsgemeinschaften) and persons."""

from django.db.models import Case, IntegerField, Prefetch, Q, Value, When
from django.forms import Field as FormField
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import ValidationError

from api.permissions import api_requires
from cases.api.common import (
    BODY,
    _apply,
    _audit_page,
    _check_version,
    _error,
    _found,
    _municipality,
    _needs,
    _validate,
    _write,
    router,
)
from cases.api.schemas import (
    DetailOut,
    DuplicateOut,
    HouseholdIn,
    HouseholdOut,
    HouseholdSummaryOut,
    PersonIn,
    PersonOut,
    PersonPatch,
)
from cases.choices import MemberRole
from cases.models import Household, Person
from cases.services import (
    DuplicatePerson,
    audit_case,
    create_household_with_applicant,
    save_person,
)
from core.choices import AuditAction
from core.permissions import Perm, get_visible_or_404

MEMBER_ROLE_ORDER = Case(
    *[When(role=role, then=Value(i)) for i, role in enumerate(MemberRole.values)],
    default=Value(len(MemberRole.values)),
    output_field=IntegerField(),
)


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
        message = _("Mitglieder werden zusammen mit ihrer Bedarfsgemeinschaft abgeschlossen.")
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
