"""The indicator registry: every indicator is defined here once and computed by SQL aggregation.

An indicator is a count, a share (numerator / denominator, in per cent) or a percentile of
working days. Each is computed for a ``Scope`` (period and filters) and per month of it; rows are
never looped over in Python – only aggregates (for percentiles: the histogram of distinct
working-day values, a few dozen rows) come back from the database.

Percentiles use the nearest-rank method on working days: the median is the middle value (the
mean of the two middle values for an even count), p90 the value at rank ⌈0.9 · n⌉.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from conferences.choices import ActionStatus
from conferences.choices import Status as ConferenceStatus
from conferences.models import Action, Conference
from referrals.choices import CLOSED_STATUSES, Kind, Outcome, Status
from referrals.models import Referral
from reporting.scope import Scope, month_starts

COUNT, SHARE, PERCENTILE = "count", "share", "percentile"
HIGHER, LOWER = "higher", "lower"


# --- sources: the rows of a scope, before the period ---------------------------------------------


def _referrals(scope: Scope, kind: str) -> QuerySet:
    rows = Referral.objects.filter(network=scope.network, kind=kind, sent_at__isnull=False)
    if scope.parties is not None:
        rows = rows.filter(sender_id__in=scope.parties, recipient_id__in=scope.parties)
    if scope.organisation_id:
        rows = rows.filter(
            Q(sender_id=scope.organisation_id) | Q(recipient_id=scope.organisation_id)
        )
    if scope.track:
        rows = rows.filter(track=scope.track)
    if scope.municipality_id:
        rows = rows.filter(municipality_id=scope.municipality_id)
    return rows


def referrals(scope: Scope) -> QuerySet:
    return _referrals(scope, Kind.REFERRAL)


# Only accepting, declining and forwarding answer a referral (``responded_at``); of those only an
# accepted one can be in any status but declined or forwarded later. Cheaper than looking for the
# acceptance event (a semi-join over every event of the period).
WAS_ACCEPTED = Q(responded_at__isnull=False) & ~Q(status__in=(Status.DECLINED, Status.FORWARDED))


def pointers(scope: Scope) -> QuerySet:
    return _referrals(scope, Kind.POINTER)


def conferences(scope: Scope) -> QuerySet:
    rows = Conference.objects.filter(network=scope.network)
    invited = Conference.invited_organisations.through.objects.filter(conference=OuterRef("pk"))
    if scope.parties is not None:
        # Organised by one party with another party at the table.
        rows = rows.filter(organiser_id__in=scope.parties).filter(
            Exists(
                invited.filter(organisation_id__in=scope.parties).exclude(
                    organisation_id=OuterRef("organiser_id")
                )
            )
        )
    if scope.organisation_id:
        rows = rows.filter(
            Q(organiser_id=scope.organisation_id)
            | Exists(invited.filter(organisation_id=scope.organisation_id))
        )
    return rows


def actions(scope: Scope) -> QuerySet:
    rows = Action.objects.filter(network=scope.network, conference__in=conferences(scope))
    if scope.organisation_id:
        rows = rows.filter(owner_id=scope.organisation_id)
    return rows


# --- results ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    value: Decimal | None  # None: nothing to measure in this scope
    n: int  # the rows behind the value (count, denominator, or values of a percentile)
    numerator: int | None = None
    denominator: int | None = None


def _share(numerator: int, denominator: int) -> Result:
    if not denominator:
        return Result(None, 0, numerator, denominator)
    value = (Decimal(100) * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)
    return Result(value, denominator, numerator, denominator)


def percentile(histogram: dict[int, int], q: float) -> Decimal | None:
    """Nearest rank on a histogram {value: count}; the median of an even count averages the
    two middle values."""
    total = sum(histogram.values())
    if not total:
        return None
    ordered = sorted(histogram.items())

    def at_rank(rank: int) -> int:  # 1-based
        seen = 0
        for value, count in ordered:
            seen += count
            if seen >= rank:
                return value
        return ordered[-1][0]

    if q == 0.5:
        middle = (total + 1) / 2
        low, high = at_rank(math.floor(middle)), at_rank(math.ceil(middle))
        return (Decimal(low + high) / 2).quantize(Decimal("0.1"))
    return Decimal(at_rank(math.ceil(q * total))).quantize(Decimal("0.1"))


# --- the registry ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    unit: str  # shown after the number
    kind: str  # COUNT, SHARE or PERCENTILE
    better: str  # HIGHER or LOWER
    source: Callable[[Scope], QuerySet]
    date_field: str  # which date puts a row into a period
    description: str = ""
    where: Q = field(default_factory=Q)  # COUNT: rows counted
    numerator: Q | None = None  # SHARE
    denominator: Q | None = None  # SHARE (None: every row of the source)
    value_field: str = ""  # PERCENTILE
    q: float = 0.5  # PERCENTILE
    # Which filters apply (conferences know no track and no municipality).
    filters: tuple[str, ...] = ("organisation", "track", "municipality")

    def rows(self, scope: Scope) -> QuerySet:
        period = {
            f"{self.date_field}__gte": scope.start_at if self._is_moment else scope.start,
            f"{self.date_field}__lt" if self._is_moment else f"{self.date_field}__lte": (
                scope.end_before if self._is_moment else scope.end
            ),
        }
        return self.source(scope).filter(**period)

    @property
    def _is_moment(self) -> bool:
        return self.date_field.endswith("_at")

    @property
    def is_count(self) -> bool:
        return self.kind == COUNT

    def _aggregates(self, scope: Scope) -> dict:
        if self.kind == COUNT:
            return {"num": Count("pk", filter=self.where)}
        numerator, denominator = self.numerator, self.denominator
        if callable(numerator):
            numerator = numerator(scope)
        if callable(denominator):
            denominator = denominator(scope)
        return {
            "num": Count("pk", filter=(denominator or Q()) & numerator),
            "den": Count("pk", filter=denominator or Q()),
        }

    def _result(self, row: dict) -> Result:
        if self.kind == COUNT:
            return Result(Decimal(row["num"]), row["num"])
        return _share(row["num"], row["den"])

    def compute(self, scope: Scope) -> Result:
        if self.kind == PERCENTILE:
            return self._percentile(self._histogram(self.rows(scope)))
        return self._result(self.rows(scope).aggregate(**self._aggregates(scope)))

    def monthly(self, scope: Scope) -> list[tuple[date, Result]]:
        """One result per calendar month of the scope (months without rows included).

        One query with a filtered aggregate per month: grouping by a truncated date would make
        SQLite convert every row's time zone in Python."""
        months = month_starts(scope.start, scope.end)
        bounds = [self._month_q(scope, month) for month in months]
        rows = self.rows(scope)
        if self.kind == PERCENTILE:
            histograms: list[dict[int, int]] = [{} for _month in months]
            found = (
                rows.filter(**{f"{self.value_field}__isnull": False})
                .values(self.value_field)
                .annotate(**{f"m{i}": Count("pk", filter=q) for i, q in enumerate(bounds)})
                .order_by()
            )
            for row in found:
                for i in range(len(months)):
                    if row[f"m{i}"]:
                        histograms[i][row[self.value_field]] = row[f"m{i}"]
            return [(m, self._percentile(h)) for m, h in zip(months, histograms, strict=True)]
        aggregates = {}
        for i, q in enumerate(bounds):
            for name, aggregate in self._aggregates(scope).items():
                aggregate.filter = q & aggregate.filter if aggregate.filter else q
                aggregates[f"{name}{i}"] = aggregate
        row = rows.aggregate(**aggregates)
        return [
            (month, self._result({"num": row.get(f"num{i}"), "den": row.get(f"den{i}")}))
            for i, month in enumerate(months)
        ]

    def _month_q(self, scope: Scope, month: date) -> Q:
        following = (month + timedelta(days=32)).replace(day=1)
        if self._is_moment:
            start = timezone.make_aware(datetime.combine(max(month, scope.start), time.min))
            end = timezone.make_aware(datetime.combine(following, time.min))
            return Q(**{f"{self.date_field}__gte": start, f"{self.date_field}__lt": end})
        return Q(**{f"{self.date_field}__gte": month, f"{self.date_field}__lt": following})

    def _histogram(self, rows: QuerySet) -> dict[int, int]:
        values = (
            rows.filter(**{f"{self.value_field}__isnull": False})
            .values(self.value_field)
            .annotate(n=Count("pk"))
            .order_by()
        )
        return {row[self.value_field]: row["n"] for row in values}

    def _percentile(self, histogram: dict[int, int]) -> Result:
        return Result(percentile(histogram, self.q), sum(histogram.values()))


