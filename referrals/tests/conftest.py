"""A Jobcenter refers the Beispiel household to the Sozialamt; a partner without statutory duty
and the network's coordination are there too."""

import pytest

from cases.factories import NeedFactory
from core.choices import LegalRegime, OrganisationType, Role
from core.factories import OrganisationFactory, member


@pytest.fixture
def social_office(network):
    return OrganisationFactory(
        network=network,
        name="Sozialamt Musterkreis",
        type=OrganisationType.SOCIAL_WELFARE_OFFICE,
        legal_regime=LegalRegime.SGB_XII,
    )


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
def housing_need(anna):
    return NeedFactory(person=anna, code="housing.threatened_loss")
