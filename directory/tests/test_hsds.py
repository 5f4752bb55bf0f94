"""Open Referral HSDS 3.0 export and import: valid documents, lossless round trip, all-or-nothing
imports with German problem lists, confidential places and permissions."""

import copy
import json
import re
import uuid
from datetime import date, time
from decimal import Decimal

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.choices import AuditAction, LegalRegime, OrganisationType, Role
from core.factories import MunicipalityFactory, NetworkFactory, OrganisationFactory, member
from core.models import AuditEntry, Organisation
from directory import hsds
from directory.choices import (
    Accessibility,
    AccessType,
    Availability,
    Costs,
    OfferStatus,
    PlaceKind,
    TargetGroup,
)
from directory.factories import (
    OfferFactory,
    OpeningExceptionFactory,
    OpeningHoursFactory,
    PlaceFactory,
)
from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation

pytestmark = pytest.mark.django_db

SECRET_STREET = "Geheimweg 7"
SECRET_POSTCODE = "64739"
SECRET_LATITUDE = 49.91234
SECRET_LONGITUDE = 8.84567
SECRET_DIRECTIONS = "Bus 5 bis Haltestelle Geheimweg"


def _schema(name):
    return json.loads((hsds.schema_dir() / name).read_text(encoding="utf-8"))


def _assert_valid_hsds(document):
    """Valid against the standard's own compiled package schema and our validate()."""
    schema = _schema("organization_package.json")
    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]
    assert errors == []
    assert hsds.validate(document) == []


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Offer, Place, OpeningHours, OpeningException)
    }


