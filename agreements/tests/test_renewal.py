"""Termination around the notice date, yearly renewal and expiry.

The agreement of every test runs 2026-01-01 to 2026-12-31, renews yearly and may be terminated
up to 3 months before the end of its term: the notice date is 2026-12-31 minus 3 months =
2026-09-30. A termination on or before that day ends it with the term (2026-12-31); a later one
lets it run one more term (to 2027-12-31). The daily task renews on the last day of a term.
"""

import io
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.utils import timezone

from agreements import services
from agreements.choices import Renewal, Status
from agreements.models import RenewalRecord
from agreements.tests.conftest import draft, in_force
from core.models import Notification
from referrals.choices import Track
from referrals.models import deadlines_for

pytestmark = pytest.mark.django_db

TERM_END = date(2026, 12, 31)


@pytest.fixture
def agreement(coordination, jobcenter, youth_office):
    return in_force(coordination, jobcenter, youth_office)


def terminate(coordination, agreement, party, on):
    return services.terminate(actor=coordination, agreement=agreement, party=party, on=on)


def reload(agreement):
    agreement.refresh_from_db()
    return agreement


# --- the notice date ----------------------------------------------------------------------------


def test_the_notice_date_is_three_months_before_the_end(agreement):
    assert agreement.notice_date == date(2026, 9, 30)


def test_a_notice_of_three_months_from_the_end_of_february(coordination, jobcenter, youth_office):
    # A term ending on 2027-02-28: 3 months earlier is 2026-11-28 (month arithmetic, not 90 days).
    short = in_force(
        coordination,
        jobcenter,
        youth_office,
        valid_from=date(2026, 3, 1),
        valid_until=date(2027, 2, 28),
    )

    assert short.notice_date == date(2026, 11, 28)


def test_termination_on_the_notice_date_ends_with_the_term(coordination, agreement, jobcenter):
    terminated = terminate(coordination, agreement, jobcenter, date(2026, 9, 30))

    assert terminated.ends_on == date(2026, 12, 31)


def test_termination_a_day_after_the_notice_date_runs_one_more_term(
    coordination, agreement, jobcenter
):
    terminated = terminate(coordination, agreement, jobcenter, date(2026, 10, 1))

    assert terminated.ends_on == date(2027, 12, 31)


def test_an_agreement_without_renewal_ends_with_its_term_whenever_terminated(
    coordination, jobcenter, youth_office
):
    # Nothing to renew: even a termination in December ends it on 2026-12-31.
    fixed = in_force(coordination, jobcenter, youth_office, renewal=Renewal.NONE)

    terminated = terminate(coordination, fixed, youth_office, date(2026, 12, 20))

    assert terminated.ends_on == date(2026, 12, 31)


# --- renewal ----------------------------------------------------------------------------------


def test_an_untouched_agreement_renews_on_the_last_day_of_its_term(
    agreement, coordinator, jobcenter_lead, youth_lead, case_worker
):
    result = services.renew_and_expire(today=TERM_END)

    assert result == {"renewed": 1, "expired": 0}
    reload(agreement)
    assert agreement.valid_until == date(2027, 12, 31)
    assert agreement.status == Status.IN_FORCE
    record = RenewalRecord.objects.get(agreement=agreement)
    assert (record.previous_until, record.new_until) == (TERM_END, date(2027, 12, 31))
    # Team leads of both parties and the network coordination; not the case worker.
    notices = Notification.objects.filter(key=f"agreement-renewed:{record.pk}")
    assert {n.user for n in notices} == {coordinator, jobcenter_lead, youth_lead}
    assert notices.first().text == (
        "„Kooperation Jobcenter – Jugendamt“ hat sich verlängert und gilt jetzt bis 31.12.2027."
    )


def test_nothing_renews_before_the_last_day(agreement):
    result = services.renew_and_expire(today=date(2026, 12, 30))

    assert result == {"renewed": 0, "expired": 0}
    assert reload(agreement).valid_until == TERM_END
    assert not RenewalRecord.objects.exists()


def test_a_second_run_the_same_day_changes_nothing_and_tells_nobody_again(
    agreement, coordinator, jobcenter_lead, youth_lead
):
    services.renew_and_expire(today=TERM_END)
    notices_after_first = Notification.objects.count()

    result = services.renew_and_expire(today=TERM_END)

    assert result == {"renewed": 0, "expired": 0}
    assert reload(agreement).valid_until == date(2027, 12, 31)
    assert RenewalRecord.objects.count() == 1
    assert notices_after_first == 3
    assert Notification.objects.count() == 3


def test_terminated_in_time_it_does_not_renew_and_then_expires(
    coordination, agreement, jobcenter, coordinator, jobcenter_lead, youth_lead
):
    terminate(coordination, agreement, jobcenter, date(2026, 9, 30))

    on_last_day = services.renew_and_expire(today=TERM_END)

    assert on_last_day == {"renewed": 0, "expired": 0}
    assert reload(agreement).status == Status.TERMINATED
    assert agreement.valid_until == TERM_END

    day_after = services.renew_and_expire(today=date(2027, 1, 1))

    assert day_after == {"renewed": 0, "expired": 1}
    reload(agreement)
    assert agreement.status == Status.EXPIRED
    assert agreement.valid_until == TERM_END
    assert not RenewalRecord.objects.exists()
    notices = Notification.objects.filter(key=f"agreement-expired:{agreement.pk}")
    assert {n.user for n in notices} == {coordinator, jobcenter_lead, youth_lead}
    assert notices.first().text == (
        "„Kooperation Jobcenter – Jugendamt“ ist am 31.12.2026 ausgelaufen."
    )


