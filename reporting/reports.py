"""One report structure for the dashboard, the agreement page, the PDF, XLSX, CSV and the API:
indicators (with the measures' targets), monthly trends, the referral flow between
organisations, tracks and outcomes. Suppression is applied here, once, for what leaves the
platform."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.models import Organisation
from referrals.choices import Outcome, Track
from reporting import charts, indicators
from reporting.indicators import Indicator, Result, percentile
from reporting.scope import Scope
from reporting.suppression import cell
from reporting.targets import Judgement, judge, scaled_target

TREND_KEYS = ("referrals", "answered_in_time", "response_days_median", "conferences_held")


@dataclass
class Row:
    indicator: Indicator
    result: Result
    shown: object  # the value as displayed (suppression applied)
    judgement: Judgement | None = None
    measure: object = None
    scope_note: str = ""

    @property
    def suppressed(self) -> bool:
        return isinstance(self.shown, str)


@dataclass
class Trend:
    indicator: Indicator
    points: list[tuple[str, object, int]]  # month label, shown value, n
    svg: str = ""


@dataclass
class FlowCell:
    sender: str
    recipient: str
    count: object
    in_time: object
    median_days: object


@dataclass
class Report:
    title: str
    scope: Scope
    suppress: bool
    rows: list[Row] = field(default_factory=list)
    measures: list[tuple[object, Row | None]] = field(default_factory=list)
    trends: list[Trend] = field(default_factory=list)
    flow: list[FlowCell] = field(default_factory=list)
    flow_svg: str = ""
    tracks: list[tuple[str, object]] = field(default_factory=list)
    outcomes: list[tuple[str, object]] = field(default_factory=list)
    agreement: object = None

    @property
    def period_label(self) -> str:
        return f"{date_format(self.scope.start, 'd.m.Y')} – {date_format(self.scope.end, 'd.m.Y')}"


def _shown(indicator: Indicator, result: Result, suppress: bool):
    if result.value is None:
        return None
    value = int(result.value) if indicator.is_count else result.value
    return cell(value, result.n, suppress=suppress)


def _row(indicator: Indicator, scope: Scope, suppress: bool, measure=None) -> Row:
    result = indicator.compute(scope)
    row = Row(indicator, result, _shown(indicator, result, suppress), measure=measure)
    if measure is not None and measure.target is not None:
        target = scaled_target(indicator, measure.target, measure.target_period, scope)
        # A suppressed value is not judged either: "Ziel erreicht" next to "< 5" would reveal
        # the range of the hidden count.
        row.judgement = None if row.suppressed else judge(indicator, result, target)
    return row


def build(
    scope: Scope, *, title: str, suppress: bool, agreement=None, charts_wanted: bool = True
) -> Report:
    report = Report(title=title, scope=scope, suppress=suppress, agreement=agreement)
    report.rows = [_row(ind, scope, suppress) for ind in indicators.REGISTRY.values()]
    if agreement is not None:
        by_key = {row.indicator.key: row for row in report.rows}
        report.measures = measure_rows(agreement, scope, suppress, computed=by_key)
    report.trends = [_trend(indicators.get(key), scope, suppress) for key in TREND_KEYS]
    report.flow = flow(scope, suppress)
    report.tracks = _tracks(scope, suppress)
    report.outcomes = _outcomes(scope, suppress)
    if charts_wanted:
        _draw(report)
    return report


def measure_rows(agreement, scope: Scope, suppress: bool, computed=None) -> list:
    """Each measure with its indicator judged against the target (None: not measurable).

    ``scope`` must be the agreement's (its parties); ``computed`` holds rows already computed
    for it, so an indicator is computed once however many measures use it."""
    computed = dict(computed or {})
    found = []
    for measure in agreement.measures.all():
        if not measure.indicator or measure.indicator not in indicators.REGISTRY:
            found.append((measure, None))
            continue
        indicator = indicators.get(measure.indicator)
        if measure.track and "track" in indicator.filters:
            measured = _row(indicator, _with_track(scope, measure.track), suppress, measure)
            measured.scope_note = measure.get_track_display()
        else:
            if indicator.key not in computed:
                computed[indicator.key] = _row(indicator, scope, suppress)
            measured = _row_from(computed[indicator.key], scope, measure)
        found.append((measure, measured))
    return found


def _with_track(scope: Scope, track: str) -> Scope:
    from dataclasses import replace

    return replace(scope, track=track)


def _row_from(base: Row, scope: Scope, measure) -> Row:
    """The measure's judgement on an already computed indicator (no second query)."""
    row = Row(base.indicator, base.result, base.shown, measure=measure)
    if measure.target is not None and not base.suppressed:
        target = scaled_target(base.indicator, measure.target, measure.target_period, scope)
        row.judgement = judge(base.indicator, base.result, target)
    return row