@pytest.fixture
def world(network, jobcenter):
    """Two organisations with offers of every kind, and a confidential place."""
    dieburg = jobcenter.municipality
    babenhausen = MunicipalityFactory(
        network=network,
        name="Babenhausen",
        latitude=Decimal("49.96250"),
        longitude=Decimal("8.95340"),
    )
    umstadt = MunicipalityFactory(
        network=network,
        name="Groß-Umstadt",
        latitude=Decimal("49.86870"),
        longitude=Decimal("8.93210"),
    )
    caritas = OrganisationFactory(
        network=network,
        name="Caritasverband Dieburg",
        short_name="Caritas",
        type=OrganisationType.WELFARE_ORGANISATION,
        email="info@caritas-dieburg.example",
        website="https://caritas-dieburg.example/",
    )
    centre = OrganisationFactory(network=network, name="Stadtteilzentrum Nord")

    debt = OfferFactory(
        organisation=caritas,
        title="Schuldnerberatung",
        description="Wir helfen bei Schulden, Mahnungen und Pfändungen.",
        tags="Insolvenz, P-Konto",
        target_groups=[TargetGroup.FAMILIES, TargetGroup.SINGLE_PARENTS],
        min_age=18,
        max_age=67,
        eligibility="Alle Menschen im Landkreis.",
        not_eligible="Bei laufendem Insolvenzverfahren.",
        what_to_bring="Mahnungen, Kontoauszüge",
        languages=["de", "ar", "tr"],
        costs=Costs.FREE,
        access_types=[AccessType.APPOINTMENT, AccessType.PHONE],
        availability=Availability.WAITLIST,
        availability_until=date(2031, 3, 31),
        availability_note="Erstgespräch innerhalb von zwei Wochen.",
        phone="06071 2000-10",
        email="schuldnerberatung@caritas-dieburg.example",
        website="https://caritas-dieburg.example/schulden",
        contact_note="Termin telefonisch vereinbaren.",
        last_verified=date(2025, 11, 3),
        situations=["finances.debt", "housing.rent_arrears"],
    )
    PlaceFactory(
        offer=debt,
        municipality=dieburg,
        name="Caritas-Haus",
        street="Steinstraße 12",
        postal_code="64807",
        city="Dieburg",
        latitude=49.8991,
        longitude=8.8377,
        accessibility=[Accessibility.STEP_FREE, Accessibility.ACCESSIBLE_TOILET],
        transport_note="Bus K56, Haltestelle Marktplatz",
    )
    PlaceFactory(  # an intake point in a district whose town name is not the municipality's
        offer=debt,
        kind=PlaceKind.INTAKE,
        municipality=umstadt,
        street="Raiffeisenstraße 2",
        postal_code="64823",
        city="Klein-Umstadt",
        latitude=49.8801,
        longitude=8.9602,
    )
    OpeningHoursFactory(offer=debt, weekday=0, opens=time(9), closes=time(12))
    OpeningHoursFactory(offer=debt, weekday=0, opens=time(14), closes=time(16, 30))
    OpeningHoursFactory(offer=debt, weekday=2, opens=time(9), closes=time(12), note="nur Termine")
    OpeningExceptionFactory(offer=debt, date=date(2030, 12, 24), note="Heiligabend")
    OpeningExceptionFactory(
        offer=debt, date=date(2030, 12, 27), is_closed=False, opens=time(10), closes=time(11)
    )

    shelter = OfferFactory(
        organisation=caritas,
        title="Frauenberatung und Schutzwohnung",
        description="Beratung und Schutz bei häuslicher Gewalt.",
        target_groups=[TargetGroup.WOMEN],
        costs=Costs.REDUCED,
        costs_note="Eigenanteil nach Einkommen",
        access_types=[AccessType.PHONE],
        phone="06071 2000-99",
        contact_note="Nur über das Beratungstelefon; die Adresse wird nicht genannt.",
        situations=["housing.homelessness"],
    )
    secret = PlaceFactory(
        offer=shelter,
        municipality=babenhausen,
        is_confidential=True,
        accessibility=[Accessibility.STEP_FREE],
    )
    # Rows written past Place.save() (old data, a bulk update) must not leak either.
    Place.objects.filter(pk=secret.pk).update(
        street=SECRET_STREET,
        postal_code=SECRET_POSTCODE,
        name="Schutzwohnung Lindenhof",
        latitude=SECRET_LATITUDE,
        longitude=SECRET_LONGITUDE,
        transport_note=SECRET_DIRECTIONS,
    )

    cafe = OfferFactory(
        organisation=centre,
        title="Sprachcafé",
        description="Deutsch üben bei Kaffee.",
        languages=["de", "uk"],
        costs=Costs.FEE,
        access_types=[AccessType.WALK_IN],
        situations=["qualification.german_language"],
    )
    PlaceFactory(offer=cafe, municipality=babenhausen, street="", postal_code="", city="")
    OpeningHoursFactory(offer=cafe, weekday=3, opens=time(15), closes=time(17))

    draft = OfferFactory(organisation=centre, title="Entwurf Nachhilfe", status=OfferStatus.DRAFT)
    paused = OfferFactory(organisation=centre, title="Pausierter Kurs", status=OfferStatus.PAUSED)
    return {
        "caritas": caritas,
        "centre": centre,
        "debt": debt,
        "shelter": shelter,
        "secret": secret,
        "cafe": cafe,
        "draft": draft,
        "paused": paused,
        "municipalities": [dieburg, babenhausen, umstadt],
    }


@pytest.fixture
def empty_network(world):
    """A second network with municipalities of the same names (and official keys)."""
    other = NetworkFactory(name="Landkreis Z", slug="z")
    for municipality in world["municipalities"]:
        MunicipalityFactory(
            network=other,
            name=municipality.name,
            ags=municipality.ags,
            latitude=municipality.latitude,
            longitude=municipality.longitude,
        )
    return other


def _services(document):
    return {service["name"]: service for org in document for service in org["services"]}


# --- export ---------------------------------------------------------------------------------------


def test_export_is_valid_hsds_and_holds_only_published_offers(network, world):
    document = hsds.export_network(network)
    _assert_valid_hsds(document)
    assert [org["name"] for org in document] == ["Caritasverband Dieburg", "Stadtteilzentrum Nord"]
    assert document[0]["id"] == str(world["caritas"].uuid)
    assert set(_services(document)) == {
        "Schuldnerberatung",
        "Frauenberatung und Schutzwohnung",
        "Sprachcafé",
    }


