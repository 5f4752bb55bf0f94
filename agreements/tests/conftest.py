"""The Jobcenter and the Jugendamt of network A agree on how they cooperate; the network
coordination (seated at the Jobcenter) manages the agreement, the team leads of both parties
steer it. Agreements are built the real way, through the services."""

from datetime import date

import pytest

from agreements import services
from agreements.choices import Renewal
from core.choices import Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(network=network, name="Jugendamt A", youth_office=True)


@pytest.fixture
def coordinator(jobcenter):
    return member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")


@pytest.fixture
def coordination(coordinator):
    """The actor who may manage agreements (Perm.MANAGE_AGREEMENTS)."""
    return actor_for(coordinator)


@pytest.fixture
def jobcenter_lead(jobcenter):
    return member(Role.TEAM_LEAD, jobcenter, username="jc-leitung")


@pytest.fixture
def youth_lead(youth_office):
    return member(Role.TEAM_LEAD, youth_office, username="ja-leitung")


def draft(actor, *parties, **fields):
    """A draft agreement for the year 2026, signed in December 2025, renewing yearly."""
    fields.setdefault("title", "Kooperation Jobcenter – Jugendamt")
    fields.setdefault("valid_from", date(2026, 1, 1))
    fields.setdefault("valid_until", date(2026, 12, 31))
    fields.setdefault("signed_on", date(2025, 12, 15))
    fields.setdefault("renewal", Renewal.YEARLY)
    fields.setdefault("notice_months", 3)
    return services.create_agreement(actor=actor, parties=list(parties), **fields)


def in_force(actor, *parties, **fields):
    """An agreement in force: created and put in force on its first day of validity (or on
    ``today``). Returns the saved row with its current version."""
    today = fields.pop("today", None)
    agreement = draft(actor, *parties, **fields)
    return services.put_in_force(
        actor=actor, agreement=agreement, today=today or agreement.valid_from
    )
