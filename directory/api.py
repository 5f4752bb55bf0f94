"""JSON API of the offer directory: search, detail, matching, the owner's writes, taxonomy.

Nothing is decided here that the pages decide elsewhere: the search is ``OfferSearchForm`` +
``search_offers``, matching is ``match_offers``, writes are validated by ``OfferForm``,
``PlaceForm``, ``OpeningHoursForm`` and ``OpeningExceptionForm`` and saved by ``save_offer``.
This module translates between JSON and those. Validation errors answer 422 in the shape of
django-ninja's own (``{"detail": [{"loc": [...], "msg": ..., "type": ...}]}``), with the
forms' German messages.
"""

from datetime import date, time
from uuid import UUID

from auditlog.context import set_actor
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.forms.models import model_to_dict
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from api.permissions import api_requires
from core.concurrency import STALE_MESSAGE, StaleEditError
from core.models import Municipality
from core.permissions import Perm, get_visible_or_404
from directory.choices import Availability, Costs, Language, OfferStatus, PlaceKind
from directory.forms import (
    OfferForm,
    OfferSearchForm,
    OpeningExceptionFormSet,
    OpeningHoursFormSet,
    PlaceFormSet,
)
from directory.matching import DEFAULT_RADIUS_KM, Needs, match_offers
from directory.models import Offer, OpeningException, ProblemSituation
from directory.search import for_display, search_offers
from directory.services import save_offer

router = Router(tags=["Angebote"])

MAX_LIMIT = 100
MAX_MATCH_RADIUS_KM = 200
CONTACT_FIELDS = ("phone", "email", "website", "contact_note")


# --- schemas: output ---------------------------------------------------------------------------


class OrganisationRef(Schema):
    id: int
    name: str


class MunicipalityRef(Schema):
    id: int
    name: str


class ProblemSituationRef(Schema):
    code: str
    label: str


class ContactOut(Schema):
    phone: str
    email: str
    website: str
    contact_note: str


class PlaceOut(Schema):
    """A place; a confidential one never shows its name, address or coordinates."""

    id: int
    kind: str
    name: str
    street: str
    postal_code: str
    city: str
    municipality: MunicipalityRef
    latitude: float | None
    longitude: float | None
    accessibility: list[str]
    transport_note: str
    is_confidential: bool

    # The model blanks these on save; hiding them here too covers rows written another way
    # (and the municipality centre that stands in for a confidential place's coordinates).
    @staticmethod
    def resolve_name(obj):
        return "" if obj.is_confidential else obj.name

    @staticmethod
    def resolve_street(obj):
        return "" if obj.is_confidential else obj.street

    @staticmethod
    def resolve_postal_code(obj):
        return "" if obj.is_confidential else obj.postal_code

    @staticmethod
    def resolve_latitude(obj):
        return None if obj.is_confidential else obj.latitude

    @staticmethod
    def resolve_longitude(obj):
        return None if obj.is_confidential else obj.longitude


class OpeningHoursOut(Schema):
    id: int
    weekday: int
    opens: time
    closes: time
    note: str


class OpeningExceptionOut(Schema):
    id: int
    date: date
    is_closed: bool
    opens: time | None
    closes: time | None
    note: str


class OfferSummaryOut(Schema):
    id: int
    uuid: UUID
    title: str
    organisation: OrganisationRef
    problem_situations: list[ProblemSituationRef]
    target_groups: list[str]
    min_age: int | None
    max_age: int | None
    languages: list[str]
    costs: str
    access_types: list[str]
    availability: str
    availability_until: date | None
    contact: ContactOut
    last_verified: date
    is_stale: bool
    places: list[PlaceOut]
    opening_hours: list[OpeningHoursOut]

    @staticmethod
    def resolve_problem_situations(obj):
        return list(obj.problem_situations.all())

    @staticmethod
    def resolve_availability(obj):
        return obj.current_availability()

    @staticmethod
    def resolve_contact(obj):
        return {name: getattr(obj, name) for name in CONTACT_FIELDS}

    @staticmethod
    def resolve_is_stale(obj):
        return obj.is_stale()

    @staticmethod
    def resolve_places(obj):
        return list(obj.places.all())

    @staticmethod
    def resolve_opening_hours(obj):
        return list(obj.hours.all())