def test_export_maps_the_offer_fields(network, world):
    service = _services(hsds.export_network(network))["Schuldnerberatung"]
    assert service["id"] == str(world["debt"].uuid)
    assert service["status"] == "active"
    assert service["email"] == "schuldnerberatung@caritas-dieburg.example"
    assert service["url"] == "https://caritas-dieburg.example/schulden"
    assert service["eligibility_description"] == (
        "Alle Menschen im Landkreis.\n\nNicht geeignet für: Bei laufendem Insolvenzverfahren."
    )
    assert (service["minimum_age"], service["maximum_age"]) == (18, 67)
    assert service["assured_date"] == "2025-11-03"
    assert service["wait_time"] == "Warteliste bis 31.03.2031"
    assert service["alert"] == "Erstgespräch innerhalb von zwei Wochen."
    assert service["application_process"] == (
        "Zugang: mit Termin, telefonisch\n\nTermin telefonisch vereinbaren."
    )
    assert [(lang["code"], lang["name"]) for lang in service["languages"]] == [
        ("ar", "Arabisch"),
        ("de", "Deutsch"),
        ("tr", "Türkisch"),
    ]
    assert service["phones"][0]["number"] == "06071 2000-10"
    assert service["contacts"][0]["email"] == service["email"]
    assert service["cost_options"][0]["amount"] == 0
    assert service["required_documents"][0]["document"] == "Mahnungen, Kontoauszüge"

    terms = {
        (a["taxonomy_term"]["taxonomy"], a["taxonomy_term"]["code"]): a
        for a in service["attributes"]
    }
    assert ("kurzewege-problemlagen", "finances.debt") in terms
    debt_term = terms[("kurzewege-problemlagen", "finances.debt")]["taxonomy_term"]
    assert debt_term["name"] == "Schulden"
    assert debt_term["parent_id"] == hsds._id("term", "kurzewege-problemlagen", "finances")
    assert ("kurzewege-zielgruppen", "single_parents") in terms
    assert ("kurzewege-zugangswege", "phone") in terms
    assert terms[("kurzewege-aufnahme", "waitlist")]["value"] == "2031-03-31"

    weekly = [s for s in service["schedules"] if s.get("freq") == "WEEKLY"]
    assert [(s["byday"], s["opens_at"], s["closes_at"]) for s in weekly] == [
        ("MO", "09:00", "12:00"),
        ("MO", "14:00", "16:30"),
        ("WE", "09:00", "12:00"),
    ]
    assert weekly[2]["notes"] == "nur Termine"
    days = [s for s in service["schedules"] if "valid_from" in s]
    assert [(s["valid_from"], s["valid_to"], s.get("opens_at")) for s in days] == [
        ("2030-12-24", "2030-12-24", None),
        ("2030-12-27", "2030-12-27", "10:00"),
    ]

    # Places come in the model's order: the intake point ("intake") before the offer's place.
    intake, main = service["service_at_locations"]
    location = main["location"]
    assert location["id"] == str(world["debt"].places.get(kind=PlaceKind.SERVICE).uuid)
    assert (location["latitude"], location["longitude"]) == (49.8991, 8.8377)
    assert location["addresses"][0]["address_1"] == "Steinstraße 12"
    assert location["addresses"][0]["postal_code"] == "64807"
    assert location["addresses"][0]["state_province"] == "Hessen"
    assert [a["description"] for a in location["accessibility"]] == [
        "barrierefreies WC",
        "stufenlos erreichbar",
    ]
    kinds = [a["taxonomy_term"]["code"] for a in intake["attributes"]]
    assert kinds == ["intake"]
    assert intake["location"]["addresses"][0]["region"] == "Groß-Umstadt"


