"""The directory's JSON API answers like the pages: same search, same visibility, same forms."""

from datetime import date, datetime, time, timedelta
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core.choices import Role
from core.concurrency import STALE_MESSAGE
from core.factories import member
from core.permissions import actor_for
from core.services import create_api_token
from directory.choices import Accessibility
from directory.factories import (
    OfferFactory,
    OpeningExceptionFactory,
    OpeningHoursFactory,
    PlaceFactory,
)
from directory.models import Offer, OpeningHours, Place

pytestmark = pytest.mark.django_db


def bearer(user, organisation=None):
    actor = actor_for(user, organisation.pk if organisation else None)
    _token, key = create_api_token(actor=actor, name="Fachverfahren")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def titles(response):
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["items"]]


def locations(response):
    assert response.status_code == 422, response.content
    return {tuple(error["loc"]): error["msg"] for error in response.json()["detail"]}


# --- list and filters ------------------------------------------------------------------------


def test_the_list_shows_published_offers_with_their_details(client_for, case_worker, offers):
    data = client_for(case_worker).get("/api/offers").json()
    assert data["count"] == 4  # caritas's draft is not listed
    assert [item["title"] for item in data["items"]] == [
        "Jugendwerkstatt Holz und Metall",
        "Schuldnerberatung Babenhausen",
        "Sprachcafé für Mütter",
        "Wohnungssicherung bei drohendem Wohnungsverlust",
    ]
    debt = data["items"][1]
    assert debt["id"] == offers["debt"].pk
    assert debt["uuid"] == str(offers["debt"].uuid)
    assert debt["organisation"] == {
        "id": offers["debt"].organisation_id,
        "name": "Caritasverband Dieburg",
    }
    assert [s["code"] for s in debt["problem_situations"]] == [
        "housing.rent_arrears",
        "finances.debt",
    ]
    assert {"code": "finances.debt", "label": "Schulden"} in debt["problem_situations"]
    assert debt["languages"] == ["ar", "de"]
    assert debt["access_types"] == ["appointment", "walk_in"]
    assert debt["availability"] == "accepting"
    assert debt["status"] == "published"
    assert debt["is_stale"] is False
    assert debt["distance_km"] is None
    assert debt["version"] == 1
    assert set(debt["contact"]) == {"phone", "email", "website", "contact_note"}
    assert debt["opening_hours"] == [
        {
            "id": debt["opening_hours"][0]["id"],
            "weekday": 1,
            "opens": "09:00:00",
            "closes": "12:00:00",
            "note": "",
        },
        {
            "id": debt["opening_hours"][1]["id"],
            "weekday": 3,
            "opens": "14:00:00",
            "closes": "17:00:00",
            "note": "",
        },
    ]
    [place] = debt["places"]
    assert place["municipality"]["name"] == "Babenhausen"
    assert place["street"] == "Hauptstraße 1"
    assert (place["latitude"], place["longitude"]) == (49.9625, 8.9534)
    assert place["accessibility"] == ["step_free"]
    assert place["is_confidential"] is False


def test_the_availability_shown_is_the_current_one(client_for, case_worker, offers):
    Offer.objects.filter(pk=offers["debt"].pk).update(
        availability="waitlist", availability_until=date(2020, 1, 31)
    )
    Offer.objects.filter(pk=offers["housing"].pk).update(
        availability="full", availability_until=timezone.localdate() + timedelta(days=30)
    )
    items = client_for(case_worker).get("/api/offers").json()["items"]
    availability = {item["title"]: item["availability"] for item in items}
    assert availability["Schuldnerberatung Babenhausen"] == "accepting"  # the waitlist ended
    assert availability["Wohnungssicherung bei drohendem Wohnungsverlust"] == "full"


