"""The offer search answers the same on SQLite (FTS5) and PostgreSQL (german config)."""

from datetime import date, datetime, time

import pytest
from django.utils import timezone

from directory import fulltext
from directory.factories import OfferFactory, OpeningExceptionFactory, OpeningHoursFactory
from directory.search import empty_result_hints, search_offers

pytestmark = pytest.mark.django_db


def titles(outcome):
    return [offer.title for offer in outcome.offers]


def test_a_word_finds_compounds_through_its_stem(offers, case_actor):
    assert titles(search_offers(case_actor, {"q": "Schulden"})) == ["Schuldnerberatung Babenhausen"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("mütter", "Sprachcafé für Mütter"),
        ("MUTTER", "Sprachcafé für Mütter"),
        ("Strassensozialarbeit", "Wohnungssicherung bei drohendem Wohnungsverlust"),
        ("straßensozialarbeit", "Wohnungssicherung bei drohendem Wohnungsverlust"),
        ("räumungsklage", "Wohnungssicherung bei drohendem Wohnungsverlust"),
        ("Raeumungsklage", "Wohnungssicherung bei drohendem Wohnungsverlust"),  # ASCII spelling
    ],
)
def test_umlauts_and_sharp_s_are_folded(offers, case_actor, query, expected):
    assert titles(search_offers(case_actor, {"q": query})) == ([expected] if expected else [])


def test_the_taxonomy_label_municipality_and_language_are_searchable(offers, case_actor):
    # "Mietschulden" is the taxonomy label, Babenhausen the place, Arabisch a language label.
    found = titles(search_offers(case_actor, {"q": "Mietschulden Babenhausen Arabisch"}))
    assert found == ["Schuldnerberatung Babenhausen"]


def test_all_words_must_match_and_partial_matches_are_a_marked_fallback(offers, case_actor):
    outcome = search_offers(case_actor, {"q": "Schulden Räumungsklage"})
    assert set(titles(outcome)) == {
        "Schuldnerberatung Babenhausen",
        "Wohnungssicherung bei drohendem Wohnungsverlust",
    }
    assert outcome.matched_some_words
    exact = search_offers(case_actor, {"q": "Schulden Pfändung"})
    assert titles(exact) == ["Schuldnerberatung Babenhausen"]
    assert not exact.matched_some_words


def test_stop_words_and_punctuation_do_not_break_the_query(offers, case_actor):
    found = titles(search_offers(case_actor, {"q": "Schulden, und in Babenhausen!"}))
    assert found == ["Schuldnerberatung Babenhausen"]
    hostile = "und in der ') OR 1=1 -- \"*"
    assert fulltext.query_terms(hostile) == ["or"]
    assert titles(search_offers(case_actor, {"q": hostile})) == []


def test_drafts_of_other_organisations_are_never_found(offers, case_actor):
    assert "Schuldnerberatung (Entwurf)" not in titles(search_offers(case_actor, {"q": "Schuld"}))


def test_other_networks_offers_are_invisible(offers, outsider, outsider_org):
    from core.permissions import actor_for

    OfferFactory(organisation=outsider_org, title="Schuldnerberatung Fremdstadt")
    outside = actor_for(outsider, outsider_org.pk)
    assert titles(search_offers(outside, {"q": "Schulden"})) == ["Schuldnerberatung Fremdstadt"]


def test_edits_are_searchable_at_once(offers, case_actor):
    offer = offers["youth"]
    offer.description = "Jetzt auch mit Fahrradwerkstatt."
    offer.save()
    assert titles(search_offers(case_actor, {"q": "Fahrrad"})) == [offer.title]
    assert titles(search_offers(case_actor, {"q": "Praktische"})) == []  # the old text is gone


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"problem": "finances.debt"}, {"debt"}),
        ({"problem": "housing"}, {"debt", "housing"}),  # a group covers its situations
        ({"problem": "housing.rent_arrears"}, {"debt", "housing"}),
        ({"language": "ar"}, {"debt", "language"}),
        ({"target_group": "single_parents"}, {"language"}),
        ({"access": "referral"}, {"youth"}),
        ({"access": "walk_in"}, {"debt", "housing", "language"}),
        ({"step_free": True}, {"debt"}),
        ({"open": "0"}, {"housing"}),  # Mondays
        ({"open": "3"}, {"debt"}),  # Thursdays
        ({"language": "ar", "problem": "family"}, {"language"}),
    ],
)
def test_filters(offers, case_actor, params, expected):
    found = set(search_offers(case_actor, params).offers)
    assert found == {offers[key] for key in expected}


def test_municipality_filter_means_a_place_in_it(offers, county, case_actor):
    found = set(search_offers(case_actor, {"municipality": county["dieburg"]}).offers)
    assert found == {offers["language"], offers["youth"]}