def test_confidential_place_exports_neither_address_nor_coordinates(network, world):
    document = hsds.export_network(network)
    text = json.dumps(document, ensure_ascii=False)
    for secret in (
        SECRET_STREET,
        SECRET_POSTCODE,
        str(SECRET_LATITUDE),
        str(SECRET_LONGITUDE),
        SECRET_DIRECTIONS,
        "Lindenhof",
    ):
        assert secret not in text
    service = _services(document)["Frauenberatung und Schutzwohnung"]
    location = service["service_at_locations"][0]["location"]
    assert set(location) == {
        "id",
        "location_type",
        "name",
        "description",
        "attributes",
        "accessibility",
    }
    assert location["description"] == "Babenhausen"
    # Nor the municipality centre that stands in for its position in the distance search.
    assert "latitude" not in location
    assert "longitude" not in location


def test_other_networks_offers_never_appear(network, world, outsider_org):
    foreign = OfferFactory(organisation=outsider_org, title="Fremdes Angebot")
    text = json.dumps(hsds.export_network(network))
    assert str(foreign.uuid) not in text
    assert str(outsider_org.uuid) not in text
    assert "Fremdes Angebot" not in text


# --- round trip -----------------------------------------------------------------------------------


def _normalised(document):
    """last_modified is the local write time; everything else must be identical."""
    document = copy.deepcopy(document)
    for org in document:
        for service in org["services"]:
            service.pop("last_modified")
    return document


def test_round_trip_into_an_empty_network_keeps_everything(network, world, empty_network):
    first = hsds.export_network(network)
    report = hsds.import_document(empty_network, json.dumps(first).encode(), dry_run=False)
    assert report.problems == []
    # Our own export is understood completely, ids included.
    assert report.warnings == []
    assert sorted(report.offers.created) == sorted(_services(first))
    second = hsds.export_network(empty_network)
    _assert_valid_hsds(second)
    assert _normalised(second) == _normalised(first)
    # Organisation, offer and place ids are kept as they are.
    assert [org["id"] for org in second] == [org["id"] for org in first]
    assert {s["id"] for s in _services(second).values()} == {
        s["id"] for s in _services(first).values()
    }
    copied = Offer.objects.get(network=empty_network, uuid=world["debt"].uuid)
    assert copied.organisation.type == OrganisationType.WELFARE_ORGANISATION
    assert copied.search_text  # indexed for the full-text search
    secret = Place.objects.get(network=empty_network, uuid=world["secret"].uuid)
    assert secret.is_confidential
    assert secret.street == ""
    assert secret.postal_code == ""


def test_reimporting_own_export_changes_nothing(network, world):
    document = hsds.export_network(network)
    before = _counts()
    versions = dict(Offer.objects.values_list("pk", "updated_at"))
    report = hsds.import_document(network, document, dry_run=False)
    assert report.problems == []
    assert report.offers.created == report.offers.updated == []
    assert sorted(report.offers.unchanged) == sorted(_services(document))
    assert report.places.unchanged
    assert not report.places.created
    assert report.organisations.unchanged == ["Caritasverband Dieburg", "Stadtteilzentrum Nord"]
    assert _counts() == before
    assert dict(Offer.objects.values_list("pk", "updated_at")) == versions


def test_import_updates_matched_offers_and_replaces_their_places_and_hours(network, world):
    document = hsds.export_network(network)
    service = _services(document)["Schuldnerberatung"]
    service["name"] = "Schulden- und Insolvenzberatung"
    service["service_at_locations"] = [  # the intake point goes
        sal
        for sal in service["service_at_locations"]
        if sal["attributes"][0]["taxonomy_term"]["code"] != PlaceKind.INTAKE
    ]
    service["schedules"] = [s for s in service["schedules"] if s.get("byday") != "WE"]
    report = hsds.import_document(network, document, dry_run=False)
    assert report.problems == []
    assert report.offers.updated == ["Schulden- und Insolvenzberatung"]
    assert len(report.places.deleted) == 1
    debt = Offer.objects.get(pk=world["debt"].pk)
    assert debt.title == "Schulden- und Insolvenzberatung"
    assert list(debt.places.values_list("kind", flat=True)) == [PlaceKind.SERVICE]
    assert sorted(debt.hours.values_list("weekday", flat=True)) == [0, 0]
    assert Offer.objects.filter(network=network).count() == 5  # nothing else touched


