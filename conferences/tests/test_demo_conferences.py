"""The demo year of case conferences: realistic in shape, stored as the services would store
it, free of identifiers where it is pseudonymised, deterministic for a seed.

Assertions run over all generated conferences, cases and actions (never a hand-picked one);
each first checks that the rows it is about exist, so an empty result cannot pass by accident.
"""

import hashlib
import json
import re
from datetime import time, timedelta

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from conferences import services
from conferences.choices import ActionStatus, Frequency, Presentation, Status
from conferences.demo import step as demo
from conferences.models import Action, AgendaItem, Conference, Series
from conferences.presentation import build_identity, build_shared, find_identifiers, members_of
from core import workdays
from core.demo.generator import generate
from core.models import AuditEntry, Membership, Notification, User
from referrals.tests.test_demo_referrals import _wipe as wipe_referrals

pytestmark = pytest.mark.django_db

SCALE = 0.03  # 600 households at the Jobcenter, 45 persons at the Jugendamt
STEPS = ("Angebote", "Fallakten", "Überleitungen", "Fallberatungen")
WORD = re.compile(r"[^\W\d_]+")


def _generate(seed=42, scale=SCALE, steps=STEPS):
    (ctx,) = generate(seed=seed, scale=scale, log=lambda _: None, steps=steps)
    return ctx


def _wipe():
    """Conferences first (they protect organisations and point at persons and referrals), then
    the referrals, case files and county. Raw deletes: no change history for throw-away rows."""
    for model in (
        Action,
        AgendaItem.needs.through,
        AgendaItem.consents.through,
        AgendaItem,
        Conference.invited_people.through,
        Conference.invited_organisations.through,
        Conference,
        Series,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    wipe_referrals()


def _day(moment):
    return timezone.localdate(moment)


def _items():
    return AgendaItem.objects.select_related(
        "conference__organiser", "conference__network", "presenter", "person__household"
    ).prefetch_related("needs", "consents", "actions")


def _participants(conference) -> set[int]:
    return {o.pk for o in services.participants(conference)}


def test_the_jobcenter_holds_a_monthly_series_a_year_long_with_meetings_ahead():
    ctx = _generate()
    jobcenter, youth_office = ctx.organisations["jobcenter"], ctx.organisations["youth_office"]
    series = Series.objects.get(network=ctx.network, title=demo.SERIES_TITLE)
    assert series.organiser == jobcenter
    assert series.frequency == Frequency.MONTHLY
    assert series.created_by.username == "koordination"
    meetings = list(series.conferences.order_by("starts_at"))
    today = timezone.localdate()
    past = [m for m in meetings if _day(m.starts_at) < today]
    held = [m for m in past if m.status == Status.HELD]
    cancelled = [m for m in past if m.status == Status.CANCELLED]
    ahead = [m for m in meetings if _day(m.starts_at) >= today]
    assert len(held) >= 12
    assert len(held) + len(cancelled) == len(past)
    assert cancelled
    assert all(m.cancel_reason and m.sequence == 1 for m in cancelled)
    assert all(today - timedelta(days=420) < _day(m.starts_at) for m in past)
    assert len(ahead) >= 2
    assert all(m.status == Status.PLANNED for m in ahead)
    # The dates plan_conference gives a monthly series: the 2nd Tuesday, 14:00 to 15:30.
    starts = [m.starts_at for m in meetings]
    assert starts == services.occurrences(starts[0], Frequency.MONTHLY, len(meetings))
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at)
        assert (local.weekday(), local.time()) == (1, time(14, 0))
        assert 8 <= local.day <= 14
        assert meeting.ends_at - meeting.starts_at == timedelta(minutes=90)
        assert meeting.organiser == jobcenter
        assert meeting.created_by == series.created_by
        assert meeting.created_at < meeting.starts_at
        invited = set(meeting.invited_organisations.all())
        assert youth_office in invited
        assert jobcenter not in invited
        assert 2 <= len(invited) <= 3
        people = list(meeting.invited_people.all())
        assert "jugendamt" in {p.username for p in people}
        for person in people:
            assert (
                Membership.objects.active()
                .filter(user=person, organisation_id__in=_participants(meeting))
                .exists()
            )
    # The Jugendamt's own round: single meetings with the Jobcenter.
    transition = Conference.objects.filter(network=ctx.network, title=demo.TRANSITION_TITLE)
    assert transition.filter(status=Status.HELD).exists()
    assert not transition.filter(series__isnull=False).exists()
    assert {c.organiser for c in transition} == {youth_office}
    uids = Conference.objects.filter(network=ctx.network).values_list("uid", flat=True)
    assert len(set(uids)) == len(uids) > 0