def test_the_search_words_are_stemmed(client_for, case_worker, offers):
    client = client_for(case_worker)
    assert titles(client.get("/api/offers", {"q": "Schulden"})) == ["Schuldnerberatung Babenhausen"]
    assert titles(client.get("/api/offers", {"q": "Raeumungsklage"})) == [
        "Wohnungssicherung bei drohendem Wohnungsverlust"
    ]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"problem": "finances.debt"}, {"debt"}),
        ({"problem": "housing"}, {"debt", "housing"}),  # a group covers its situations
        ({"language": "ar"}, {"debt", "language"}),
        ({"target_group": "single_parents"}, {"language"}),
        ({"access": "referral"}, {"youth"}),
        ({"step_free": "true"}, {"debt"}),
        ({"open": "0"}, {"housing"}),  # Mondays
        ({"open": "3"}, {"debt"}),  # Thursdays
        ({"language": "ar", "problem": "family"}, {"language"}),
    ],
)
def test_the_filters_of_the_search_page(client_for, case_worker, offers, params, expected):
    found = titles(client_for(case_worker).get("/api/offers", params))
    assert sorted(found) == sorted(offers[key].title for key in expected)


def test_the_municipality_filter_takes_an_id(client_for, case_worker, offers, county):
    found = titles(
        client_for(case_worker).get("/api/offers", {"municipality": county["dieburg"].pk})
    )
    assert found == ["Jugendwerkstatt Holz und Metall", "Sprachcafé für Mütter"]


def test_open_now_uses_the_current_time(client_for, case_worker, offers, monkeypatch):
    tuesday_morning = timezone.make_aware(datetime(2026, 11, 24, 10))
    monkeypatch.setattr("directory.search.timezone", SimpleNamespace(now=lambda: tuesday_morning))
    assert titles(client_for(case_worker).get("/api/offers", {"open": "now"})) == [
        "Schuldnerberatung Babenhausen"
    ]


def test_near_and_radius_give_the_distance(client_for, case_worker, offers):
    response = client_for(case_worker).get(
        "/api/offers", {"near": "Babenhausen", "radius": 20, "sort": "distance"}
    )
    items = response.json()["items"]
    assert [item["title"] for item in items] == [
        "Schuldnerberatung Babenhausen",
        "Jugendwerkstatt Holz und Metall",
        "Sprachcafé für Mütter",
    ]
    distances = [item["distance_km"] for item in items]
    assert distances[0] == 0
    assert 9 < distances[1] < 11
    assert distances == sorted(distances)


def test_pagination_by_limit_and_offset(client_for, case_worker, offers):
    client = client_for(case_worker)
    data = client.get("/api/offers", {"limit": 2, "offset": 1}).json()
    assert data["count"] == 4
    assert [item["title"] for item in data["items"]] == [
        "Schuldnerberatung Babenhausen",
        "Sprachcafé für Mütter",
    ]
    assert client.get("/api/offers", {"limit": 1000}).status_code == 200  # capped at 100


def test_invalid_parameters_answer_422_in_german(client_for, case_worker, offers, outsider_org):
    client = client_for(case_worker)
    errors = locations(client.get("/api/offers", {"language": "klingonisch", "radius": 7}))
    assert set(errors) == {("query", "language"), ("query", "radius")}
    assert "keine gültige Auswahl" in errors[("query", "language")]
    foreign = outsider_org.municipality.pk  # a municipality of another network
    assert ("query", "municipality") in locations(
        client.get("/api/offers", {"municipality": foreign})
    )
    assert ("query", "problem") in locations(client.get("/api/offers", {"problem": "raumfahrt"}))


def test_an_unknown_place_answers_422_with_the_search_message(client_for, case_worker, offers):
    errors = locations(client_for(case_worker).get("/api/offers", {"near": "Hintertupfingen"}))
    assert errors[("query", "near")].startswith("Den Ort „Hintertupfingen“ kennen wir im Netzwerk")


# --- detail ------------------------------------------------------------------------------------


