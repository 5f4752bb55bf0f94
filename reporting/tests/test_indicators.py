"""Every indicator of the registry on hand-built rows, with the figures counted by hand; the
working days behind the medians in the network's holiday calendar; the checked scope; and the
promise that an indicator costs one query however many rows it counts."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conferences.choices import ActionStatus
from conferences.choices import Status as ConferenceStatus
from core.choices import FederalState
from core.factories import MunicipalityFactory, NetworkFactory, OrganisationFactory
from referrals.choices import Kind, Outcome, Status, Track
from referrals.services import record_workdays
from reporting.indicators import REGISTRY, Result, percentile
from reporting.scope import Scope, checked_scope
from reporting.tests.conftest import action, at, conference, referral

pytestmark = pytest.mark.django_db


def value(key, scope):
    return REGISTRY[key].compute(scope).value


# --- referrals: which rows count --------------------------------------------------------------


def test_referrals_counts_the_sent_referrals_between_the_parties_in_the_period(
    march, network, other_network, jobcenter, youth_office, partner, outsider_org
):
    jc, ja = jobcenter, youth_office
    referral(jc, ja, date(2026, 3, 2))  # 1
    referral(ja, jc, date(2026, 3, 10))  # 2: the other direction counts too
    last = referral(jc, ja, date(2026, 3, 31))  # 3
    last.sent_at = at(date(2026, 3, 31), 23, 30)  # late on the last day: still March
    last.save()
    # Not counted:
    first_of_april = referral(jc, ja, date(2026, 4, 1))
    first_of_april.sent_at = at(date(2026, 4, 1), 0, 30)  # 22:30 UTC on 31 March, April here
    first_of_april.save()
    referral(jc, ja, date(2026, 2, 28))  # before the period
    referral(jc, ja, None, status=Status.DRAFT)  # never sent
    referral(jc, ja, date(2026, 3, 5), kind=Kind.POINTER)  # a pointer, not a referral
    referral(jc, partner, date(2026, 3, 5))  # the partner is no party
    referral(partner, ja, date(2026, 3, 6))
    referral(outsider_org, OrganisationFactory(network=other_network), date(2026, 3, 5))

    result = REGISTRY["referrals"].compute(march())

    assert result == Result(Decimal(3), 3)
    # The whole network (no parties): 3 + Jobcenter→Stadtteilzentrum + Stadtteilzentrum→JA.
    assert value("referrals", march(parties=None)) == 5


def test_referrals_of_one_organisation_are_those_it_sent_or_received(
    march, jobcenter, youth_office, partner
):
    referral(jobcenter, partner, date(2026, 3, 2))
    referral(partner, youth_office, date(2026, 3, 3))
    referral(jobcenter, youth_office, date(2026, 3, 4))

    assert value("referrals", march(parties=None, organisation_id=partner.pk)) == 2
    assert value("referrals", march(parties=None, organisation_id=youth_office.pk)) == 2


def test_referrals_filtered_by_track(march, jobcenter, youth_office):
    referral(jobcenter, youth_office, date(2026, 3, 2), track=Track.HOUSING_LOSS)
    referral(jobcenter, youth_office, date(2026, 3, 3))
    referral(jobcenter, youth_office, date(2026, 3, 4))

    assert value("referrals", march(track=Track.HOUSING_LOSS)) == 1
    assert value("referrals", march(track=Track.STANDARD)) == 2


def test_referrals_filtered_by_municipality(march, network, jobcenter, youth_office):
    dieburg = jobcenter.municipality
    elsewhere = MunicipalityFactory(network=network, name="Groß-Umstadt")
    referral(jobcenter, youth_office, date(2026, 3, 2), municipality=dieburg)
    referral(jobcenter, youth_office, date(2026, 3, 3), municipality=dieburg)
    referral(jobcenter, youth_office, date(2026, 3, 4), municipality=elsewhere)
    referral(jobcenter, youth_office, date(2026, 3, 5))  # no municipality known

    assert value("referrals", march(municipality_id=dieburg.pk)) == 2
    assert value("referrals", march(municipality_id=elsewhere.pk)) == 1
    assert value("referrals", march()) == 4


def test_an_empty_scope_counts_zero(march):
    assert REGISTRY["referrals"].compute(march()) == Result(Decimal(0), 0)


# --- answered in time ---------------------------------------------------------------------------


def test_answered_in_time_counts_the_due_date_and_not_the_day_after(march, jobcenter, youth_office):
    # All sent Monday 2 March, due Monday 16 March.
    due = date(2026, 3, 16)
    sent = date(2026, 3, 2)
    referral(jobcenter, youth_office, sent, response_due=due, responded_at=at(due, 16))  # yes
    referral(  # a day late
        jobcenter, youth_office, sent, response_due=due, responded_at=at(date(2026, 3, 17), 9)
    )
    referral(  # 00:30 in Berlin is 23:30 UTC on the due date – still a day late here
        jobcenter,
        youth_office,
        sent,
        response_due=due,
        responded_at=at(date(2026, 3, 17), 0, 30),
    )
    referral(jobcenter, youth_office, sent, response_due=due)  # unanswered, overdue: late

    result = REGISTRY["answered_in_time"].compute(march())

    # 1 in time of 4 decided = 25.0 %.
    assert result == Result(Decimal("25.0"), 4, 1, 4)


def test_an_unanswered_referral_counts_only_once_its_deadline_has_passed(
    march, jobcenter, youth_office
):
    sent = date(2026, 3, 2)
    referral(  # answered in time
        jobcenter,
        youth_office,
        sent,
        response_due=date(2026, 3, 16),
        responded_at=at(date(2026, 3, 5)),
    )
    referral(jobcenter, youth_office, sent, response_due=date(2026, 3, 16))  # due "today"
    referral(jobcenter, youth_office, sent, response_due=date(2026, 3, 10))  # overdue

    # On 16 March the second may still be answered today: 1 in time of 2 decided.
    on_due_date = REGISTRY["answered_in_time"].compute(march(today=date(2026, 3, 16)))
    # From 17 March it is late: 1 of 3.
    day_after = REGISTRY["answered_in_time"].compute(march(today=date(2026, 3, 17)))

    assert on_due_date == Result(Decimal("50.0"), 2, 1, 2)
    assert day_after == Result(Decimal("33.3"), 3, 1, 3)


def test_answered_in_time_has_no_value_when_nothing_is_decided(march, jobcenter, youth_office):
    referral(jobcenter, youth_office, date(2026, 3, 2), response_due=date(2026, 3, 16))

    result = REGISTRY["answered_in_time"].compute(march(today=date(2026, 3, 10)))

    assert result.value is None
    assert result.n == 0


# --- working days: medians and 90 % -------------------------------------------------------------


def with_workdays(jc, ja, response=(), completion=()):
    for days in response:
        referral(jc, ja, date(2026, 3, 2), response_workdays=days)
    for days in completion:
        referral(jc, ja, date(2026, 3, 2), completion_workdays=days, status=Status.COMPLETED)


def test_response_median_of_an_odd_count_is_the_middle_value(march, jobcenter, youth_office):
    # 1, 2, 9 → the middle one, 2; a referral without an answer has no value and no weight.
    with_workdays(jobcenter, youth_office, response=(9, 1, 2))
    referral(jobcenter, youth_office, date(2026, 3, 3))

    assert REGISTRY["response_days_median"].compute(march()) == Result(Decimal("2.0"), 3)


def test_response_median_of_an_even_count_is_the_mean_of_the_middle_two(
    march, jobcenter, youth_office
):
    # 1, 2, 4, 9 → (2 + 4) / 2 = 3.0; 1, 2, 2, 9 → 2.0 (a repeated value counts twice).
    with_workdays(jobcenter, youth_office, response=(1, 2, 4, 9))

    assert REGISTRY["response_days_median"].compute(march()) == Result(Decimal("3.0"), 4)


def test_a_median_between_two_values_keeps_the_half(march, jobcenter, youth_office):
    # 2 and 3 → 2.5.
    with_workdays(jobcenter, youth_office, response=(2, 3))

    assert value("response_days_median", march()) == Decimal("2.5")


def test_response_p90_is_the_nearest_rank(march, jobcenter, youth_office):
    # Ten values 1..10: rank ⌈0.9 · 10⌉ = 9 → 9. One more (11): rank ⌈9.9⌉ = 10 → 10.
    with_workdays(jobcenter, youth_office, response=range(1, 11))
    assert REGISTRY["response_days_p90"].compute(march()) == Result(Decimal("9.0"), 10)

    with_workdays(jobcenter, youth_office, response=(11,))
    assert REGISTRY["response_days_p90"].compute(march()) == Result(Decimal("10.0"), 11)


def test_completion_median_and_p90(march, jobcenter, youth_office):
    # 5, 8, 20, 30: median (8 + 20) / 2 = 14.0; p90 rank ⌈3.6⌉ = 4 → 30.
    with_workdays(jobcenter, youth_office, completion=(30, 5, 20, 8))

    assert REGISTRY["completion_days_median"].compute(march()) == Result(Decimal("14.0"), 4)
    assert REGISTRY["completion_days_p90"].compute(march()) == Result(Decimal("30.0"), 4)


def test_percentiles_without_values_have_no_value(march, jobcenter, youth_office):
    referral(jobcenter, youth_office, date(2026, 3, 2))

    for key in ("response_days_median", "response_days_p90", "completion_days_median"):
        assert REGISTRY[key].compute(march()) == Result(None, 0)


@pytest.mark.parametrize(
    ("histogram", "q", "expected"),
    [
        ({7: 1}, 0.5, Decimal("7.0")),
        ({1: 1, 4: 1}, 0.5, Decimal("2.5")),
        # 1, 1, 1, 10: middle two are 1 and 1.
        ({1: 3, 10: 1}, 0.5, Decimal("1.0")),
        # 20 values, 18 of them 2 and two 50: rank 18 is still 2.
        ({2: 18, 50: 2}, 0.9, Decimal("2.0")),
        # 20 values, 17 of them 2: rank 18 is 50.
        ({2: 17, 50: 3}, 0.9, Decimal("50.0")),
        ({}, 0.5, None),
    ],
)
def test_percentile_on_a_histogram(histogram, q, expected):
    assert percentile(histogram, q) == expected


# --- working days in the network's calendar -------------------------------------------------------


def responded(network, sent_on, answered_on, closed_on=None):
    sender = OrganisationFactory(network=network, jobcenter=True)
    recipient = OrganisationFactory(network=network, youth_office=True)
    row = referral(
        sender,
        recipient,
        sent_on,
        responded_at=at(answered_on, 11),
        status=Status.COMPLETED if closed_on else Status.ACCEPTED,
        closed_at=at(closed_on, 15) if closed_on else None,
    )
    record_workdays(row)
    row.save()
    return row


@pytest.fixture
def lower_saxony():
    return NetworkFactory(name="Region Hannover", federal_state=FederalState.NI)


@pytest.mark.parametrize("state", ["network", "lower_saxony"])
def test_easter_holidays_count_in_every_state(state, request):
    # Thursday 2 April 2026 → Tuesday 7 April: Good Friday (3), Saturday, Sunday, Easter Monday
    # (6) are no working days; Tuesday is the first: 1 working day, in Hessen as in NI.
    row = responded(request.getfixturevalue(state), date(2026, 4, 2), date(2026, 4, 7))

    assert row.response_workdays == 1


def test_corpus_christi_counts_in_hessen_but_not_in_lower_saxony(network, lower_saxony):
    # Wednesday 3 June 2026 → answered Friday 5 June, completed Monday 8 June.
    # Hessen: Thursday 4 June is Fronleichnam → answer 1 (Fri), completion 2 (Fri, Mon).
    # Niedersachsen: a working day → answer 2 (Thu, Fri), completion 3 (Thu, Fri, Mon).
    hessen = responded(network, date(2026, 6, 3), date(2026, 6, 5), date(2026, 6, 8))
    lower = responded(lower_saxony, date(2026, 6, 3), date(2026, 6, 5), date(2026, 6, 8))

    assert (hessen.response_workdays, hessen.completion_workdays) == (1, 2)
    assert (lower.response_workdays, lower.completion_workdays) == (2, 3)


def test_the_median_follows_the_networks_holidays(network, lower_saxony):
    """The same three referrals in both states, the medians of working days differ."""
    # Hessen: Easter 1, Fronleichnam 1, Mon 8 → Thu 11 June 3 → 1, 1, 3 → median 1.
    # Niedersachsen: 1, 2, 3 → median 2.
    medians = {}
    for each in (network, lower_saxony):
        responded(each, date(2026, 4, 2), date(2026, 4, 7))
        responded(each, date(2026, 6, 3), date(2026, 6, 5))
        responded(each, date(2026, 6, 8), date(2026, 6, 11))
        scope = Scope(
            network=each, start=date(2026, 4, 1), end=date(2026, 6, 30), today=date(2026, 11, 1)
        )
        medians[each.federal_state] = value("response_days_median", scope)

    assert medians == {"HE": Decimal("1.0"), "NI": Decimal("2.0")}


# --- acceptance, completion, help ---------------------------------------------------------------


def test_acceptance_rate_counts_declined_referrals_in_the_denominator(
    march, jobcenter, youth_office
):
    # Accepted: 2 (one completed since). Declined: 1. Still open: 1 (not decided, left out).
    # 2 of 3 = 66.7 %.
    jc, ja = jobcenter, youth_office
    referral(jc, ja, date(2026, 3, 2), accepted=True, status=Status.COMPLETED)
    referral(jc, ja, date(2026, 3, 3), accepted=True, status=Status.IN_PROGRESS)
    referral(jc, ja, date(2026, 3, 4), status=Status.DECLINED)
    referral(jc, ja, date(2026, 3, 5), status=Status.RECEIVED)

    assert REGISTRY["acceptance_rate"].compute(march()) == Result(Decimal("66.7"), 3, 2, 3)


def test_completion_rate_among_accepted_and_closed(march, jobcenter, youth_office):
    # Accepted and completed: 1; accepted and withdrawn: 1; accepted, still running: not
    # closed, left out; declined: never accepted, left out. 1 of 2 = 50.0 %.
    jc, ja = jobcenter, youth_office
    referral(jc, ja, date(2026, 3, 2), accepted=True, status=Status.COMPLETED)
    referral(jc, ja, date(2026, 3, 3), accepted=True, status=Status.WITHDRAWN)
    referral(jc, ja, date(2026, 3, 4), accepted=True, status=Status.IN_PROGRESS)
    referral(jc, ja, date(2026, 3, 5), status=Status.DECLINED)

    assert REGISTRY["completion_rate"].compute(march()) == Result(Decimal("50.0"), 2, 1, 2)


def test_helped_share_among_completed_referrals(march, jobcenter, youth_office):
    # Completed: help given, partly, client did not come → 2 of 3 = 66.7 %. A declined
    # referral with an outcome is not completed and left out.
    jc, ja = jobcenter, youth_office
    for outcome in (Outcome.HELP_GIVEN, Outcome.PARTLY, Outcome.CLIENT_DID_NOT_COME):
        referral(jc, ja, date(2026, 3, 2), status=Status.COMPLETED, outcome=outcome)
    referral(jc, ja, date(2026, 3, 3), status=Status.DECLINED, outcome=Outcome.NOT_RESPONSIBLE)

    assert REGISTRY["helped_share"].compute(march()) == Result(Decimal("66.7"), 3, 2, 3)


def test_pointers_are_counted_apart_from_referrals(march, jobcenter, youth_office, partner):
    referral(jobcenter, youth_office, date(2026, 3, 2), kind=Kind.POINTER)
    referral(youth_office, jobcenter, date(2026, 3, 9), kind=Kind.POINTER)
    referral(jobcenter, partner, date(2026, 3, 9), kind=Kind.POINTER)  # no party
    referral(jobcenter, youth_office, date(2026, 3, 2))  # a referral

    assert REGISTRY["pointers"].compute(march()) == Result(Decimal(2), 2)
    assert value("referrals", march()) == 1


# --- conferences and their actions --------------------------------------------------------------


@pytest.fixture
def conferences_in_march(jobcenter, youth_office, partner):
    """Between the parties: held (2), cancelled (1), planned but never minuted (1).
    Not between the parties: organised by the partner, or with the partner as only guest;
    and a held one in April."""
    jc, ja = jobcenter, youth_office
    return {
        "held": conference(jc, [ja], date(2026, 3, 10)),
        "held_by_ja": conference(ja, [jc, partner], date(2026, 3, 12)),
        "cancelled": conference(jc, [ja], date(2026, 3, 17), ConferenceStatus.CANCELLED),
        "planned": conference(jc, [ja], date(2026, 3, 24), ConferenceStatus.PLANNED),
        "by_partner": conference(partner, [jc, ja], date(2026, 3, 11)),
        "jc_partner": conference(jc, [partner], date(2026, 3, 11)),
        "april": conference(jc, [ja], date(2026, 4, 2)),
    }


def test_conferences_held_between_the_parties(march, conferences_in_march):
    assert REGISTRY["conferences_held"].compute(march()) == Result(Decimal(2), 2)
    # The whole network: the two held between parties, by the partner, Jobcenter–partner.
    assert value("conferences_held", march(parties=None)) == 4


def test_conferences_held_of_one_organisation(march, conferences_in_march, partner):
    # The partner organised one and was invited to two, all held: 3.
    assert value("conferences_held", march(parties=None, organisation_id=partner.pk)) == 3


def test_conferences_held_share_counts_cancelled_and_unminuted_as_planned(
    march, conferences_in_march
):
    # Held 2 of 4 past appointments between the parties = 50.0 %.
    assert REGISTRY["conferences_held_share"].compute(march()) == Result(Decimal("50.0"), 4, 2, 4)


def test_a_conference_still_ahead_is_not_yet_in_the_share(march, conferences_in_march):
    # Seen on 20 March: the appointment of 24 March is still ahead → 2 of 3 = 66.7 %.
    result = REGISTRY["conferences_held_share"].compute(march(today=date(2026, 3, 20)))

    assert result == Result(Decimal("66.7"), 3, 2, 3)


def test_actions_on_time(march, conferences_in_march, jobcenter, youth_office, partner):
    # Due Friday 20 March. Done that day: on time. Done a day later: late. Still open after
    # the due date: late. Dropped: not counted. 1 of 3 = 33.3 %.
    held = conferences_in_march["held"]
    due = date(2026, 3, 20)
    action(held, youth_office, due, ActionStatus.DONE, done_at=at(due, 17))
    action(held, jobcenter, due, ActionStatus.DONE, done_at=at(date(2026, 3, 21), 9))
    action(held, youth_office, due, ActionStatus.OPEN)
    action(held, jobcenter, due, ActionStatus.DROPPED)
    # Agreed in a conference without a second party: not the agreement's business.
    action(conferences_in_march["by_partner"], jobcenter, due, ActionStatus.OPEN)
    # Due in April: another period.
    action(held, jobcenter, date(2026, 4, 3), ActionStatus.OPEN)

    assert REGISTRY["actions_on_time"].compute(march()) == Result(Decimal("33.3"), 3, 1, 3)


def test_actions_of_one_organisation_are_those_it_owns(
    march, conferences_in_march, jobcenter, youth_office
):
    held = conferences_in_march["held"]
    due = date(2026, 3, 20)
    action(held, youth_office, due, ActionStatus.DONE, done_at=at(due, 17))
    action(held, jobcenter, due, ActionStatus.OPEN)

    result = REGISTRY["actions_on_time"].compute(march(organisation_id=youth_office.pk))

    assert result == Result(Decimal("100.0"), 1, 1, 1)


def test_every_indicator_is_covered_here():
    """A new indicator needs its hand-counted test in this module."""
    assert set(REGISTRY) == {
        "referrals",
        "answered_in_time",
        "response_days_median",
        "response_days_p90",
        "completion_days_median",
        "completion_days_p90",
        "acceptance_rate",
        "completion_rate",
        "helped_share",
        "pointers",
        "conferences_held",
        "conferences_held_share",
        "actions_on_time",
    }


# --- per month ----------------------------------------------------------------------------------


def test_monthly_has_one_entry_per_month_including_empty_ones(march, jobcenter, youth_office):
    # January: 1 (answered in 4 days, in time); February: none; March: 2 (2 and 6 days).
    jc, ja = jobcenter, youth_office
    referral(jc, ja, date(2026, 1, 12), response_workdays=4, responded_at=at(date(2026, 1, 16)))
    referral(jc, ja, date(2026, 3, 2), response_workdays=2, responded_at=at(date(2026, 3, 4)))
    referral(jc, ja, date(2026, 3, 3), response_workdays=6, responded_at=at(date(2026, 3, 11)))
    quarter = march(start=date(2026, 1, 1))

    counts = REGISTRY["referrals"].monthly(quarter)
    medians = REGISTRY["response_days_median"].monthly(quarter)
    in_time = REGISTRY["answered_in_time"].monthly(quarter)

    assert counts == [
        (date(2026, 1, 1), Result(Decimal(1), 1)),
        (date(2026, 2, 1), Result(Decimal(0), 0)),
        (date(2026, 3, 1), Result(Decimal(2), 2)),
    ]
    assert medians == [
        (date(2026, 1, 1), Result(Decimal("4.0"), 1)),
        (date(2026, 2, 1), Result(None, 0)),
        (date(2026, 3, 1), Result(Decimal("4.0"), 2)),
    ]
    assert [(month, result.value) for month, result in in_time] == [
        (date(2026, 1, 1), Decimal("100.0")),
        (date(2026, 2, 1), None),
        (date(2026, 3, 1), Decimal("100.0")),
    ]


def test_monthly_puts_a_late_evening_into_its_berlin_month(march, jobcenter, youth_office):
    # 31 January 23:30 in Berlin is 22:30 UTC: January here, whatever the database's zone.
    row = referral(jobcenter, youth_office, date(2026, 1, 31))
    row.sent_at = at(date(2026, 1, 31), 23, 30)
    row.save()

    counts = REGISTRY["referrals"].monthly(march(start=date(2026, 1, 1), end=date(2026, 2, 28)))

    assert [(month, result.value) for month, result in counts] == [
        (date(2026, 1, 1), 1),
        (date(2026, 2, 1), 0),
    ]


# --- the checked scope --------------------------------------------------------------------------


def test_checked_scope_refuses_a_start_in_the_future(network):
    with pytest.raises(ValidationError) as caught:
        checked_scope(network, date(2026, 12, 1), date(2026, 12, 31), today=date(2026, 11, 25))

    assert caught.value.message_dict == {
        "start": ["Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine Zahlen."]
    }


def test_checked_scope_refuses_an_end_before_the_start(network):
    with pytest.raises(ValidationError) as caught:
        checked_scope(network, date(2026, 3, 31), date(2026, 3, 1), today=date(2026, 11, 25))

    assert caught.value.message_dict == {"end": ["Das Ende des Zeitraums liegt vor seinem Beginn."]}


def test_checked_scope_ends_a_running_period_today(network, jobcenter):
    scope = checked_scope(
        network,
        date(2026, 11, 1),
        date(2026, 12, 31),
        today=date(2026, 11, 25),
        organisation_id=jobcenter.pk,
    )

    assert (scope.start, scope.end, scope.today) == (
        date(2026, 11, 1),
        date(2026, 11, 25),
        date(2026, 11, 25),
    )
    assert scope.organisation_id == jobcenter.pk


def test_checked_scope_accepts_a_period_of_one_day_today(network):
    scope = checked_scope(network, date(2026, 11, 25), date(2026, 11, 25), today=date(2026, 11, 25))

    assert (scope.start, scope.end) == (date(2026, 11, 25), date(2026, 11, 25))


# --- one query per indicator --------------------------------------------------------------------


def queries_per_indicator(scope) -> dict[str, int]:
    counts = {}
    for key, indicator in REGISTRY.items():
        with CaptureQueriesContext(connection) as captured:
            indicator.compute(scope)
        counts[key] = len(captured.captured_queries)
    return counts


def test_each_indicator_costs_one_query_however_many_rows(
    march, conferences_in_march, jobcenter, youth_office
):
    """Aggregated in the database: 20 referrals cost what 2 cost."""
    held = conferences_in_march["held"]

    def add(n):
        for i in range(n):
            referral(
                jobcenter,
                youth_office,
                date(2026, 3, 2 + i % 20),
                accepted=True,
                status=Status.COMPLETED,
                outcome=Outcome.HELP_GIVEN,
                responded_at=at(date(2026, 3, 5)),
                response_workdays=1 + i % 7,
                completion_workdays=5 + i % 11,
            )
            action(held, jobcenter, date(2026, 3, 20), ActionStatus.OPEN)

    add(2)
    with_two = queries_per_indicator(march())
    add(18)
    with_twenty = queries_per_indicator(march())

    assert with_two == dict.fromkeys(REGISTRY, 1)
    assert with_twenty == with_two