def _trend(indicator: Indicator, scope: Scope, suppress: bool) -> Trend:
    points = [
        (date_format(month, "M y"), _shown(indicator, result, suppress), result.n)
        for month, result in indicator.monthly(scope)
    ]
    return Trend(indicator, points)


def _draw(report: Report) -> None:
    for trend in report.trends:
        values = [
            (label, float(shown) if _is_number(shown) else None)
            for label, shown, _n in trend.points
        ]
        unit = str(trend.indicator.unit)
        trend.svg = charts.monthly_bars(
            values, title=f"{trend.indicator.label} je Monat", unit=unit
        )
    drawable = [
        {
            "von": c.sender,
            "an": c.recipient,
            "Anzahl": c.count,
            "Median AT": float(c.median_days) if _is_number(c.median_days) else None,
        }
        for c in report.flow
        if isinstance(c.count, int) and c.count > 0
    ]
    if drawable:
        report.flow_svg = charts.flow_chart(
            drawable, title=_("Überleitungen zwischen Organisationen")
        )


def _is_number(value) -> bool:
    return value is not None and not isinstance(value, str)


def flow(scope: Scope, suppress: bool) -> list[FlowCell]:
    """Who referred to whom in the scope, how many, how many in time, median days to answer."""
    rows = indicators.get("referrals").rows(scope)
    decided = indicators._answer_decided(scope)
    pairs = (
        rows.values("sender_id", "recipient_id")
        .annotate(
            n=Count("pk"),
            decided=Count("pk", filter=decided),
            in_time=Count("pk", filter=decided & Q(responded_at__date__lte=F("response_due"))),
        )
        .order_by()
    )
    histograms: dict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for row in (
        rows.filter(response_workdays__isnull=False)
        .values("sender_id", "recipient_id", "response_workdays")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        histograms[(row["sender_id"], row["recipient_id"])][row["response_workdays"]] = row["n"]
    pairs = list(pairs)
    ids = {p["sender_id"] for p in pairs} | {p["recipient_id"] for p in pairs}
    names = {
        pk: short or name
        for pk, short, name in Organisation.objects.filter(pk__in=ids).values_list(
            "pk", "short_name", "name"
        )
    }
    cells = []
    for pair in pairs:
        histogram = histograms.get((pair["sender_id"], pair["recipient_id"]), {})
        share = indicators._share(pair["in_time"], pair["decided"])
        median = percentile(histogram, 0.5)
        cells.append(
            FlowCell(
                sender=names.get(pair["sender_id"], "?"),
                recipient=names.get(pair["recipient_id"], "?"),
                count=cell(pair["n"], pair["n"], suppress=suppress),
                in_time=cell(share.value, share.n, suppress=suppress),
                median_days=cell(median, sum(histogram.values()), suppress=suppress),
            )
        )
    cells.sort(key=lambda c: (c.sender, c.recipient))
    return cells


def _counted(rows, field_name: str, labels: dict, suppress: bool) -> list[tuple[str, object]]:
    counts = dict(rows.values_list(field_name).annotate(n=Count("pk")).order_by())
    return [
        (label, cell(counts.get(value, 0), counts.get(value, 0), suppress=suppress))
        for value, label in labels.items()
    ]


def _tracks(scope: Scope, suppress: bool):
    rows = indicators.get("referrals").rows(scope)
    return _counted(rows, "track", dict(Track.choices), suppress)


def _outcomes(scope: Scope, suppress: bool):
    rows = indicators.get("referrals").rows(scope).exclude(outcome="")
    return _counted(rows, "outcome", dict(Outcome.choices), suppress)


def matrix(cells: list[FlowCell]) -> tuple[list[str], list[tuple[str, list[FlowCell | None]]]]:
    """The flow as a table: senders as rows, recipients as columns."""
    senders = sorted({c.sender for c in cells})
    recipients = sorted({c.recipient for c in cells})
    found = {(c.sender, c.recipient): c for c in cells}
    return recipients, [(s, [found.get((s, r)) for r in recipients]) for s in senders]
