"""The offer search: one function behind the search page, the API and the benchmarks."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import F, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from directory import fulltext
from directory.choices import Accessibility
from directory.geo import Origin, UnknownPlace, bounding_box, distance_expression, resolve_origin
from directory.models import Offer, OpeningHours, Place, ProblemSituation


@dataclass
class SearchOutcome:
    offers: object  # queryset, annotated with rank and distance_km where they apply
    origin: Origin | None = None
    radius_km: int | None = None
    notices: list[str] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)
    matched_some_words: bool = False  # no offer had every word; shown: offers with any


def for_display(queryset):
    """What a result list shows, loaded in a fixed number of queries."""
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("places", queryset=Place.objects.select_related("municipality")),
        Prefetch("hours", queryset=OpeningHours.objects.order_by("weekday", "opens")),
        Prefetch(
            "problem_situations",
            queryset=ProblemSituation.objects.select_related("parent").order_by("position"),
        ),
    )


def places_in_box(origin: Origin, radius_km: float):
    lat_min, lat_max, lon_min, lon_max = bounding_box(origin, radius_km)
    return Place.objects.filter(
        latitude__range=(lat_min, lat_max), longitude__range=(lon_min, lon_max)
    )


def within_radius(offers, origin: Origin, radius_km: float):
    """Offers with a place within ``radius_km``, annotated with ``distance_km`` to the nearest.

    The bounding box (indexed) narrows the offers first, so the distance is computed only for
    places nearby.
    """
    box = places_in_box(origin, radius_km)
    nearest = Subquery(
        box.filter(offer_id=OuterRef("pk"))
        .annotate(distance=distance_expression(origin))
        .order_by("distance")
        .values("distance")[:1]
    )
    return (
        offers.filter(pk__in=box.values("offer_id"))
        .annotate(distance_km=nearest)
        .filter(distance_km__lte=radius_km)
    )


def search_offers(actor, params: dict, *, now: datetime | None = None) -> SearchOutcome:
    """Offers visible to ``actor`` matching cleaned ``OfferSearchForm`` data.

    Only published offers are searched (owners find their drafts under "Meine Angebote").
    """
    network = actor.network
    offers = Offer.objects.visible_to(actor).published()
    outcome = SearchOutcome(offers=offers)

    if code := params.get("problem"):
        offers = offers.covering([code])
    if municipality := params.get("municipality"):
        offers = offers.filter(places__municipality=municipality).distinct()
    if group := params.get("target_group"):
        offers = offers.filter(target_groups__has=group)
    if language := params.get("language"):
        offers = offers.filter(languages__has=language)
    if access := params.get("access"):
        offers = offers.filter(access_types__has=access)
    if params.get("step_free"):
        offers = offers.filter(
            pk__in=Place.objects.filter(accessibility__has=Accessibility.STEP_FREE).values(
                "offer_id"
            )
        )
    opening = params.get("open")
    if opening == "now":
        offers = offers.open_at(now or timezone.now(), network.federal_state)
    elif opening not in (None, ""):
        offers = offers.open_on_weekday(int(opening))

    if near := (params.get("near") or "").strip():
        try:
            outcome.origin = resolve_origin(near, network_id=network.pk)
        except UnknownPlace as error:
            outcome.errors["near"] = str(error)
    if outcome.origin:
        outcome.radius_km = params.get("radius") or 20
        offers = within_radius(offers, outcome.origin, outcome.radius_km)

    terms = fulltext.query_terms(params.get("q") or "")
    if terms:
        matched = fulltext.matching(offers, terms, require_all=True)
        if len(terms) > 1 and not matched.exists():
            matched = fulltext.matching(offers, terms, require_all=False)
            outcome.matched_some_words = True
        offers = matched

    outcome.offers = offers.order_by(*_ordering(params.get("sort"), bool(terms), outcome.origin))
    return outcome


def _ordering(sort: str | None, has_terms: bool, origin: Origin | None) -> list:
    if sort == "distance" and origin:
        return ["distance_km", "title", "pk"]
    if sort == "title":
        return ["title", "pk"]
    if sort == "verified":
        return ["-last_verified", "title", "pk"]
    if has_terms:
        return [F("rank").desc(), "title", "pk"]
    if origin:
        return ["distance_km", "title", "pk"]
    return ["title", "pk"]


def empty_result_hints(params: dict, outcome: SearchOutcome) -> list[str]:
    """What the user can do when nothing was found."""
    hints = []
    if outcome.origin and (outcome.radius_km or 0) < 50:
        hints.append(_("Vergrößern Sie den Umkreis."))
    active = [
        name
        for name in ("problem", "municipality", "target_group", "language", "open", "access")
        if params.get(name)
    ]
    if active or params.get("step_free"):
        hints.append(_("Entfernen Sie einen Filter."))
    if params.get("q"):
        hints.append(_("Versuchen Sie ein anderes oder allgemeineres Suchwort."))
    return hints