def test_the_detail_of_a_visible_offer(client_for, case_worker, offers):
    tomorrow = timezone.localdate() + timedelta(days=1)
    OpeningExceptionFactory(offer=offers["debt"], date=tomorrow, note="Betriebsausflug")
    OpeningExceptionFactory(offer=offers["debt"], date=date(2020, 1, 1))  # past: not shown
    data = client_for(case_worker).get(f"/api/offers/{offers['debt'].pk}").json()
    assert data["title"] == "Schuldnerberatung Babenhausen"
    assert data["description"].startswith("Wir helfen bei Schulden")
    assert data["tags"] == "Insolvenz, Pfändungsschutzkonto"
    assert [(e["date"], e["is_closed"], e["note"]) for e in data["exceptions"]] == [
        (tomorrow.isoformat(), True, "Betriebsausflug")
    ]


def test_drafts_are_seen_only_by_their_owner(client_for, case_worker, caritas_staff, offers):
    path = f"/api/offers/{offers['draft'].pk}"
    response = client_for(case_worker).get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Nicht gefunden."}
    assert client_for(caritas_staff).get(path).json()["status"] == "draft"


def test_another_networks_offer_is_not_found(client_for, outsider, offers):
    response = client_for(outsider).get(f"/api/offers/{offers['debt'].pk}")
    assert response.status_code == 404
    assert client_for(outsider).get("/api/offers").json()["count"] == 0


def test_a_confidential_place_never_shows_its_address(client_for, case_worker, offers, county):
    place = PlaceFactory(
        offer=offers["housing"],
        municipality=county["darmstadt"],
        name="Frauenhaus",
        street="Geheimweg 7",
        is_confidential=True,
    )
    # Even a row written past the model's save (raw SQL, an old import) is not revealed.
    Place.objects.filter(pk=place.pk).update(
        name="Frauenhaus", street="Geheimweg 7", postal_code="64283", latitude=49.1, longitude=8.1
    )
    data = client_for(case_worker).get(f"/api/offers/{offers['housing'].pk}").json()
    [confidential] = [p for p in data["places"] if p["is_confidential"]]
    assert confidential["name"] == confidential["street"] == confidential["postal_code"] == ""
    assert confidential["latitude"] is None
    assert confidential["longitude"] is None
    assert confidential["municipality"]["name"] == "Darmstadt"
    listed = client_for(case_worker).get("/api/offers", {"q": "Wohnungssicherung"}).json()
    assert "Geheimweg" not in str(listed)
    assert "Frauenhaus" not in str(listed)


# --- matching ----------------------------------------------------------------------------------


