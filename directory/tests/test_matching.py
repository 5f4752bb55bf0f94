"""Matching: deterministic rules, ranked, each result with its reasons in words."""

from datetime import timedelta

import pytest
from django.utils import timezone

from directory.choices import Availability
from directory.factories import OfferFactory
from directory.matching import Needs, match_offers

pytestmark = pytest.mark.django_db

LABELS = {
    "finances.debt": "Schulden",
    "housing.threatened_loss": "Wohnungsverlust",
    "housing.rent_arrears": "Mietschulden",
    "transition.career_orientation": "Berufsorientierung",
    "qualification.german_language": "Deutsch",
}


def test_more_covered_needs_rank_first_with_a_visible_reason(offers, case_actor):
    needs = Needs(codes=("housing.threatened_loss", "housing.rent_arrears"))
    matches = match_offers(case_actor, needs, labels=LABELS)
    assert [m.offer for m in matches] == [offers["housing"], offers["debt"]]
    assert matches[0].explanation.startswith("deckt Wohnungsverlust und Mietschulden ab")
    assert matches[1].explanation.startswith("deckt Mietschulden ab")


def test_language_distance_and_opening_days_are_explained(offers, case_actor, county):
    needs = Needs(
        codes=("finances.debt",), language="ar", municipality=county["babenhausen"], radius_km=30
    )
    (match,) = match_offers(case_actor, needs, labels=LABELS)
    assert match.explanation == (
        "deckt Schulden ab · 0 km · spricht Arabisch · offen Di/Do · nimmt auf"
    )


def test_a_missing_language_is_said_not_hidden(offers, case_actor):
    (match,) = match_offers(
        case_actor, Needs(codes=("finances.debt",), language="tr"), labels=LABELS
    )
    assert "nicht auf Türkisch" in match.explanation


def test_the_language_ranks_before_distance(offers, case_actor, county, caritas):
    turkish = OfferFactory(
        organisation=caritas,
        title="Mietschuldenberatung auf Türkisch",
        languages=["de", "tr"],
        situations=["housing.rent_arrears"],
    )
    needs = Needs(codes=("housing.rent_arrears",), language="tr")
    ranked = [m.offer for m in match_offers(case_actor, needs, labels=LABELS)]
    # Both Turkish-speaking offers come before the Arabic/German one; among them, title order.
    assert ranked == [turkish, offers["housing"], offers["debt"]]


def test_age_limits_exclude_offers(offers, case_actor):
    needs = Needs(codes=("transition.career_orientation",), age=30)
    assert match_offers(case_actor, needs) == []
    young = Needs(codes=("transition.career_orientation",), age=17)
    assert [m.offer for m in match_offers(case_actor, young)] == [offers["youth"]]


def test_a_waiting_list_ranks_after_open_places_and_is_explained(offers, case_actor, caritas):
    until = timezone.localdate() + timedelta(days=40)
    waiting = OfferFactory(
        organisation=caritas,
        title="AAA Schuldnerhilfe",  # would come first by title
        availability=Availability.WAITLIST,
        availability_until=until,
        situations=["finances.debt"],
    )
    ranked = match_offers(case_actor, Needs(codes=("finances.debt",)), labels=LABELS)
    assert [m.offer for m in ranked] == [offers["debt"], waiting]
    assert f"Warteliste bis {until:%d.%m.%Y}" in ranked[1].explanation


def test_an_expired_waiting_list_falls_back_to_accepting(offers, case_actor, caritas):
    OfferFactory(
        organisation=caritas,
        title="AAA Schuldnerhilfe",
        availability=Availability.FULL,
        availability_until=timezone.localdate() - timedelta(days=1),
        situations=["finances.debt"],
    )
    ranked = match_offers(case_actor, Needs(codes=("finances.debt",)), labels=LABELS)
    assert ranked[0].offer.title == "AAA Schuldnerhilfe"
    assert ranked[0].explanation.endswith("nimmt auf")


def test_drafts_and_other_networks_are_never_suggested(offers, case_actor, outsider_org):
    OfferFactory(organisation=outsider_org, situations=["finances.debt"])
    matched = {m.offer for m in match_offers(case_actor, Needs(codes=("finances.debt",)))}
    assert matched == {offers["debt"]}


def test_no_needs_no_suggestions(offers, case_actor):
    assert match_offers(case_actor, Needs(codes=())) == []


def test_the_same_needs_give_the_same_order(offers, case_actor):
    needs = Needs(codes=("housing", "finances"))
    first = [m.offer.pk for m in match_offers(case_actor, needs)]
    assert first == [m.offer.pk for m in match_offers(case_actor, needs)]
    assert len(first) == 2