class OfferOut(OfferSummaryOut):
    version: int
    description: str
    tags: str
    eligibility: str
    not_eligible: str
    what_to_bring: str
    costs_note: str
    availability_note: str
    status: str
    distance_km: float | None = None
    exceptions: list[OpeningExceptionOut]

    @staticmethod
    def resolve_distance_km(obj):
        distance = getattr(obj, "distance_km", None)
        return None if distance is None else round(distance, 1)

    @staticmethod
    def resolve_exceptions(obj):
        return obj.upcoming_exceptions


class MatchOut(Schema):
    offer: OfferSummaryOut
    covered_needs: list[str]
    distance_km: float | None
    speaks_language: bool
    explanation: str
    reasons: list[str]

    @staticmethod
    def resolve_covered_needs(obj):
        return obj.covered

    @staticmethod
    def resolve_distance_km(obj):
        return None if obj.distance_km is None else round(obj.distance_km, 1)


class ProblemSituationOut(Schema):
    code: str
    label: str
    parent: str | None
    position: int
    is_active: bool

    @staticmethod
    def resolve_parent(obj):
        return obj.parent.code if obj.parent_id else None


# --- schemas: input ----------------------------------------------------------------------------


class MatchIn(Schema):
    needs: list[str] = []
    age: int | None = None
    language: str | None = None
    municipality: int | None = None
    radius_km: int = DEFAULT_RADIUS_KM


class ContactIn(Schema):
    phone: str = ""
    email: str = ""
    website: str = ""
    contact_note: str = ""


class PlaceIn(Schema):
    id: int | None = None  # an existing place of this offer; without: a new place
    kind: str = PlaceKind.SERVICE
    name: str = ""
    street: str = ""
    postal_code: str = ""
    city: str = ""
    municipality: int
    latitude: float | None = None
    longitude: float | None = None
    accessibility: list[str] = []
    transport_note: str = ""
    is_confidential: bool = False


class OpeningHoursIn(Schema):
    id: int | None = None
    weekday: int
    opens: time
    closes: time
    note: str = ""


class OpeningExceptionIn(Schema):
    id: int | None = None
    date: date
    is_closed: bool = True
    opens: time | None = None
    closes: time | None = None
    note: str = ""


class OfferIn(Schema):
    """The whole offer. Places and opening hours replace the stored ones (an item with ``id``
    updates that one, the rest are deleted); ``exceptions: null`` leaves exceptions as they are."""

    title: str
    description: str
    problem_situations: list[str] = []  # codes of situations (second level)
    tags: str = ""
    target_groups: list[str] = []
    min_age: int | None = None
    max_age: int | None = None
    eligibility: str = ""
    not_eligible: str = ""
    what_to_bring: str = ""
    languages: list[str] = []
    costs: str = Costs.FREE
    costs_note: str = ""
    access_types: list[str] = []
    availability: str = Availability.ACCEPTING
    availability_until: date | None = None
    availability_note: str = ""
    contact: ContactIn = ContactIn()
    status: str = OfferStatus.DRAFT
    places: list[PlaceIn] = []
    opening_hours: list[OpeningHoursIn] = []
    exceptions: list[OpeningExceptionIn] | None = None


class OfferUpdateIn(OfferIn):
    version: int  # the version the change is based on (from GET); a stale one answers 409


# --- helpers -----------------------------------------------------------------------------------


def _error(loc, message, kind="invalid") -> dict:
    return {"type": kind or "invalid", "loc": list(loc), "msg": str(message)}


