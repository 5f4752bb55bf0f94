"""Freshness: stale offers are flagged and their owners reminded once per interval."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from core.choices import Role
from core.factories import member
from directory.choices import OfferStatus
from directory.models import Offer
from directory.tasks import remind_stale_offers

pytestmark = pytest.mark.django_db


@pytest.fixture
def remind(django_capture_on_commit_callbacks):
    """Run the task; its mails leave after the commit, as in a real transaction."""

    def run():
        with django_capture_on_commit_callbacks(execute=True):
            return remind_stale_offers.enqueue().return_value

    return run


def _age(offer, days):
    Offer.objects.filter(pk=offer.pk).update(
        last_verified=timezone.localdate() - timedelta(days=days)
    )


def test_an_offer_is_stale_after_the_configured_period(offers, settings):
    settings.OFFER_FRESHNESS_DAYS = 183
    _age(offers["debt"], 183)
    _age(offers["housing"], 184)
    assert set(Offer.objects.stale()) == {offers["housing"]}
    settings.OFFER_FRESHNESS_DAYS = 30
    assert set(Offer.objects.stale()) == {offers["debt"], offers["housing"]}


def test_the_task_reminds_each_owning_organisation_once(offers, caritas, caritas_staff, remind):
    caritas.email = "info@caritas.example"
    caritas.save()
    member(Role.CASE_WORKER, caritas, username="not-reminded", email="cw@caritas.example")
    _age(offers["debt"], 200)
    _age(offers["housing"], 300)
    _age(offers["draft"], 300)  # drafts are not live: no reminder

    assert remind() == 1
    (message,) = mail.outbox
    assert sorted(message.to) == sorted([caritas_staff.email, "info@caritas.example"])
    assert "Schuldnerberatung Babenhausen" in message.body
    assert "Wohnungssicherung" in message.body
    assert "Entwurf" not in message.body
    assert "2 Angebote" in message.subject

    # Idempotent: a second run within the interval sends nothing.
    assert remind() == 0
    assert len(mail.outbox) == 1


def test_reminders_repeat_after_the_interval(offers, caritas_staff, settings, remind):
    _age(offers["debt"], 200)
    remind()
    Offer.objects.filter(pk=offers["debt"].pk).update(
        freshness_reminded_at=timezone.now()
        - timedelta(days=settings.OFFER_REMINDER_INTERVAL_DAYS + 1)
    )
    remind()
    assert len(mail.outbox) == 2


def test_verifying_stops_reminders(offers, caritas_staff, remind):
    from core.permissions import actor_for
    from directory.services import verify_offer

    _age(offers["debt"], 200)
    verify_offer(
        offer=offers["debt"], actor=actor_for(caritas_staff, offers["debt"].organisation_id)
    )
    assert remind() == 0
    assert mail.outbox == []


def test_paused_offers_are_reminded_archived_ones_not(offers, caritas_staff, remind):
    Offer.objects.filter(pk=offers["debt"].pk).update(status=OfferStatus.PAUSED)
    Offer.objects.filter(pk=offers["housing"].pk).update(status=OfferStatus.ARCHIVED)
    _age(offers["debt"], 200)
    _age(offers["housing"], 200)
    remind()
    (message,) = mail.outbox
    assert "Schuldnerberatung" in message.body
    assert "Wohnungssicherung" not in message.body


def test_the_cron_command_runs_the_periodic_tasks(
    offers, caritas_staff, capsys, django_capture_on_commit_callbacks
):
    _age(offers["debt"], 200)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_periodic_tasks", "--now")
    assert "remind_stale_offers: 1" in capsys.readouterr().out
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_and_worker_deliver_the_reminder(offers, caritas_staff, settings):
    """Production path: cron enqueues into the database, the worker runs and mails."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    _age(offers["debt"], 200)
    reminders = DBTaskResult.objects.filter(task_path="directory.tasks.remind_stale_offers")
    call_command("run_periodic_tasks")
    assert reminders.filter(status="READY").count() == 1
    assert mail.outbox == []
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")
    assert reminders.get().status == "SUCCESSFUL"
    assert len(mail.outbox) == 1


def test_verification_appears_in_the_change_history(offers, caritas_staff):
    from auditlog.models import LogEntry

    from core.permissions import actor_for
    from directory.services import verify_offer

    _age(offers["debt"], 200)
    verify_offer(
        offer=offers["debt"], actor=actor_for(caritas_staff, offers["debt"].organisation_id)
    )
    entry = LogEntry.objects.get_for_object(offers["debt"]).latest("timestamp")
    assert "last_verified" in entry.changes_dict