def _answer_decided(scope: Scope) -> Q:
    """Answered, or unanswered with the deadline passed: only then is "in time" decided."""
    return Q(responded_at__isnull=False) | Q(response_due__lt=scope.today)


def _action_decided(scope: Scope) -> Q:
    return Q(due_date__lt=scope.today) & ~Q(status=ActionStatus.DROPPED)


REGISTRY: dict[str, Indicator] = {
    indicator.key: indicator
    for indicator in (
        Indicator(
            key="referrals",
            label=_("Überleitungen"),
            unit="",
            kind=COUNT,
            better=HIGHER,
            source=referrals,
            date_field="sent_at",
            description=_("gesendete Überleitungen im Zeitraum"),
        ),
        Indicator(
            key="answered_in_time",
            label=_("fristgerecht beantwortet"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=referrals,
            date_field="sent_at",
            numerator=Q(responded_at__date__lte=F("response_due")),
            denominator=_answer_decided,
            description=_(
                "Anteil der Überleitungen, die bis zur Antwortfrist angenommen, abgelehnt oder "
                "weitergeleitet wurden (offene erst nach Fristablauf gezählt)"
            ),
        ),
        Indicator(
            key="response_days_median",
            label=_("Arbeitstage bis zur Antwort (Median)"),
            unit=_("AT"),
            kind=PERCENTILE,
            better=LOWER,
            source=referrals,
            date_field="sent_at",
            value_field="response_workdays",
            q=0.5,
        ),
        Indicator(
            key="response_days_p90",
            label=_("Arbeitstage bis zur Antwort (90 %)"),
            unit=_("AT"),
            kind=PERCENTILE,
            better=LOWER,
            source=referrals,
            date_field="sent_at",
            value_field="response_workdays",
            q=0.9,
            description=_(
                "9 von 10 Überleitungen sind spätestens nach so vielen Arbeitstagen beantwortet"
            ),
        ),
        Indicator(
            key="completion_days_median",
            label=_("Arbeitstage bis zum Abschluss (Median)"),
            unit=_("AT"),
            kind=PERCENTILE,
            better=LOWER,
            source=referrals,
            date_field="sent_at",
            value_field="completion_workdays",
            q=0.5,
        ),
        Indicator(
            key="completion_days_p90",
            label=_("Arbeitstage bis zum Abschluss (90 %)"),
            unit=_("AT"),
            kind=PERCENTILE,
            better=LOWER,
            source=referrals,
            date_field="sent_at",
            value_field="completion_workdays",
            q=0.9,
        ),
        Indicator(
            key="acceptance_rate",
            label=_("Annahmequote"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=referrals,
            date_field="sent_at",
            numerator=WAS_ACCEPTED,
            denominator=WAS_ACCEPTED | Q(status=Status.DECLINED),
            description=_("angenommene unter den angenommenen oder abgelehnten Überleitungen"),
        ),
        Indicator(
            key="completion_rate",
            label=_("Abschlussquote"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=referrals,
            date_field="sent_at",
            numerator=Q(status=Status.COMPLETED),
            denominator=WAS_ACCEPTED & Q(status__in=CLOSED_STATUSES),
            description=_("abgeschlossene unter den angenommenen und beendeten Überleitungen"),
        ),
        Indicator(
            key="helped_share",
            label=_("Abschlüsse mit Hilfe"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=referrals,
            date_field="sent_at",
            numerator=Q(outcome__in=(Outcome.HELP_GIVEN, Outcome.PARTLY)),
            denominator=Q(status=Status.COMPLETED),
            description=_("Ergebnis „Hilfe geleistet“ oder „teilweise geholfen“"),
        ),
        Indicator(
            key="pointers",
            label=_("beratende Hinweise"),
            unit="",
            kind=COUNT,
            better=HIGHER,
            source=pointers,
            date_field="sent_at",
            description=_("Hinweise ohne Datenübermittlung"),
        ),
        Indicator(
            key="conferences_held",
            label=_("Fallberatungen durchgeführt"),
            unit="",
            kind=COUNT,
            better=HIGHER,
            source=conferences,
            date_field="starts_at",
            where=Q(status=ConferenceStatus.HELD),
            filters=("organisation",),
        ),
        Indicator(
            key="conferences_held_share",
            label=_("Fallberatungen wie geplant"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=conferences,
            date_field="starts_at",
            numerator=Q(status=ConferenceStatus.HELD),
            denominator=lambda scope: Q(starts_at__date__lt=scope.today),
            description=_("durchgeführte unter den geplanten Terminen (abgesagte zählen mit)"),
            filters=("organisation",),
        ),
        Indicator(
            key="actions_on_time",
            label=_("Vereinbarungen fristgerecht erledigt"),
            unit="%",
            kind=SHARE,
            better=HIGHER,
            source=actions,
            date_field="due_date",
            numerator=Q(status=ActionStatus.DONE, done_at__date__lte=F("due_date")),
            denominator=_action_decided,
            description=_("in Fallberatungen vereinbarte Schritte, erledigt bis zur Frist"),
            filters=("organisation",),
        ),
    )
}


def choices() -> list[tuple[str, str]]:
    return [(key, indicator.label) for key, indicator in REGISTRY.items()]


def get(key: str) -> Indicator:
    return REGISTRY[key]
