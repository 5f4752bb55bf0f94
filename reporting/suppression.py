"""Small-cell suppression: counts of 1 to 4 (and shares, medians and percentiles resting on fewer
than 5 rows) are not shown in anything that leaves the platform (PDF, XLSX, CSV, API), so that
no figure points to a single person. Zero stays zero: it reveals nobody."""

from __future__ import annotations

MIN_CELL = 5
SUPPRESSED = "< 5"


def is_small(n: int | None) -> bool:
    return n is not None and 0 < n < MIN_CELL


def cell(value, n: int | None, *, suppress: bool):
    """``value`` as it may be shown: the suppression mark instead of a small cell."""
    if suppress and is_small(n):
        return SUPPRESSED
    return value