def test_held_meetings_have_cases_minutes_and_actions_upcoming_ones_only_an_agenda():
    ctx = _generate()
    today = timezone.localdate()
    conferences = Conference.objects.filter(network=ctx.network).prefetch_related(
        "items", "actions"
    )
    held = [c for c in conferences if c.status == Status.HELD]
    upcoming = [c for c in conferences if c.status == Status.PLANNED]
    assert held
    assert upcoming
    for conference in held:
        items = list(conference.items.all())
        assert 2 <= len(items) <= 4, conference
        assert conference.minutes
        assert conference.actions.exists(), conference
        assert all(item.minutes for item in items)
        assert sorted(item.position for item in items) == list(range(1, len(items) + 1))
    for conference in upcoming:
        assert _day(conference.starts_at) >= today
        assert len(conference.items.all()) <= 2
        assert not conference.minutes
        assert not conference.actions.exists()
        assert not any(item.minutes for item in conference.items.all())
    assert any(conference.items.all() for conference in upcoming)
    for conference in conferences.filter(status=Status.CANCELLED):
        assert not conference.items.exists()
    for item in AgendaItem.objects.filter(network=ctx.network).select_related("conference"):
        # Put on the agenda after the meeting was planned, before it took place and before now.
        assert item.conference.created_at < item.created_at < item.conference.starts_at
        assert item.created_at <= timezone.now()
        assert (
            Membership.objects.active()
            .filter(user_id=item.created_by_id, organisation_id=item.presenter_id)
            .exists()
        )


def test_cases_are_stored_exactly_as_add_item_would_store_them():
    ctx = _generate()
    items = list(_items().filter(network=ctx.network))
    assert len(items) > 20
    labels: dict[int, set[str]] = {}
    for item in items:
        conference, person = item.conference, item.person
        assert person.organisation_id == item.presenter_id
        assert item.presenter_id in _participants(conference)
        needs = sorted(item.needs.all(), key=lambda need: need.pk)
        assert needs
        members = {member.pk for member in members_of(person)}
        for need in needs:
            assert not need.entrusted
            assert need.person_id in members
            assert need.created_at < item.created_at
            # Health data of someone else in the household stays out of the presentation.
            assert need.person_id == person.pk or not need.is_special_category
        day = _day(conference.starts_at)
        assert item.shared == build_shared(person, needs, today=day)
        assert item.case_label == item.shared["case_label"]
        labels.setdefault(person.pk, set()).add(item.case_label)
        if item.presentation == Presentation.PSEUDONYMISED:
            assert item.legal_basis == services.PSEUDONYMISED_BASIS
            assert item.identity == {}
            assert not item.consents.exists()
            continue
        # With name only where a consent covered every other participant when the case was
        # added and on the meeting day.
        assert services.identity_refusals(conference, person, at=item.created_at) == {}
        assert services.identity_refusals(conference, person, at=conference.starts_at) == {}
        assert item.identity == build_identity(person)
        consents, bases = services._identity_bases(conference, person, item.created_at)
        assert item.legal_basis == "; ".join(bases)
        assert {c.pk for c in item.consents.all()} == {c.pk for c in consents if c is not None}
        revoked = [c.revoked_at for c in item.consents.all() if c.revoked_at]
        if item.identity_revoked_at is not None:
            assert item.identity_revoked_at in revoked
    # A case keeps its label from one meeting to the next.
    assert all(len(found) == 1 for found in labels.values())
    shown = [item.presentation for item in items]
    assert shown.count(Presentation.PSEUDONYMISED) > 2 * shown.count(Presentation.IDENTIFIED)
    presenters = {item.presenter.type for item in items}
    assert presenters == {"jobcenter", "youth_office"}


