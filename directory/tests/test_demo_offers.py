"""The demo offers: enough of them, realistic, reachable, searchable and deterministic."""

import hashlib

import pytest
from django.db.models import Count

from core.demo.generator import generate
from core.models import User
from core.permissions import actor_for
from core.tests.test_demo import _wipe
from directory.choices import (
    AccessType,
    Availability,
    Language,
    OfferStatus,
    PlaceKind,
    TargetGroup,
)
from directory.demo import KINDS, Title
from directory.models import Offer, OpeningHours, Place
from directory.search import search_offers
from directory.taxonomy import DEFAULT_TAXONOMY

pytestmark = pytest.mark.django_db


def _generate(seed=42, scale=0.2):
    (ctx,) = generate(seed=seed, scale=scale, log=lambda _: None, steps=("Angebote",))
    return ctx


def _fingerprint() -> str:
    """What the offer step decided, without database ids or timestamps."""
    rows = [
        *Offer.objects.values_list(
            "uuid",
            "organisation__name",
            "title",
            "description",
            "status",
            "availability",
            "availability_until",
            "languages",
            "access_types",
            "last_verified",
        ),
        *Place.objects.values_list(
            "offer__title", "kind", "municipality__ags", "street", "latitude", "longitude"
        ),
        *OpeningHours.objects.values_list("offer__title", "weekday", "opens", "closes"),
        *Offer.problem_situations.through.objects.values_list(
            "offer__uuid", "problemsituation__code"
        ),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def test_the_demo_county_gets_a_few_hundred_offers_at_full_scale():
    ctx = _generate(scale=1.0)
    offers = Offer.objects.filter(network=ctx.network)
    assert 300 <= offers.count() <= 500
    assert ctx.counts["Angebote"] == offers.count()
    # Every kind of partner in the county offers something.
    providers = set(offers.values_list("organisation__type", flat=True))
    assert len(providers) >= 10
    statuses = set(offers.values_list("status", flat=True))
    assert statuses == set(OfferStatus.values)
    assert offers.published().count() > 0.8 * offers.count()


def test_every_published_offer_addresses_a_problem_and_can_be_reached():
    ctx = _generate()
    published = Offer.objects.filter(network=ctx.network).published()
    assert not published.annotate(n=Count("problem_situations")).filter(n=0).exists()
    without_place = list(published.annotate(n=Count("places")).filter(n=0))
    unreachable = [
        offer.title
        for offer in without_place
        if not {AccessType.PHONE, AccessType.ONLINE} & set(offer.access_types)
    ]
    assert unreachable == []
    hours = published.annotate(n=Count("hours"))
    assert hours.count() > 50  # the check below covers many offers, not a handful
    assert list(hours.exclude(n__range=(1, 5)).values_list("title", flat=True)) == []
    not_accepting = published.exclude(availability=Availability.ACCEPTING)
    assert not_accepting.exists()
    assert not not_accepting.filter(availability_until__isnull=True).exists()
    assert Place.objects.filter(network=ctx.network, kind=PlaceKind.INTAKE).exists()
    assert published.exclude(languages=["de"]).exists(), "some offers speak more than German"


def test_the_demo_logins_find_offers_of_their_organisations():
    ctx = _generate()
    on_site = Offer.objects.filter(
        organisation=ctx.organisations["jobcenter"], places__municipality__name="Eppertshausen"
    )
    assert on_site.published().exists()
    centre = Offer.objects.filter(organisation=ctx.organisations["neighbourhood_centre:Griesheim"])
    assert centre.filter(status=OfferStatus.DRAFT).exists()
    assert centre.published().exists()


def test_the_same_seed_gives_the_same_offers():
    _generate(seed=7)
    first = _fingerprint()
    _wipe()
    _generate(seed=7)
    assert _fingerprint() == first


def test_another_seed_gives_other_offers():
    _generate(seed=7)
    first = _fingerprint()
    _wipe()
    _generate(seed=8)
    assert _fingerprint() != first


def test_the_full_text_search_finds_demo_offers():
    _generate()
    actor = actor_for(User.objects.get(username="fallmanager"))
    found = list(search_offers(actor, {"q": "Schulden"}).offers)
    assert all(offer.status == OfferStatus.PUBLISHED for offer in found)
    # The problem situation's label is part of the indexed text, so every debt offer is found.
    debt = Offer.objects.published().filter(problem_situations__code="finances.debt")
    assert debt.exists()
    assert set(debt.values_list("pk", flat=True)) <= {offer.pk for offer in found}
    assert search_offers(actor, {"q": "Sprachcafé"}).offers.exists()
    assert search_offers(actor, {"q": "Räumungsklage"}).offers.exists()


def test_confidential_places_keep_no_address_and_no_own_coordinates():
    ctx = _generate()
    confidential = Place.objects.filter(network=ctx.network, is_confidential=True)
    assert confidential.exists()
    for place in confidential.select_related("municipality", "offer"):
        assert (place.name, place.street, place.postal_code) == ("", "", "")
        assert place.latitude == float(place.municipality.latitude)
        assert place.longitude == float(place.municipality.longitude)
        assert place.offer.contact_note
        assert AccessType.PHONE in place.offer.access_types


def test_some_offers_are_overdue_for_verification():
    ctx = _generate()
    offers = Offer.objects.filter(network=ctx.network)
    stale = offers.stale().count()
    assert 0 < stale < offers.count() / 2


def test_the_catalogue_uses_only_known_codes():
    known = {code for _, _, situations in DEFAULT_TAXONOMY for code, _ in situations}
    for kind in KINDS:
        titles = [title for title in kind.titles if isinstance(title, Title)]
        codes = {*kind.situations, *kind.extra_situations}
        codes.update(code for title in titles for code in title.situations)
        assert codes <= known, kind.key
        assert set(kind.languages) <= set(Language.values), kind.key
        assert {*kind.groups, *kind.extra_groups} <= set(TargetGroup.values), kind.key
        assert {code for access in kind.access for code in access} <= set(AccessType.values)


def test_demo_offers_and_places_pass_model_validation():
    ctx = _generate()
    for offer in Offer.objects.filter(network=ctx.network).select_related("organisation"):
        offer.full_clean()
    for place in Place.objects.filter(network=ctx.network).select_related("municipality"):
        place.full_clean()
