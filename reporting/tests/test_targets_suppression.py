"""Targets judged with a word and a symbol, count targets scaled to the period looked at, and
small cells (1 to 4) suppressed in whatever leaves the platform."""

from datetime import date
from decimal import Decimal

import pytest

from agreements.choices import TargetPeriod
from agreements.models import Agreement, Measure
from referrals.choices import Track
from reporting.indicators import REGISTRY, Result
from reporting.reports import FlowCell, build, flow
from reporting.scope import Scope
from reporting.suppression import SUPPRESSED, cell, is_small
from reporting.targets import MET, MISSED, NEAR_MISS, NO_DATA, judge, scaled_target
from reporting.tests.conftest import at, referral

HIGHER_BETTER = REGISTRY["answered_in_time"]
LOWER_BETTER = REGISTRY["response_days_median"]


def result(value) -> Result:
    return Result(None if value is None else Decimal(value), 10)


# --- judging --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("85", MET),
        ("80", MET),  # exactly the target
        ("72", NEAR_MISS),  # 80 − 10 % = 72: still "knapp"
        ("71.9", MISSED),
        (None, NO_DATA),
    ],
)
def test_judge_when_higher_is_better(value, state):
    judgement = judge(HIGHER_BETTER, result(value), Decimal("80"))

    assert judgement.state == state
    assert judgement.target == Decimal("80")


@pytest.mark.parametrize(
    ("value", "state"),
    [
        ("3", MET),
        ("5", MET),
        ("5.5", NEAR_MISS),  # 5 + 10 % = 5.5
        ("5.6", MISSED),
        (None, NO_DATA),
    ],
)
def test_judge_when_lower_is_better(value, state):
    assert judge(LOWER_BETTER, result(value), Decimal("5")).state == state


def test_without_a_target_there_is_no_judgement():
    assert judge(HIGHER_BETTER, result("50"), None) is None


@pytest.mark.parametrize(
    ("state", "label", "symbol"),
    [
        (MET, "Ziel erreicht", "✓"),
        (NEAR_MISS, "knapp verfehlt", "!"),
        (MISSED, "Ziel verfehlt", "✗"),
        (NO_DATA, "keine Daten", "–"),
    ],
)
def test_every_judgement_has_a_word_and_a_symbol(state, label, symbol):
    """Never colour alone: the state is readable without it."""
    values = {MET: "90", NEAR_MISS: "75", MISSED: "10", NO_DATA: None}
    judgement = judge(HIGHER_BETTER, result(values[state]), Decimal("80"))

    assert judgement.state == state
    assert (str(judgement.label), judgement.symbol) == (label, symbol)


# --- scaling count targets ------------------------------------------------------------------------


def scope(start, end) -> Scope:
    return Scope(network=None, start=start, end=end, today=date(2027, 1, 15))


SECOND_HALF = scope(date(2026, 7, 1), date(2026, 12, 31))
YEAR = scope(date(2026, 1, 1), date(2026, 12, 31))


def test_a_yearly_count_target_is_halved_for_half_a_year():
    # 184 days / (365.25 / 12) = 6.05 → 6.0 months; 12 per year × 6.0 / 12 = 6.0.
    target = scaled_target(REGISTRY["referrals"], Decimal("12"), TargetPeriod.YEAR, SECOND_HALF)

    assert target == Decimal("6.0")


def test_a_monthly_count_target_is_multiplied_for_a_year():
    # 365 days → 12.0 months: 1 per month → 12.
    target = scaled_target(REGISTRY["conferences_held"], Decimal("1"), TargetPeriod.MONTH, YEAR)

    assert target == Decimal("12.0")


def test_a_quarterly_count_target_over_a_year():
    # 3 per quarter × 12 / 3 = 12.
    target = scaled_target(REGISTRY["pointers"], Decimal("3"), TargetPeriod.QUARTER, YEAR)

    assert target == Decimal("12.0")


@pytest.mark.parametrize("key", ["answered_in_time", "response_days_median"])
def test_shares_and_working_days_are_not_scaled(key):
    # 80 % (or 5 working days) is 80 % in any period.
    target = scaled_target(REGISTRY[key], Decimal("80"), TargetPeriod.YEAR, SECOND_HALF)

    assert target == Decimal("80")


# --- suppression ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("n", "shown"),
    [(0, 0), (1, SUPPRESSED), (4, SUPPRESSED), (5, 5)],
)
def test_small_counts_are_suppressed_and_zero_is_not(n, shown):
    assert cell(n, n, suppress=True) == shown


@pytest.mark.parametrize("n", [0, 1, 4, 5])
def test_inside_the_platform_nothing_is_suppressed(n):
    assert cell(n, n, suppress=False) == n


def test_a_share_is_suppressed_by_the_rows_behind_it():
    # 100 % of 3 rows would single out three people; 66.7 % of 6 may be shown.
    assert cell(Decimal("100.0"), 3, suppress=True) == "< 5"
    assert cell(Decimal("66.7"), 6, suppress=True) == Decimal("66.7")
    assert cell(None, None, suppress=True) is None


