"""A Jobcenter refers the Beispiel household to the Sozialamt; a partner without statutory duty
and the network's coordination are there too."""

from datetime import date

import pytest

from cases.choices import MemberRole
from cases.factories import HouseholdFactory, NeedFactory, member_of
from core.choices import LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for


@pytest.fixture
def social_office(network):
    return OrganisationFactory(
        network=network,
        name="Sozialamt Musterkreis",
        type=OrganisationType.SOCIAL_WELFARE_OFFICE,
        legal_regime=LegalRegime.SGB_XII,
    )


@pytest.fixture
def partner(network):
    """A neighbourhood centre: no statutory duty (legal regime "none")."""
    return OrganisationFactory(network=network, name="Stadtteilzentrum Nord")


@pytest.fixture
def social_worker(social_office):
    return member(Role.CASE_WORKER, social_office, username="sozialamt")


@pytest.fixture
def social_lead(social_office):
    return member(Role.TEAM_LEAD, social_office, username="sozialamt-leitung")


@pytest.fixture
def coordinator(jobcenter):
    return member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")


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


@pytest.fixture
def housing_need(anna):
    return NeedFactory(person=anna, code="housing.threatened_loss")
