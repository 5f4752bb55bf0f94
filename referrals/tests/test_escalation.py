"""Escalation of overdue referrals: the recipient's team lead first, then the network
coordination; idempotent, so the hourly cron run never sends anything twice.

The referral below was due on Monday 2 March 2026 (Hessen, no holidays that week): on Tuesday
it is one working day late, on Wednesday two, on Thursday three.
"""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from core.choices import Role
from core.factories import OrganisationFactory, member
from core.models import Notification
from core.permissions import actor_for
from referrals import services
from referrals.choices import EventKind, Kind, Outcome, Status
from referrals.escalation import escalate_overdue
from referrals.factories import ReferralFactory
from referrals.models import ReferralEvent, ReferralSettings
from referrals.tasks import escalate_overdue_referrals

pytestmark = pytest.mark.django_db

DUE = date(2026, 3, 2)  # Monday
TUESDAY, WEDNESDAY, THURSDAY = date(2026, 3, 3), date(2026, 3, 4), date(2026, 3, 5)


@pytest.fixture
def overdue(jobcenter, social_office):
    return ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        status=Status.SENT,
        sent_at=timezone.now() - timedelta(days=10),
        response_due=DUE,
        completion_due=date(2026, 3, 30),
    )


@pytest.fixture
def escalate(django_capture_on_commit_callbacks):
    """Run the escalation as of ``today``; its e-mails leave after the commit."""

    def run(today):
        with django_capture_on_commit_callbacks(execute=True):
            return escalate_overdue(today=today)

    return run


def notified(user):
    return list(Notification.objects.filter(user=user).values_list("key", flat=True))


def mails_to(user):
    return [message for message in mail.outbox if message.to == [user.email]]


def escalations(referral):
    return list(
        ReferralEvent.objects.filter(referral=referral, kind=EventKind.ESCALATION).values_list(
            "note", flat=True
        )
    )


def test_a_referral_in_time_is_not_escalated(overdue, social_lead, escalate):
    assert escalate(DUE) == 0
    overdue.refresh_from_db()
    assert overdue.escalation_level == 0
    assert overdue.escalated_at is None
    assert not Notification.objects.exists()
    assert mail.outbox == []
    assert escalations(overdue) == []


def test_one_working_day_late_the_recipients_team_lead_hears_it(
    overdue, social_lead, social_worker, coordinator, escalate
):
    assert escalate(TUESDAY) == 1

    overdue.refresh_from_db()
    assert overdue.escalation_level == 1
    assert overdue.escalated_at is not None
    notice = Notification.objects.get(user=social_lead)
    assert notice.key == f"referral:{overdue.pk}:escalation:response:1"
    assert notice.organisation == overdue.recipient
    assert notice.url == overdue.get_absolute_url()
    assert notice.text == (
        f"Frist überschritten: Überleitung Ü-{overdue.pk} von Jobcenter A an "
        "Sozialamt Musterkreis ist seit 02.03.2026 unbeantwortet"
    )
    assert len(mails_to(social_lead)) == 1
    assert len(mail.outbox) == 1  # the case worker and the coordination hear nothing yet
    assert notified(social_worker) == []
    assert notified(coordinator) == []
    assert escalations(overdue) == ["Antwortfrist überschritten – Teamleitung informiert"]


def test_running_twice_sends_nothing_twice(overdue, social_lead, escalate):
    assert escalate(TUESDAY) == 1
    assert escalate(TUESDAY) == 0
    # Still level 1 the next day (two working days late is not more than two).
    assert escalate(WEDNESDAY) == 0

    assert len(notified(social_lead)) == 1
    assert len(mail.outbox) == 1
    assert len(escalations(overdue)) == 1


