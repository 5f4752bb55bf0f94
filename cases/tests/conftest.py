"""Two controllers in one network (Jobcenter and Jugendamt) and a partner without statutory duty.

The Jobcenter's case file holds the Beispiel household; nothing of it may ever reach the
Jugendamt's staff except through the policy function.
"""

import pytest

from core.choices import Role
from core.factories import OrganisationFactory, member


@pytest.fixture
def youth_office(network):
    return OrganisationFactory(network=network, name="Jugendamt A", youth_office=True)


@pytest.fixture
def team_lead(jobcenter):
    return member(Role.TEAM_LEAD, jobcenter, username="teamleitung")


@pytest.fixture
def youth_worker(youth_office):
    return member(Role.CASE_WORKER, youth_office, username="jugendamt")
