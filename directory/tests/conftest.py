"""A small county with known offers: the answers of search and matching are known by hand."""

from datetime import time
from decimal import Decimal

import pytest

from core.choices import Role
from core.factories import MunicipalityFactory, OrganisationFactory, member
from core.permissions import actor_for
from directory.choices import Accessibility, AccessType, OfferStatus, TargetGroup
from directory.factories import OfferFactory, OpeningHoursFactory, PlaceFactory


@pytest.fixture
def county(network, jobcenter):
    """Dieburg (the job centre's town), Babenhausen 14 km east, Darmstadt 15 km west."""
    places = {
        "dieburg": jobcenter.municipality,
        "babenhausen": MunicipalityFactory(
            network=network,
            name="Babenhausen",
            latitude=Decimal("49.96250"),
            longitude=Decimal("8.95340"),
        ),
        "darmstadt": MunicipalityFactory(
            network=network,
            name="Darmstadt",
            latitude=Decimal("49.87280"),
            longitude=Decimal("8.65120"),
        ),
    }
    dieburg = places["dieburg"]
    dieburg.latitude, dieburg.longitude = Decimal("49.89860"), Decimal("8.84010")
    dieburg.save()
    return places


@pytest.fixture
def caritas(network):
    return OrganisationFactory(network=network, name="Caritasverband Dieburg")


@pytest.fixture
def offers(county, caritas):
    """Four offers whose search answers the tests know."""
    debt = OfferFactory(
        organisation=caritas,
        title="Schuldnerberatung Babenhausen",
        description="Wir helfen bei Schulden, Mahnungen und Pfändungen. Termine ohne Wartezeit.",
        tags="Insolvenz, Pfändungsschutzkonto",
        languages=["de", "ar"],
        access_types=[AccessType.APPOINTMENT, AccessType.WALK_IN],
        situations=["finances.debt", "housing.rent_arrears"],
    )
    PlaceFactory(
        offer=debt,
        municipality=county["babenhausen"],
        latitude=49.9625,
        longitude=8.9534,
        accessibility=[Accessibility.STEP_FREE],
    )
    OpeningHoursFactory(offer=debt, weekday=1, opens=time(9), closes=time(12))
    OpeningHoursFactory(offer=debt, weekday=3, opens=time(14), closes=time(17))

    housing = OfferFactory(
        organisation=caritas,
        title="Wohnungssicherung bei drohendem Wohnungsverlust",
        description=(
            "Beratung bei Räumungsklage und Mietrückständen, Vermittlung an die "
            "Straßensozialarbeit."
        ),
        languages=["de", "tr"],
        access_types=[AccessType.WALK_IN],
        target_groups=[TargetGroup.FAMILIES],
        situations=["housing.threatened_loss", "housing.rent_arrears"],
    )
    PlaceFactory(
        offer=housing, municipality=county["darmstadt"], latitude=49.8728, longitude=8.6512
    )
    OpeningHoursFactory(offer=housing, weekday=0, opens=time(8), closes=time(16))

    language = OfferFactory(
        organisation=caritas,
        title="Sprachcafé für Mütter",
        description="Deutsch üben bei Kaffee, Kinderbetreuung während des Treffens.",
        languages=["de", "ar", "uk"],
        access_types=[AccessType.WALK_IN],
        target_groups=[TargetGroup.SINGLE_PARENTS, TargetGroup.MIGRANTS],
        situations=["qualification.german_language", "family.childcare"],
    )
    PlaceFactory(offer=language, municipality=county["dieburg"], latitude=49.8986, longitude=8.8401)
    OpeningHoursFactory(offer=language, weekday=2, opens=time(10), closes=time(12))

    youth = OfferFactory(
        organisation=caritas,
        title="Jugendwerkstatt Holz und Metall",
        description="Praktische Berufsorientierung in der Werkstatt.",
        min_age=15,
        max_age=25,
        access_types=[AccessType.REFERRAL],
        target_groups=[TargetGroup.UNDER_25],
        situations=["transition.career_orientation"],
    )
    PlaceFactory(offer=youth, municipality=county["dieburg"], latitude=49.9, longitude=8.85)

    draft = OfferFactory(
        organisation=caritas,
        title="Schuldnerberatung (Entwurf)",
        status=OfferStatus.DRAFT,
        situations=["finances.debt"],
    )
    return {"debt": debt, "housing": housing, "language": language, "youth": youth, "draft": draft}


@pytest.fixture
def case_actor(case_worker, jobcenter):
    return actor_for(case_worker, jobcenter.pk)


@pytest.fixture
def caritas_staff(caritas):
    return member(Role.PARTNER_STAFF, caritas, username="caritas")
