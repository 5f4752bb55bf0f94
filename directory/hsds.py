"""Open Referral HSDS 3.0 exchange for the offer directory: export, validation and import.

The document (docs/decisions/0005-hsds-exchange.md) is a JSON array of HSDS ``organization``
objects – the standard's compiled ``organization_package`` – each with its published
``services``. A service nests ``service_at_locations`` (each with its full ``location``),
``schedules``, ``languages``, ``phones``, ``contacts``, ``cost_options``,
``required_documents`` and ``attributes``. Our own coded data without an HSDS field (problem
situations, target groups, access types, costs, availability, place kind, confidential place,
accessibility codes, organisation type, tags) travels as attributes linked to taxonomy terms of
the ``kurzewege-…`` taxonomies; term ids are derived from taxonomy and code, so they are the same
in every network. Ids of entities we keep no uuid for (schedules, phones, addresses …) are
derived from the owning offer's or place's uuid, so an export is stable and a round trip keeps
every id.

Confidential places never leave with an address, a name, coordinates or directions: only the
municipality's name (as the location's description) and the accessibility codes.

The import accepts any document valid against the compiled schemas – a list of organizations,
a list of services (with ``organization`` or ``organization_id``), a single object of either,
or an HSDS API page (``{"contents": [...]}``). It is all-or-nothing: every write happens in one
transaction, which is rolled back on any problem and always in a dry run.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, time
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import DatabaseError, transaction
from django.db.models import Prefetch
from django.utils import translation
from django.utils.translation import gettext as _

from core.choices import FederalState, LegalRegime, OrganisationType
from core.models import DEFAULT_LEGAL_REGIME, Municipality, Network, Organisation
from directory.choices import (
    Accessibility,
    AccessType,
    Availability,
    Costs,
    Language,
    OfferStatus,
    PlaceKind,
    TargetGroup,
)
from directory.indexing import deferred, reindex
from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation

# Fixed namespace for the uuid5 ids we derive (never change it: ids would change).
NAMESPACE = uuid.UUID("3d794024-9382-48e9-9892-69968233030c")

TAX_SITUATIONS = "kurzewege-problemlagen"
TAX_TARGET_GROUPS = "kurzewege-zielgruppen"
TAX_ACCESS = "kurzewege-zugangswege"
TAX_COSTS = "kurzewege-kosten"
TAX_AVAILABILITY = "kurzewege-aufnahme"
TAX_TAGS = "kurzewege-schlagwoerter"
TAX_PLACE_KIND = "kurzewege-ortsarten"
TAX_PLACE_FLAGS = "kurzewege-ortsmerkmale"
TAX_ACCESSIBILITY = "kurzewege-barrierefreiheit"
TAX_ORG_TYPES = "kurzewege-traegerarten"

# Data, not UI: the document is always German.
TAXONOMIES = {
    TAX_SITUATIONS: "Problemlagen (Handlungsbedarfe) von Kurze Wege; zwei Ebenen",
    TAX_TARGET_GROUPS: "Zielgruppen eines Angebots",
    TAX_ACCESS: "Zugangswege zu einem Angebot",
    TAX_COSTS: "Kostenart eines Angebots",
    TAX_AVAILABILITY: "Aufnahme: nimmt auf, Warteliste, keine freien Plätze (Wert: gilt bis)",
    TAX_TAGS: "Schlagwörter eines Angebots (Wert: durch Komma getrennt)",
    TAX_PLACE_KIND: "Art des Ortes: Ort des Angebots oder Anlaufstelle",
    TAX_PLACE_FLAGS: "Merkmale eines Ortes",
    TAX_ACCESSIBILITY: "Barrierefreiheit eines Ortes",
    TAX_ORG_TYPES: "Art der Organisation (Träger)",
}
_TAXONOMY_BY_ID = {}  # filled below: derived taxonomy id -> name

CONFIDENTIAL = "confidential"
TAGS = "tags"
NOT_ELIGIBLE_PREFIX = "Nicht geeignet für: "
ACCESS_PREFIX = "Zugang: "
DEFAULT_ORGANISATION_TYPE = OrganisationType.WELFARE_ORGANISATION

STATUS_TO_HSDS = {
    OfferStatus.PUBLISHED: "active",
    OfferStatus.PAUSED: "temporarily closed",
    OfferStatus.DRAFT: "inactive",
    OfferStatus.ARCHIVED: "defunct",
}
STATUS_FROM_HSDS = {
    "active": OfferStatus.PUBLISHED,
    "temporarily closed": OfferStatus.PAUSED,
    "inactive": OfferStatus.PAUSED,
    "defunct": OfferStatus.ARCHIVED,
}
BYDAY = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# ISO 639-2/3 codes of the languages we know, for documents that do not use ISO 639-1.
LANGUAGE_ALIASES = {
    "deu": "de",
    "ger": "de",
    "eng": "en",
    "ara": "ar",
    "tur": "tr",
    "rus": "ru",
    "ukr": "uk",
    "pol": "pl",
    "ron": "ro",
    "rum": "ro",
    "bul": "bg",
    "fas": "fa",
    "per": "fa",
    "prs": "fa",
    "kur": "ku",
    "kmr": "ku",
    "ckb": "ku",
    "tir": "ti",
    "som": "so",
    "fra": "fr",
    "fre": "fr",
    "spa": "es",
    "ita": "it",
    "ell": "el",
    "gre": "el",
    "bos": "hbs",
    "hrv": "hbs",
    "srp": "hbs",
    "bs": "hbs",
    "hr": "hbs",
    "sr": "hbs",
}
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$")
_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})")


def _id(*parts) -> str:
    """A stable uuid for something we keep no uuid for, derived from its owner and role."""
    return str(uuid.uuid5(NAMESPACE, ":".join(str(part) for part in parts)))


for _name in TAXONOMIES:
    _TAXONOMY_BY_ID[_id("taxonomy", _name)] = _name


@dataclass(frozen=True)
class Problem:
    """One finding about a document: which entry, which field (JSON path), what (German)."""

    entity: str
    field: str
    message: str


@dataclass
class EntityChanges:
    label: str
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    organisations: EntityChanges = field(default_factory=lambda: EntityChanges(_("Organisationen")))
    offers: EntityChanges = field(default_factory=lambda: EntityChanges(_("Angebote")))
    places: EntityChanges = field(default_factory=lambda: EntityChanges(_("Orte")))
    offer_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def applied(self) -> bool:
        """Something was written (a real import without problems)."""
        return self.ok and not self.dry_run

    @property
    def entities(self) -> list[EntityChanges]:
        return [self.organisations, self.offers, self.places]


# --- export ------------------------------------------------------------------------------------


def export_network(network: Network) -> list[dict]:
    """All published offers of ``network`` as an HSDS 3.0 ``organization_package``."""
    offers = (
        Offer.objects.filter(network=network, status=OfferStatus.PUBLISHED)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "problem_situations", queryset=ProblemSituation.objects.select_related("parent")
            ),
            Prefetch("places", queryset=Place.objects.select_related("municipality")),
            "hours",
            "exceptions",
        )
    )
    by_organisation: dict[int, list[Offer]] = defaultdict(list)
    organisations: dict[int, Organisation] = {}
    for offer in offers:
        by_organisation[offer.organisation_id].append(offer)
        organisations[offer.organisation_id] = offer.organisation
    state = _state_name(network)
    document = []
    with translation.override("de"):
        for organisation in sorted(organisations.values(), key=lambda o: (o.name, str(o.uuid))):
            entry = _organization(organisation)
            services = sorted(
                by_organisation[organisation.pk], key=lambda o: (o.title, str(o.uuid))
            )
            entry["services"] = [_service(offer, state) for offer in services]
            document.append(entry)
    return document


def _state_name(network: Network) -> str:
    with translation.override("de"):
        if network.federal_state in FederalState.values:
            return str(FederalState(network.federal_state).label)
    return network.federal_state


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else code


def _term(taxonomy: str, code: str, name: str, parent_code: str | None = None) -> dict:
    term = {
        "id": _id("term", taxonomy, code),
        "code": code,
        "name": name,
        "description": name,
        "taxonomy": taxonomy,
        "taxonomy_id": _id("taxonomy", taxonomy),
        "language": "de",
    }
    if parent_code:
        term["parent_id"] = _id("term", taxonomy, parent_code)
    return term


def _attribute(
    link_entity: str,
    link_id,
    taxonomy: str,
    code: str,
    name: str,
    *,
    value: str | None = None,
    parent_code: str | None = None,
) -> dict:
    term = _term(taxonomy, code, name, parent_code)
    attribute = {
        "id": _id("attribute", link_id, taxonomy, code),
        "link_id": str(link_id),
        "link_entity": link_entity,
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
    }
    if value:
        attribute["value"] = value
    return attribute


def _organization(organisation: Organisation) -> dict:
    entry = {
        "id": str(organisation.uuid),
        "name": organisation.name,
        "description": _label(OrganisationType, organisation.type),
    }
    if organisation.short_name:
        entry["alternate_name"] = organisation.short_name
    if organisation.email:
        entry["email"] = organisation.email
    if organisation.website:
        entry["website"] = organisation.website
    entry["attributes"] = [
        _attribute(
            "organization",
            organisation.uuid,
            TAX_ORG_TYPES,
            organisation.type,
            _label(OrganisationType, organisation.type),
        )
    ]
    return entry


def _time_text(value: time) -> str:
    return value.strftime("%H:%M:%S" if value.second else "%H:%M")


def _eligibility_text(offer: Offer) -> str:
    parts = [offer.eligibility.strip()] if offer.eligibility.strip() else []
    if offer.not_eligible.strip():
        parts.append(NOT_ELIGIBLE_PREFIX + offer.not_eligible.strip())
    return "\n\n".join(parts)


def _split_eligibility(text: str) -> tuple[str, str]:
    text = text.strip()
    if text.startswith(NOT_ELIGIBLE_PREFIX):
        return "", text[len(NOT_ELIGIBLE_PREFIX) :].strip()
    marker = "\n\n" + NOT_ELIGIBLE_PREFIX
    if marker in text:
        eligible, _sep, not_eligible = text.rpartition(marker)
        return eligible.strip(), not_eligible.strip()
    return text, ""


def _application_text(offer: Offer) -> str:
    """How to get in: the access types for people reading HSDS, then our contact route."""
    parts = []
    if offer.access_types:
        labels = [_label(AccessType, code) for code in sorted(offer.access_types)]
        parts.append(ACCESS_PREFIX + ", ".join(labels))
    if offer.contact_note.strip():
        parts.append(offer.contact_note.strip())
    return "\n\n".join(parts)


def _split_application(text: str, from_kurzewege: bool) -> str:
    """The contact route; the access line is ours only when our access attributes came along
    (they carry the access types themselves)."""
    if from_kurzewege and text.startswith(ACCESS_PREFIX):
        _access, _sep, rest = text.partition("\n\n")
        return rest.strip()
    return text


def _wait_time(offer: Offer) -> str:
    current = offer.current_availability()
    if current == Availability.ACCEPTING:
        return ""
    text = _label(Availability, current)
    if offer.availability_until:
        text += " " + _("bis %(date)s") % {"date": offer.availability_until.strftime("%d.%m.%Y")}
    return text


def _service(offer: Offer, state: str) -> dict:
    """One offer as an HSDS service (call inside ``translation.override("de")``)."""
    uid = str(offer.uuid)
    service = {
        "id": uid,
        "organization_id": str(offer.organisation.uuid),
        "name": offer.title,
        "description": offer.description,
        "status": STATUS_TO_HSDS.get(offer.status, "inactive"),
    }
    optional = {
        "url": offer.website,
        "email": offer.email,
        "eligibility_description": _eligibility_text(offer),
        "application_process": _application_text(offer),
        "fees_description": offer.costs_note,
        "wait_time": _wait_time(offer),
        "alert": offer.availability_note,
    }
    service.update({key: value for key, value in optional.items() if value})
    if offer.min_age is not None:
        service["minimum_age"] = offer.min_age
    if offer.max_age is not None:
        service["maximum_age"] = offer.max_age
    service["assured_date"] = offer.last_verified.isoformat()
    if offer.updated_at:
        service["last_modified"] = offer.updated_at.isoformat(timespec="milliseconds")
    if offer.phone:
        service["phones"] = [{"id": _id("phone", uid), "service_id": uid, "number": offer.phone}]
    schedules = _schedules(offer)
    if schedules:
        service["schedules"] = schedules
    places = list(offer.places.all())
    if places:
        service["service_at_locations"] = [
            _service_at_location(offer, place, state) for place in places
        ]
    if offer.languages:
        service["languages"] = [
            {
                "id": _id("language", uid, code),
                "service_id": uid,
                "name": _label(Language, code),
                "code": code,
            }
            for code in sorted(offer.languages)
        ]
    if offer.costs == Costs.FREE:
        service["cost_options"] = [
            {
                "id": _id("cost_option", uid),
                "service_id": uid,
                "option": _label(Costs, Costs.FREE),
                "amount": 0,
                "currency": "EUR",
            }
        ]
    if offer.what_to_bring.strip():
        service["required_documents"] = [
            {
                "id": _id("required_document", uid),
                "service_id": uid,
                "document": offer.what_to_bring,
            }
        ]
    if offer.email or offer.phone:
        contact = {"id": _id("contact", uid), "service_id": uid, "name": offer.organisation.name}
        if offer.email:
            contact["email"] = offer.email
        if offer.phone:
            contact["phones"] = [{"id": _id("contact_phone", uid), "number": offer.phone}]
        service["contacts"] = [contact]
    service["attributes"] = _service_attributes(offer)
    return service


def _service_attributes(offer: Offer) -> list[dict]:
    uid = offer.uuid
    attributes = [
        _attribute(
            "service",
            uid,
            TAX_SITUATIONS,
            situation.code,
            situation.label,
            parent_code=situation.parent.code if situation.parent_id else None,
        )
        for situation in sorted(offer.problem_situations.all(), key=lambda s: s.code)
    ]
    attributes += [
        _attribute("service", uid, TAX_TARGET_GROUPS, code, _label(TargetGroup, code))
        for code in sorted(offer.target_groups)
    ]
    attributes += [
        _attribute("service", uid, TAX_ACCESS, code, _label(AccessType, code))
        for code in sorted(offer.access_types)
    ]
    attributes.append(
        _attribute("service", uid, TAX_COSTS, offer.costs, _label(Costs, offer.costs))
    )
    attributes.append(
        _attribute(
            "service",
            uid,
            TAX_AVAILABILITY,
            offer.availability,
            _label(Availability, offer.availability),
            value=offer.availability_until.isoformat() if offer.availability_until else None,
        )
    )
    if offer.tags.strip():
        attributes.append(
            _attribute("service", uid, TAX_TAGS, TAGS, "Schlagwörter", value=offer.tags.strip())
        )
    return attributes


def _schedules(offer: Offer) -> list[dict]:
    uid = str(offer.uuid)
    schedules = []
    seen: Counter = Counter()
    for hours in sorted(
        offer.hours.all(), key=lambda h: (h.weekday, h.opens, h.closes, h.note, h.pk)
    ):
        key = (BYDAY[hours.weekday], _time_text(hours.opens), _time_text(hours.closes))
        number = seen[key]
        seen[key] += 1
        schedule = {
            "id": _id("schedule", uid, "weekly", *key, number),
            "service_id": uid,
            "freq": "WEEKLY",
            "wkst": "MO",
            "byday": key[0],
            "opens_at": key[1],
            "closes_at": key[2],
        }
        if hours.note:
            schedule["notes"] = hours.note
        schedules.append(schedule)
    for exception in sorted(offer.exceptions.all(), key=lambda e: e.date):
        day = exception.date.isoformat()
        schedule = {
            "id": _id("schedule", uid, "exception", day),
            "service_id": uid,
            "valid_from": day,
            "valid_to": day,
        }
        if exception.is_closed:
            schedule["description"] = "Geschlossen"
        else:
            schedule["description"] = "Abweichende Öffnungszeit"
            schedule["opens_at"] = _time_text(exception.opens)
            schedule["closes_at"] = _time_text(exception.closes)
        if exception.note:
            schedule["notes"] = exception.note
        schedules.append(schedule)
    return schedules


def _service_at_location(offer: Offer, place: Place, state: str) -> dict:
    sal_id = _id("service_at_location", offer.uuid, place.uuid)
    return {
        "id": sal_id,
        "service_id": str(offer.uuid),
        "location_id": str(place.uuid),
        "location": _location(place, state),
        "attributes": [
            _attribute(
                "service_at_location",
                sal_id,
                TAX_PLACE_KIND,
                place.kind,
                _label(PlaceKind, place.kind),
            )
        ],
    }


def _location(place: Place, state: str) -> dict:
    """A place as an HSDS location; a confidential place without anything that locates it."""
    pid = str(place.uuid)
    location = {"id": pid, "location_type": "physical"}
    municipality = place.municipality
    if place.is_confidential:
        # Deliberately built from the municipality only, never from the place's own columns.
        location["name"] = "Vertraulicher Ort"
        location["description"] = municipality.name
        location["attributes"] = [
            _attribute(
                "location",
                pid,
                TAX_PLACE_FLAGS,
                CONFIDENTIAL,
                "Vertraulicher Ort: Adresse wird nicht weitergegeben",
            )
        ]
    else:
        has_address = bool(place.street or place.postal_code or place.city)
        if place.name:
            location["name"] = place.name
        if not has_address:
            location["description"] = municipality.name
        if place.transport_note:
            location["transportation"] = place.transport_note
        if place.latitude is not None and place.longitude is not None:
            location["latitude"] = place.latitude
            location["longitude"] = place.longitude
        location["external_identifier"] = municipality.ags
        location["external_identifier_type"] = "AGS"
        if has_address:
            address = {
                "id": _id("address", pid),
                "location_id": pid,
                "address_1": place.street,
                "city": place.city,
                "state_province": state,
                "postal_code": place.postal_code,
                "country": "DE",
                "address_type": "physical",
            }
            if place.city != municipality.name:
                address["region"] = municipality.name
            location["addresses"] = [address]
    if place.accessibility:
        location["accessibility"] = []
        for code in sorted(place.accessibility):
            accessibility_id = _id("accessibility", pid, code)
            label = _label(Accessibility, code)
            location["accessibility"].append(
                {
                    "id": accessibility_id,
                    "location_id": pid,
                    "description": label,
                    "attributes": [
                        _attribute(
                            "accessibility", accessibility_id, TAX_ACCESSIBILITY, code, label
                        )
                    ],
                }
            )
    return location


# --- validation --------------------------------------------------------------------------------


def schema_dir() -> Path:
    """Where the compiled HSDS schemas are (setting or environment ``HSDS_SCHEMA_DIR``)."""
    configured = getattr(settings, "HSDS_SCHEMA_DIR", None) or os.environ.get("HSDS_SCHEMA_DIR")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR).parent / "shared" / "hsds" / "schema" / "compiled"


@lru_cache(maxsize=8)
def _validator(kind: str):
    from jsonschema.validators import Draft202012Validator, validator_for
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT202012

    directory = schema_dir()
    path = directory / f"{kind}.json"
    if not path.exists():
        raise ImproperlyConfigured(f"HSDS schema not found: {path} (set HSDS_SCHEMA_DIR)")
    schema = json.loads(path.read_text(encoding="utf-8"))

    def retrieve(uri: str):
        # The compiled schemas carry no $ref today; resolve any by file name next to them.
        contents = json.loads((directory / uri.rsplit("/", 1)[-1]).read_text(encoding="utf-8"))
        return Resource.from_contents(contents, default_specification=DRAFT202012)

    cls = validator_for(schema, default=Draft202012Validator)
    return cls(schema, registry=Registry(retrieve=retrieve), format_checker=cls.FORMAT_CHECKER)


@dataclass
class _Item:
    path: str
    kind: str  # "organization" or "service"
    data: dict


FILE = "Datei"
DOCUMENT = "Dokument"


def parse(raw) -> tuple[object, list[Problem]]:
    """Bytes or text to JSON; a broken file is a problem, not an exception."""
    if isinstance(raw, bytes | bytearray):
        try:
            raw = bytes(raw).decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, [
                Problem(
                    FILE, "", _("Die Datei ist nicht UTF-8-kodiert. Bitte als UTF-8 speichern.")
                )
            ]
    if isinstance(raw, str):
        try:
            return json.loads(raw), []
        except json.JSONDecodeError as error:
            where = _("Zeile %(line)s, Spalte %(column)s") % {
                "line": error.lineno,
                "column": error.colno,
            }
            return None, [
                Problem(
                    FILE,
                    where,
                    _("Die Datei ist kein gültiges JSON (%(detail)s).") % {"detail": error.msg},
                )
            ]
    return raw, []


def _kind(data: dict) -> str:
    return "service" if "status" in data and "services" not in data else "organization"


def _items(document) -> tuple[list[_Item], list[Problem]]:
    if isinstance(document, dict) and isinstance(document.get("contents"), list):
        base, entries = "$.contents", document["contents"]
    elif isinstance(document, list):
        base, entries = "$", document
    elif isinstance(document, dict):
        return [_Item("$", _kind(document), document)], []
    else:
        return [], [
            Problem(
                DOCUMENT,
                "$",
                _(
                    "Das Dokument muss eine Liste von Organisationen oder Angeboten (HSDS) "
                    "oder ein einzelnes solches Objekt sein."
                ),
            )
        ]
    items, problems = [], []
    for index, entry in enumerate(entries):
        path = f"{base}[{index}]"
        if isinstance(entry, dict):
            items.append(_Item(path, _kind(entry), entry))
        else:
            problems.append(Problem(DOCUMENT, path, _("Der Eintrag ist kein JSON-Objekt.")))
    return items, problems


def _entity(kind: str, data) -> str:
    label = _("Organisation") if kind == "organization" else _("Angebot")
    if not isinstance(data, dict):
        return label
    name, ident = data.get("name"), data.get("id")
    text = f"{label} »{name.strip()}«" if isinstance(name, str) and name.strip() else label
    if isinstance(ident, str) and ident:
        text += f" ({ident})"
    return text


def _path(base: str, steps) -> str:
    text = base
    for step in steps:
        text += f"[{step}]" if isinstance(step, int) else f".{step}"
    return text


def _entity_at(item: _Item, steps) -> str:
    """The innermost organisation or service on the way to ``steps``."""
    entity = _entity(item.kind, item.data)
    node, previous = item.data, None
    for step in steps:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if previous == "services" and isinstance(step, int):
            entity = _entity("service", node)
        elif step == "organization" and isinstance(node, dict):
            entity = _entity("organization", node)
        previous = step
    return entity


_TYPE_NAMES = {
    "string": "Text",
    "number": "Zahl",
    "integer": "ganze Zahl",
    "array": "Liste",
    "object": "Objekt",
    "boolean": "Wahrheitswert",
    "null": "null",
}


def _json_type(value) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 60 else text[:57] + "…"


def _schema_problem(item: _Item, error) -> Problem:
    steps = list(error.absolute_path)
    entity = _entity_at(item, steps)
    where = _path(item.path, steps)
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else ""
        return Problem(entity, f"{where}.{missing}", _("Pflichtangabe fehlt."))
    if kind == "type":
        expected = error.validator_value
        expected = expected if isinstance(expected, list) else [expected]
        return Problem(
            entity,
            where,
            _("Falscher Datentyp: erwartet %(expected)s, gefunden %(found)s.")
            % {
                "expected": " oder ".join(_TYPE_NAMES.get(t, t) for t in expected),
                "found": _TYPE_NAMES[_json_type(error.instance)],
            },
        )
    if kind == "enum":
        return Problem(
            entity,
            where,
            _("Unzulässiger Wert »%(value)s«. Erlaubt sind: %(allowed)s.")
            % {
                "value": _short(error.instance),
                "allowed": ", ".join(str(v) for v in error.validator_value),
            },
        )
    if kind == "format":
        messages = {
            "uuid": _("»%(value)s« ist keine gültige UUID."),
            "email": _("»%(value)s« ist keine gültige E-Mail-Adresse."),
            "date": _("»%(value)s« ist kein gültiges Datum (JJJJ-MM-TT)."),
        }
        message = messages.get(
            error.validator_value, _("»%(value)s« hat nicht das Format %(format)s.")
        )
        return Problem(
            entity,
            where,
            message % {"value": _short(error.instance), "format": error.validator_value},
        )
    return Problem(
        entity,
        where,
        _("Ungültiger Wert »%(value)s« (Regel: %(rule)s).")
        % {"value": _short(error.instance), "rule": kind},
    )


def _sort_key(error):
    return tuple((0, step) if isinstance(step, int) else (1, str(step)) for step in error.path)


def _schema_problems(items: list[_Item]) -> list[Problem]:
    problems = []
    for item in items:
        validator = _validator(item.kind)
        for error in sorted(validator.iter_errors(item.data), key=_sort_key):
            problems.append(_schema_problem(item, error))
    return problems


def validate(document) -> list[Problem]:
    """Problems of ``document`` (parsed JSON, or its text/bytes) against the HSDS schemas."""
    document, problems = parse(document)
    if problems:
        return problems
    items, problems = _items(document)
    return _dedupe(problems + _schema_problems(items))


def _dedupe(problems: list[Problem]) -> list[Problem]:
    seen, result = set(), []
    for problem in problems:
        key = (problem.entity, problem.field)
        if key not in seen:
            seen.add(key)
            result.append(problem)
    return result


# --- reading values defensively (the schema check reports wrong types; we must not crash) ------


def _text(data, key: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return value.strip() if isinstance(value, str) else ""


def _dicts(data, key: str) -> list[tuple[int, dict]]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        return []
    return [(index, entry) for index, entry in enumerate(value) if isinstance(entry, dict)]


def _number(data, key: str):
    value = data.get(key) if isinstance(data, dict) else None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return value


def _uuid(value) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _parse_time(value: str) -> time | None:
    match = _TIME.match(value)
    if not match:
        return None
    hour, minute, second = int(match[1]), int(match[2]), int(match[3] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    return time(hour, minute, second)


def _parse_date(value: str) -> date | None:
    match = _DATE.match(value)
    if not match:
        return None
    try:
        return date.fromisoformat(match[1])
    except ValueError:
        return None


def _taxonomy_of(term) -> str | None:
    if not isinstance(term, dict):
        return None
    name = _text(term, "taxonomy")
    if name in TAXONOMIES:
        return name
    detail = term.get("taxonomy_detail")
    if isinstance(detail, dict) and _text(detail, "name") in TAXONOMIES:
        return _text(detail, "name")
    return _TAXONOMY_BY_ID.get(_text(term, "taxonomy_id"))


# --- import ------------------------------------------------------------------------------------


@dataclass
class _OrgPlan:
    path: str
    entity: str
    uuid: uuid.UUID
    name: str
    instance: Organisation | None = None
    fields: dict = field(default_factory=dict)
    written: bool = False


@dataclass
class _PlacePlan:
    path: str
    uuid: uuid.UUID
    municipality: Municipality | None
    fields: dict
    field_paths: dict


@dataclass
class _HoursPlan:
    path: str
    weekday: int
    opens: time
    closes: time
    note: str

    @property
    def key(self):
        return (self.weekday, self.opens, self.closes, self.note)


@dataclass
class _ExceptionPlan:
    path: str
    date: date
    is_closed: bool
    opens: time | None
    closes: time | None
    note: str


@dataclass
class _OfferPlan:
    path: str
    entity: str
    uuid: uuid.UUID
    title: str
    organisation: _OrgPlan
    fields: dict
    last_verified: date | None
    situations: list[ProblemSituation]
    places: list[_PlacePlan]
    hours: list[_HoursPlan]
    exceptions: list[_ExceptionPlan]


OFFER_FIELD_PATHS = {
    "title": ".name",
    "description": ".description",
    "email": ".email",
    "website": ".url",
    "phone": ".phones",
    "min_age": ".minimum_age",
    "max_age": ".maximum_age",
    "eligibility": ".eligibility_description",
    "not_eligible": ".eligibility_description",
    "contact_note": ".application_process",
    "costs_note": ".fees_description",
    "availability_note": ".alert",
    "availability": ".attributes",
    "availability_until": ".attributes",
    "costs": ".attributes",
    "target_groups": ".attributes",
    "access_types": ".attributes",
    "tags": ".attributes",
    "languages": ".languages",
    "last_verified": ".assured_date",
    "organisation": ".organization_id",
    "what_to_bring": ".required_documents",
    "status": ".status",
}
ORGANISATION_FIELD_PATHS = {
    "name": ".name",
    "short_name": ".alternate_name",
    "email": ".email",
    "website": ".website",
    "type": ".attributes",
    "legal_regime": ".attributes",
}


class _Rollback(Exception):
    """Leave a savepoint without keeping its writes."""


class _Importer:
    def __init__(self, network: Network, report: ImportReport):
        self.network = network
        self.report = report
        self.state = _state_name(network)
        self.municipalities = list(Municipality.objects.filter(network=network))
        self.situations = {s.code: s for s in ProblemSituation.objects.filter(network=network)}
        self.organisations: dict[uuid.UUID, _OrgPlan] = {}
        self.offers: list[_OfferPlan] = []
        self.offer_uuids: set[uuid.UUID] = set()
        self.locations: dict[str, tuple[str, dict]] = {}

    # findings

    def problem(self, entity: str, path: str, message: str) -> None:
        self.report.problems.append(Problem(entity, path, message))

    def warn(self, entity: str, path: str, message: str) -> None:
        self.report.warnings.append(Problem(entity, path, message))

    def date(self, entity: str, path: str, value: str) -> date | None:
        """``value`` as a date, or ``None`` with a problem reported for ``path``."""
        parsed = _parse_date(value)
        if parsed is None:
            self.problem(
                entity,
                path,
                _("»%(value)s« ist kein gültiges Datum (JJJJ-MM-TT).") % {"value": _short(value)},
            )
        return parsed

    def _fit(self, value: str, model, name: str, entity: str, path: str) -> str:
        limit = model._meta.get_field(name).max_length
        if limit and len(value) > limit:
            self.warn(
                entity,
                path,
                _("Der Text ist länger als %(limit)s Zeichen und wurde gekürzt.")
                % {"limit": limit},
            )
            return value[: limit - 1] + "…"
        return value

    def _validation_problems(self, entity: str, path: str, error: ValidationError, paths: dict):
        if hasattr(error, "error_dict"):
            for name, messages in error.message_dict.items():
                where = path + paths.get(name, "")
                for message in messages:
                    self.problem(entity, where, message)
        else:
            for message in error.messages:
                self.problem(entity, path, message)

    # resolving the document into plans (no writes)

    def plan(self, items: list[_Item]) -> None:
        services: list[tuple[str, dict, _OrgPlan | None]] = []
        for item in items:
            organisation, path = item.data, item.path
            if item.kind == "service":
                organisation, path = item.data.get("organization"), f"{item.path}.organization"
            for index, location in _dicts(organisation, "locations"):
                self._remember_location(f"{path}.locations[{index}]", location)
        for item in items:
            if item.kind != "organization":
                continue
            organisation = self._plan_organisation(item.path, item.data)
            for index, service in _dicts(item.data, "services"):
                services.append((f"{item.path}.services[{index}]", service, organisation))
        for item in items:
            if item.kind == "service":
                services.append((item.path, item.data, self._organisation_of(item)))
        for path, service, _organisation in services:
            for index, sal in _dicts(service, "service_at_locations"):
                if isinstance(sal.get("location"), dict):
                    self._remember_location(
                        f"{path}.service_at_locations[{index}].location", sal["location"]
                    )
        for path, service, organisation in services:
            if organisation is not None:
                self._plan_offer(path, service, organisation)

    def _remember_location(self, path: str, location: dict) -> None:
        ident = _text(location, "id")
        if ident and ident not in self.locations:
            self.locations[ident] = (path, location)

    def _organisation_of(self, item: _Item) -> _OrgPlan | None:
        nested = item.data.get("organization")
        if isinstance(nested, dict):
            return self._plan_organisation(f"{item.path}.organization", nested)
        entity = _entity("service", item.data)
        ident = _uuid(item.data.get("organization_id"))
        if ident is None:
            if "organization_id" not in item.data:
                self.problem(
                    entity,
                    f"{item.path}.organization_id",
                    _(
                        "Der Träger fehlt: Bitte „organization“ oder „organization_id“ angeben "
                        "(eine Organisation dieses Netzwerks oder des Dokuments)."
                    ),
                )
            return None
        if ident in self.organisations:
            return self.organisations[ident]
        existing = Organisation.objects.filter(network=self.network, uuid=ident).first()
        if existing is None:
            self.problem(
                entity,
                f"{item.path}.organization_id",
                _(
                    "Die Organisation %(id)s gibt es in diesem Netzwerk nicht, und das Dokument "
                    "beschreibt sie nicht."
                )
                % {"id": ident},
            )
            return None
        plan = _OrgPlan(f"{item.path}.organization_id", _entity("organization", {}), ident, "")
        plan.instance, plan.name = existing, existing.name
        plan.entity = _("Organisation »%(name)s« (%(id)s)") % {"name": existing.name, "id": ident}
        self.organisations[ident] = plan
        return plan

    def _plan_organisation(self, path: str, data: dict) -> _OrgPlan | None:
        ident = _uuid(data.get("id"))
        if ident is None:
            return None  # the schema check reports the id
        if ident in self.organisations:
            return self.organisations[ident]
        entity = _entity("organization", data)
        name = self._fit(_text(data, "name"), Organisation, "name", entity, f"{path}.name")
        plan = _OrgPlan(path, entity, ident, name)
        self.organisations[ident] = plan
        existing = Organisation.objects.filter(network=self.network, uuid=ident).first()
        if existing is None and name:
            existing = Organisation.objects.filter(network=self.network, name=name).first()
            if existing is not None:
                self.warn(
                    entity,
                    f"{path}.id",
                    _(
                        "Im Netzwerk gibt es bereits eine Organisation dieses Namens (mit anderer "
                        "Kennung); die Angebote werden ihr zugeordnet."
                    ),
                )
        if existing is not None:
            plan.instance = existing
            return plan
        org_type = DEFAULT_ORGANISATION_TYPE
        for code, _value, where in self._our_attributes(entity, path, data).get(TAX_ORG_TYPES, []):
            if code in OrganisationType.values:
                org_type = code
            else:
                self.problem(
                    entity,
                    f"{where}.taxonomy_term.code",
                    _("Unbekannte Art der Organisation »%(code)s«.") % {"code": code},
                )
        plan.fields = {
            "name": name,
            "short_name": self._fit(
                _text(data, "alternate_name"), Organisation, "short_name", entity, path
            ),
            "email": _text(data, "email"),
            "website": _text(data, "website"),
            "type": org_type,
            "legal_regime": DEFAULT_LEGAL_REGIME.get(org_type, LegalRegime.NONE),
        }
        return plan

    def _our_attributes(self, entity: str, path: str, data) -> dict[str, list]:
        """Attributes of our taxonomies: {taxonomy: [(code, value, path), …]}."""
        found: dict[str, list] = defaultdict(list)
        foreign = 0
        for index, attribute in _dicts(data, "attributes"):
            where = f"{path}.attributes[{index}]"
            term = attribute.get("taxonomy_term")
            taxonomy = _taxonomy_of(term)
            if taxonomy is None:
                foreign += 1
                continue
            code = _text(term, "code")
            if not code:
                self.problem(
                    entity,
                    f"{where}.taxonomy_term.code",
                    _("Der Begriff aus der Taxonomie %(taxonomy)s hat keinen Code.")
                    % {"taxonomy": taxonomy},
                )
                continue
            found[taxonomy].append((code, _text(attribute, "value"), where))
        if foreign:
            self.warn(
                entity,
                f"{path}.attributes",
                _(
                    "%(count)s Merkmal(e) aus anderen Taxonomien werden nicht übernommen "
                    "(Kurze Wege kennt nur die eigenen „kurzewege-…“-Taxonomien)."
                )
                % {"count": foreign},
            )
        return found

    def _codes(self, entity, attributes, taxonomy, choices, message) -> list[str]:
        codes = []
        for code, _value, where in attributes.get(taxonomy, []):
            if code in choices.values:
                codes.append(code)
            else:
                self.problem(entity, f"{where}.taxonomy_term.code", message % {"code": code})
        return sorted(set(codes))

    def _plan_offer(self, path: str, data: dict, organisation: _OrgPlan) -> None:
        ident = _uuid(data.get("id"))
        if ident is None:
            return
        entity = _entity("service", data)
        if ident in self.offer_uuids:
            self.problem(entity, f"{path}.id", _("Das Angebot kommt im Dokument mehrfach vor."))
            return
        self.offer_uuids.add(ident)
        attributes = self._our_attributes(entity, path, data)

        situations = []
        for code, _value, where in attributes.get(TAX_SITUATIONS, []):
            situation = self.situations.get(code)
            if situation is None:
                self.problem(
                    entity,
                    f"{where}.taxonomy_term.code",
                    _("Die Problemlage »%(code)s« gibt es in der Taxonomie dieses Netzwerks nicht.")
                    % {"code": code},
                )
            else:
                situations.append(situation)

        fields = {
            "title": self._fit(_text(data, "name"), Offer, "title", entity, f"{path}.name"),
            "description": _text(data, "description"),
            "status": STATUS_FROM_HSDS.get(_text(data, "status"), OfferStatus.PUBLISHED),
            "website": _text(data, "url"),
            "email": _text(data, "email"),
            "contact_note": self._fit(
                _split_application(
                    _text(data, "application_process"), bool(attributes.get(TAX_ACCESS))
                ),
                Offer,
                "contact_note",
                entity,
                f"{path}.application_process",
            ),
            "what_to_bring": "\n".join(
                _text(document, "document")
                for _index, document in _dicts(data, "required_documents")
                if _text(document, "document")
            ),
            "target_groups": self._codes(
                entity,
                attributes,
                TAX_TARGET_GROUPS,
                TargetGroup,
                _("Unbekannte Zielgruppe »%(code)s«."),
            ),
            "access_types": self._codes(
                entity, attributes, TAX_ACCESS, AccessType, _("Unbekannter Zugangsweg »%(code)s«.")
            ),
            "languages": self._languages(entity, path, data),
        }
        if not fields["description"]:
            fields["description"] = "Keine Beschreibung angegeben."
            self.warn(
                entity,
                f"{path}.description",
                _("Keine Beschreibung angegeben; ein Platzhaltertext wird eingetragen."),
            )
        fields["eligibility"], fields["not_eligible"] = _split_eligibility(
            _text(data, "eligibility_description")
        )
        tags = [value for code, value, _where in attributes.get(TAX_TAGS, []) if code == TAGS]
        fields["tags"] = self._fit(", ".join(tags), Offer, "tags", entity, f"{path}.attributes")
        fields.update(self._contact(entity, path, data))
        fields.update(self._costs(entity, path, data, attributes))
        fields.update(self._availability(entity, path, data, attributes))
        for name, key in (("min_age", "minimum_age"), ("max_age", "maximum_age")):
            fields[name] = self._age(entity, f"{path}.{key}", data, key)

        last_verified = None
        if _text(data, "assured_date"):
            last_verified = self.date(entity, f"{path}.assured_date", _text(data, "assured_date"))

        places, schedule_sources = (
            [],
            [
                (f"{path}.schedules[{index}]", schedule)
                for index, schedule in _dicts(data, "schedules")
            ],
        )
        for index, sal in _dicts(data, "service_at_locations"):
            sal_path = f"{path}.service_at_locations[{index}]"
            schedule_sources += [
                (f"{sal_path}.schedules[{i}]", schedule) for i, schedule in _dicts(sal, "schedules")
            ]
            location = sal.get("location")
            location_path = f"{sal_path}.location"
            if not isinstance(location, dict):
                found = self.locations.get(_text(sal, "location_id"))
                if found is None:
                    self.problem(
                        entity,
                        f"{sal_path}.location_id",
                        _(
                            "Der Ort »%(id)s« wird genannt, ist aber im Dokument nicht "
                            "beschrieben (weder hier noch unter „locations“ der Organisation)."
                        )
                        % {"id": _text(sal, "location_id") or "–"},
                    )
                    continue
                location_path, location = found
            schedule_sources += [
                (f"{location_path}.schedules[{i}]", schedule)
                for i, schedule in _dicts(location, "schedules")
            ]
            place = self._plan_place(entity, sal_path, sal, location_path, location)
            if place is not None:
                if any(p.uuid == place.uuid for p in places):
                    self.warn(
                        entity, location_path, _("Der Ort ist doppelt angegeben und zählt einmal.")
                    )
                else:
                    places.append(place)
        hours, exceptions = self._schedules(entity, schedule_sources)

        self.offers.append(
            _OfferPlan(
                path=path,
                entity=entity,
                uuid=ident,
                title=fields["title"],
                organisation=organisation,
                fields=fields,
                last_verified=last_verified,
                situations=situations,
                places=places,
                hours=hours,
                exceptions=exceptions,
            )
        )

    def _languages(self, entity: str, path: str, data: dict) -> list[str]:
        codes = set()
        with translation.override("de"):
            by_label = {str(label).casefold(): code for code, label in Language.choices}
        for index, language in _dicts(data, "languages"):
            raw = _text(language, "code").lower().replace("_", "-")
            code = LANGUAGE_ALIASES.get(raw.split("-")[0], raw.split("-")[0]) if raw else ""
            if not code:
                code = by_label.get(_text(language, "name").casefold(), "")
            if code in Language.values:
                codes.add(code)
            else:
                self.warn(
                    entity,
                    f"{path}.languages[{index}]",
                    _(
                        "Die Sprache »%(language)s« ist in Kurze Wege nicht vorgesehen und "
                        "wird nicht übernommen."
                    )
                    % {"language": raw or _text(language, "name") or "–"},
                )
        return sorted(codes)

    def _contact(self, entity: str, path: str, data: dict) -> dict:
        contacts = [contact for _index, contact in _dicts(data, "contacts")]
        email = _text(data, "email") or next(
            (_text(c, "email") for c in contacts if _text(c, "email")), ""
        )
        numbers = [
            (f"{path}.phones[{index}]", phone) for index, phone in _dicts(data, "phones")
        ] or [
            (f"{path}.contacts[{i}].phones[{j}]", phone)
            for i, contact in _dicts(data, "contacts")
            for j, phone in _dicts(contact, "phones")
        ]
        numbers = [(where, phone) for where, phone in numbers if _text(phone, "number")]
        phone = ""
        if numbers:
            where, first = numbers[0]
            phone = _text(first, "number")
            extension = _number(first, "extension")
            if extension is not None:
                phone += f"-{int(extension)}"
            phone = self._fit(phone, Offer, "phone", entity, f"{where}.number")
            if len(numbers) > 1:
                self.warn(
                    entity,
                    f"{path}.phones",
                    _("Kurze Wege speichert eine Telefonnummer je Angebot; weitere entfallen."),
                )
        return {"email": email, "phone": phone}

    def _costs(self, entity: str, path: str, data: dict, attributes: dict) -> dict:
        note = _text(data, "fees_description") or _text(data, "fees")
        codes = self._codes(
            entity, attributes, TAX_COSTS, Costs, _("Unbekannte Kostenart »%(code)s«.")
        )
        if codes:
            costs = codes[0]
        else:
            amounts = [_number(option, "amount") for _i, option in _dicts(data, "cost_options")]
            amounts = [amount for amount in amounts if amount is not None]
            if any(amount > 0 for amount in amounts):
                costs = Costs.FEE
            elif amounts:
                costs = Costs.FREE
            else:
                # A fee described but not classified: do not claim the offer is free.
                costs = Costs.FEE if note else Costs.FREE
        return {
            "costs": costs,
            "costs_note": self._fit(note, Offer, "costs_note", entity, f"{path}.fees_description"),
        }

    def _availability(self, entity: str, path: str, data: dict, attributes: dict) -> dict:
        note = _text(data, "alert")
        found = attributes.get(TAX_AVAILABILITY, [])
        availability, until = Availability.ACCEPTING, None
        if found:
            code, value, where = found[0]
            if code in Availability.values:
                availability = code
            else:
                self.problem(
                    entity,
                    f"{where}.taxonomy_term.code",
                    _("Unbekannter Aufnahmestatus »%(code)s«.") % {"code": code},
                )
            if value:
                until = self.date(entity, f"{where}.value", value)
        elif _text(data, "wait_time"):
            wait = _("Wartezeit: %(wait)s") % {"wait": _text(data, "wait_time")}
            note = f"{note} – {wait}" if note else wait
        return {
            "availability": availability,
            "availability_until": until,
            "availability_note": self._fit(
                note, Offer, "availability_note", entity, f"{path}.alert"
            ),
        }

    def _age(self, entity: str, path: str, data: dict, key: str) -> int | None:
        value = _number(data, key)
        if value is None:
            return None
        if value != int(value):
            self.problem(entity, path, _("Das Alter muss eine ganze Zahl sein."))
            return None
        return int(value)

    def _plan_place(self, entity, sal_path, sal, path, location) -> _PlacePlan | None:
        ident = _uuid(location.get("id"))
        if ident is None:
            return None
        location_type = _text(location, "location_type")
        if location_type and location_type != "physical":
            self.warn(
                entity,
                f"{path}.location_type",
                _("Nur Orte vor Ort („physical“) werden übernommen; dieser Ort entfällt."),
            )
            return None
        flags = self._our_attributes(entity, path, location).get(TAX_PLACE_FLAGS, [])
        confidential = any(code == CONFIDENTIAL for code, _value, _where in flags)
        kind = PlaceKind.SERVICE
        for code, _value, where in self._our_attributes(entity, sal_path, sal).get(
            TAX_PLACE_KIND, []
        ):
            if code in PlaceKind.values:
                kind = code
            else:
                self.problem(
                    entity,
                    f"{where}.taxonomy_term.code",
                    _("Unbekannte Art des Ortes »%(code)s«.") % {"code": code},
                )
        addresses = _dicts(location, "addresses")
        physical = [(i, a) for i, a in addresses if _text(a, "address_type") in ("", "physical")]
        address_index, address = (physical or addresses or [(None, None)])[0]
        address_path = f"{path}.addresses[{address_index}]" if address is not None else path
        municipality = self._municipality(entity, path, location, address, address_path)
        fields = {
            "kind": kind,
            "is_confidential": confidential,
            "accessibility": self._accessibility(entity, path, location),
        }
        if confidential:
            # Whatever the document says, a confidential place keeps no address or position.
            fields.update(
                name="", street="", postal_code="", city="", latitude=None, longitude=None
            )
        else:
            street = ", ".join(
                part for part in (_text(address, "address_1"), _text(address, "address_2")) if part
            )
            fields.update(
                name=self._fit(_text(location, "name"), Place, "name", entity, f"{path}.name"),
                street=self._fit(street, Place, "street", entity, f"{address_path}.address_1"),
                postal_code=_text(address, "postal_code"),
                city=self._fit(
                    _text(address, "city"), Place, "city", entity, f"{address_path}.city"
                ),
                latitude=_number(location, "latitude"),
                longitude=_number(location, "longitude"),
                transport_note=self._fit(
                    _text(location, "transportation"),
                    Place,
                    "transport_note",
                    entity,
                    f"{path}.transportation",
                ),
            )
        field_paths = {
            "name": ".name",
            "street": address_path[len(path) :] + ".address_1",
            "postal_code": address_path[len(path) :] + ".postal_code",
            "city": address_path[len(path) :] + ".city",
            "latitude": ".latitude",
            "longitude": ".longitude",
            "transport_note": ".transportation",
            "accessibility": ".accessibility",
        }
        return _PlacePlan(path, ident, municipality, fields, field_paths)

    def _municipality(self, entity, path, location, address, address_path) -> Municipality | None:
        candidates = [
            (f"{address_path}.region", _text(address, "region")),
            (f"{address_path}.city", _text(address, "city")),
            (f"{path}.description", _text(location, "description")),
        ]
        ags = (
            _text(location, "external_identifier")
            if _text(location, "external_identifier_type").upper() == "AGS"
            else ""
        )
        for _where, name in candidates:
            if not name:
                continue
            matches = [m for m in self.municipalities if m.name.casefold() == name.casefold()]
            if len(matches) > 1 and ags:
                matches = [m for m in matches if m.ags == ags] or matches
            if len(matches) == 1:
                return matches[0]
        by_ags = [m for m in self.municipalities if ags and m.ags == ags]
        if len(by_ags) == 1:
            return by_ags[0]
        given = [(where, name) for where, name in candidates if name]
        known = sorted(m.name for m in self.municipalities)
        known_text = ", ".join(known[:15]) + (" …" if len(known) > 15 else "") if known else "–"
        if given:
            where, _name = next(((w, n) for w, n in given if w.endswith(".city")), given[0])
            self.problem(
                entity,
                where,
                _(
                    "Die Gemeinde des Ortes lässt sich nicht bestimmen: »%(names)s« ist keine "
                    "Gemeinde dieses Netzwerks. Bekannte Gemeinden: %(known)s."
                )
                % {"names": " / ".join(dict.fromkeys(n for _w, n in given)), "known": known_text},
            )
        else:
            self.problem(
                entity,
                f"{address_path}.city" if address is not None else f"{path}.addresses",
                _(
                    "Die Gemeinde des Ortes lässt sich nicht bestimmen: Bitte den Ort "
                    "(addresses[].city) mit dem Namen einer Gemeinde des Netzwerks angeben. "
                    "Bekannte Gemeinden: %(known)s."
                )
                % {"known": known_text},
            )
        return None

    def _accessibility(self, entity: str, path: str, location: dict) -> list[str]:
        codes = set()
        with translation.override("de"):
            by_label = {str(label).casefold(): code for code, label in Accessibility.choices}
        for index, entry in _dicts(location, "accessibility"):
            where = f"{path}.accessibility[{index}]"
            ours = self._our_attributes(entity, where, entry).get(TAX_ACCESSIBILITY, [])
            if ours:
                codes.update(
                    self._codes(
                        entity,
                        {TAX_ACCESSIBILITY: ours},
                        TAX_ACCESSIBILITY,
                        Accessibility,
                        _("Unbekanntes Merkmal der Barrierefreiheit »%(code)s«."),
                    )
                )
                continue
            code = by_label.get(_text(entry, "description").casefold())
            if code:
                codes.add(code)
            else:
                self.warn(
                    entity,
                    where,
                    _(
                        "Die Angabe zur Barrierefreiheit »%(text)s« passt zu keinem Merkmal von "
                        "Kurze Wege und wird nicht übernommen."
                    )
                    % {"text": _short(_text(entry, "description") or _text(entry, "details"))},
                )
        return sorted(codes)

    def _schedules(self, entity, sources) -> tuple[list[_HoursPlan], list[_ExceptionPlan]]:
        hours: dict[tuple, _HoursPlan] = {}
        exceptions: dict[date, _ExceptionPlan] = {}
        for path, schedule in sources:
            opens = closes = None
            broken = False
            for key in ("opens_at", "closes_at"):
                raw = _text(schedule, key)
                if not raw:
                    continue
                parsed = _parse_time(raw)
                if parsed is None:
                    broken = True
                    self.problem(
                        entity,
                        f"{path}.{key}",
                        _("Die Uhrzeit »%(value)s« ist nicht lesbar (erwartet HH:MM).")
                        % {"value": _short(raw)},
                    )
                elif key == "opens_at":
                    opens = parsed
                else:
                    closes = parsed
            if broken:
                continue
            note = self._fit(
                _text(schedule, "notes"), OpeningHours, "note", entity, f"{path}.notes"
            )
            freq = _text(schedule, "freq").upper()
            valid_from, valid_to = _text(schedule, "valid_from"), _text(schedule, "valid_to")
            if not freq and valid_from and valid_from == valid_to:
                day = self.date(entity, f"{path}.valid_from", valid_from)
                if day is None:
                    continue
                if (opens is None) != (closes is None):
                    self.problem(
                        entity,
                        path,
                        _("Für einen geöffneten Tag bitte „opens_at“ und „closes_at“ angeben."),
                    )
                    continue
                if day in exceptions:
                    self.problem(
                        entity,
                        f"{path}.valid_from",
                        _("Für den %(date)s gibt es mehr als eine abweichende Öffnungszeit.")
                        % {"date": day.strftime("%d.%m.%Y")},
                    )
                    continue
                exceptions[day] = _ExceptionPlan(path, day, opens is None, opens, closes, note)
                continue
            if freq not in ("", "WEEKLY") or not _text(schedule, "byday"):
                self.warn(
                    entity,
                    path,
                    _(
                        "Dieser Zeitplan ist kein wöchentlicher Termin (freq WEEKLY mit byday) "
                        "und wird nicht übernommen; bitte ggf. im Beschreibungstext nennen."
                    ),
                )
                continue
            interval = _number(schedule, "interval")
            if interval is not None and interval != 1:
                self.warn(
                    entity,
                    f"{path}.interval",
                    _(
                        "Termine nur alle %(interval)s Wochen kann Kurze Wege nicht abbilden; "
                        "der Zeitplan wird nicht übernommen."
                    )
                    % {"interval": _short(interval)},
                )
                continue
            if opens is None or closes is None:
                self.warn(
                    entity,
                    path,
                    _("Der Zeitplan nennt keine Uhrzeiten (opens_at/closes_at) und entfällt."),
                )
                continue
            if opens >= closes:
                self.problem(
                    entity, f"{path}.closes_at", _("„closes_at“ muss nach „opens_at“ liegen.")
                )
                continue
            days = [token.strip().upper() for token in _text(schedule, "byday").split(",")]
            unknown = [token for token in days if token not in BYDAY]
            if unknown:
                self.warn(
                    entity,
                    f"{path}.byday",
                    _("Die Tagesangabe »%(days)s« ist kein einfacher Wochentag und entfällt.")
                    % {"days": ", ".join(unknown)},
                )
            if valid_from or valid_to:
                self.warn(
                    entity,
                    path,
                    _("Der Gültigkeitszeitraum (valid_from/valid_to) wird nicht übernommen."),
                )
            for token in days:
                if token in BYDAY:
                    weekday = BYDAY.index(token)
                    hours.setdefault(
                        (weekday, opens, closes), _HoursPlan(path, weekday, opens, closes, note)
                    )
        ordered = sorted(hours.values(), key=lambda h: (h.weekday, h.opens, h.closes))
        return ordered, sorted(exceptions.values(), key=lambda e: e.date)

    # writing (inside the caller's transaction)

    def write(self) -> None:
        for plan in self.organisations.values():
            self._write_organisation(plan)
        for plan in self.offers:
            self._write_offer(plan)

    def _write_organisation(self, plan: _OrgPlan) -> None:
        if plan.instance is not None:
            if plan.instance.name not in self.report.organisations.unchanged:
                self.report.organisations.unchanged.append(plan.instance.name)
            return
        organisation = Organisation(network=self.network, uuid=plan.uuid, **plan.fields)
        try:
            organisation.full_clean()
            with transaction.atomic():
                organisation.save()
        except ValidationError as error:
            self._validation_problems(plan.entity, plan.path, error, ORGANISATION_FIELD_PATHS)
            return
        except DatabaseError as error:
            self.problem(plan.entity, plan.path, _("Speichern nicht möglich: %(e)s") % {"e": error})
            return
        plan.instance = organisation
        self.report.organisations.created.append(organisation.name)

    def _write_offer(self, plan: _OfferPlan) -> None:
        if plan.organisation.instance is None:
            return  # its organisation could not be created; that problem is reported
        existing = Offer.objects.filter(network=self.network, uuid=plan.uuid).first()
        before = _snapshot(existing, self.state) if existing else None
        problems_before = len(self.report.problems)
        try:
            with transaction.atomic():
                offer = existing or Offer(network=self.network, uuid=plan.uuid)
                offer.organisation = plan.organisation.instance
                for name, value in plan.fields.items():
                    setattr(offer, name, value)
                if plan.last_verified is not None:
                    offer.last_verified = plan.last_verified
                offer.full_clean()
                offer.save()
                offer.problem_situations.set(plan.situations)
                self._write_places(offer, plan)
                self._write_hours(offer, plan)
                self._write_exceptions(offer, plan)
                if len(self.report.problems) > problems_before:
                    raise _Rollback
                # A new offer always changes something; only a matched one can stay the same.
                after = _snapshot(offer, self.state) if existing else None
                if existing and before == after:
                    raise _Rollback
        except ValidationError as error:
            self._validation_problems(plan.entity, plan.path, error, OFFER_FIELD_PATHS)
            return
        except DatabaseError as error:
            self.problem(plan.entity, plan.path, _("Speichern nicht möglich: %(e)s") % {"e": error})
            return
        except _Rollback:
            if len(self.report.problems) > problems_before:
                return
            self.report.offers.unchanged.append(plan.title)
            self.report.places.unchanged += [
                _place_label(plan.title, s) for s in _places_of(before)
            ]
            return
        self.report.offer_ids.append(offer.pk)
        if existing:
            self.report.offers.updated.append(plan.title)
            self._count_places(plan.title, before, after)
        else:
            self.report.offers.created.append(plan.title)
            self.report.places.created += [
                _place_plan_label(plan.title, place)
                for place in plan.places
                if place.municipality is not None
            ]

    def _count_places(self, title: str, before: dict | None, after: dict) -> None:
        old = {sal["location_id"]: sal for sal in _places_of(before)}
        new = {sal["location_id"]: sal for sal in _places_of(after)}
        changes = self.report.places
        for ident, sal in new.items():
            label = _place_label(title, sal)
            if ident not in old:
                changes.created.append(label)
            elif old[ident] != sal:
                changes.updated.append(label)
            else:
                changes.unchanged.append(label)
        changes.deleted += [_place_label(title, sal) for i, sal in old.items() if i not in new]

    def _write_places(self, offer: Offer, plan: _OfferPlan) -> None:
        existing = {place.uuid: place for place in offer.places.select_related("municipality")}
        kept = set()
        for place_plan in plan.places:
            kept.add(place_plan.uuid)
            if place_plan.municipality is None:
                continue  # reported while planning
            place = existing.get(place_plan.uuid) or Place(
                network=self.network, offer=offer, uuid=place_plan.uuid
            )
            place.municipality = place_plan.municipality
            for name, value in place_plan.fields.items():
                setattr(place, name, value)
            try:
                place.full_clean()
            except ValidationError as error:
                self._validation_problems(
                    plan.entity, place_plan.path, error, place_plan.field_paths
                )
                continue
            place.save()
        for ident, place in existing.items():
            if ident not in kept:
                place.delete()

    def _write_hours(self, offer: Offer, plan: _OfferPlan) -> None:
        wanted = list(plan.hours)
        for hours in offer.hours.all():
            match = next(
                (
                    w
                    for w in wanted
                    if w.key == (hours.weekday, hours.opens, hours.closes, hours.note)
                ),
                None,
            )
            if match is None:
                hours.delete()
            else:
                wanted.remove(match)
        for hours_plan in wanted:
            hours = OpeningHours(
                network=self.network,
                offer=offer,
                weekday=hours_plan.weekday,
                opens=hours_plan.opens,
                closes=hours_plan.closes,
                note=hours_plan.note,
            )
            try:
                hours.full_clean()
            except ValidationError as error:
                paths = {"opens": ".opens_at", "closes": ".closes_at", "note": ".notes"}
                self._validation_problems(plan.entity, hours_plan.path, error, paths)
                continue
            hours.save()

    def _write_exceptions(self, offer: Offer, plan: _OfferPlan) -> None:
        existing = {exception.date: exception for exception in offer.exceptions.all()}
        wanted = {exception.date: exception for exception in plan.exceptions}
        for day, exception in existing.items():
            if day not in wanted:
                exception.delete()
        for day, exception_plan in wanted.items():
            exception = existing.get(day) or OpeningException(
                network=self.network, offer=offer, date=day
            )
            values = {
                "is_closed": exception_plan.is_closed,
                "opens": exception_plan.opens,
                "closes": exception_plan.closes,
                "note": exception_plan.note,
            }
            if exception.pk and all(getattr(exception, k) == v for k, v in values.items()):
                continue
            for name, value in values.items():
                setattr(exception, name, value)
            try:
                exception.full_clean()
            except ValidationError as error:
                paths = {"opens": ".opens_at", "closes": ".closes_at", "note": ".notes"}
                self._validation_problems(plan.entity, exception_plan.path, error, paths)
                continue
            exception.save()


def _snapshot(offer: Offer | None, state: str) -> dict | None:
    """What an offer looks like in HSDS (without the time stamp): equal means unchanged."""
    if offer is None:
        return None
    with translation.override("de"):
        service = _service(offer, state)
    service.pop("last_modified", None)
    return service


def _places_of(service: dict | None) -> list[dict]:
    return list(service.get("service_at_locations", [])) if service else []


def _place_label(title: str, sal: dict) -> str:
    location = sal.get("location", {})
    address = (location.get("addresses") or [{}])[0]
    where = (
        location.get("name")
        or ", ".join(p for p in (address.get("address_1"), address.get("city")) if p)
        or location.get("description")
        or location.get("id", "")
    )
    return f"{title}: {where}"


def _place_plan_label(title: str, place: _PlacePlan) -> str:
    fields = place.fields
    if fields["is_confidential"]:
        where = "Vertraulicher Ort"
    else:
        where = fields["name"] or ", ".join(p for p in (fields["street"], fields["city"]) if p)
    return f"{title}: {where or place.municipality.name}"


def import_document(network: Network, document, *, dry_run: bool) -> ImportReport:
    """Import an HSDS document (parsed JSON, or its text/bytes) into ``network``.

    All or nothing: on any problem nothing is kept and the report lists every problem; a dry
    run reports what would change and keeps nothing either. Offers of the network that the
    document does not mention stay as they are; organisations that already exist are only
    matched (by uuid, else by name), never changed.
    """
    report = ImportReport(dry_run=dry_run)
    document, problems = parse(document)
    if problems:
        report.problems = problems
        return report
    items, problems = _items(document)
    report.problems = problems + _schema_problems(items)
    if not items and not report.problems:
        report.warnings.append(
            Problem(DOCUMENT, "$", _("Das Dokument enthält keine Organisationen oder Angebote."))
        )
        return report
    importer = _Importer(network, report)
    importer.plan(items)
    with transaction.atomic():
        with deferred():
            importer.write()
        report.problems = _dedupe(report.problems)
        if report.problems or dry_run:
            transaction.set_rollback(True)
        elif report.offer_ids:
            # Indexing was deferred during the writes: one pass over the imported offers.
            reindex(Offer.objects.filter(pk__in=report.offer_ids))
    if report.problems:
        # Nothing was kept: no counts that could be read as changes.
        fresh = ImportReport(dry_run=dry_run)
        report.organisations, report.offers, report.places = (
            fresh.organisations,
            fresh.offers,
            fresh.places,
        )
        report.offer_ids = []
    return report