def _form_errors(form, loc, rename=None) -> list[dict]:
    """A Django form's errors as ninja validation errors under ``loc``."""
    rename = rename or {}
    errors = []
    for field, items in form.errors.get_json_data().items():
        path = () if field == "__all__" else rename.get(field, (field,))
        errors.extend(_error((*loc, *path), item["message"], item["code"]) for item in items)
    return errors


def _for_api(queryset):
    """``for_display`` plus the upcoming opening exceptions, in a fixed number of queries."""
    upcoming = OpeningException.objects.filter(date__gte=timezone.localdate())
    return for_display(queryset).prefetch_related(
        Prefetch("exceptions", queryset=upcoming, to_attr="upcoming_exceptions")
    )


def _visible_offer(actor, offer_id: int) -> Offer:
    try:
        return get_visible_or_404(_for_api(Offer.objects.all()), actor, pk=offer_id)
    except Http404 as exc:
        raise HttpError(404, _("Nicht gefunden.")) from exc


# --- reads -------------------------------------------------------------------------------------


@router.get("/offers", response=list[OfferOut], summary="Angebote suchen (wie die Suchseite)")
@api_requires(Perm.VIEW_OFFERS)
@paginate(LimitOffsetPagination, max_limit=MAX_LIMIT)
def list_offers(
    request,
    q: str = "",
    problem: str = "",
    municipality: int | None = None,
    target_group: str = "",
    language: str = "",
    open: str = "",
    access: str = "",
    step_free: bool = False,
    near: str = "",
    radius: int | None = None,
    sort: str = "",
):
    """Published offers of the network, filtered and sorted like the search page.

    ``open``: ``now`` or a weekday 0 (Monday) – 6; ``near``: municipality, postal code or
    "lat, lon"; ``radius`` in km (5, 10, 20, 30, 50); ``sort``: relevance, distance, title,
    verified. ``limit`` is at most 100.
    """
    actor = request.auth
    params = {
        "q": q,
        "problem": problem,
        "municipality": municipality or "",
        "target_group": target_group,
        "language": language,
        "open": open,
        "access": access,
        "step_free": step_free,
        "near": near,
        "radius": radius or "",
        "sort": sort,
    }
    form = OfferSearchForm(params, network_id=actor.network_id)
    if not form.is_valid():
        raise ValidationError(_form_errors(form, ("query",)))
    outcome = search_offers(actor, form.cleaned_data)
    if outcome.errors:
        raise ValidationError(
            [_error(("query", field), message) for field, message in outcome.errors.items()]
        )
    return _for_api(outcome.offers)


@router.get("/offers/{int:offer_id}", response=OfferOut, summary="Ein Angebot")
@api_requires(Perm.VIEW_OFFERS)
def get_offer(request, offer_id: int):
    return _visible_offer(request.auth, offer_id)


@router.get("/problem-situations", response=list[ProblemSituationOut], summary="Problemlagen")
@api_requires(Perm.VIEW_OFFERS)
def list_problem_situations(request):
    """The network's taxonomy: groups (``parent`` null) and their situations."""
    return ProblemSituation.objects.visible_to(request.auth).select_related("parent")


# --- matching ----------------------------------------------------------------------------------


def _match(actor, params: MatchIn, loc: tuple) -> list:
    situations = list(
        ProblemSituation.objects.visible_to(actor).active().leaves().select_related("parent")
    )
    labels = {situation.code: situation.label for situation in situations}
    labels |= {situation.parent.code: situation.parent.label for situation in situations}
    errors = []
    if not params.needs:
        errors.append(_error((*loc, "needs"), _("Bitte mindestens eine Problemlage angeben.")))
    if unknown := [code for code in params.needs if code not in labels]:
        message = _("Unbekannte Problemlage: %(codes)s") % {"codes": ", ".join(unknown)}
        errors.append(_error((*loc, "needs"), message))
    if params.age is not None and not 0 <= params.age <= 120:
        errors.append(_error((*loc, "age"), _("Bitte ein Alter zwischen 0 und 120 angeben.")))
    if params.language and params.language not in Language.values:
        message = _("Unbekannte Sprache: %(code)s") % {"code": params.language}
        errors.append(_error((*loc, "language"), message))
    if not 1 <= params.radius_km <= MAX_MATCH_RADIUS_KM:
        message = _("Bitte einen Umkreis zwischen 1 und %(max)s km angeben.") % {
            "max": MAX_MATCH_RADIUS_KM
        }
        errors.append(_error((*loc, "radius_km"), message))
    municipality = None
    if params.municipality is not None:
        municipality = Municipality.objects.visible_to(actor).filter(pk=params.municipality).first()
        if municipality is None:
            message = _("Diese Gemeinde gibt es im Netzwerk nicht.")
            errors.append(_error((*loc, "municipality"), message))
    if errors:
        raise ValidationError(errors)
    needs = Needs(
        codes=tuple(dict.fromkeys(params.needs)),
        age=params.age,
        language=params.language or None,
        municipality=municipality,
        radius_km=params.radius_km,
    )
    return match_offers(actor, needs, labels=labels)