def test_distance_from_a_municipality_within_the_radius(offers, case_actor):
    outcome = search_offers(case_actor, {"near": "Babenhausen", "radius": 10})
    assert titles(outcome) == ["Schuldnerberatung Babenhausen"]
    assert outcome.offers[0].distance_km == pytest.approx(0, abs=0.01)
    wider = search_offers(case_actor, {"near": "Babenhausen", "radius": 20, "sort": "distance"})
    # Dieburg is ~10 km from Babenhausen, Darmstadt ~22 km.
    assert titles(wider) == [
        "Schuldnerberatung Babenhausen",
        "Jugendwerkstatt Holz und Metall",
        "Sprachcafé für Mütter",
    ]
    distances = [offer.distance_km for offer in wider.offers]
    assert distances == sorted(distances)
    assert 9 < distances[1] < 11


def test_distance_from_a_postal_code_or_coordinates(offers, case_actor):
    by_postal_code = search_offers(case_actor, {"near": "Hauptstraße 5, 64832", "radius": 5})
    assert by_postal_code.origin is not None
    by_coordinates = search_offers(case_actor, {"near": "49.8728, 8.6512", "radius": 5})
    assert titles(by_coordinates) == ["Wohnungssicherung bei drohendem Wohnungsverlust"]


def test_an_unknown_place_is_an_error_not_an_empty_list(offers, case_actor):
    outcome = search_offers(case_actor, {"near": "Hintertupfingen", "radius": 10})
    assert "Hintertupfingen" in outcome.errors["near"]
    assert outcome.origin is None


def test_empty_results_suggest_widening(offers, case_actor):
    params = {"near": "Babenhausen", "radius": 5, "language": "uk"}
    outcome = search_offers(case_actor, params)
    assert titles(outcome) == []
    hints = empty_result_hints(params, outcome)
    assert "Vergrößern Sie den Umkreis." in hints
    assert "Entfernen Sie einen Filter." in hints


def test_sorting_by_relevance_puts_the_better_match_first(offers, case_actor):
    OfferFactory(
        organisation=offers["debt"].organisation,
        title="Familienzentrum",
        description="Offener Treff. Auch Hinweise zu Schulden.",
        situations=["family.childcare"],
    )
    found = titles(search_offers(case_actor, {"q": "Schulden"}))
    assert found[0] == "Schuldnerberatung Babenhausen"
    assert set(found) == {"Schuldnerberatung Babenhausen", "Familienzentrum"}


def _at(day: date, hour: int, minute: int = 0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def test_open_now_uses_weekly_hours(offers, case_actor):
    tuesday = date(2026, 11, 24)
    found = set(search_offers(case_actor, {"open": "now"}, now=_at(tuesday, 10)).offers)
    assert found == {offers["debt"]}
    assert not list(search_offers(case_actor, {"open": "now"}, now=_at(tuesday, 12)).offers)


def test_public_holidays_close_offers_unless_an_exception_opens_them(offers, case_actor):
    # 2026-12-24 is a Thursday but no holiday; 2026-12-31 likewise; 2026-10-03 (Sat) is one.
    # Whit Monday 2026-05-25 is a holiday in Hesse: the Monday offer is closed.
    whit_monday = date(2026, 5, 25)
    assert not list(search_offers(case_actor, {"open": "now"}, now=_at(whit_monday, 9)).offers)
    OpeningExceptionFactory(
        offer=offers["housing"], date=whit_monday, is_closed=False, opens=time(9), closes=time(11)
    )
    found = list(search_offers(case_actor, {"open": "now"}, now=_at(whit_monday, 10)).offers)
    assert found == [offers["housing"]]


def test_a_closing_exception_replaces_the_weekly_hours(offers, case_actor):
    monday = date(2026, 11, 23)
    assert list(search_offers(case_actor, {"open": "now"}, now=_at(monday, 9)).offers) == [
        offers["housing"]
    ]
    OpeningExceptionFactory(offer=offers["housing"], date=monday, is_closed=True)
    assert not list(search_offers(case_actor, {"open": "now"}, now=_at(monday, 9)).offers)


def test_holidays_follow_the_networks_federal_state(offers, case_actor, network):
    # Corpus Christi (2026-06-04, Thursday) is a holiday in Hesse but not in Berlin.
    corpus_christi = _at(date(2026, 6, 4), 15)
    assert not list(search_offers(case_actor, {"open": "now"}, now=corpus_christi).offers)
    network.federal_state = "BE"
    network.save()
    case_actor.organisation.network.federal_state = "BE"
    found = list(search_offers(case_actor, {"open": "now"}, now=corpus_christi).offers)
    assert found == [offers["debt"]]


def test_hours_extend_the_weekday_filter(offers, case_actor):
    OpeningHoursFactory(offer=offers["youth"], weekday=0, opens=time(13), closes=time(15))
    found = set(search_offers(case_actor, {"open": "0"}).offers)
    assert found == {offers["housing"], offers["youth"]}
