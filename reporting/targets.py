"""Targets of measures: scaled to the period looked at, and judged with a word and a symbol,
never with colour alone."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from agreements.choices import MONTHS_OF
from reporting.indicators import HIGHER, Indicator, Result
from reporting.scope import Scope

# Within this share of the target a miss is "knapp verfehlt" (amber), beyond it "verfehlt".
NEAR = Decimal("0.1")

MET, NEAR_MISS, MISSED, NO_DATA = "met", "near", "missed", "no_data"
STATES = {
    MET: (_("Ziel erreicht"), "✓"),
    NEAR_MISS: (_("knapp verfehlt"), "!"),
    MISSED: (_("Ziel verfehlt"), "✗"),
    NO_DATA: (_("keine Daten"), "–"),
}


@dataclass(frozen=True)
class Judgement:
    state: str
    target: Decimal | None

    @property
    def label(self) -> str:
        return STATES[self.state][0]

    @property
    def symbol(self) -> str:
        return STATES[self.state][1]


def scaled_target(indicator: Indicator, target: Decimal, period: str, scope: Scope) -> Decimal:
    """A count target per month, quarter or year, scaled to the scope's length."""
    if not indicator.is_count:
        return target
    months = Decimal(str(scope.months)) / MONTHS_OF[period]
    return (target * months).quantize(Decimal("0.1"), ROUND_HALF_UP)


def judge(indicator: Indicator, result: Result, target: Decimal | None) -> Judgement | None:
    if target is None:
        return None
    if result.value is None:
        return Judgement(NO_DATA, target)
    value = result.value
    if indicator.better == HIGHER:
        met, near = value >= target, value >= target * (1 - NEAR)
    else:
        met, near = value <= target, value <= target * (1 + NEAR)
    return Judgement(MET if met else NEAR_MISS if near else MISSED, target)
