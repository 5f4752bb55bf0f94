"""Two people click at the same moment: exactly one step wins, the other is told.

Real threads with their own database connections, released together by a barrier, against
committed rows. Only PostgreSQL takes row locks (``SELECT … FOR UPDATE``) the way production
does; SQLite serialises whole-database writes, so the race under test cannot happen there.
"""

import threading

import pytest
from django.db import DatabaseError, connection, connections, transaction

from core.models import Network, Organisation
from core.permissions import actor_for
from referrals import services
from referrals.choices import DeclineReason, EventKind, Status
from referrals.factories import ReferralFactory
from referrals.models import Referral, ReferralEvent
from referrals.services import TransitionRefused

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks, so two transactions never race",
    ),
    pytest.mark.django_db(transaction=True),
]

WON = "won"


def race(*attempts):
    """Run each ``attempt()`` in its own thread, all starting at the same instant.

    Returns what each produced: ``WON``, the German refusal, or the unexpected exception.
    """
    barrier = threading.Barrier(len(attempts))
    results = [None] * len(attempts)

    def run(index, attempt):
        try:
            barrier.wait(timeout=10)
            attempt()
            results[index] = WON
        except TransitionRefused as refusal:
            results[index] = refusal.message
        except Exception as exc:  # reported to the test, not swallowed
            results[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads), "a thread hung on a lock"
    return results


@pytest.fixture
def sent(jobcenter, social_office):
    return ReferralFactory(sender=jobcenter, recipient=social_office, status=Status.SENT)


def status_events(referral, to_status):
    return ReferralEvent.objects.filter(
        referral=referral, kind=EventKind.STATUS, to_status=to_status
    )


def test_two_people_accepting_at_once_exactly_one_succeeds(sent, social_worker, social_lead):
    # Actors and the referral are loaded before the barrier: both threads hold the same,
    # soon outdated, copy, as two browser tabs would.
    first, second = actor_for(social_worker), actor_for(social_lead)
    mine, theirs = Referral.objects.get(pk=sent.pk), Referral.objects.get(pk=sent.pk)

    results = race(
        lambda: services.accept(actor=first, referral=mine),
        lambda: services.accept(actor=second, referral=theirs),
    )

    assert results.count(WON) == 1, results
    (refusal,) = [result for result in results if result != WON]
    assert refusal == "„annehmen“ ist nicht möglich: Die Überleitung hat den Status „angenommen“."
    sent.refresh_from_db()
    assert sent.status == Status.ACCEPTED
    assert sent.version == 2  # written once
    assert status_events(sent, Status.ACCEPTED).count() == 1
    winner = social_worker if results[0] == WON else social_lead
    assert sent.handler == winner
    assert status_events(sent, Status.ACCEPTED).get().user == winner


def test_accepting_and_declining_at_once_leave_one_answer(sent, social_worker, social_lead):
    accepting, declining = actor_for(social_worker), actor_for(social_lead)

    results = race(
        lambda: services.accept(actor=accepting, referral=Referral.objects.get(pk=sent.pk)),
        lambda: services.decline(
            actor=declining,
            referral=Referral.objects.get(pk=sent.pk),
            reason=DeclineReason.NO_CAPACITY,
        ),
    )

    assert results.count(WON) == 1, results
    assert all(result == WON or isinstance(result, str) for result in results), results
    sent.refresh_from_db()
    answers = ReferralEvent.objects.filter(
        referral=sent, to_status__in=[Status.ACCEPTED, Status.DECLINED]
    )
    assert answers.count() == 1
    assert sent.status == answers.get().to_status


def test_two_first_views_mark_it_received_once(sent, social_worker, social_lead):
    first, second = actor_for(social_worker), actor_for(social_lead)

    results = race(
        lambda: services.record_view(actor=first, referral=Referral.objects.get(pk=sent.pk)),
        lambda: services.record_view(actor=second, referral=Referral.objects.get(pk=sent.pk)),
    )

    # Opening never fails: the slower one just sees it received already.
    assert results == [WON, WON]
    sent.refresh_from_db()
    assert sent.status == Status.RECEIVED
    assert status_events(sent, Status.RECEIVED).count() == 1


def test_a_locked_referral_leaves_its_network_and_organisations_free(sent):
    """While one transition holds a referral, the rest of the network keeps working.

    A lock that reached the network row (select_related under a plain FOR UPDATE) would block
    every insert of a network-owned row at its commit (the foreign-key check takes FOR KEY
    SHARE), and with the audit chain's lock taken afterwards two writes could deadlock.
    """
    holding, release, failures = threading.Event(), threading.Event(), []

    def hold_the_referral():
        try:
            with transaction.atomic():
                services._lock(sent)  # what accept, decline, … hold while they work
                holding.set()
                release.wait(timeout=30)
        except Exception as exc:  # reported to the test
            failures.append(exc)
        finally:
            connections.close_all()

    holder = threading.Thread(target=hold_the_referral)
    holder.start()
    try:
        assert holding.wait(timeout=10), failures
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '3s'")
                Network.objects.select_for_update(nowait=True).get(pk=sent.network_id)
                list(
                    Organisation.objects.select_for_update(nowait=True).filter(
                        pk__in=[sent.sender_id, sent.recipient_id]
                    )
                )
                # A row referring to the held referral commits (its key check does not wait).
                ReferralEvent.objects.create(
                    network_id=sent.network_id, referral=sent, kind=EventKind.ESCALATION
                )
        except DatabaseError as exc:
            pytest.fail(f"the referral lock reached further than the referral: {exc}")
    finally:
        release.set()
        holder.join(timeout=30)
    assert failures == []
