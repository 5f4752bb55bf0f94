"""The directory pages: who may see and change what, and what users see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.factories import member
from directory.choices import OfferStatus
from directory.factories import OfferFactory, PlaceFactory
from directory.models import Offer, Place

pytestmark = pytest.mark.django_db


def test_search_page_renders_results_and_reflects_the_query(client_for, case_worker, offers):
    url = reverse("directory:search") + "?q=Schulden&language=ar"
    response = client_for(case_worker).get(url)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Schuldnerberatung Babenhausen" in content
    assert "Sprachcafé" not in content
    assert 'value="Schulden"' in content  # the form keeps the query


def test_htmx_requests_get_only_the_results(client_for, case_worker, offers):
    response = client_for(case_worker).get(
        reverse("directory:search") + "?q=Mütter", HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "Sprachcafé für Mütter" in content
    assert "<html" not in content
    assert 'role="search"' not in content


def test_unknown_place_is_shown_as_a_field_error(client_for, case_worker, offers):
    response = client_for(case_worker).get(reverse("directory:search") + "?near=Atlantis")
    assert "Den Ort „Atlantis“ kennen wir im Netzwerk nicht" in response.content.decode()


def test_empty_result_suggests_widening_the_radius(client_for, case_worker, offers):
    response = client_for(case_worker).get(
        reverse("directory:search") + "?near=Babenhausen&radius=5&language=uk"
    )
    content = response.content.decode()
    assert "Kein Angebot passt zu dieser Suche." in content
    assert "Im Umkreis von 50 km suchen" in content


def test_detail_shows_published_offers_to_the_network(client_for, case_worker, offers):
    response = client_for(case_worker).get(offers["debt"].get_absolute_url())
    assert response.status_code == 200
    assert "Pfändungen" in response.content.decode()
    assert "Bearbeiten" not in response.content.decode()  # not the owner


def test_drafts_are_visible_only_to_their_organisation(
    client_for, case_worker, caritas_staff, offers
):
    draft_url = offers["draft"].get_absolute_url()
    assert client_for(case_worker).get(draft_url).status_code == 404
    assert client_for(caritas_staff).get(draft_url).status_code == 200


def test_other_networks_see_nothing(client_for, outsider, offers):
    client = client_for(outsider)
    assert client.get(offers["debt"].get_absolute_url()).status_code == 404
    assert client.get(reverse("directory:offer_print", args=[offers["debt"].pk])).status_code == 404
    response = client.get(reverse("directory:search") + "?q=Schulden")
    assert "Schuldnerberatung Babenhausen" not in response.content.decode()


def test_only_the_owner_edits_and_verifies(client_for, case_worker, offers):
    client = client_for(case_worker)
    offer = offers["debt"]
    assert client.get(reverse("directory:offer_edit", args=[offer.pk])).status_code == 404
    assert client.post(reverse("directory:offer_verify", args=[offer.pk])).status_code == 404


def test_the_data_protection_officer_cannot_edit_offers(client_for, caritas, offers):
    dpo = member(Role.DATA_PROTECTION_OFFICER, caritas, username="dsb-caritas")
    client = client_for(dpo)
    assert client.get(reverse("directory:my_offers")).status_code == 403
    assert client.get(reverse("directory:offer_edit", args=[offers["debt"].pk])).status_code == 403


def _form_data(offer, **changes):
    data = {
        "title": offer.title,
        "description": offer.description,
        "problem_situations": [s.pk for s in offer.problem_situations.all()],
        "tags": offer.tags,
        "languages": offer.languages,
        "costs": offer.costs,
        "access_types": offer.access_types,
        "availability": offer.availability,
        "status": offer.status,
        "edit_version": offer.version,
    }
    for prefix in ("places", "hours", "exceptions"):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    places = list(offer.places.all())
    data["places-TOTAL_FORMS"] = data["places-INITIAL_FORMS"] = len(places)
    for index, place in enumerate(places):
        data |= {
            f"places-{index}-id": place.pk,
            f"places-{index}-kind": place.kind,
            f"places-{index}-street": place.street,
            f"places-{index}-postal_code": place.postal_code,
            f"places-{index}-city": place.city,
            f"places-{index}-municipality": place.municipality_id,
            f"places-{index}-latitude": place.latitude,
            f"places-{index}-longitude": place.longitude,
        }
    data |= changes
    return data


def test_owner_edits_an_offer_and_it_is_searchable(client_for, caritas_staff, offers):
    offer = offers["debt"]
    response = client_for(caritas_staff).post(
        reverse("directory:offer_edit", args=[offer.pk]),
        _form_data(offer, title="Schuldner- und Insolvenzberatung"),
    )
    assert response.status_code == 302
    offer.refresh_from_db()
    assert offer.title == "Schuldner- und Insolvenzberatung"
    assert offer.version == 2
    assert "insolvenzberatung" in offer.search_text.casefold()


def test_a_concurrent_edit_is_refused_and_nothing_is_lost(client_for, caritas_staff, offers):
    offer = offers["debt"]
    first = _form_data(offer, title="Erste Änderung")
    second = _form_data(offer, title="Zweite Änderung")
    client = client_for(caritas_staff)
    url = reverse("directory:offer_edit", args=[offer.pk])
    assert client.post(url, first).status_code == 302
    response = client.post(url, second)
    assert response.status_code == 200
    assert "inzwischen von jemand anderem geändert" in response.content.decode()
    offer.refresh_from_db()
    assert offer.title == "Erste Änderung"


def test_owner_creates_an_offer_with_a_place_and_hours(client_for, caritas_staff, county, caritas):
    data = {
        "title": "Fahrradwerkstatt",
        "description": "Fahrräder reparieren lernen.",
        "problem_situations": [],
        "languages": ["de"],
        "costs": "free",
        "access_types": ["walk_in"],
        "availability": "accepting",
        "status": "published",
        "places-TOTAL_FORMS": 1,
        "places-INITIAL_FORMS": 0,
        "places-0-kind": "service",
        "places-0-street": "Bahnhofstraße 3",
        "places-0-postal_code": "64807",
        "places-0-city": "Dieburg",
        "places-0-municipality": county["dieburg"].pk,
        "hours-TOTAL_FORMS": 1,
        "hours-INITIAL_FORMS": 0,
        "hours-0-weekday": 4,
        "hours-0-opens": "14:00",
        "hours-0-closes": "18:00",
        "exceptions-TOTAL_FORMS": 0,
        "exceptions-INITIAL_FORMS": 0,
    }
    from directory.factories import situation

    data["problem_situations"] = [situation(caritas.network, "mobility.public_transport").pk]
    response = client_for(caritas_staff).post(reverse("directory:offer_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    offer = Offer.objects.get(title="Fahrradwerkstatt")
    assert offer.organisation == caritas
    assert offer.places.get().network_id == caritas.network_id
    assert offer.hours.get().weekday == 4


def test_invalid_hours_are_reported_and_nothing_is_saved(client_for, caritas_staff, offers):
    offer = offers["debt"]
    data = _form_data(offer, title="Neu")
    data |= {
        "hours-TOTAL_FORMS": 1,
        "hours-0-weekday": 1,
        "hours-0-opens": "15:00",
        "hours-0-closes": "09:00",
    }
    response = client_for(caritas_staff).post(
        reverse("directory:offer_edit", args=[offer.pk]), data
    )
    assert response.status_code == 200
    assert "„bis“ muss nach „von“ liegen." in response.content.decode()
    offer.refresh_from_db()
    assert offer.title == "Schuldnerberatung Babenhausen"


def test_a_confidential_place_never_keeps_or_shows_an_address(client_for, case_worker, caritas):
    shelter = OfferFactory(organisation=caritas, title="Frauenhaus", contact_note="Tel. 0800 …")
    place = PlaceFactory(
        offer=shelter, street="Geheimweg 7", postal_code="64832", is_confidential=True
    )
    place.refresh_from_db()
    assert (place.street, place.postal_code, place.name) == ("", "", "")
    assert place.latitude == float(place.municipality.latitude)  # municipality centre only
    response = client_for(case_worker).get(shelter.get_absolute_url())
    content = response.content.decode()
    assert "Geheimweg" not in content
    assert "Vertraulicher Ort" in content
    sheet = client_for(case_worker).get(reverse("directory:offer_print", args=[shelter.pk]))
    assert "Geheimweg" not in sheet.content.decode()
    assert Place.objects.filter(street__contains="Geheimweg").count() == 0


def test_the_print_sheet_is_plain(client_for, case_worker, offers):
    response = client_for(case_worker).get(
        reverse("directory:offer_print", args=[offers["debt"].pk])
    )
    content = response.content.decode()
    assert "Worum geht es?" in content
    assert "So kommen Sie hin" in content
    assert 'class="kw-nav"' not in content


def test_stale_offers_are_flagged_for_the_owner(client_for, caritas_staff, offers):
    old = timezone.localdate() - timedelta(days=400)
    Offer.objects.filter(pk=offers["youth"].pk).update(last_verified=old)
    client = client_for(caritas_staff)
    home = client.get(reverse("home")).content.decode()
    assert "Angebote prüfen" in home
    assert "Jugendwerkstatt Holz und Metall" in home
    listing = client.get(reverse("directory:my_offers") + "?status=stale").content.decode()
    assert "Jugendwerkstatt Holz und Metall" in listing
    assert "Sprachcafé" not in listing


def test_one_click_verification(client_for, caritas_staff, offers):
    offer = offers["youth"]
    Offer.objects.filter(pk=offer.pk).update(
        last_verified=timezone.localdate() - timedelta(days=400),
        freshness_reminded_at=timezone.now(),
    )
    response = client_for(caritas_staff).post(
        reverse("directory:offer_verify", args=[offer.pk]),
        {"next": reverse("directory:my_offers")},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:my_offers")
    offer.refresh_from_db()
    assert offer.last_verified == timezone.localdate()
    assert offer.verified_by == caritas_staff
    assert offer.freshness_reminded_at is None


def test_verification_ignores_foreign_redirect_targets(client_for, caritas_staff, offers):
    response = client_for(caritas_staff).post(
        reverse("directory:offer_verify", args=[offers["youth"].pk]),
        {"next": "https://evil.example/"},
    )
    assert response["Location"] == offers["youth"].get_absolute_url()


def test_freshness_report_for_coordinators_only(client_for, caritas, jobcenter, offers):
    Offer.objects.filter(pk=offers["youth"].pk).update(
        last_verified=timezone.localdate() - timedelta(days=400)
    )
    coordinator = member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")
    response = client_for(coordinator).get(reverse("directory:freshness_report"))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Caritasverband Dieburg" in content
    assert "1 von 4 Angeboten (25 %)" in content  # the draft does not count
    staff = member(Role.PARTNER_STAFF, caritas, username="staff2")
    assert client_for(staff).get(reverse("directory:freshness_report")).status_code == 403


def test_match_page_explains_each_suggestion(client_for, case_worker, county, offers):
    url = reverse("directory:match") + (
        f"?need=housing.rent_arrears&need=housing.threatened_loss&language=tr"
        f"&municipality={county['darmstadt'].pk}&radius=30"
    )
    content = client_for(case_worker).get(url).content.decode()
    assert (
        "deckt Mietschulden und Drohender Wohnungsverlust ab · 0 km · spricht Türkisch · "
        "offen Mo · nimmt auf"
    ) in content


def test_status_drafts_are_not_in_the_search_even_for_the_owner(client_for, caritas_staff, offers):
    content = client_for(caritas_staff).get(reverse("directory:search") + "?q=Entwurf")
    assert "Schuldnerberatung (Entwurf)" not in content.content.decode()
    assert offers["draft"].status == OfferStatus.DRAFT
