"""The Jobcenter invites the Jugendamt and a neighbourhood centre to a case conference and
presents the Beispiel household; the network coordination and outsiders look on."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone

from conferences import services
from core.choices import Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(network=network, name="Jugendamt A", youth_office=True)


@pytest.fixture
def youth_worker(youth_office):
    return member(Role.CASE_WORKER, youth_office, username="jugendamt", email="ja@example.org")


@pytest.fixture
def youth_lead(youth_office):
    return member(Role.TEAM_LEAD, youth_office, username="jugendamt-leitung")


@pytest.fixture
def coordinator(jobcenter):
    return member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")


@pytest.fixture
def partner_user(partner):
    return member(Role.PARTNER_STAFF, partner, username="stadtteil", email="stz@example.org")


def next_week_at(hour: int = 14):
    day = timezone.localdate() + timedelta(days=7)
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def plan(user, *invited, people=(), **kwargs):
    start = kwargs.pop("starts_at", next_week_at())
    kwargs.setdefault("title", "Fallberatung Jobcenter – Jugendamt")
    kwargs.setdefault("location", "Kreishaus, Raum 2.14")
    return services.plan_conference(
        actor_for(user),
        starts_at=start,
        ends_at=start + timedelta(minutes=90),
        organisations=list(invited),
        people=list(people),
        **kwargs,
    )


def begin(conference):
    """Time passes: the conference's day has come (it started an hour ago)."""
    from conferences.models import Conference

    start = timezone.now() - timedelta(hours=1)
    Conference.objects.filter(pk=conference.pk).update(
        starts_at=start, ends_at=start + timedelta(minutes=90)
    )
    conference.refresh_from_db()
    return conference


@pytest.fixture
def conference(case_worker, youth_office, partner, youth_worker):
    return plan(case_worker, youth_office, partner, people=[youth_worker])[0]