@router.post(
    "/offers/match", response=list[MatchOut], summary="Passende Angebote für Handlungsbedarfe"
)
@api_requires(Perm.VIEW_OFFERS)
def match(request, payload: MatchIn):
    """Published offers covering at least one need, ranked, each with the reasons spelt out.

    ``needs`` are problem-situation codes (a group code covers its situations); the ranking
    advises, the case manager decides.
    """
    return _match(request.auth, payload, ("body", "payload"))


@router.get(
    "/offers/match",
    response=list[MatchOut],
    summary="Passende Angebote (wie POST, Parameter in der Adresse)",
)
@api_requires(Perm.VIEW_OFFERS)
def match_by_query(request, params: Query[MatchIn]):
    """The same as ``POST /offers/match``; ``needs`` repeats (``?needs=a&needs=b``)."""
    return _match(request.auth, params, ("query",))


# --- writes (the owning organisation only) -----------------------------------------------------


def _value(value):
    if value is None:
        return ""
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def _formset_data(prefix: str, items: list, stored: list) -> tuple[dict, list]:
    """Formset POST data for ``items``; ``stored`` rows no item names by ``id`` are deleted.

    Returns the data and, per form, the index of its item (None for an implied deletion).
    """
    named = [i for i, item in enumerate(items) if item.id is not None]
    named_ids = {items[i].id for i in named}
    dropped = [row for row in stored if row.pk not in named_ids]
    new = [i for i, item in enumerate(items) if item.id is None]
    data = {
        f"{prefix}-INITIAL_FORMS": str(len(named) + len(dropped)),
        f"{prefix}-TOTAL_FORMS": str(len(named) + len(dropped) + len(new)),
    }
    index_of_form = []
    for form_index, item_index in enumerate([*named, *([None] * len(dropped)), *new]):
        if item_index is None:
            # A deleted form still cleans its data into the row: send the row's own values.
            row = dropped[form_index - len(named)]
            values = {**model_to_dict(row), "id": row.pk, "DELETE": "on"}
        else:
            values = items[item_index].dict()
        for name, value in values.items():
            data[f"{prefix}-{form_index}-{name}"] = _value(value)
        index_of_form.append(item_index)
    return data, index_of_form


def _offer_data(payload: OfferIn, version: int | None) -> dict:
    nested = {"places", "opening_hours", "exceptions", "contact", "version"}
    data = {name: _value(value) for name, value in payload.dict(exclude=nested).items()}
    data.update(payload.contact.dict())
    data["edit_version"] = "" if version is None else version
    return data


def _id_errors(field: str, items: list, stored_ids: set[int]) -> list[dict]:
    """An ``id`` must name a row of this offer, once (the formset would skip others silently)."""
    ids = [item.id for item in items if item.id is not None]
    errors = []
    for index, item in enumerate(items):
        if item.id is None:
            continue
        loc = ("body", "payload", field, index, "id")
        if item.id not in stored_ids:
            errors.append(_error(loc, _("Diesen Eintrag gibt es bei diesem Angebot nicht.")))
        elif ids.count(item.id) > 1:
            errors.append(_error(loc, _("Dieser Eintrag ist doppelt.")))
    return errors


