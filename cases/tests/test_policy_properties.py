"""Properties of ``decide`` over random consents, revocations and moments (hypothesis).

Each example builds its consents inside a savepoint that is rolled back afterwards, so every
example starts from the same case file: the Jobcenter's Anna, three recipients of the network
(the Jugendamt, the Agentur für Arbeit and a partner that acknowledged § 78 SGB X long ago) and
no statutory basis unless a property says otherwise.

The moments asked about are partly random and partly the edges of the drawn consents (one second
before and after recording, the start of the first and the day after the last valid day, the
revocation), because that is where an off-by-one would hide.
"""

from contextlib import contextmanager
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cases import categories
from cases.choices import Purpose, Signatory
from cases.factories import ConsentFactory, DocumentFactory, NeedFactory, PersonFactory
from cases.models import Consent, HelpAssessment, SecrecyAcknowledgement, StatutoryBasis
from cases.policy import decide
from core.choices import LegalRegime, OrganisationType
from core.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
# All arithmetic in UTC: Python compares datetimes sharing a zone by wall time, which is wrong
# across the DST change that lies inside the window (30 March).
BASE = datetime(2025, 3, 12, 12, 0, tzinfo=BERLIN).astimezone(UTC)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)

PURPOSES = list(Purpose.values)
CATEGORIES = [
    categories.MASTER_DATA,
    categories.HOUSEHOLD,
    categories.need_category("housing"),
    categories.HEALTH,
]
RECIPIENT_KEYS = ["youth_office", "agency", "partner"]

PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@contextmanager
def rolled_back():
    """Run one example in a savepoint and throw its rows away, passed or failed."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(network, jobcenter, youth_office, partner, anna, outsider_org):
    agency = OrganisationFactory(
        network=network,
        name="Agentur für Arbeit A",
        type=OrganisationType.EMPLOYMENT_AGENCY,
        legal_regime=LegalRegime.SGB_III,
    )
    SecrecyAcknowledgement.objects.create(
        network=network,
        organisation=partner,
        acknowledged_by=UserFactory(),
        acknowledged_at=BASE - 100 * DAY,
    )
    return {
        "person": anna,
        "jobcenter": jobcenter,
        "youth_office": youth_office,
        "agency": agency,
        "partner": partner,
        "outsider": outsider_org,
        "guardian": PersonFactory(organisation=jobcenter, first_name="Vormund"),
    }


# --- strategies ------------------------------------------------------------------------------


def _non_empty_subset(values):
    return st.lists(st.sampled_from(values), min_size=1, max_size=len(values), unique=True)


@st.composite
def consent_specs(draw):
    """Parameters of one consent; deliberately also nonsense a form would refuse (end before
    start, revoked before recorded): the policy must stay safe on any stored row."""
    given_at = BASE + timedelta(
        seconds=draw(st.integers(-10 * 86400, 10 * 86400)),
        microseconds=draw(st.sampled_from([0, 0, 1, 999_999])),
    )
    valid_from = timezone.localdate(given_at) + timedelta(days=draw(st.integers(-3, 5)))
    valid_until = valid_from + timedelta(days=draw(st.integers(-1, 20)))
    revoked_after = draw(st.none() | st.integers(-2 * 86400, 25 * 86400))
    return {
        "recipients": draw(_non_empty_subset(RECIPIENT_KEYS)),
        "purposes": draw(_non_empty_subset(PURPOSES)),
        "categories": draw(_non_empty_subset(CATEGORIES)),
        "given_at": given_at,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "revoked_at": None
        if revoked_after is None
        else given_at + timedelta(seconds=revoked_after),
        "signatory": draw(st.sampled_from([Signatory.SELF, Signatory.GUARDIAN])),
    }


random_moments = st.integers(-15 * 86400, 40 * 86400).map(lambda s: BASE + timedelta(seconds=s))


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BERLIN).astimezone(UTC)


def edges(spec) -> list[datetime]:
    """The moments around which a consent starts or stops counting."""
    points = [spec["given_at"], _start_of(spec["valid_from"]), _start_of(spec["valid_until"] + DAY)]
    if spec["revoked_at"] is not None:
        points.append(spec["revoked_at"])
    return [moment + shift for moment in points for shift in (-SECOND, timedelta(0), SECOND)]


def moments_for(specs):
    candidates = [moment for spec in specs for moment in edges(spec)]
    if not candidates:
        return random_moments
    # Mostly edges: an off-by-one at the revocation or the last day hides exactly there.
    return st.one_of(st.sampled_from(candidates), st.sampled_from(candidates), random_moments)


def questions(specs, recipients=RECIPIENT_KEYS, max_size=12):
    """Questions about anything, and (half of them) about what one of the consents names."""
    anything = st.tuples(
        st.sampled_from(recipients),
        st.sampled_from(CATEGORIES),
        st.sampled_from(PURPOSES),
        moments_for(specs),
    )
    in_scope = [
        st.tuples(
            st.sampled_from([key for key in spec["recipients"] if key in recipients] or recipients),
            st.sampled_from(spec["categories"]),
            st.sampled_from(spec["purposes"]),
            moments_for([spec]),
        )
        for spec in specs
    ]
    return st.lists(st.one_of(anything, *in_scope), min_size=1, max_size=max_size)


def create_consent(world, spec, person=None) -> Consent:
    guardian = world["guardian"] if spec["signatory"] == Signatory.GUARDIAN else None
    return ConsentFactory(
        data_subject=person or world["person"],
        recipients=[world[key] for key in spec["recipients"]],
        purposes=spec["purposes"],
        categories=spec["categories"],
        given_at=spec["given_at"],
        valid_from=spec["valid_from"],
        valid_until=spec["valid_until"],
        revoked_at=spec["revoked_at"],
        signatory=spec["signatory"],
        signatory_person=guardian,
    )


def ask(world, recipient_key, category, purpose, at, person=None):
    return decide(
        recipient=world[recipient_key],
        person=person or world["person"],
        category=category,
        purpose=purpose,
        at=at,
    )


# --- (a), (b), (c): one consent, and exactly when it counts -----------------------------------


@PROPERTY_SETTINGS
@given(data=st.data(), spec=consent_specs())
def test_a_single_consent_allows_exactly_inside_its_time_and_scope(world, data, spec):
    named = (spec["recipients"][0], spec["categories"][0], spec["purposes"][0])
    # Every edge for one named question, plus random questions around it.
    asked = [(*named, moment) for moment in edges(spec)] + data.draw(questions([spec], max_size=8))
    with rolled_back():
        create_consent(world, spec)
        for recipient, category, purpose, at in asked:
            decision = ask(world, recipient, category, purpose, at)
            day = timezone.localdate(at)
            recorded_before = spec["given_at"] <= at  # (a) no retroactive consent
            in_period = spec["valid_from"] <= day <= spec["valid_until"]  # (a)
            not_revoked = spec["revoked_at"] is None or at < spec["revoked_at"]  # (b)
            named = (  # (c)
                recipient in spec["recipients"]
                and purpose in spec["purposes"]
                and category in spec["categories"]
            )
            if not (recorded_before and in_period):
                assert not decision.allowed, (at, spec)
            if not not_revoked:
                assert not decision.allowed, (at, spec)
            if not named:
                assert not decision.allowed, (recipient, category, purpose, spec)
            # And the converse, so the properties above cannot pass by refusing everything.
            expected = recorded_before and in_period and not_revoked and named
            assert decision.allowed == expected, (recipient, category, purpose, at, spec)


@PROPERTY_SETTINGS
@given(data=st.data(), spec=consent_specs())
def test_recipients_outside_the_network_or_the_controller_itself_never_receive(world, data, spec):
    # Even a stored consent that (wrongly) names them does not help.
    spec = {**spec, "recipients": ["outsider", "jobcenter", *spec["recipients"]]}
    asked = data.draw(questions([spec], recipients=["outsider", "jobcenter"], max_size=6))
    with rolled_back():
        create_consent(world, spec)
        for recipient, category, purpose, at in asked:
            assert not ask(world, recipient, category, purpose, at).allowed


# --- (d): a consent decision names a consent that really covers it ---------------------------


@PROPERTY_SETTINGS
@given(data=st.data(), specs=st.lists(consent_specs(), min_size=1, max_size=4))
def test_an_allowed_decision_returns_a_covering_consent_valid_at_that_moment(world, data, specs):
    asked = data.draw(questions(specs, max_size=15))
    with rolled_back():
        for spec in specs:
            create_consent(world, spec)
        for recipient, category, purpose, at in asked:
            decision = ask(world, recipient, category, purpose, at)
            if not decision.allowed:
                assert decision.consent is None
                assert decision.statute is None
                continue
            used = decision.consent
            assert used is not None, "no statutory basis is configured here"
            used.refresh_from_db()
            assert used.data_subject_id == world["person"].pk
            assert used.organisation_id == world["jobcenter"].pk
            assert world[recipient] in used.recipients.all()
            assert purpose in used.purposes
            assert category in used.categories
            assert used.is_valid_at(at)
            assert f"Nr. {used.pk}" in decision.legal_basis


# --- (e): revoking never creates permission --------------------------------------------------


@PROPERTY_SETTINGS
@given(
    data=st.data(),
    specs=st.lists(consent_specs(), min_size=1, max_size=4),
    revoke_index=st.integers(0, 3),
    revoke_after=st.integers(-2 * 86400, 25 * 86400),
)
def test_revoking_a_consent_never_turns_a_refusal_into_permission(
    world, data, specs, revoke_index, revoke_after
):
    asked = data.draw(questions(specs, max_size=10))
    with rolled_back():
        consents = [create_consent(world, spec) for spec in specs]
        before = {question for question in asked if ask(world, *question).allowed}

        revoked = consents[revoke_index % len(consents)]
        moment = revoked.given_at + timedelta(seconds=revoke_after)
        if revoked.revoked_at is None or moment < revoked.revoked_at:
            # Like a revocation recorded at that moment (the service always uses "now").
            Consent.objects.filter(pk=revoked.pk).update(revoked_at=moment)

        after = {question for question in asked if ask(world, *question).allowed}
        assert after <= before, after - before
        # Nothing at or after the revocation still rests on the revoked consent.
        for question in after:
            decision = ask(world, *question)
            if question[3] >= moment:
                assert decision.consent.pk != revoked.pk


# --- (f): without consent and statutory basis nothing travels --------------------------------


@pytest.fixture
def youth_world(world, youth_office, jobcenter, ben):
    """A Jugendamt client, her grandmother and a confided need, for the no-basis property."""
    child = PersonFactory(organisation=youth_office, birth_date=date(2012, 4, 4))
    grandmother = PersonFactory(organisation=youth_office, birth_date=date(1950, 1, 1))
    world["child"] = child
    world["records"] = {
        "anna_doctor": DocumentFactory(person=world["person"], from_doctor=True),
        "anna_need": NeedFactory(person=world["person"], code="health.mental"),
        "child_entrusted": NeedFactory(
            person=child, code="housing.rent_arrears", entrusted=True, entrusted_by=grandmother
        ),
    }
    # Noise that must not count: a consent of somebody else covering everything, and an
    # inactive statutory basis covering everything.
    ConsentFactory(
        data_subject=ben,
        recipients=[world[key] for key in RECIPIENT_KEYS],
        purposes=PURPOSES,
        categories=CATEGORIES,
        given_at=BASE - 60 * DAY,
        valid_from=(BASE - 60 * DAY).date(),
        valid_until=(BASE + 300 * DAY).date(),
    )
    StatutoryBasis.objects.create(
        network=jobcenter.network,
        label="inaktiv",
        sender_regime=LegalRegime.SGB_II,
        recipient_types=list(OrganisationType.values),
        purposes=PURPOSES,
        categories=CATEGORIES,
        is_active=False,
    )
    return world


@PROPERTY_SETTINGS
@given(
    asked=st.lists(
        st.tuples(
            st.sampled_from(["person", "child"]),
            st.sampled_from([*RECIPIENT_KEYS, "jobcenter", "outsider"]),
            st.sampled_from(CATEGORIES),
            st.sampled_from(PURPOSES),
            random_moments,
            st.sampled_from([None, "anna_doctor", "anna_need", "child_entrusted"]),
            st.booleans(),
        ),
        min_size=1,
        max_size=12,
    )
)
def test_without_consent_or_statutory_basis_nothing_is_ever_allowed(youth_world, asked):
    world = youth_world
    with rolled_back():
        for who, recipient, category, purpose, at, record_key, assessed in asked:
            person = world[who]
            if assessed and who == "child" and recipient not in ("jobcenter", "outsider"):
                # A positive § 64 assessment alone is no legal basis either.
                HelpAssessment.objects.create(
                    network=person.network,
                    organisation=person.organisation,
                    person=person,
                    recipient=world[recipient],
                    purpose=purpose,
                    endangers_help=False,
                    reasoning="unbedenklich",
                    created_at=at - DAY,
                )
            record = world["records"][record_key] if record_key else None
            decision = decide(
                recipient=world[recipient],
                person=person,
                category=category,
                purpose=purpose,
                at=at,
                record=record,
            )
            assert not decision.allowed, (who, recipient, category, purpose, at, record_key)
            assert decision.consent is None
            assert decision.statute is None
            assert decision.reason