# --- documents written elsewhere ------------------------------------------------------------------


def test_minimal_hand_written_document_imports(network, jobcenter):
    org_id, service_id = str(uuid.uuid4()), str(uuid.uuid4())
    document = [
        {
            "id": org_id,
            "name": "Tafel Dieburg e.V.",
            "description": "Lebensmittelausgabe",
            "services": [{"id": service_id, "name": "Lebensmittelausgabe", "status": "active"}],
        }
    ]
    assert hsds.validate(document) == []
    report = hsds.import_document(network, document, dry_run=False)
    assert report.problems == []
    assert report.organisations.created == ["Tafel Dieburg e.V."]
    organisation = Organisation.objects.get(network=network, uuid=org_id)
    assert organisation.type == OrganisationType.WELFARE_ORGANISATION
    assert organisation.legal_regime == LegalRegime.NONE
    offer = Offer.objects.get(network=network, uuid=service_id)
    assert offer.organisation == organisation
    assert offer.status == OfferStatus.PUBLISHED
    assert offer.description  # the model needs one; a placeholder says it is missing
    assert report.warnings  # … and the report tells so


def test_service_list_from_another_system_imports(network, jobcenter):
    babenhausen = MunicipalityFactory(network=network, name="Babenhausen")
    org_id, location_id, service_id = (str(uuid.uuid4()) for _ in range(3))
    document = {
        "total_items": 1,
        "contents": [
            {
                "id": service_id,
                "name": "Migrationsberatung",
                "status": "active",
                "description": "Beratung für Zugewanderte ab 27 Jahren.",
                "email": "mbe@example.org",
                "minimum_age": 27,
                "fees": "keine",
                "organization": {
                    "id": org_id,
                    "name": "Diakonie Babenhausen",
                    "description": "Diakonisches Werk",
                    "locations": [
                        {
                            "id": location_id,
                            "location_type": "physical",
                            "name": "Beratungsstelle",
                            "addresses": [
                                {
                                    "id": str(uuid.uuid4()),
                                    "address_1": "Amtsgasse 3",
                                    "city": "BABENHAUSEN",
                                    "state_province": "HE",
                                    "postal_code": "64832",
                                    "country": "DE",
                                    "address_type": "physical",
                                }
                            ],
                        }
                    ],
                },
                "service_at_locations": [{"id": str(uuid.uuid4()), "location_id": location_id}],
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "freq": "WEEKLY",
                        "byday": "TU,TH",
                        "opens_at": "09:00:00+01:00",
                        "closes_at": "12:00:00+01:00",
                    }
                ],
                "languages": [
                    {"id": str(uuid.uuid4()), "code": "deu"},
                    {"id": str(uuid.uuid4()), "code": "ru"},
                ],
                "attributes": [
                    {
                        "id": str(uuid.uuid4()),
                        "taxonomy_term": {
                            "id": str(uuid.uuid4()),
                            "name": "Immigration",
                            "description": "Open Eligibility",
                            "code": "1102",
                            "taxonomy": "Open Eligibility",
                        },
                    },
                    {
                        "id": str(uuid.uuid4()),
                        "taxonomy_term": {
                            "id": str(uuid.uuid4()),
                            "name": "Aufenthaltsstatus",
                            "description": "Aufenthaltsstatus",
                            "code": "legal.residence_status",
                            "taxonomy": "kurzewege-problemlagen",
                        },
                    },
                ],
            }
        ],
    }
    assert hsds.validate(document) == []
    report = hsds.import_document(network, document, dry_run=False)
    assert report.problems == []
    offer = Offer.objects.get(network=network, uuid=service_id)
    assert offer.organisation.name == "Diakonie Babenhausen"
    assert offer.min_age == 27
    assert offer.costs == Costs.FEE
    assert offer.costs_note == "keine"
    assert sorted(offer.languages) == ["de", "ru"]
    assert list(offer.problem_situations.values_list("code", flat=True)) == [
        "legal.residence_status"
    ]
    place = offer.places.get()
    assert (place.municipality, place.street, place.city) == (
        babenhausen,
        "Amtsgasse 3",
        "BABENHAUSEN",
    )
    assert sorted(offer.hours.values_list("weekday", "opens", "closes")) == [
        (1, time(9), time(12)),
        (3, time(9), time(12)),
    ]
    assert any("anderen Taxonomien" in w.message for w in report.warnings)


