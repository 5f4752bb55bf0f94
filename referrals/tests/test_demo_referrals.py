"""The demo year of referrals: realistic in shape, consistent with the app's own rules (policy,
snapshot, deadlines, escalation), deterministic for a seed.

Assertions run over all generated referrals (never a hand-picked one); each first checks that
the rows it is about exist, so an empty result cannot pass by accident. The policy and snapshot
checks compare the generator's in-memory shortcuts with the real ``cases.policy.decide`` and
``referrals.snapshot.build`` on every referral of a small county.
"""

import hashlib
from collections import Counter
from datetime import timedelta
from itertools import pairwise

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from cases import categories
from cases.choices import Purpose
from cases.models import HelpAssessment
from cases.policy import decide
from cases.tests.test_demo_cases import _wipe as wipe_cases
from core import workdays
from core.choices import OrganisationType
from core.demo.generator import generate
from core.models import AuditEntry, Membership, Notification
from referrals import escalation, snapshot
from referrals.choices import (
    AWAITING_RESPONSE,
    CLOSED_STATUSES,
    OPEN_STATUSES,
    EventKind,
    Kind,
    Status,
    Track,
)
from referrals.models import Referral, ReferralEvent, ReferralMessage, ReferralSettings
from referrals.services import compute_deadlines

pytestmark = pytest.mark.django_db

SCALE = 0.05  # 1 000 households at the Jobcenter: about 1 000 referrals and pointers
STEPS = ("Angebote", "Fallakten", "Überleitungen")


def _generate(seed=42, scale=SCALE):
    (ctx,) = generate(seed=seed, scale=scale, log=lambda _: None, steps=STEPS)
    return ctx