def test_matching_explains_each_result(client_for, case_worker, offers, county):
    payload = {
        "needs": ["finances.debt", "housing.rent_arrears"],
        "language": "ar",
        "municipality": county["babenhausen"].pk,
    }
    client = client_for(case_worker)
    response = client.post("/api/offers/match", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    first, *rest = response.json()
    assert first["offer"]["title"] == "Schuldnerberatung Babenhausen"
    assert first["covered_needs"] == ["Schulden", "Mietschulden"]
    assert first["speaks_language"] is True
    assert first["distance_km"] == 0
    assert first["explanation"] == (
        "deckt Schulden und Mietschulden ab · 0 km · spricht Arabisch · offen Di/Do · nimmt auf"
    )
    assert first["reasons"] == first["explanation"].split(" · ")
    assert [match["offer"]["title"] for match in rest] == [
        "Wohnungssicherung bei drohendem Wohnungsverlust"
    ]
    assert "nicht auf Arabisch" in rest[0]["explanation"]
    # The same through the query string.
    by_query = client.get(
        "/api/offers/match",
        {"needs": payload["needs"], "language": "ar", "municipality": payload["municipality"]},
    )
    assert by_query.json() == response.json()


def test_matching_respects_the_age(client_for, case_worker, offers):
    client = client_for(case_worker)
    payload = {"needs": ["transition"], "age": 30}
    assert client.post("/api/offers/match", payload, content_type="application/json").json() == []
    payload["age"] = 17
    [match] = client.post("/api/offers/match", payload, content_type="application/json").json()
    assert match["offer"]["title"] == "Jugendwerkstatt Holz und Metall"


def test_matching_refuses_unknown_needs(client_for, case_worker, offers, outsider_org):
    client = client_for(case_worker)
    payload = {"needs": ["finances.debt", "raumfahrt.mond"], "language": "xx", "radius_km": 0}
    errors = locations(client.post("/api/offers/match", payload, content_type="application/json"))
    assert errors[("body", "payload", "needs")] == "Unbekannte Problemlage: raumfahrt.mond"
    assert errors[("body", "payload", "language")] == "Unbekannte Sprache: xx"
    assert ("body", "payload", "radius_km") in errors
    empty = {"needs": [], "municipality": outsider_org.municipality.pk}
    errors = locations(client.post("/api/offers/match", empty, content_type="application/json"))
    assert errors[("body", "payload", "needs")] == "Bitte mindestens eine Problemlage angeben."
    assert (
        errors[("body", "payload", "municipality")] == "Diese Gemeinde gibt es im Netzwerk nicht."
    )


# --- taxonomy ----------------------------------------------------------------------------------


def test_the_taxonomy_of_the_network(client_for, case_worker, network):
    data = client_for(case_worker).get("/api/problem-situations").json()
    by_code = {node["code"]: node for node in data}
    assert by_code["finances"] == {
        "code": "finances",
        "label": "Finanzen",
        "parent": None,
        "position": by_code["finances"]["position"],
        "is_active": True,
    }
    assert by_code["finances.debt"]["parent"] == "finances"
    assert by_code["finances.debt"]["label"] == "Schulden"
    assert len(data) == network.problemsituation_set.count()


# --- writes ------------------------------------------------------------------------------------


def offer_payload(county, **changes):
    payload = {
        "title": "Mieterberatung Dieburg",
        "description": "Beratung bei Mietschulden und Ärger mit dem Vermieter.",
        "problem_situations": ["housing.rent_arrears", "housing.threatened_loss"],
        "target_groups": ["families"],
        "min_age": 18,
        "languages": ["de", "tr"],
        "access_types": ["appointment"],
        "status": "published",
        "contact": {"phone": "06071 12345", "email": "miete@caritas.example"},
        "places": [
            {
                "municipality": county["dieburg"].pk,
                "street": "Steinweg 3",
                "postal_code": "64807",
                "city": "Dieburg",
                "accessibility": [Accessibility.STEP_FREE],
            }
        ],
        "opening_hours": [
            {"weekday": 0, "opens": "09:00", "closes": "12:00"},
            {"weekday": 2, "opens": "14:00", "closes": "16:00", "note": "nur mit Termin"},
        ],
    }
    payload.update(changes)
    return payload


def test_the_owner_creates_and_updates_an_offer(client, caritas_staff, caritas, county):
    auth = bearer(caritas_staff)
    created = client.post(
        "/api/offers", offer_payload(county), content_type="application/json", **auth
    )
    assert created.status_code == 201, created.content
    data = created.json()
    offer = Offer.objects.get(pk=data["id"])
    assert offer.organisation == caritas
    assert offer.network_id == caritas.network_id
    assert data["version"] == offer.version == 1
    assert data["organisation"]["name"] == "Caritasverband Dieburg"
    assert sorted(offer.problem_situations.values_list("code", flat=True)) == [
        "housing.rent_arrears",
        "housing.threatened_loss",
    ]
    assert offer.languages == ["de", "tr"]
    assert offer.email == "miete@caritas.example"
    [place] = offer.places.all()
    assert (place.street, place.municipality_id) == ("Steinweg 3", county["dieburg"].pk)
    assert [(h.weekday, h.opens, h.note) for h in offer.hours.all()] == [
        (0, time(9), ""),
        (2, time(14), "nur mit Termin"),
    ]
    # Published at once and found by the search.
    assert titles(client.get("/api/offers", {"q": "Mieterberatung"}, **auth)) == [
        "Mieterberatung Dieburg"
    ]

    keep_hours = data["opening_hours"][1]
    update = offer_payload(
        county,
        version=1,
        title="Mieterberatung Dieburg und Umgebung",
        places=[{**data["places"][0], "municipality": county["dieburg"].pk, "name": "Pfarrhaus"}],
        opening_hours=[
            {**keep_hours, "closes": "17:00"},
            {"weekday": 4, "opens": "10:00", "closes": "11:00"},
        ],
    )
    updated = client.put(f"/api/offers/{offer.pk}", update, content_type="application/json", **auth)
    assert updated.status_code == 200, updated.content
    assert updated.json()["version"] == 2
    offer.refresh_from_db()
    assert offer.version == 2
    assert offer.title == "Mieterberatung Dieburg und Umgebung"
    assert [p.pk for p in offer.places.all()] == [place.pk]  # updated in place, not replaced
    assert offer.places.get().name == "Pfarrhaus"
    hours = list(offer.hours.all())
    assert [(h.weekday, h.closes) for h in hours] == [(2, time(17)), (4, time(11))]
    assert hours[0].pk == keep_hours["id"]  # the Monday hours were dropped, Wednesday kept
    # The change history names the token's user.
    entry = LogEntry.objects.get_for_object(offer).order_by("-timestamp").first()
    assert entry.actor == caritas_staff


def test_a_stale_version_is_refused_and_nothing_is_saved(client, caritas_staff, offers, county):
    offer = offers["debt"]
    Offer.objects.filter(pk=offer.pk).update(version=3)  # someone else saved meanwhile
    response = client.put(
        f"/api/offers/{offer.pk}",
        offer_payload(county, version=2, title="Überschrieben", places=[], opening_hours=[]),
        content_type="application/json",
        **bearer(caritas_staff),
    )
    assert response.status_code == 409
    assert response.json() == {"detail": str(STALE_MESSAGE)}
    offer.refresh_from_db()
    assert (offer.title, offer.version) == ("Schuldnerberatung Babenhausen", 3)
    assert offer.places.count() == 1
    assert offer.hours.count() == 2


def test_the_update_needs_the_version(client, caritas_staff, offers, county):
    response = client.put(
        f"/api/offers/{offers['debt'].pk}",
        offer_payload(county),
        content_type="application/json",
        **bearer(caritas_staff),
    )
    assert ("body", "payload", "version") in locations(response)


def test_only_the_owning_organisation_may_change_an_offer(
    client, case_worker, network_admin, outsider_org, offers, county
):
    payload = offer_payload(county, version=1)
    outsider = member(Role.PARTNER_STAFF, outsider_org, username="fremde_partnerin")

    def put(user, offer):
        return client.put(
            f"/api/offers/{offer.pk}", payload, content_type="application/json", **bearer(user)
        )

    refused = put(case_worker, offers["debt"])  # visible, but Caritas's
    assert refused.status_code == 403
    assert (
        refused.json()["detail"] == "Nur die Organisation, der das Angebot gehört, kann es ändern."
    )
    assert put(case_worker, offers["draft"]).status_code == 404  # not even visible
    assert put(outsider, offers["debt"]).status_code == 404  # another network
    no_right = put(network_admin, offers["debt"])  # the role has no EDIT_OFFERS
    assert no_right.status_code == 403
    assert no_right.json()["detail"] == "Keine Berechtigung für diese Aktion."
    offers["debt"].refresh_from_db()
    assert offers["debt"].title == "Schuldnerberatung Babenhausen"
    assert offers["debt"].version == 1


def test_places_of_another_offer_cannot_be_taken_over(client, caritas_staff, offers, county):
    foreign_place = offers["housing"].places.get()
    own_place = offers["debt"].places.get()
    response = client.put(
        f"/api/offers/{offers['debt'].pk}",
        offer_payload(
            county,
            version=1,
            places=[
                {"id": foreign_place.pk, "municipality": county["dieburg"].pk},
                {"id": own_place.pk, "municipality": county["dieburg"].pk},
                {"id": own_place.pk, "municipality": county["darmstadt"].pk},
            ],
        ),
        content_type="application/json",
        **bearer(caritas_staff),
    )
    errors = locations(response)
    assert errors[("body", "payload", "places", 0, "id")] == (
        "Diesen Eintrag gibt es bei diesem Angebot nicht."
    )
    assert errors[("body", "payload", "places", 2, "id")] == "Dieser Eintrag ist doppelt."
    foreign_place.refresh_from_db()
    assert foreign_place.offer == offers["housing"]
    assert foreign_place.municipality == county["darmstadt"]
    assert offers["debt"].places.get() == own_place


def test_an_offer_created_by_a_case_worker_belongs_to_the_jobcenter(
    client, case_worker, jobcenter, county
):
    response = client.post(
        "/api/offers",
        offer_payload(county, status="draft"),
        content_type="application/json",
        **bearer(case_worker),
    )
    assert response.status_code == 201, response.content
    assert Offer.objects.get(pk=response.json()["id"]).organisation == jobcenter


def test_invalid_input_answers_422_with_german_field_errors(
    client, caritas_staff, county, outsider_org
):
    payload = offer_payload(
        county,
        title="",
        problem_situations=["finances.debt", "raumfahrt.mond"],
        min_age=30,
        max_age=20,
        contact={"email": "keine-adresse"},
        places=[
            {"municipality": county["dieburg"].pk, "postal_code": "123"},
            {"municipality": outsider_org.municipality.pk},
            {"municipality": county["dieburg"].pk, "is_confidential": True, "street": "Weg 1"},
        ],
        opening_hours=[
            {"weekday": 0, "opens": "09:00", "closes": "12:00"},
            {"weekday": 9, "opens": "12:00", "closes": "09:00"},
        ],
    )
    response = client.post(
        "/api/offers", payload, content_type="application/json", **bearer(caritas_staff)
    )
    errors = locations(response)
    assert errors[("body", "payload", "title")] == "Dieses Feld ist zwingend erforderlich."
    assert "raumfahrt.mond" in errors[("body", "payload", "problem_situations")]
    assert errors[("body", "payload", "max_age")] == (
        "Das Höchstalter liegt unter dem Mindestalter."
    )
    assert errors[("body", "payload", "contact", "email")] == (
        "Bitte gültige E-Mail-Adresse eingeben."
    )
    assert errors[("body", "payload", "places", 0, "postal_code")] == (
        "Bitte eine fünfstellige Postleitzahl angeben."
    )
    assert ("body", "payload", "places", 1, "municipality") in errors
    assert errors[("body", "payload", "places", 2)].startswith("Bei einem vertraulichen Ort")
    assert ("body", "payload", "opening_hours", 1, "weekday") in errors
    assert errors[("body", "payload", "opening_hours", 1, "closes")] == (
        "„bis“ muss nach „von“ liegen."
    )
    assert not [loc for loc in errors if loc[2:4] == ("opening_hours", 0)]
    assert not Offer.objects.filter(organisation__name="Caritasverband Dieburg").exists()
    assert not OpeningHours.objects.exists()


def test_a_waitlist_needs_an_end_date(client, caritas_staff, county):
    response = client.post(
        "/api/offers",
        offer_payload(county, availability="waitlist"),
        content_type="application/json",
        **bearer(caritas_staff),
    )
    assert ("body", "payload", "availability_until") in locations(response)
    response = client.post(
        "/api/offers",
        offer_payload(county, availability="waitlist", availability_until="2099-03-31"),
        content_type="application/json",
        **bearer(caritas_staff),
    )
    assert response.status_code == 201
    assert response.json()["availability"] == "waitlist"
    assert response.json()["availability_until"] == "2099-03-31"


def test_exceptions_are_kept_unless_sent(client, caritas_staff, offers, county):
    offer = offers["debt"]
    exception = OpeningExceptionFactory(offer=offer, date=date(2099, 12, 24))
    auth = bearer(caritas_staff)
    path = f"/api/offers/{offer.pk}"
    kept = client.put(
        path, offer_payload(county, version=1), content_type="application/json", **auth
    )
    assert kept.json()["exceptions"][0]["id"] == exception.pk
    replaced = client.put(
        path,
        offer_payload(county, version=2, exceptions=[{"date": "2099-12-31", "note": "Silvester"}]),
        content_type="application/json",
        **auth,
    )
    assert [(e["date"], e["note"]) for e in replaced.json()["exceptions"]] == [
        ("2099-12-31", "Silvester")
    ]
    assert offer.exceptions.count() == 1


# --- access ------------------------------------------------------------------------------------


def test_anonymous_callers_get_401(client, offers):
    assert client.get("/api/offers").status_code == 401
    assert client.get(f"/api/offers/{offers['debt'].pk}").status_code == 401
    assert client.get("/api/problem-situations").status_code == 401
    response = client.post("/api/offers", {}, content_type="application/json")
    assert response.status_code == 401
    assert response.json()["detail"] == "Anmeldung erforderlich."
    match = client.post(
        "/api/offers/match", {"needs": ["finances"]}, content_type="application/json"
    )
    assert match.status_code == 401


def test_a_role_without_view_offers_gets_403(client_for, jobcenter, offers):
    ghost = member("ghost_role", jobcenter, username="ohne_rechte")
    assert client_for(ghost).get("/api/offers").status_code == 403


def test_the_openapi_document_lists_the_directory(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/offers",
        "/api/offers/{offer_id}",
        "/api/offers/match",
        "/api/problem-situations",
    } <= set(paths)
    assert set(paths["/api/offers"]) == {"get", "post"}
    assert set(paths["/api/offers/{offer_id}"]) == {"get", "put"}


# --- query counts ------------------------------------------------------------------------------


def _add_offers(caritas, county, count):
    for i in range(count):
        offer = OfferFactory(
            organisation=caritas,
            title=f"Beratung {i}",
            situations=["finances.debt", "family.childcare"],
        )
        PlaceFactory(offer=offer, municipality=county["dieburg"])
        PlaceFactory(offer=offer, municipality=county["babenhausen"], is_confidential=True)
        OpeningHoursFactory(offer=offer, weekday=i % 5)
        OpeningExceptionFactory(offer=offer, date=timezone.localdate() + timedelta(days=3))


def _queries(request):
    with CaptureQueriesContext(connection) as captured:
        response = request()
        assert response.status_code == 200, response.content
    return len(captured)


@pytest.mark.parametrize(
    "params", [{}, {"q": "Beratung"}, {"near": "Dieburg", "radius": 50, "problem": "finances"}]
)
def test_the_list_costs_the_same_queries_for_3_and_13_offers(
    client_for, case_worker, caritas, county, params
):
    client = client_for(case_worker)
    _add_offers(caritas, county, 3)
    few = _queries(lambda: client.get("/api/offers", params))
    assert client.get("/api/offers", params).json()["count"] == 3
    _add_offers(caritas, county, 10)
    assert client.get("/api/offers", params).json()["count"] == 13
    assert _queries(lambda: client.get("/api/offers", params)) == few


def test_matching_costs_the_same_queries_for_3_and_13_offers(
    client_for, case_worker, caritas, county
):
    client = client_for(case_worker)
    payload = {"needs": ["finances.debt"], "municipality": county["dieburg"].pk}

    def request():
        return client.post("/api/offers/match", payload, content_type="application/json")

    _add_offers(caritas, county, 3)
    few = _queries(request)
    _add_offers(caritas, county, 10)
    assert len(request().json()) == 13
    assert _queries(request) == few


def test_shape_errors_are_explained_in_german(client, caritas_staff, county):
    payload = offer_payload(county, min_age="zwölf")
    del payload["title"]
    response = client.post(
        "/api/offers", payload, content_type="application/json", **bearer(caritas_staff)
    )
    errors = locations(response)
    assert errors[("body", "payload", "title")] == "Pflichtangabe fehlt."
    assert errors[("body", "payload", "min_age")] == "Bitte eine ganze Zahl angeben."
    missing = client.get("/api/organisations/999999", **bearer(caritas_staff))
    assert missing.status_code == 404
    assert missing.json() == {"detail": "Nicht gefunden."}
