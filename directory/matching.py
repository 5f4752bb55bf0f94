"""Which offers fit a person's open needs, with the reasons spelt out.

The rules are deterministic and visible: an offer must address at least one of the needs and
must not exclude the person's age. Offers are ranked by how many needs they cover, then whether
they speak the person's language, then distance, then whether they take people now, then by
title. Every
ranking reason appears in the explanation; nothing is scored about the person, and the case
manager decides.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.choices import WEEKDAY_SHORT, Availability, Language
from directory.geo import Origin, municipality_origin
from directory.models import Offer
from directory.search import for_display, within_radius

DEFAULT_RADIUS_KM = 30
MAX_RESULTS = 50


@dataclass(frozen=True)
class Needs:
    codes: tuple[str, ...]
    age: int | None = None
    language: str | None = None
    municipality: object | None = None  # core.models.Municipality
    radius_km: int = DEFAULT_RADIUS_KM


@dataclass
class Match:
    offer: Offer
    covered: list[str]  # labels of the needs the offer addresses
    distance_km: float | None
    speaks_language: bool
    reasons: list[str] = field(default_factory=list)

    @property
    def explanation(self) -> str:
        return " · ".join(self.reasons)


def _covers(offer: Offer, code: str) -> bool:
    group = code.split(".")[0]
    for situation in offer.problem_situations.all():
        if situation.code in (code, group):
            return True
        if situation.parent_id and situation.parent.code == code:
            return True
    return False


def _join(labels: list[str]) -> str:
    if len(labels) < 2:
        return "".join(labels)
    return _("%(first)s und %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def _opening_days(offer: Offer) -> str:
    days = sorted({hours.weekday for hours in offer.hours.all()})
    return "/".join(str(WEEKDAY_SHORT[day]) for day in days)


def _covers_expression(code: str):
    """1 if the offer addresses ``code`` (same rules as ``OfferQuerySet.covering``), else 0."""
    links = Offer.problem_situations.through.objects.filter(offer_id=OuterRef("pk"))
    group = code.split(".")[0]
    covered = Exists(
        links.filter(
            Q(problemsituation__code__in=[code, group]) | Q(problemsituation__parent__code=code)
        )
    )
    return Case(When(covered, then=Value(1)), default=Value(0), output_field=IntegerField())


def match_offers(actor, needs: Needs, *, labels: dict[str, str] | None = None) -> list[Match]:
    """Ranked published offers in the actor's network for ``needs``.

    The ranking happens in SQL, so only the shown offers are loaded, however many qualify.
    """
    if not needs.codes:
        return []
    offers = Offer.objects.visible_to(actor).published().covering(needs.codes)
    if needs.age is not None:
        offers = offers.filter(Q(min_age__isnull=True) | Q(min_age__lte=needs.age)).filter(
            Q(max_age__isnull=True) | Q(max_age__gte=needs.age)
        )
    origin: Origin | None = municipality_origin(needs.municipality)
    if origin:
        offers = within_radius(offers, origin, needs.radius_km)
    today = timezone.localdate()
    offers = offers.annotate(
        covered_count=sum((_covers_expression(code) for code in needs.codes), Value(0)),
        language_miss=Case(
            When(languages__has=needs.language or "", then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        waiting=Case(
            When(
                Q(availability=Availability.ACCEPTING) | Q(availability_until__lt=today),
                then=Value(0),
            ),
            default=Value(1),
            output_field=IntegerField(),
        ),
    )
    ordering = [F("covered_count").desc(), "language_miss"]
    if origin:
        ordering.append("distance_km")
    ordering += ["waiting", "title", "pk"]
    labels = labels or {}
    matches = []
    for offer in for_display(offers.order_by(*ordering)[:MAX_RESULTS]):
        covered_codes = [code for code in needs.codes if _covers(offer, code)]
        match = Match(
            offer=offer,
            covered=[labels.get(code, code) for code in covered_codes],
            distance_km=getattr(offer, "distance_km", None),
            speaks_language=bool(needs.language) and needs.language in offer.languages,
        )
        match.reasons = _reasons(match, needs)
        matches.append(match)
    return matches


def _reasons(match: Match, needs: Needs) -> list[str]:
    offer = match.offer
    reasons = [_("deckt %(needs)s ab") % {"needs": _join(match.covered)}]
    if match.distance_km is not None:
        reasons.append(_("%(km)s km") % {"km": f"{match.distance_km:.0f}"})
    if match.speaks_language:
        reasons.append(_("spricht %(language)s") % {"language": Language(needs.language).label})
    elif needs.language and needs.language in Language.values:
        reasons.append(_("nicht auf %(language)s") % {"language": Language(needs.language).label})
    if days := _opening_days(offer):
        reasons.append(_("offen %(days)s") % {"days": days})
    availability = offer.current_availability()
    if availability == Availability.ACCEPTING:
        reasons.append(_("nimmt auf"))
    elif offer.availability_until:
        reasons.append(
            _("%(state)s bis %(date)s")
            % {
                "state": Availability(availability).label,
                "date": offer.availability_until.strftime("%d.%m.%Y"),
            }
        )
    return reasons