OFFER_FIELD_LOCATIONS = {
    "edit_version": ("version",),
    **{name: ("contact", name) for name in CONTACT_FIELDS},
}


def _save(request, offer: Offer, payload: OfferIn, version: int | None) -> Offer:
    """Validate with the page's forms and save with ``save_offer``; raises 409 or 422."""
    actor = request.auth
    form = OfferForm(_offer_data(payload, version), instance=offer, network_id=actor.network_id)
    form.fields["problem_situations"].to_field_name = "code"  # the API names situations by code
    nested = [
        ("places", PlaceFormSet, "places", {"network_id": actor.network_id}),
        ("opening_hours", OpeningHoursFormSet, "hours", {}),
    ]
    if payload.exceptions is not None:
        nested.append(("exceptions", OpeningExceptionFormSet, "exceptions", {}))
    formsets, errors = [], []
    for field, formset_class, related, form_kwargs in nested:
        items = getattr(payload, field)
        stored = list(getattr(offer, related).all()) if offer.pk else []
        errors.extend(_id_errors(field, items, {row.pk for row in stored}))
        data, index_of_form = _formset_data(related, items, stored)
        formset = formset_class(data, prefix=related, instance=offer, form_kwargs=form_kwargs)
        formsets.append((field, formset, index_of_form))

    form_valid = form.is_valid()
    if any(error.code == "stale" for error in form.non_field_errors().as_data()):
        raise HttpError(409, str(STALE_MESSAGE))
    if not form_valid:
        errors.extend(_form_errors(form, ("body", "payload"), OFFER_FIELD_LOCATIONS))
    for field, formset, index_of_form in formsets:
        if formset.is_valid():
            continue
        for form_index, nested_form in enumerate(formset.forms):
            if index_of_form[form_index] is not None and nested_form.errors:
                loc = ("body", "payload", field, index_of_form[form_index])
                errors.extend(_form_errors(nested_form, loc))
        for message in formset.non_form_errors():
            errors.append(_error(("body", "payload", field), message))
    if errors:
        raise ValidationError(errors)
    try:
        with set_actor(actor.user):  # the change history names the token's user, too
            offer = save_offer(actor=actor, form=form, formsets=[f for _, f, _ in formsets])
    except StaleEditError as exc:
        raise HttpError(409, str(STALE_MESSAGE)) from exc
    except DjangoValidationError as exc:
        messages = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        raise ValidationError(
            [
                _error(("body", "payload", *(() if field == "__all__" else (field,))), message)
                for field, items in messages.items()
                for message in items
            ]
        ) from exc
    return _for_api(Offer.objects.filter(pk=offer.pk)).get()


@router.post("/offers", response={201: OfferOut}, summary="Angebot anlegen (eigene Organisation)")
@api_requires(Perm.EDIT_OFFERS)
def create_offer(request, payload: OfferIn):
    """A new offer of the acting organisation, with its places and opening hours."""
    actor = request.auth
    offer = Offer(network_id=actor.network_id, organisation=actor.organisation)
    return _save(request, offer, payload, version=None)


@router.put(
    "/offers/{int:offer_id}", response=OfferOut, summary="Angebot ändern (eigene Organisation)"
)
@api_requires(Perm.EDIT_OFFERS)
def update_offer(request, offer_id: int, payload: OfferUpdateIn):
    """Replaces the whole offer. ``version`` must be the one read last; otherwise 409."""
    actor = request.auth
    offer = Offer.objects.editable_by(actor).filter(pk=offer_id).first()
    if offer is None:
        if Offer.objects.visible_to(actor).filter(pk=offer_id).exists():
            raise HttpError(403, _("Nur die Organisation, der das Angebot gehört, kann es ändern."))
        raise HttpError(404, _("Nicht gefunden."))
    return _save(request, offer, payload, version=payload.version)
