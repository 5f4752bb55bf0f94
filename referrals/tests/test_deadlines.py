"""Deadlines in working days: the day of sending does not count (§ 26 SGB X with § 187 BGB),
weekends and the network's state holidays are skipped, each track has its default and a network
may set its own.

Every expected date below is worked out by hand from the calendar; the comments show how.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import holidays
import pytest
from django.db import IntegrityError, transaction

from core import workdays
from core.choices import FederalState
from core.factories import NetworkFactory
from core.permissions import actor_for
from referrals import services
from referrals.choices import DEFAULT_DEADLINES, Status, Track
from referrals.factories import ReferralFactory, consent_for, send_referral_about
from referrals.models import TrackDeadline, deadlines_for
from referrals.services import compute_deadlines

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
UTC = ZoneInfo("UTC")


def at(day: date, hour=10, minute=0, tz=BERLIN) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=tz)


@pytest.fixture
def hessen():
    return NetworkFactory(name="Kreis Darmstadt-Dieburg", federal_state=FederalState.HE)


@pytest.fixture
def niedersachsen():
    return NetworkFactory(name="Region Hannover", federal_state=FederalState.NI)


@pytest.fixture
def bayern():
    return NetworkFactory(name="Landkreis Bamberg", federal_state=FederalState.BY)


def response_due(network, track, sent_at):
    return compute_deadlines(network, track, sent_at)[0]


# --- the calendar itself (checked, so the expectations below rest on facts) ------------------


def test_the_calendar_the_expectations_rely_on():
    hessen_2026 = holidays.Germany(subdiv="HE", years=2026)
    niedersachsen_2026 = holidays.Germany(subdiv="NI", years=2026)
    # Christmas Eve is no public holiday (offices close by custom, not by law).
    assert date(2026, 12, 24) not in hessen_2026
    assert {date(2026, 12, 25), date(2026, 12, 26)} <= set(hessen_2026)
    # Fronleichnam (Corpus Christi) 2026 is Thursday 4 June: a holiday in Hessen, not in NI.
    assert date(2026, 6, 4) in hessen_2026
    assert date(2026, 6, 4) not in niedersachsen_2026
    assert date(2026, 6, 4).weekday() == 3


# --- the day of sending does not count -------------------------------------------------------


def test_the_day_of_sending_does_not_count(hessen):
    # Monday 2 March 2026, two working days: Tuesday 3 (1), Wednesday 4 (2).
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 3, 2))) == date(2026, 3, 4)


def test_a_referral_sent_late_in_the_evening_counts_from_the_next_day(hessen):
    # Monday 23:59 is still Monday; Tuesday 00:30 in Berlin is 23:30 UTC on Monday.
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 3, 2), 23, 59)) == date(
        2026, 3, 4
    )
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 3, 2), 23, 30, tz=UTC)) == date(
        2026, 3, 5
    )


def test_weekends_are_skipped(hessen):
    # Thursday 5 March: Friday 6 (1), Saturday and Sunday skipped, Monday 9 (2).
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 3, 5))) == date(2026, 3, 9)


def test_a_referral_sent_on_a_weekend_counts_from_monday(hessen):
    # Saturday 7 March: Monday 9 (1), Tuesday 10 (2).
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 3, 7))) == date(2026, 3, 10)


# --- holidays of the network's state -----------------------------------------------------------


def test_christmas_is_skipped(hessen):
    # Wednesday 23 December 2026: Thursday 24 is a working day (1); Friday 25 and Saturday 26
    # are holidays, Sunday 27 a Sunday; Monday 28 (2).
    assert response_due(hessen, Track.HOUSING_LOSS, at(date(2026, 12, 23))) == date(2026, 12, 28)


def test_the_count_runs_over_new_year_with_the_states_holidays(hessen, bayern):
    # Ten working days from Wednesday 23 December 2026 in Hessen: 24, 28, 29, 30, 31 (5),
    # 1 January is a holiday, 4, 5, 6, 7, 8 January 2027 (10).
    sent = at(date(2026, 12, 23))
    assert response_due(hessen, Track.STANDARD, sent) == date(2027, 1, 8)
    # Bavaria also keeps Epiphany (6 January): one day later, Monday 11 January.
    assert response_due(bayern, Track.STANDARD, sent) == date(2027, 1, 11)


def test_fronleichnam_counts_in_hessen_and_not_in_niedersachsen(hessen, niedersachsen):
    sent = at(date(2026, 6, 3))  # Wednesday
    # Hessen: Thursday 4 is Fronleichnam, Friday 5 (1), Monday 8 (2).
    assert response_due(hessen, Track.HOUSING_LOSS, sent) == date(2026, 6, 8)
    # Niedersachsen: Thursday 4 (1), Friday 5 (2).
    assert response_due(niedersachsen, Track.HOUSING_LOSS, sent) == date(2026, 6, 5)


def test_the_completion_target_skips_easter(hessen):
    # Forty working days from Monday 2 March 2026 would be Monday 27 April without holidays;
    # Good Friday (3 April) and Easter Monday (6 April) push it to Wednesday 29 April.
    assert compute_deadlines(hessen, Track.STANDARD, at(date(2026, 3, 2)))[1] == date(2026, 4, 29)


# --- defaults per track and the network's own -----------------------------------------------


@pytest.mark.parametrize(
    ("track", "response", "completion"),
    [
        # From Monday 2 March 2026 (no holiday until Good Friday, 3 April).
        (Track.STANDARD, date(2026, 3, 16), date(2026, 4, 29)),  # 10 / 40 working days
        (Track.HOUSING_LOSS, date(2026, 3, 4), date(2026, 3, 16)),  # 2 / 10
        (Track.SCHOOL_TO_WORK, date(2026, 3, 9), date(2026, 3, 30)),  # 5 / 20
        (Track.BENEFIT_PAYMENT, date(2026, 3, 4), date(2026, 3, 9)),  # 2 / 5
    ],
)
def test_each_track_has_its_default_deadlines(hessen, track, response, completion):
    assert compute_deadlines(hessen, track, at(date(2026, 3, 2))) == (response, completion)


def test_the_defaults_are_those_of_the_issue():
    assert {track: days[0] for track, days in DEFAULT_DEADLINES.items()} == {
        Track.STANDARD: 10,
        Track.HOUSING_LOSS: 2,
        Track.SCHOOL_TO_WORK: 5,
        Track.BENEFIT_PAYMENT: 2,
    }
    assert set(DEFAULT_DEADLINES) == set(Track)


def test_a_networks_own_deadline_overrides_the_default(hessen, niedersachsen):
    TrackDeadline.objects.create(
        network=hessen, track=Track.STANDARD, response_days=3, completion_days=15
    )
    sent = at(date(2026, 3, 2))
    # Monday + 3 working days = Thursday 5; + 15 = Monday 23 March.
    assert compute_deadlines(hessen, Track.STANDARD, sent) == (date(2026, 3, 5), date(2026, 3, 23))
    # Other tracks and other networks keep the defaults.
    assert deadlines_for(hessen, Track.HOUSING_LOSS) == (2, 10)
    assert deadlines_for(niedersachsen, Track.STANDARD) == (10, 40)


def test_a_network_sets_each_track_once_and_completion_not_before_response(hessen):
    TrackDeadline.objects.create(
        network=hessen, track=Track.STANDARD, response_days=3, completion_days=15
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackDeadline.objects.create(
            network=hessen, track=Track.STANDARD, response_days=4, completion_days=15
        )


def test_the_completion_target_may_not_come_before_the_answer(hessen):
    with pytest.raises(IntegrityError), transaction.atomic():
        TrackDeadline.objects.create(
            network=hessen, track=Track.STANDARD, response_days=5, completion_days=4
        )


# --- the deadlines on a sent referral --------------------------------------------------------


def test_sending_sets_the_deadlines_of_the_track_in_the_network(
    anna, social_office, case_worker, network
):
    TrackDeadline.objects.create(
        network=network, track=Track.HOUSING_LOSS, response_days=1, completion_days=4
    )
    referral = send_referral_about(anna, social_office, user=case_worker, track=Track.HOUSING_LOSS)
    sent_on = referral.sent_at.astimezone(BERLIN).date()
    assert referral.response_due == workdays.add_working_days(sent_on, 1, network.federal_state)
    assert referral.completion_due == workdays.add_working_days(sent_on, 4, network.federal_state)
    assert referral.response_due > sent_on


def test_a_draft_has_no_deadline_until_it_is_sent(anna, social_office, case_worker):
    consent_for(anna, social_office)
    draft = services.create_referral(
        actor=actor_for(case_worker),
        person=anna,
        recipient=social_office,
        reason="Räumungsklage",
        categories=["master_data"],
        send=False,
    )
    assert (draft.response_due, draft.completion_due) == (None, None)
    assert draft.due_date() is None


def test_the_running_deadline_follows_the_status(network):
    referral = ReferralFactory.build(
        network=network, response_due=date(2026, 3, 4), completion_due=date(2026, 3, 16)
    )
    for status, due in [
        (Status.DRAFT, None),
        (Status.SENT, date(2026, 3, 4)),
        (Status.RECEIVED, date(2026, 3, 4)),
        (Status.ACCEPTED, date(2026, 3, 16)),
        (Status.IN_PROGRESS, date(2026, 3, 16)),
        (Status.DECLINED, None),
        (Status.FORWARDED, None),
        (Status.COMPLETED, None),
        (Status.WITHDRAWN, None),
    ]:
        referral.status = status
        assert referral.due_date() == due, status
    referral.status = Status.SENT
    # Due on the 4th: still in time that day, overdue the day after.
    assert not referral.is_overdue(date(2026, 3, 4))
    assert referral.is_overdue(date(2026, 3, 5))


# --- core.workdays edges ------------------------------------------------------------------------


def test_zero_working_days_is_the_next_working_day_or_the_same():
    assert workdays.add_working_days(date(2026, 3, 2), 0, "HE") == date(2026, 3, 2)
    assert workdays.add_working_days(date(2026, 12, 25), 0, "HE") == date(2026, 12, 28)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        workdays.add_working_days(date(2026, 3, 2), -1, "HE")


def test_working_days_between_count_after_the_start_up_to_the_end():
    # From Wednesday 23 December to Monday 28 December 2026: 24 and 28 are working days.
    assert workdays.working_days_between(date(2026, 12, 23), date(2026, 12, 28), "HE") == 2
    assert workdays.working_days_between(date(2026, 12, 28), date(2026, 12, 23), "HE") == -2
    assert workdays.working_days_between(date(2026, 3, 6), date(2026, 3, 8), "HE") == 0