def test_more_than_the_configured_days_late_the_network_coordination_hears_it(
    overdue, social_lead, coordinator, escalate
):
    escalate(TUESDAY)
    assert escalate(THURSDAY) == 1

    overdue.refresh_from_db()
    assert overdue.escalation_level == 2
    notice = Notification.objects.get(user=coordinator)
    assert notice.key == f"referral:{overdue.pk}:escalation:response:2"
    assert notice.url == reverse("referrals:escalations")  # the network-wide list
    assert len(mails_to(coordinator)) == 1
    assert len(notified(social_lead)) == 1  # the team lead was told on Tuesday, not again
    assert escalations(overdue) == [
        "Antwortfrist überschritten – Teamleitung informiert",
        "Antwortfrist weiter überschritten – Netzwerkkoordination informiert",
    ]

    # The top level is reached: later runs add nothing.
    assert escalate(THURSDAY + timedelta(days=7)) == 0
    assert len(mail.outbox) == 2


def test_a_first_run_long_after_the_deadline_informs_both_levels_at_once(
    overdue, social_lead, coordinator, escalate
):
    assert escalate(THURSDAY) == 1
    overdue.refresh_from_db()
    assert overdue.escalation_level == 2
    assert len(notified(social_lead)) == 1
    assert len(notified(coordinator)) == 1
    assert len(mail.outbox) == 2
    assert len(escalations(overdue)) == 1


def test_the_network_sets_when_the_coordination_is_informed(
    overdue, social_lead, coordinator, network, escalate
):
    ReferralSettings.objects.create(network=network, second_escalation_after=0)
    assert escalate(TUESDAY) == 1
    overdue.refresh_from_db()
    assert overdue.escalation_level == 2
    assert len(notified(coordinator)) == 1


def test_only_the_coordination_of_the_referrals_network_is_informed(
    overdue, coordinator, outsider_org, escalate
):
    elsewhere = member(Role.NETWORK_COORDINATOR, outsider_org, username="koordination-b")
    escalate(THURSDAY)
    assert len(notified(coordinator)) == 1
    assert notified(elsewhere) == []


def test_without_a_team_lead_the_recipients_staff_hear_it(
    overdue, social_worker, jobcenter, case_worker, escalate
):
    escalate(TUESDAY)
    assert notified(social_worker) == [f"referral:{overdue.pk}:escalation:response:1"]
    assert notified(case_worker) == []  # the sender's staff are not the recipient's


@pytest.mark.parametrize(
    "status", [Status.DECLINED, Status.FORWARDED, Status.COMPLETED, Status.WITHDRAWN]
)
def test_a_closed_referral_is_not_escalated(overdue, social_lead, status, escalate):
    overdue.status = status
    overdue.save()
    assert escalate(THURSDAY) == 0
    assert not Notification.objects.exists()


def test_an_answered_referral_is_not_escalated(overdue, social_lead, social_worker, escalate):
    services.accept(actor=actor_for(social_worker), referral=overdue)
    assert escalate(TUESDAY) == 0
    assert not Notification.objects.filter(user=social_lead).exists()


def test_an_answer_after_the_escalation_stops_further_levels(
    overdue, social_lead, social_worker, coordinator, escalate
):
    escalate(TUESDAY)
    services.decline(actor=actor_for(social_worker), referral=overdue, reason="no_capacity")
    assert escalate(THURSDAY) == 0
    assert notified(coordinator) == []


def test_a_pointer_is_never_escalated(jobcenter, social_office, social_lead, escalate):
    ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        kind=Kind.POINTER,
        status=Status.SENT,
        response_due=DUE,
    )
    assert escalate(THURSDAY) == 0
    assert not Notification.objects.exists()


def test_an_accepted_referral_escalates_again_when_the_completion_target_passes(
    overdue, social_lead, social_worker, escalate
):
    escalate(TUESDAY)
    services.accept(actor=actor_for(social_worker), referral=overdue)
    overdue.refresh_from_db()
    assert overdue.escalation_level == 0  # the answer came; the completion target runs now

    completion_due = overdue.completion_due  # Monday 30 March
    assert escalate(completion_due) == 0
    assert escalate(completion_due + timedelta(days=1)) == 1

    assert notified(social_lead) == [
        f"referral:{overdue.pk}:escalation:completion:1",
        f"referral:{overdue.pk}:escalation:response:1",
    ]
    notice = Notification.objects.get(key__endswith="completion:1")
    assert notice.text == (
        f"Ziel überschritten: Überleitung Ü-{overdue.pk} von Jobcenter A an "
        "Sozialamt Musterkreis sollte bis 30.03.2026 erledigt sein"
    )
    assert escalations(overdue)[-1] == "Erledigungsziel überschritten – Teamleitung informiert"
    assert len(mails_to(social_lead)) == 2


