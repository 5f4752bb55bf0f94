"""Indicators are computed on rows written directly (referrals, events, conferences, actions) in
March 2026, long past: the expected figures are counted by hand in each test.

The agreement's parties are the Jobcenter and the Jugendamt of network A (Hessen); the
Stadtteilzentrum (``partner``) is in the network but no party."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from conferences.choices import Status as ConferenceStatus
from conferences.models import Action, Conference
from core.factories import OrganisationFactory
from referrals.choices import EventKind, Status
from referrals.factories import ReferralFactory
from referrals.models import ReferralEvent
from reporting.scope import Scope

BERLIN = ZoneInfo("Europe/Berlin")
MARCH_START, MARCH_END = date(2026, 3, 1), date(2026, 3, 31)
# Long after March: every deadline of a March referral has passed.
LATER = date(2026, 11, 1)


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    """A moment in Berlin time (the platform's time zone)."""
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


def referral(sender, recipient, sent_on: date | None, *, accepted: bool = False, **fields):
    """A referral row as the lifecycle leaves it; ``accepted`` adds the acceptance event."""
    fields.setdefault("response_due", sent_on + timedelta(days=14) if sent_on else None)
    fields.setdefault("completion_due", sent_on + timedelta(days=56) if sent_on else None)
    if accepted and sent_on:
        fields.setdefault("responded_at", at(sent_on + timedelta(days=1)))
    row = ReferralFactory(
        sender=sender,
        recipient=recipient,
        network=sender.network,
        sent_at=at(sent_on) if sent_on else None,
        **fields,
    )
    if accepted:
        ReferralEvent.objects.create(
            network=row.network,
            referral=row,
            kind=EventKind.STATUS,
            from_status=Status.RECEIVED,
            to_status=Status.ACCEPTED,
            organisation=recipient,
        )
    return row


def conference(organiser, invited, day: date, status=ConferenceStatus.HELD, **fields):
    row = Conference.objects.create(
        network=organiser.network,
        title=fields.pop("title", "Fallberatung"),
        organiser=organiser,
        starts_at=at(day, 14),
        ends_at=at(day, 15, 30),
        status=status,
        **fields,
    )
    row.invited_organisations.set(invited)
    return row


def action(conf, owner, due: date, status, done_at=None):
    return Action.objects.create(
        network=conf.network,
        conference=conf,
        title="Termin bei der Schuldnerberatung vereinbaren",
        owner=owner,
        due_date=due,
        status=status,
        done_at=done_at,
    )


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(
        network=network, name="Jugendamt A", short_name="JA", youth_office=True
    )


@pytest.fixture
def parties(jobcenter, youth_office):
    return frozenset({jobcenter.pk, youth_office.pk})


@pytest.fixture
def march(network, parties):
    """The scope of a report on the agreement for March 2026, looked at in November."""

    def scope(**changes) -> Scope:
        values = {
            "network": network,
            "start": MARCH_START,
            "end": MARCH_END,
            "today": LATER,
            "parties": parties,
        }
        values.update(changes)
        return Scope(**values)

    return scope
