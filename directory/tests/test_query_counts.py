"""Directory pages cost the same number of queries for 3 or 23 offers (no N+1)."""

from datetime import time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from directory.factories import OfferFactory, OpeningHoursFactory, PlaceFactory

pytestmark = pytest.mark.django_db


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def _more_offers(caritas, county, n=20):
    for i in range(n):
        offer = OfferFactory(
            organisation=caritas,
            title=f"Schuldnerberatung {i}",
            situations=["finances.debt", "housing.rent_arrears"],
            languages=["de", "tr", "ar"],
            last_verified=timezone.localdate() - timedelta(days=300),
        )
        PlaceFactory(offer=offer, municipality=county["dieburg"], latitude=49.9, longitude=8.84)
        PlaceFactory(offer=offer, municipality=county["babenhausen"])
        OpeningHoursFactory(offer=offer, weekday=i % 5, opens=time(9), closes=time(12))


@pytest.mark.parametrize(
    "path",
    [
        "/angebote/",
        "/angebote/?q=Schulden&language=ar&open=1",
        "/angebote/?near=Dieburg&radius=30&sort=distance",
        "/angebote/passende/?need=finances.debt&need=housing.rent_arrears",
        "/",
    ],
)
def test_search_and_matching(client_for, case_worker, offers, caritas, county, path):
    # Every listed query finds one fixture offer already, so both runs render a non-empty list.
    offers["housing"].languages = ["de", "tr", "ar"]
    offers["housing"].save()
    client = client_for(case_worker)
    few = _queries(client, path)
    _more_offers(caritas, county)
    assert _queries(client, path) == few


@pytest.mark.parametrize(
    "path", ["/angebote/meine/", "/angebote/meine/?status=stale", "/angebote/aktualitaet/", "/"]
)
def test_owner_pages(client_for, caritas_staff, offers, caritas, county, path):
    from core.choices import Role
    from core.models import Membership

    Membership.objects.filter(user=caritas_staff).update(role=Role.TEAM_LEAD)
    from directory.models import Offer

    # Lists are compared when they already show something (empty lists skip the prefetches).
    Offer.objects.filter(pk=offers["youth"].pk).update(last_verified="2020-01-01")
    client = client_for(caritas_staff)
    few = _queries(client, path)
    _more_offers(caritas, county)
    assert _queries(client, path) == few
