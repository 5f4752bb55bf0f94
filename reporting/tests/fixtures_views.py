"""Data shared by the dashboard, export and API tests (imported by them, not a conftest).

Network A: the Jobcenter, the Jugendamt ("JA") and the Stadtteilzentrum Nord. Referrals of
March 2026, counted by hand:

    Jobcenter → JA                 5   standard
    JA → Jobcenter                 3   urgent: housing loss
    Jobcenter → Stadtteilzentrum   2   standard
    JA → Stadtteilzentrum          4   standard
    network A in March            14   (Jobcenter 5+3+2 = 10, JA 5+3+4 = 12, Stadtteil 2+4 = 6)

One more Jobcenter → JA referral in February 2026, and seven referrals inside network B in
March that network A never counts.

Agreements (in force for 2026): Jobcenter + JA (8 referrals between them in March) with the
measure "Überleitungen zwischen den Parteien", 5 per month; JA + Stadtteilzentrum (4) with
"Familien erreichen", 1 per month.
"""

from datetime import date

import pytest

from agreements import services
from agreements.choices import TargetPeriod
from agreements.models import Measure
from agreements.tests.conftest import in_force
from core.choices import Role
from core.factories import OrganisationFactory, member
from core.permissions import actor_for
from referrals.choices import Track
from reporting.tests.conftest import referral

MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
MEASURE = "Überleitungen zwischen den Parteien"
FAMILY_MEASURE = "Familien erreichen"


@pytest.fixture
def coordinator(jobcenter):
    return member(Role.NETWORK_COORDINATOR, jobcenter, username="koordination")


@pytest.fixture
def jobcenter_lead(jobcenter):
    return member(Role.TEAM_LEAD, jobcenter, username="jc-leitung")


@pytest.fixture
def youth_lead(youth_office):
    return member(Role.TEAM_LEAD, youth_office, username="ja-leitung")


@pytest.fixture
def partner_lead(partner):
    return member(Role.TEAM_LEAD, partner, username="stadtteil-leitung")


def referrals(sender, recipient, count: int, day: date, **fields) -> None:
    for _i in range(count):
        referral(sender, recipient, day, **fields)


@pytest.fixture
def flows(jobcenter, youth_office, partner, outsider_org):
    referrals(jobcenter, youth_office, 5, date(2026, 3, 10))
    referrals(youth_office, jobcenter, 3, date(2026, 3, 11), track=Track.HOUSING_LOSS)
    referrals(jobcenter, partner, 2, date(2026, 3, 12))
    referrals(youth_office, partner, 4, date(2026, 3, 13))
    referrals(jobcenter, youth_office, 1, date(2026, 2, 16))
    other = OrganisationFactory(network=outsider_org.network, name="Jugendamt B")
    referrals(outsider_org, other, 7, date(2026, 3, 10))


def with_measure(coordinator, agreement, title: str, target: int):
    services.save_measure(
        actor=actor_for(coordinator),
        measure=Measure(
            agreement=agreement,
            title=title,
            indicator="referrals",
            target=target,
            target_period=TargetPeriod.MONTH,
        ),
    )
    return agreement


@pytest.fixture
def agreement(coordinator, jobcenter, youth_office):
    agreement = in_force(
        actor_for(coordinator), jobcenter, youth_office, title="Kooperation Jobcenter – Jugendamt"
    )
    return with_measure(coordinator, agreement, MEASURE, 5)


@pytest.fixture
def family_agreement(coordinator, youth_office, partner):
    agreement = in_force(
        actor_for(coordinator), youth_office, partner, title="Familien im Stadtteil"
    )
    return with_measure(coordinator, agreement, FAMILY_MEASURE, 1)