def test_is_small():
    assert [is_small(n) for n in (None, 0, 1, 4, 5)] == [False, False, True, True, False]


# --- the flow between organisations ---------------------------------------------------------------


@pytest.fixture
def flows(jobcenter, youth_office):
    """Jobcenter → Jugendamt: 3 referrals, answered in 1, 2, 9 working days, 2 in time.
    Jugendamt → Jobcenter: 5 referrals, answered in 1..5 working days, all in time."""
    due = date(2026, 3, 16)
    for days, answered in ((1, date(2026, 3, 3)), (2, date(2026, 3, 4)), (9, date(2026, 3, 17))):
        referral(
            jobcenter,
            youth_office,
            date(2026, 3, 2),
            response_due=due,
            responded_at=at(answered),
            response_workdays=days,
        )
    for days in range(1, 6):
        referral(
            youth_office,
            jobcenter,
            date(2026, 3, 2),
            response_due=due,
            responded_at=at(date(2026, 3, 2 + days)),
            response_workdays=days,
        )


@pytest.mark.django_db
def test_flow_suppresses_a_pair_with_three_referrals(march, flows):
    # Names: the Jugendamt's short name "JA", the Jobcenter's full name; sorted by sender.
    assert flow(march(), suppress=True) == [
        FlowCell(
            sender="JA",
            recipient="Jobcenter A",
            count=5,
            in_time=Decimal("100.0"),
            median_days=Decimal("3.0"),
        ),
        FlowCell(
            sender="Jobcenter A",
            recipient="JA",
            count="< 5",
            in_time="< 5",
            median_days="< 5",
        ),
    ]


@pytest.mark.django_db
def test_flow_inside_the_platform_shows_exact_numbers(march, flows):
    # Jobcenter → JA: 2 of 3 in time = 66.7 %; median of 1, 2, 9 = 2.
    assert flow(march(), suppress=False) == [
        FlowCell("JA", "Jobcenter A", 5, Decimal("100.0"), Decimal("3.0")),
        FlowCell("Jobcenter A", "JA", 3, Decimal("66.7"), Decimal("2.0")),
    ]


@pytest.mark.django_db
def test_flow_without_referrals_is_empty(march):
    assert flow(march(), suppress=True) == []


# --- the report: suppression once, targets judged ----------------------------------------------


@pytest.mark.django_db
def test_report_suppresses_small_cells_and_still_judges_the_target(
    march, flows, network, jobcenter, youth_office
):
    # March = 31 days / 30.44 = 1.0 month: 12 referrals per year → a target of 1.0.
    # 8 referrals between the parties: shown, met. Housing loss: none → 0, not suppressed,
    # missed against its target of 1.0 (12 per year).
    agreement = Agreement.objects.create(
        network=network,
        title="Kooperation",
        valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31),
    )
    counted = Measure.objects.create(
        network=network,
        agreement=agreement,
        title="Überleitungen",
        indicator="referrals",
        target=Decimal("12"),
        target_period=TargetPeriod.YEAR,
    )
    housing = Measure.objects.create(
        network=network,
        agreement=agreement,
        title="Wohnungsnotfälle",
        indicator="referrals",
        track=Track.HOUSING_LOSS,
        target=Decimal("12"),
        target_period=TargetPeriod.YEAR,
        position=1,
    )
    unmeasured = Measure.objects.create(
        network=network, agreement=agreement, title="Hospitationen", position=2
    )

    report = build(
        march(), title="Bericht", suppress=True, agreement=agreement, charts_wanted=False
    )

    rows = {row.indicator.key: row for row in report.rows}
    assert set(rows) == set(REGISTRY)
    assert rows["referrals"].shown == 8
    # Median over 8 answers (1, 1, 2, 2, 3, 4, 5, 9): (2 + 3) / 2 = 2.5, from 8 rows: shown.
    assert rows["response_days_median"].shown == Decimal("2.5")
    measures = dict(report.measures)
    assert measures[counted].judgement.state == MET
    assert measures[counted].judgement.target == Decimal("1.0")
    assert measures[housing].shown == 0
    assert measures[housing].judgement.state == MISSED
    assert measures[housing].scope_note == "dringend: drohender Wohnungsverlust"
    assert measures[unmeasured] is None


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2026, 6, 30), 6.0),  # a Zwischenbilanz at half time
        (date(2026, 2, 1), date(2026, 2, 28), 1.0),  # a short month is still a month
        (date(2026, 1, 1), date(2026, 12, 31), 12.0),
        (date(2026, 1, 16), date(2026, 1, 31), 0.5),  # 16 of January's 31 days
    ],
)
def test_a_scope_counts_calendar_months(start, end, months):
    """ "12 per year" over the first half-year is 6, not 5.9 (181 days / 30.44)."""
    scope = Scope(network=None, start=start, end=end, today=date(2026, 11, 1))

    assert scope.months == months
    assert scaled_target(
        REGISTRY["conferences_held"], Decimal(12), TargetPeriod.YEAR, scope
    ) == Decimal(str(months))