# --- invalid files: nothing changes, every problem listed -----------------------------------------


def test_broken_json_is_reported_and_changes_nothing(network, world):
    before = _counts()
    report = hsds.import_document(network, b'[{"id": "x", "name": ', dry_run=False)
    assert _counts() == before
    assert len(report.problems) == 1
    problem = report.problems[0]
    assert problem.entity == "Datei"
    assert problem.field.startswith("Zeile 1, Spalte")
    assert "kein gültiges JSON" in problem.message


def _valid_service(name="Gültiges Angebot"):
    return {"id": str(uuid.uuid4()), "name": name, "status": "active", "description": "Text"}


def test_schema_errors_list_every_problem_and_change_nothing(network, world):
    org_id = str(uuid.uuid4())
    nameless = {"id": str(uuid.uuid4()), "status": "active"}
    wrong_types = {
        "id": str(uuid.uuid4()),
        "name": "Falsche Typen",
        "status": "offen",
        "minimum_age": "achtzehn",
        "languages": "de",
    }
    document = [
        {
            "id": org_id,
            "name": "Neuer Träger",
            "description": "x",
            "services": [_valid_service(), nameless, wrong_types],
        },
        {"id": "keine-uuid", "name": "Kaputt", "description": "x"},
    ]
    before = _counts()
    report = hsds.import_document(network, json.dumps(document), dry_run=False)
    assert _counts() == before
    assert not Organisation.objects.filter(name="Neuer Träger").exists()
    found = {(p.entity, p.field): p.message for p in report.problems}
    assert found[(f"Angebot ({nameless['id']})", "$[0].services[1].name")] == "Pflichtangabe fehlt."
    entity = f"Angebot »Falsche Typen« ({wrong_types['id']})"
    assert "erwartet Zahl, gefunden Text" in found[(entity, "$[0].services[2].minimum_age")]
    assert "Erlaubt sind: active" in found[(entity, "$[0].services[2].status")]
    assert "erwartet Liste" in found[(entity, "$[0].services[2].languages")]
    assert "keine gültige UUID" in found[("Organisation »Kaputt« (keine-uuid)", "$[1].id")]
    assert all(p.entity and p.field and p.message for p in report.problems)
    assert hsds.validate(document)  # validate() alone finds the schema problems too


def _attribute(taxonomy, code):
    return {
        "id": str(uuid.uuid4()),
        "taxonomy_term": {
            "id": str(uuid.uuid4()),
            "code": code,
            "name": code,
            "description": code,
            "taxonomy": taxonomy,
        },
    }