def _wipe():
    """Referrals first (they protect organisations and point at persons), then the case files
    and the county. Raw deletes: no change history for throw-away rows."""
    for model in (
        Referral.needs.through,
        Referral.consents.through,
        ReferralEvent,
        ReferralMessage,
        Referral,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    wipe_cases()


def _sent():
    return Referral.objects.exclude(status=Status.DRAFT).select_related(
        "network", "sender", "recipient", "person"
    )


def _shares(values) -> Counter:
    counts = Counter(values)
    total = sum(counts.values())
    return Counter({key: count / total for key, count in counts.items()})


def test_a_year_of_referrals_and_pointers_in_realistic_proportions():
    ctx = _generate()
    everything = Referral.objects.filter(network=ctx.network)
    total = everything.count()
    # About 17 000 referrals and 3 300 pointers at scale 1.
    assert 0.6 * 20_500 * SCALE < total < 1.6 * 20_500 * SCALE
    assert ctx.counts["Überleitungen"] + ctx.counts["Beratende Hinweise"] == total
    kinds = _shares(everything.values_list("kind", flat=True))
    assert 0.10 < kinds[Kind.POINTER] < 0.20
    tracks = _shares(everything.values_list("track", flat=True))
    assert 0.06 < tracks[Track.HOUSING_LOSS] < 0.15
    assert 0.04 < tracks[Track.SCHOOL_TO_WORK] < 0.13
    assert 0.03 < tracks[Track.BENEFIT_PAYMENT] < 0.10
    assert tracks[Track.STANDARD] > 0.6
    statuses = _shares(everything.filter(kind=Kind.REFERRAL).values_list("status", flat=True))
    assert statuses[Status.COMPLETED] > 0.5
    for status in (Status.DECLINED, Status.FORWARDED, Status.WITHDRAWN, *OPEN_STATUSES):
        assert statuses[status] > 0, status
    assert 0 < statuses[Status.DRAFT] < 0.02
    outcomes = Counter(
        everything.filter(status=Status.COMPLETED, kind=Kind.REFERRAL).values_list(
            "outcome", flat=True
        )
    )
    assert len(outcomes) >= 5
    assert "" not in outcomes
    assert outcomes.most_common(1)[0][0] == "help_given"
    declined = everything.filter(status=Status.DECLINED)
    assert not declined.filter(decline_reason="").exists()
    assert not declined.filter(decline_reason="other", outcome_note="").exists()


def test_referrals_are_sent_on_working_days_in_office_hours_within_the_last_year():
    ctx = _generate()
    state = ctx.network.federal_state
    today = timezone.localdate()
    referrals = _sent().filter(forwarded_from__isnull=True)
    assert referrals.count() > 500
    for sent_at in referrals.values_list("sent_at", flat=True):
        local = timezone.localtime(sent_at)
        assert today - timedelta(days=365) <= local.date() < today
        assert workdays.is_working_day(local.date(), state)
        assert 8 <= local.hour < 17
    # Forwarded ones leave when the recipient answers: also on a working day.
    onward = _sent().filter(forwarded_from__isnull=False)
    assert onward.exists()
    for sent_at in onward.values_list("sent_at", flat=True):
        assert workdays.is_working_day(timezone.localdate(sent_at), state)


def test_deadlines_are_the_working_day_deadlines_of_the_track():
    ctx = _generate()
    referrals = _sent().filter(kind=Kind.REFERRAL)
    assert referrals.count() > 500
    for referral in referrals:
        due = compute_deadlines(ctx.network, referral.track, referral.sent_at)
        assert (referral.response_due, referral.completion_due) == due
        assert referral.response_due > timezone.localdate(referral.sent_at)
        assert referral.completion_due > referral.response_due
    # Pointers carry no deadlines (nobody answers them).
    assert not Referral.objects.filter(kind=Kind.POINTER, response_due__isnull=False).exists()


def test_timestamps_follow_the_lifecycle_and_most_answers_come_in_time():
    _generate()
    referrals = _sent().filter(kind=Kind.REFERRAL)
    in_time = late = 0
    for r in referrals:
        assert r.created_at <= r.sent_at
        if r.received_at:
            assert r.sent_at < r.received_at
        if r.responded_at:
            assert (r.received_at or r.sent_at) < r.responded_at
            if timezone.localdate(r.responded_at) <= r.response_due:
                in_time += 1
            else:
                late += 1
        assert (r.closed_at is not None) == (r.status in CLOSED_STATUSES)
        if r.closed_at and r.responded_at:
            assert r.responded_at <= r.closed_at
    assert in_time > 0
    assert late > 0
    assert 0.04 < late / (in_time + late) < 0.25
    # The recent ones are still open: most referrals of the last three days await an answer.
    recent = referrals.filter(sent_at__gte=timezone.now() - timedelta(days=3), forwarded_from=None)
    assert recent.exists()
    assert recent.filter(status__in=OPEN_STATUSES).count() > 0.5 * recent.count()


def test_every_status_change_is_an_event_by_the_side_that_made_it():
    _generate()
    referrals = _sent().prefetch_related("events")
    assert referrals.count() > 500
    for referral in referrals:
        changes = [e for e in referral.events.all() if e.kind == EventKind.STATUS]
        assert changes[0].to_status == Status.SENT
        assert changes[0].at == referral.sent_at
        for before, after in pairwise(changes):
            assert after.from_status == before.to_status
            assert after.at >= before.at
        assert changes[-1].to_status == referral.status
        for event in changes:
            if event.to_status in (Status.SENT, Status.WITHDRAWN) or (
                referral.kind == Kind.POINTER
            ):
                assert event.organisation_id == referral.sender_id
            else:
                assert event.organisation_id == referral.recipient_id
        received = [e for e in changes if e.to_status == Status.RECEIVED]
        assert [e.at for e in received] == ([referral.received_at] if referral.received_at else [])
        if referral.closed_at:
            assert changes[-1].at == referral.closed_at
    drafts = Referral.objects.filter(status=Status.DRAFT)
    assert drafts.exists()
    for draft in drafts.prefetch_related("events"):
        assert [e.to_status for e in draft.events.all()] == [Status.DRAFT]
        assert draft.sent_at is None
        assert draft.snapshot == {}


def test_overdue_referrals_are_escalated_as_the_hourly_task_would_have_done():
    ctx = _generate()
    today = timezone.localdate()
    second_after = ReferralSettings.for_network(ctx.network).second_escalation_after
    overdue = Referral.objects.filter(kind=Kind.REFERRAL).open().overdue(today)
    assert overdue.exists()
    assert overdue.filter(escalation_level=1).exists()
    assert overdue.filter(escalation_level=2).exists()
    for referral in overdue.select_related("network"):
        assert referral.escalation_level == escalation.target_level(referral, today, second_after)
    escalated = Referral.objects.filter(escalation_level__gt=0).prefetch_related("events")
    assert escalated.exists()
    for referral in escalated:
        raised = [e for e in referral.events.all() if e.kind == EventKind.ESCALATION]
        assert raised
        assert raised[-1].at == referral.escalated_at
        # The last escalation names the level the referral stands at (in either phase).
        assert raised[-1].note in {
            escalation._describe(referral.escalation_level, phase)
            for phase in ("response", "completion")
        }
    # Open ones within their deadline were never escalated, or were answered since.
    in_time = Referral.objects.filter(kind=Kind.REFERRAL).open().exclude(pk__in=overdue)
    assert in_time.exists()
    assert not in_time.filter(escalation_level__gt=0).exists()
    # Running the real task now finds nothing left to do (and notifies nobody).
    assert escalation.escalate_overdue(today) == 0
    assert not Notification.objects.exists()


def test_pointers_carry_no_data_and_older_ones_know_whether_the_person_arrived():
    _generate()
    pointers = Referral.objects.filter(kind=Kind.POINTER)
    assert pointers.count() > 50
    for pointer in pointers:
        assert pointer.snapshot == {}
        assert pointer.categories == []
        assert pointer.bases == {}
        assert not pointer.consents.exists()
        assert (pointer.status == Status.COMPLETED) == bool(pointer.pointer_outcome)
    old = pointers.filter(sent_at__lt=timezone.now() - timedelta(days=60))
    assert old.filter(pointer_outcome="").count() < 0.4 * old.count()


def test_forwarded_referrals_continue_with_the_same_or_narrower_data():
    _generate()
    forwarded = Referral.objects.filter(status=Status.FORWARDED)
    assert forwarded.exists()
    for original in forwarded:
        (onward,) = original.forwards.all()
        assert onward.sender_id == original.recipient_id
        assert onward.recipient_id not in (original.sender_id, original.recipient_id)
        assert onward.person_id == original.person_id
        assert onward.sent_at == original.closed_at == original.responded_at
        assert set(onward.categories) <= set(original.categories)
        expected = snapshot.narrowed_snapshot(original.snapshot, onward.categories)
        expected["taken_at"] = onward.sent_at.isoformat()
        expected["forwarded_by"] = original.recipient.name
        assert onward.snapshot == expected
        note = original.events.get(to_status=Status.FORWARDED).note
        assert note == f"an {onward.recipient.name}"
    # Partners without statutory duty never pass data on (§ 78 SGB X).
    assert not forwarded.filter(recipient__legal_regime="none").exists()


def test_persons_belong_to_the_sender_and_nobody_refers_to_itself():
    _generate()
    referrals = Referral.objects.select_related("person", "forwarded_from")
    assert referrals.count() > 500
    for referral in referrals:
        assert referral.recipient_id != referral.sender_id
        assert referral.person is not None
        controller = referral.forwarded_from.sender_id if referral.forwarded_from else None
        assert referral.person.organisation_id == (controller or referral.sender_id)
        assert referral.household_id == referral.person.household_id
        assert referral.person.closed_on is None
        if referral.offer_id:
            assert referral.offer.organisation_id == referral.recipient_id
    senders = set(
        Referral.objects.filter(forwarded_from=None).values_list("sender__type", flat=True)
    )
    assert senders == {OrganisationType.JOBCENTER, OrganisationType.YOUTH_OFFICE}
    for need in Referral.needs.through.objects.select_related("need", "referral"):
        assert need.need.person_id == need.referral.person_id


def test_snapshots_and_legal_bases_are_what_the_app_itself_would_record():
    """Every sent referral of the small county against the real policy and snapshot code."""
    _generate()
    referrals = (
        _sent()
        .filter(kind=Kind.REFERRAL, forwarded_from=None)
        .prefetch_related("consents")
        .order_by("pk")
    )
    assert referrals.filter(sender__type=OrganisationType.YOUTH_OFFICE).exists()
    checked = on_consent = 0
    for referral in referrals:
        at = referral.sent_at
        assert categories.MASTER_DATA in referral.categories
        assert sorted(referral.bases) == referral.categories
        for code in referral.categories:
            decision = decide(
                recipient=referral.recipient,
                person=referral.person,
                category=code,
                purpose=Purpose.REFERRAL,
                at=at,
            )
            assert decision, (referral.pk, code, decision.reason)
            assert referral.bases[code] == {
                "basis": decision.legal_basis,
                "consent": decision.consent.pk if decision.consent else None,
                "statute": decision.statute.pk if decision.statute else None,
            }
        used = {entry["consent"] for entry in referral.bases.values()} - {None}
        assert {c.pk for c in referral.consents.all()} == used
        on_consent += bool(used)
        data, excluded = snapshot.build(
            person=referral.person,
            recipient=referral.recipient,
            chosen=referral.categories,
            needs=list(referral.needs.order_by("pk")),
            at=at,
            sender_name=referral.sender.name,
        )
        assert not excluded
        assert referral.snapshot == data
        checked += 1
    assert checked > 500
    assert on_consent > 50  # not only the statutory bases


def test_the_jugendamt_records_its_assessment_before_it_sends():
    _generate()
    # Its own clients' data: a referral it forwards (a Jobcenter person) needs no § 64 check.
    referrals = _sent().filter(
        kind=Kind.REFERRAL,
        sender__type=OrganisationType.YOUTH_OFFICE,
        person__organisation__type=OrganisationType.YOUTH_OFFICE,
    )
    assert referrals.exists()
    for referral in referrals:
        assert HelpAssessment.objects.filter(
            person=referral.person,
            recipient=referral.recipient,
            created_at__lte=referral.sent_at,
            endangers_help=False,
        ).exists()


def test_revoked_consents_mark_the_referrals_that_rest_on_them():
    _generate()
    revoked = Referral.objects.filter(consent_revoked_at__isnull=False)
    assert revoked.exists()
    for referral in revoked.prefetch_related("consents"):
        moments = {c.revoked_at for c in referral.consents.all() if c.revoked_at}
        assert referral.consent_revoked_at == min(moments)
        assert referral.sent_at < referral.consent_revoked_at
        assert referral.events.filter(kind=EventKind.REVOCATION).count() == 1
    for referral in Referral.objects.filter(consent_revoked_at=None).prefetch_related("consents"):
        assert not any(
            c.revoked_at and referral.sent_at < c.revoked_at for c in referral.consents.all()
        )


def test_some_referrals_have_a_thread_between_the_two_organisations():
    _generate()
    messages = ReferralMessage.objects.select_related("referral")
    assert messages.count() > 20
    members = set(Membership.objects.values_list("user_id", "organisation_id"))
    for message in messages:
        referral = message.referral
        assert message.organisation_id in (referral.sender_id, referral.recipient_id)
        assert (message.author_id, message.organisation_id) in members
        assert referral.received_at <= message.created_at
        assert message.created_at <= (referral.closed_at or timezone.now())
        assert referral.kind == Kind.REFERRAL


def test_generated_referrals_leave_no_audit_entries_change_history_or_notifications():
    ctx = _generate()
    # Only the generator's own entry per network ("Demodaten erzeugt").
    assert AuditEntry.objects.filter(network=ctx.network).count() == 1
    referral_type = ContentType.objects.get_for_model(Referral)
    assert Referral.objects.exists()
    assert not LogEntry.objects.filter(content_type=referral_type).exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def _fingerprint() -> str:
    """What the step decided, without database ids."""
    rows = [
        *Referral.objects.values_list(
            "kind",
            "sender__name",
            "recipient__name",
            "person__name_key",
            "track",
            "status",
            "sent_at",
            "closed_at",
            "outcome",
            "decline_reason",
            "escalation_level",
            "reason",
            "categories",
        ),
        *ReferralEvent.objects.values_list("referral__person__name_key", "kind", "to_status", "at"),
        *ReferralMessage.objects.values_list("referral__person__name_key", "body", "created_at"),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def test_the_same_seed_gives_the_same_year_of_referrals():
    _generate(seed=7, scale=0.02)
    first = _fingerprint()
    _wipe()
    _generate(seed=7, scale=0.02)
    assert _fingerprint() == first
    _wipe()
    _generate(seed=8, scale=0.02)
    assert _fingerprint() != first


def test_the_jobcenter_inbox_and_the_sozialamt_inbox_have_work_in_them():
    """The pages the benchmark measures: open referrals addressed to both agencies, urgent
    ones at the Sozialamt among them."""
    _generate()
    open_ = Referral.objects.filter(kind=Kind.REFERRAL).open()
    social = open_.filter(recipient__type=OrganisationType.SOCIAL_WELFARE_OFFICE)
    assert social.filter(track__in=[Track.HOUSING_LOSS, Track.BENEFIT_PAYMENT]).exists()
    assert social.filter(status__in=AWAITING_RESPONSE).exists()
    assert Referral.objects.filter(recipient__type=OrganisationType.JOBCENTER).exists()
