"""Two controllers in one network (Jobcenter and Jugendamt) and a partner without statutory duty.

The Jobcenter's case file holds the Beispiel household; nothing of it may ever reach the
Jugendamt's staff except through the policy function.
"""

from datetime import date

import pytest

from cases.choices import MemberRole
from cases.factories import HouseholdFactory, member_of
from core.choices import Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(network=network, name="Jugendamt A", youth_office=True)


@pytest.fixture
def partner(network):
    """A neighbourhood centre: no statutory duty (legal regime "none")."""
    return OrganisationFactory(network=network, name="Stadtteilzentrum Nord")


@pytest.fixture
def team_lead(jobcenter):
    return member(Role.TEAM_LEAD, jobcenter, username="teamleitung")


@pytest.fixture
def youth_worker(youth_office):
    return member(Role.CASE_WORKER, youth_office, username="jugendamt")


@pytest.fixture
def actor(case_worker):
    return actor_for(case_worker)


@pytest.fixture
def household(jobcenter):
    return HouseholdFactory(organisation=jobcenter, number="06432BG0000001")


@pytest.fixture
def anna(household):
    return member_of(
        household, first_name="Anna", last_name="Beispiel", birth_date=date(1988, 5, 2)
    )


@pytest.fixture
def ben(household):
    return member_of(
        household,
        first_name="Ben",
        last_name="Beispiel",
        birth_date=date(2010, 9, 1),
        role=MemberRole.CHILD,
    )