def test_nothing_shared_or_written_identifies_the_household():
    ctx = _generate()
    items = list(_items().filter(network=ctx.network))
    assert items
    for item in items:
        person = item.person
        members = members_of(person)
        texts = [item.question, item.minutes, *(action.title for action in item.actions.all())]
        # Even where the case is presented with name, the texts need none.
        for text in texts:
            assert find_identifiers(text, person) == [], text
        assert not item.warnings_confirmed
        shared = json.dumps(item.shared, ensure_ascii=False)
        words = {word.casefold() for text in [shared, *texts] for word in WORD.findall(text)}
        for member in members:
            for name in f"{member.first_name} {member.last_name}".replace("-", " ").split():
                assert name.casefold() not in words, name
            for written in (member.birth_date.isoformat(), member.birth_date.strftime("%d.%m.%Y")):
                assert written not in shared
        household = person.household
        if household is not None:
            for value in (household.number, household.street):
                if value:
                    assert value not in shared
                    assert not any(value in text for text in texts)
    for title in Conference.objects.filter(network=ctx.network).values_list("title", flat=True):
        assert find_identifiers(title) == []


def test_actions_are_due_on_working_days_and_their_state_fits_their_age():
    ctx = _generate()
    state = ctx.network.federal_state
    now, today = timezone.now(), timezone.localdate()
    actions = list(
        Action.objects.filter(network=ctx.network).select_related(
            "conference", "item", "owner", "referral"
        )
    )
    assert len(actions) > 30
    for action in actions:
        conference = action.conference
        assert conference.status == Status.HELD
        assert action.item.conference_id == conference.pk
        assert workdays.is_working_day(action.due_date, state)
        assert action.due_date > _day(conference.starts_at)
        assert conference.starts_at < action.created_at < conference.ends_at
        assert action.owner_id in _participants(conference)
        if action.owner_user_id:
            assert (
                Membership.objects.active()
                .filter(user_id=action.owner_user_id, organisation=action.owner)
                .exists()
            )
        if action.status == ActionStatus.DONE:
            assert action.created_at < action.done_at <= now
        else:
            assert action.done_at is None
        if action.referral is not None:
            # The presenter's referral about that person, sent after the meeting.
            assert action.referral.sender_id == action.item.presenter_id
            assert action.referral.person_id == action.item.person_id
            assert action.referral.sent_at > conference.ends_at
    statuses = {action.status for action in actions}
    assert statuses == set(ActionStatus.values)
    overdue = Action.objects.filter(network=ctx.network).overdue()
    assert overdue.exists()
    done = [a for a in actions if a.status == ActionStatus.DONE]
    assert any(_day(a.done_at) > a.due_date for a in done)  # some late
    assert any(_day(a.done_at) <= a.due_date for a in done)
    # Old actions are mostly done; a dropped one says why.
    old = [a for a in actions if a.due_date < today - timedelta(days=120)]
    assert old
    assert sum(a.status == ActionStatus.DONE for a in old) > 0.6 * len(old)
    assert all(a.status_note for a in actions if a.status == ActionStatus.DROPPED)
    # The overdue actions are what the reminder task sends out.
    assert services.remind_overdue() > 0


def test_generated_conferences_leave_no_audit_entries_change_history_or_notifications():
    ctx = _generate()
    assert AuditEntry.objects.filter(network=ctx.network).count() == 1
    assert Action.objects.exists()
    for model in (Conference, AgendaItem, Action):
        assert not LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(model)
        ).exists()
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_step_reads_the_network_in_a_bounded_number_of_queries(
    django_assert_max_num_queries,
):
    ctx = _generate(steps=STEPS[:-1])
    with django_assert_max_num_queries(600):
        demo.conferences(ctx)
    assert ctx.counts["Fallberatungen"] > 12
    assert ctx.counts["Vereinbarte Maßnahmen"] == Action.objects.count()


def _fingerprint() -> str:
    """What the step decided, without database ids."""
    rows = [
        *Conference.objects.values_list("title", "starts_at", "status", "minutes", "uid"),
        *AgendaItem.objects.values_list(
            "conference__starts_at", "position", "person__name_key", "question", "presentation"
        ),
        *AgendaItem.objects.values_list("person__name_key", "needs__problem_situation__code"),
        *Action.objects.values_list(
            "item__person__name_key", "title", "owner__name", "due_date", "status", "done_at"
        ),
        *User.objects.filter(conferences_invited__isnull=False).values_list("username"),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def test_the_same_seed_gives_the_same_year_of_conferences():
    _generate(seed=7, scale=0.02)
    first = _fingerprint()
    _wipe()
    _generate(seed=7, scale=0.02)
    assert _fingerprint() == first
    _wipe()
    _generate(seed=8, scale=0.02)
    assert _fingerprint() != first