def test_unknown_taxonomy_code_and_municipality_are_reported_and_change_nothing(network, world):
    service = _valid_service("Lottoberatung")
    service["attributes"] = [
        _attribute("kurzewege-problemlagen", "finances.lottery"),
        _attribute("kurzewege-problemlagen", "finances.debt"),
        _attribute("kurzewege-zielgruppen", "astronauts"),
    ]
    service["service_at_locations"] = [
        {
            "id": str(uuid.uuid4()),
            "location": {
                "id": str(uuid.uuid4()),
                "location_type": "physical",
                "addresses": [
                    {
                        "id": str(uuid.uuid4()),
                        "address_1": "Hauptstraße 1",
                        "city": "Atlantis",
                        "state_province": "Hessen",
                        "postal_code": "12345",
                        "country": "DE",
                        "address_type": "physical",
                    }
                ],
            },
        },
        {
            "id": str(uuid.uuid4()),
            "location": {"id": str(uuid.uuid4()), "location_type": "physical"},
        },
    ]
    valid = _valid_service("Dieses Angebot allein wäre in Ordnung")
    document = [
        {
            "id": str(world["centre"].uuid),
            "name": "Stadtteilzentrum Nord",
            "description": "x",
            "services": [valid, service],
        }
    ]
    assert hsds.validate(document) == []  # valid HSDS; the problems are ours
    before = _counts()
    report = hsds.import_document(network, document, dry_run=False)
    assert _counts() == before
    assert not Offer.objects.filter(uuid=valid["id"]).exists()
    entity = f"Angebot »Lottoberatung« ({service['id']})"
    found = {p.field: p for p in report.problems}
    assert {p.entity for p in report.problems} == {entity}
    lottery = found["$[0].services[1].attributes[0].taxonomy_term.code"]
    assert "»finances.lottery«" in lottery.message
    assert "Taxonomie" in lottery.message
    assert (
        "Zielgruppe »astronauts«"
        in found["$[0].services[1].attributes[2].taxonomy_term.code"].message
    )
    atlantis = found["$[0].services[1].service_at_locations[0].location.addresses[0].city"]
    assert "»Atlantis« ist keine Gemeinde dieses Netzwerks" in atlantis.message
    assert "Babenhausen" in atlantis.message  # names the ones it knows
    nowhere = found["$[0].services[1].service_at_locations[1].location.addresses"]
    assert "Gemeinde des Ortes lässt sich nicht bestimmen" in nowhere.message
    assert len(report.problems) == 4
    assert report.offers.created == []


def test_model_rules_are_problems_too(network, world):
    service = _valid_service("Altersgrenzen vertauscht")
    service.update(minimum_age=30, maximum_age=20, url="nicht eine Adresse")
    document = [
        {"id": str(uuid.uuid4()), "name": "Träger X", "description": "x", "services": [service]}
    ]
    before = _counts()
    report = hsds.import_document(network, document, dry_run=False)
    assert _counts() == before
    fields = {p.field for p in report.problems}
    assert "$[0].services[0].maximum_age" in fields
    assert "$[0].services[0].url" in fields


# --- dry run --------------------------------------------------------------------------------------


def test_dry_run_reports_what_would_change_and_keeps_nothing(network, world, empty_network):
    document = hsds.export_network(network)
    before = _counts()
    report = hsds.import_document(empty_network, document, dry_run=True)
    assert report.ok
    assert report.dry_run
    assert not report.applied
    assert _counts() == before
    assert Offer.objects.filter(network=empty_network).count() == 0
    assert sorted(report.offers.created) == sorted(_services(document))
    assert sorted(report.organisations.created) == [
        "Caritasverband Dieburg",
        "Stadtteilzentrum Nord",
    ]
    assert len(report.places.created) == 4

    _services(document)["Sprachcafé"]["name"] = "Sprachcafé am Nachmittag"
    report = hsds.import_document(network, document, dry_run=True)
    assert report.offers.updated == ["Sprachcafé am Nachmittag"]
    assert len(report.offers.unchanged) == 2
    assert Offer.objects.get(pk=world["cafe"].pk).title == "Sprachcafé"


def test_import_never_touches_another_network(network, world, other_network, outsider_org):
    foreign = OfferFactory(organisation=outsider_org, title="Fremdes Angebot")
    document = hsds.export_network(network)
    _services(document)["Sprachcafé"]["id"] = str(foreign.uuid)  # same uuid as the foreign offer
    report = hsds.import_document(network, document, dry_run=False)
    assert report.problems == []
    foreign.refresh_from_db()
    assert foreign.title == "Fremdes Angebot"
    assert foreign.network == other_network
    assert Offer.objects.filter(network=network, uuid=foreign.uuid, title="Sprachcafé").exists()