def test_a_referral_in_progress_is_escalated_in_the_completion_phase(
    overdue, social_lead, social_worker, escalate
):
    handler = actor_for(social_worker)
    services.accept(actor=handler, referral=overdue)
    services.start(actor=handler, referral=overdue)
    assert escalate(date(2026, 4, 2)) == 1  # three working days after 30 March: level 2
    overdue.refresh_from_db()
    assert overdue.escalation_level == 2
    assert notified(social_lead) == [f"referral:{overdue.pk}:escalation:completion:1"]


def test_a_completed_referral_is_not_escalated_for_its_completion_target(
    overdue, social_lead, social_worker, escalate
):
    handler = actor_for(social_worker)
    services.accept(actor=handler, referral=overdue)
    services.complete(actor=handler, referral=overdue, outcome=Outcome.HELP_GIVEN)
    assert escalate(date(2026, 4, 30)) == 0
    assert not Notification.objects.exists()


def test_holidays_do_not_count_as_days_late(jobcenter, social_office, social_lead, escalate):
    # Due Wednesday 3 June 2026; Thursday 4 is Fronleichnam in Hessen. On Monday 8 the referral
    # is two working days late (Friday 5, Monday 8): the team lead, not yet the coordination.
    referral = ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        status=Status.RECEIVED,
        response_due=date(2026, 6, 3),
    )
    escalate(date(2026, 6, 8))
    referral.refresh_from_db()
    assert referral.escalation_level == 1


def test_a_weekend_after_a_friday_deadline_is_not_late(
    jobcenter, social_office, social_lead, escalate
):
    referral = ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        status=Status.RECEIVED,
        response_due=date(2026, 3, 6),  # Friday
    )
    assert escalate(date(2026, 3, 7)) == 0  # Saturday
    assert escalate(date(2026, 3, 8)) == 0  # Sunday
    assert escalate(date(2026, 3, 9)) == 1  # Monday: one working day late
    referral.refresh_from_db()
    assert referral.escalation_level == 1


def test_each_recipient_organisation_hears_only_of_its_own(
    overdue, jobcenter, network, social_lead, escalate
):
    other = OrganisationFactory(network=network, name="Schuldnerberatung")
    other_lead = member(Role.TEAM_LEAD, other, username="sb-leitung")
    theirs = ReferralFactory(
        sender=jobcenter, recipient=other, status=Status.SENT, response_due=DUE
    )
    assert escalate(TUESDAY) == 2
    assert notified(social_lead) == [f"referral:{overdue.pk}:escalation:response:1"]
    assert notified(other_lead) == [f"referral:{theirs.pk}:escalation:response:1"]


# --- the background task -------------------------------------------------------------------------


@pytest.fixture
def long_overdue(jobcenter, social_office):
    """A month past its answer deadline as of today (the task runs on the real date)."""
    return ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        status=Status.SENT,
        response_due=timezone.localdate() - timedelta(days=30),
    )


def test_the_task_escalates_and_is_idempotent(
    long_overdue, social_lead, coordinator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_referrals.enqueue().return_value == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert escalate_overdue_referrals.enqueue().return_value == 0
    long_overdue.refresh_from_db()
    assert long_overdue.escalation_level == 2
    assert len(mail.outbox) == 2  # team lead and coordination, once each


def test_the_cron_command_runs_the_escalation(
    long_overdue, social_lead, coordinator, capsys, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic_tasks", "--now")
    assert "escalate_overdue_referrals: 1" in capsys.readouterr().out
    assert sorted(m.to[0] for m in mail.outbox) == sorted([social_lead.email, coordinator.email])

    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic_tasks", "--now")
    assert "escalate_overdue_referrals: 0" in capsys.readouterr().out
    assert len(mail.outbox) == 2