def test_terminated_late_it_renews_once_and_then_expires(coordination, agreement, youth_office):
    terminate(coordination, agreement, youth_office, date(2026, 10, 1))

    assert services.renew_and_expire(today=TERM_END) == {"renewed": 1, "expired": 0}
    reload(agreement)
    assert agreement.valid_until == date(2027, 12, 31)
    assert agreement.status == Status.TERMINATED

    # The end of the extra term: no second renewal, still applies on its last day.
    assert services.renew_and_expire(today=date(2027, 12, 31)) == {"renewed": 0, "expired": 0}
    assert reload(agreement).valid_until == date(2027, 12, 31)

    assert services.renew_and_expire(today=date(2028, 1, 1)) == {"renewed": 0, "expired": 1}
    reload(agreement)
    assert agreement.status == Status.EXPIRED
    assert agreement.valid_until == date(2027, 12, 31)
    assert RenewalRecord.objects.filter(agreement=agreement).count() == 1


def test_without_renewal_it_expires_the_day_after_its_term(coordination, jobcenter, youth_office):
    fixed = in_force(coordination, jobcenter, youth_office, renewal=Renewal.NONE)

    assert services.renew_and_expire(today=TERM_END) == {"renewed": 0, "expired": 0}
    assert reload(fixed).status == Status.IN_FORCE

    assert services.renew_and_expire(today=date(2027, 1, 1)) == {"renewed": 0, "expired": 1}
    reload(fixed)
    assert fixed.status == Status.EXPIRED
    assert fixed.valid_until == TERM_END


def test_after_two_years_without_a_run_it_catches_up(agreement):
    # Today 2028-06-15. Ends: 2026-12-31 (past, renew) → 2027-12-31 (past, renew) →
    # 2028-12-31, the first end on or after today. Two renewals, each recorded.
    result = services.renew_and_expire(today=date(2028, 6, 15))

    assert result == {"renewed": 2, "expired": 0}
    reload(agreement)
    assert agreement.valid_until == date(2028, 12, 31)
    assert agreement.status == Status.IN_FORCE
    assert list(
        RenewalRecord.objects.filter(agreement=agreement)
        .order_by("new_until")
        .values_list("previous_until", "new_until")
    ) == [
        (date(2026, 12, 31), date(2027, 12, 31)),
        (date(2027, 12, 31), date(2028, 12, 31)),
    ]


def test_catching_up_a_late_termination_renews_once_then_expires(
    coordination, agreement, jobcenter
):
    # Terminated late (ends 2027-12-31), task silent until 2028-06-15: one renewal up to
    # ends_on, then over: expired the same run.
    terminate(coordination, agreement, jobcenter, date(2026, 11, 2))

    result = services.renew_and_expire(today=date(2028, 6, 15))

    assert result == {"renewed": 1, "expired": 1}
    reload(agreement)
    assert agreement.valid_until == date(2027, 12, 31)
    assert agreement.status == Status.EXPIRED


def test_drafts_and_expired_agreements_are_left_alone(coordination, jobcenter, youth_office):
    waiting = draft(coordination, jobcenter, youth_office, title="Entwurf")

    assert services.renew_and_expire(today=date(2027, 3, 1)) == {"renewed": 0, "expired": 0}
    assert reload(waiting).status == Status.DRAFT
    assert reload(waiting).valid_until == TERM_END


def test_the_renewal_is_seen_by_deadlines_after_the_old_term(
    coordination, agreement, network, jobcenter, youth_office
):
    """After renewing, the agreement's deadlines apply in the new term as well."""
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.STANDARD,
        response_days=3,
        completion_days=15,
    )
    in_new_term = date(2027, 3, 1)
    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, in_new_term) == (10, 40)

    services.renew_and_expire(today=TERM_END)

    assert deadlines_for(network, Track.STANDARD, jobcenter, youth_office, in_new_term) == (3, 15)


# --- the periodic task ------------------------------------------------------------------------


def test_the_periodic_task_renews_on_the_real_last_day(coordination, jobcenter, youth_office):
    """Through the scheduler, on today's real date: the term ends today, so it renews now."""
    today = timezone.localdate()
    ending_today = in_force(
        coordination,
        jobcenter,
        youth_office,
        valid_from=today - timedelta(days=200),
        valid_until=today,
        signed_on=today - timedelta(days=210),
        today=today,
    )

    out = io.StringIO()

    call_command("run_periodic_tasks", "--now", stdout=out)

    assert "renew_agreements: {'renewed': 1, 'expired': 0}" in out.getvalue()
    reload(ending_today)
    assert ending_today.valid_until == today + relativedelta(years=1)
    assert ending_today.status == Status.IN_FORCE
    assert RenewalRecord.objects.filter(agreement=ending_today).count() == 1
