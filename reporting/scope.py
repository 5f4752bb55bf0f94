"""What an indicator is computed over: a period and filters, checked at the boundary."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Scope:
    network: object
    start: date
    end: date  # inclusive
    # An agreement's parties: only referrals and conferences between two of them count.
    parties: frozenset[int] | None = None
    # One organisation: referrals it sent or received, conferences it organised or attended.
    organisation_id: int | None = None
    track: str = ""
    municipality_id: int | None = None
    today: date = field(default_factory=timezone.localdate)

    @property
    def start_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.start, time.min))

    @property
    def end_before(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.end + timedelta(days=1), time.min))

    @property
    def months(self) -> float:
        """The length in calendar months, for scaling a count target: each month counts with
        the share of its days inside the scope (a year is 12.0, a February 1.0)."""
        total = 0.0
        for month in month_starts(self.start, self.end):
            following = (month + timedelta(days=32)).replace(day=1)
            first, last = max(month, self.start), min(following - timedelta(days=1), self.end)
            total += ((last - first).days + 1) / (following - month).days
        return round(total, 1)

    def with_period(self, start: date, end: date) -> Scope:
        return replace(self, start=start, end=end)


def checked_scope(network, start: date, end: date, *, today: date | None = None, **filters):
    """A scope for ``start``–``end``; refuses a period in the future or the wrong way round and
    ends a period that runs into the future today (the report shows "bis heute")."""
    today = today or timezone.localdate()
    if end < start:
        raise ValidationError({"end": _("Das Ende des Zeitraums liegt vor seinem Beginn.")})
    if start > today:
        raise ValidationError(
            {"start": _("Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine Zahlen.")}
        )
    return Scope(network=network, start=start, end=min(end, today), today=today, **filters)


def month_starts(start: date, end: date) -> list[date]:
    months, current = [], start.replace(day=1)
    while current <= end:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months
