from datetime import date

import pytest

from core.factories import NetworkFactory
from core.workdays import add_working_days, is_working_day, working_days_between


def test_the_day_of_the_event_does_not_count():
    """Two working days from Monday 2 Nov 2026 end on Wednesday (§187(1) BGB)."""
    assert add_working_days(date(2026, 11, 2), 2, "HE") == date(2026, 11, 4)


def test_weekends_are_skipped():
    """Friday + 1 working day is Monday."""
    assert add_working_days(date(2026, 11, 6), 1, "HE") == date(2026, 11, 9)


def test_federal_holidays_are_skipped():
    """Christmas 2026: Thu 24 Dec + 1 → Mon 28 Dec (25/26 Dec are holidays, then the weekend)."""
    assert add_working_days(date(2026, 12, 24), 1, "BE") == date(2026, 12, 28)


def test_a_state_holiday_counts_only_in_its_state():
    """Buß- und Bettag (18 Nov 2026) is a holiday in Saxony only."""
    assert not is_working_day(date(2026, 11, 18), "SN")
    assert is_working_day(date(2026, 11, 18), "HE")
    assert add_working_days(date(2026, 11, 17), 1, "SN") == date(2026, 11, 19)
    assert add_working_days(date(2026, 11, 17), 1, "HE") == date(2026, 11, 18)


def test_corpus_christi_is_a_holiday_in_hesse_but_not_in_lower_saxony():
    corpus_christi = date(2026, 6, 4)
    assert not is_working_day(corpus_christi, "HE")
    assert is_working_day(corpus_christi, "NI")


def test_counting_across_new_year_uses_both_years_holidays():
    """Wed 30 Dec 2026 + 2 → Mon 4 Jan 2027 (31 Dec is a working day, 1 Jan a holiday)."""
    assert add_working_days(date(2026, 12, 30), 2, "HE") == date(2027, 1, 4)


def test_zero_days_rolls_forward_to_the_next_working_day():
    assert add_working_days(date(2026, 11, 7), 0, "HE") == date(2026, 11, 9)
    assert add_working_days(date(2026, 11, 9), 0, "HE") == date(2026, 11, 9)


def test_negative_periods_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(date(2026, 11, 9), -1, "HE")


def test_working_days_between_is_the_inverse_of_adding():
    start = date(2026, 12, 21)
    for days in range(0, 30):
        end = add_working_days(start, days, "BY")
        if days:
            assert working_days_between(start, end, "BY") == days
    assert working_days_between(date(2026, 11, 9), date(2026, 11, 6), "HE") == -1


@pytest.mark.django_db
def test_a_network_counts_with_its_own_state():
    saxony = NetworkFactory(federal_state="SN")
    hesse = NetworkFactory(federal_state="HE")
    assert saxony.add_working_days(date(2026, 11, 17), 1) == date(2026, 11, 19)
    assert hesse.add_working_days(date(2026, 11, 17), 1) == date(2026, 11, 18)
