"""Working days for deadlines: weekends and the federal state's public holidays are skipped.

Periods are counted as §26 SGB X with §187(1) BGB: the day of the triggering event (sending a
referral, say) does not count, so "2 working days" from a Monday is the Wednesday.
"""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=256)
def _holidays(state: str, year: int) -> frozenset[date]:
    return frozenset(holidays.Germany(subdiv=state, years=year, language="de").keys())


@lru_cache(maxsize=256)
def holiday_names(state: str, year: int) -> dict[date, str]:
    return dict(holidays.Germany(subdiv=state, years=year, language="de").items())


def is_working_day(day: date, state: str) -> bool:
    return day.weekday() < 5 and day not in _holidays(state, day.year)


def add_working_days(start: date, days: int, state: str) -> date:
    """The date ``days`` working days after ``start`` (``start`` itself never counts).

    With ``days == 0`` the result is ``start`` if it is a working day, else the next one.
    """
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    if days == 0:
        while not is_working_day(current, state):
            current += timedelta(days=1)
        return current
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_working_day(current, state):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, state: str) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is earlier)."""
    if end < start:
        return -working_days_between(end, start, state)
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current, state):
            count += 1
    return count


def is_public_holiday(day: date, state: str) -> bool:
    return day in _holidays(state, day.year)