def test_unknown_situation_codes_are_checked_against_this_networks_taxonomy(network, world):
    ProblemSituation.objects.create(network=network, code="local", label="Lokales Thema")
    elsewhere = NetworkFactory(slug="elsewhere")
    service = _valid_service()
    service["attributes"] = [_attribute("kurzewege-problemlagen", "local")]
    document = [{"id": str(uuid.uuid4()), "name": "T", "description": "x", "services": [service]}]
    assert hsds.import_document(network, document, dry_run=True).ok
    report = hsds.import_document(elsewhere, document, dry_run=True)
    assert [p.field for p in report.problems] == [
        "$[0].services[0].attributes[0].taxonomy_term.code"
    ]


# --- pages and permissions ------------------------------------------------------------------------


def test_export_download_for_a_network_admin_is_audited(client_for, network_admin, network, world):
    response = client_for(network_admin).get(reverse("directory:hsds_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="angebote-hsds.json"'
    document = json.loads(response.content)
    _assert_valid_hsds(document)
    assert set(_services(document)) == set(_services(hsds.export_network(network)))
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.object_ref == f"core.network:{network.pk}"
    assert entry.user == network_admin


def test_team_lead_may_export_but_not_import(client_for, jobcenter, world):
    lead = member(Role.TEAM_LEAD, jobcenter, username="teamleitung")
    client = client_for(lead)
    assert client.get(reverse("directory:hsds_export")).status_code == 200
    assert client.get(reverse("directory:hsds_import")).status_code == 403


def test_case_worker_may_neither_export_nor_import(client_for, case_worker, world):
    client = client_for(case_worker)
    assert client.get(reverse("directory:hsds_export")).status_code == 403
    assert client.get(reverse("directory:hsds_import")).status_code == 403
    upload = SimpleUploadedFile("a.json", b"[]", content_type="application/json")
    before = _counts()
    response = client.post(reverse("directory:hsds_import"), {"file": upload})
    assert response.status_code == 403
    assert _counts() == before


def test_anonymous_is_sent_to_login(client):
    for name in ("directory:hsds_export", "directory:hsds_import"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_export_page_never_shows_another_networks_offers(client_for, outsider, network, world):
    response = client_for(outsider).get(reverse("directory:hsds_export"))
    assert response.status_code == 200
    text = response.content.decode()
    assert json.loads(text) == []  # the outsider's network has no published offers
    assert str(world["debt"].uuid) not in text


def test_import_page_dry_run_is_checked_by_default_and_shows_a_summary(
    client_for, network_admin, network, world
):
    client = client_for(network_admin)
    page = client.get(reverse("directory:hsds_import")).content.decode()
    assert "Nur prüfen (Probelauf)" in page
    checkbox = re.search(r'<input[^>]*name="dry_run"[^>]*>', page)[0]
    assert "checked" in checkbox

    document = [
        {
            "id": str(uuid.uuid4()),
            "name": "Tafel Dieburg e.V.",
            "description": "x",
            "services": [_valid_service("Lebensmittelausgabe")],
        }
    ]
    upload = SimpleUploadedFile("t.json", json.dumps(document).encode(), "application/json")
    response = client.post(reverse("directory:hsds_import"), {"file": upload, "dry_run": "on"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Probelauf" in content
    assert "Lebensmittelausgabe" in content
    assert not Offer.objects.filter(title="Lebensmittelausgabe").exists()

    upload = SimpleUploadedFile("t.json", json.dumps(document).encode(), "application/json")
    response = client.post(reverse("directory:hsds_import"), {"file": upload})
    assert "Der Import ist abgeschlossen." in response.content.decode()
    assert Offer.objects.filter(network=network, title="Lebensmittelausgabe").exists()
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.object_ref == f"core.network:{network.pk}"


def test_import_page_lists_problems_in_a_table(client_for, network_admin, world):
    upload = SimpleUploadedFile("kaputt.json", b"{ nicht json", "application/json")
    response = client_for(network_admin).post(reverse("directory:hsds_import"), {"file": upload})
    content = response.content.decode()
    assert "Es wurde nichts gespeichert." in content
    for header in ("Eintrag", "Feld", "Problem"):
        assert f'scope="col">{header}</th>' in content
    assert "kein gültiges JSON" in content
