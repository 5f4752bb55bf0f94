"""The one data-sharing decision, one rule per test, each with a known answer.

Every test asks ``decide`` about a fixed moment ``T`` (not the wall clock), so the timing rules
(no retroactive consent, validity period, revocation) are checked to the second.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import categories
from cases.choices import Purpose, Signatory
from cases.factories import ConsentFactory, DocumentFactory, NeedFactory, PersonFactory
from cases.models import Consent, HelpAssessment, SecrecyAcknowledgement, StatutoryBasis
from cases.policy import decide, may_pass_on
from cases.services import record_consent, revoke_consent
from core.choices import LegalRegime, OrganisationType
from core.factories import OrganisationFactory, UserFactory
from core.permissions import actor_for

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
T = datetime(2025, 3, 12, 10, 30, tzinfo=BERLIN)
SECOND = timedelta(seconds=1)
DAY = timedelta(days=1)

REFERRAL = Purpose.REFERRAL
MASTER = categories.MASTER_DATA
HEALTH = categories.HEALTH
FAMILY_NEEDS = categories.need_category("family")


def consent(person, recipients, **kwargs):
    """A consent recorded a day before ``T``, valid for the year around it."""
    kwargs.setdefault("given_at", T - DAY)
    kwargs.setdefault("valid_from", (T - DAY).date())
    kwargs.setdefault("valid_until", date(2025, 12, 31))
    kwargs.setdefault("purposes", [REFERRAL])
    kwargs.setdefault("categories", [MASTER])
    return ConsentFactory(data_subject=person, recipients=recipients, **kwargs)


def assessment(person, recipient, *, endangers=False, at=T - DAY, purpose=REFERRAL):
    return HelpAssessment.objects.create(
        network=person.network,
        organisation=person.organisation,
        person=person,
        recipient=recipient,
        purpose=purpose,
        endangers_help=endangers,
        reasoning="Die Mutter wünscht die Unterstützung durch das Jobcenter ausdrücklich.",
        created_at=at,
    )


def statute(network, **kwargs):
    kwargs.setdefault("label", "§ 69 Abs. 1 Nr. 1 SGB X")
    kwargs.setdefault("sender_regime", LegalRegime.SGB_II)
    kwargs.setdefault("recipient_types", [OrganisationType.YOUTH_OFFICE])
    kwargs.setdefault("purposes", [REFERRAL])
    kwargs.setdefault("categories", [MASTER])
    return StatutoryBasis.objects.create(network=network, **kwargs)


def acknowledge(organisation, *, at):
    """§ 78 SGB X confirmed by the partner at ``at``."""
    return SecrecyAcknowledgement.objects.create(
        network=organisation.network,
        organisation=organisation,
        acknowledged_by=UserFactory(),
        acknowledged_at=at,
    )


def ask(person, recipient, *, category=MASTER, purpose=REFERRAL, at=T, record=None):
    return decide(
        recipient=recipient, person=person, category=category, purpose=purpose, at=at, record=record
    )


@pytest.fixture
def agency(network):
    return OrganisationFactory(
        network=network,
        name="Agentur für Arbeit A",
        type=OrganisationType.EMPLOYMENT_AGENCY,
        legal_regime=LegalRegime.SGB_III,
    )


@pytest.fixture
def mother(youth_office):
    """A Jugendamt client (adult, signs herself)."""
    return PersonFactory(
        organisation=youth_office,
        first_name="Carla",
        last_name="Muster",
        birth_date=date(1990, 1, 1),
    )


@pytest.fixture
def teenager(youth_office):
    """16 at ``T``: consents herself once the case worker confirmed her capacity."""
    return PersonFactory(
        organisation=youth_office, first_name="Lea", last_name="Muster", birth_date=date(2008, 6, 1)
    )


@pytest.fixture
def grandmother(youth_office):
    return PersonFactory(organisation=youth_office, first_name="Gerda", last_name="Muster")


# --- consent: what it names ------------------------------------------------------------------


def test_a_consent_naming_recipient_purpose_and_category_allows_and_is_the_legal_basis(
    anna, youth_office
):
    given = consent(anna, [youth_office])

    decision = ask(anna, youth_office)

    assert decision.allowed
    assert decision.consent == given
    assert decision.statute is None
    assert decision.legal_basis == (f"Einwilligung vom 11.03.2025 (§ 67b SGB X), Nr. {given.pk}")


@pytest.mark.parametrize(
    ("recipient_key", "purpose", "category"),
    [
        ("youth_office", REFERRAL, MASTER),
        ("agency", Purpose.CASE_CONFERENCE, MASTER),
        ("agency", REFERRAL, categories.HOUSEHOLD),
    ],
    ids=["other-recipient", "other-purpose", "other-category"],
)
def test_a_consent_covers_only_the_recipient_purpose_and_category_it_names(
    anna, agency, request, recipient_key, purpose, category
):
    consent(anna, [agency], purposes=[REFERRAL], categories=[MASTER])
    recipient = request.getfixturevalue(recipient_key)

    decision = ask(anna, recipient, category=category, purpose=purpose)

    assert not decision.allowed
    assert decision.consent is None
    assert decision.reason.startswith("Keine Einwilligung für ")
    assert recipient.name in decision.reason
    assert decision.legal_basis == ""


def test_a_consent_naming_several_recipients_covers_each_of_them(anna, youth_office, agency):
    consent(anna, [youth_office, agency])

    assert ask(anna, youth_office).allowed
    assert ask(anna, agency).allowed


def test_the_refusal_names_the_category_in_plain_german(anna, youth_office):
    decision = ask(anna, youth_office, category=FAMILY_NEEDS)

    assert decision.reason == (
        "Keine Einwilligung für Handlungsbedarfe: Familie gegenüber Jugendamt A."
    )


def test_a_consent_of_another_person_does_not_cover_anna(anna, ben, youth_office):
    consent(ben, [youth_office], signatory=Signatory.GUARDIAN, signatory_person=anna)

    assert not ask(anna, youth_office).allowed
    assert ask(ben, youth_office).allowed


def test_an_unknown_purpose_is_refused_even_with_a_consent(anna, youth_office):
    consent(anna, [youth_office])

    decision = ask(anna, youth_office, purpose="marketing")

    assert not decision.allowed
    assert decision.reason == "Unbekannter Zweck."


# --- consent: when it counts -----------------------------------------------------------------


def test_a_consent_recorded_after_the_moment_asked_about_does_not_count(anna, youth_office):
    # Recorded at T with a period that (wrongly) starts the day before: still nothing before T.
    given = consent(anna, [youth_office], given_at=T, valid_from=(T - DAY).date())

    assert not ask(anna, youth_office, at=T - DAY).allowed
    assert not ask(anna, youth_office, at=T - SECOND).allowed
    assert ask(anna, youth_office, at=T).consent == given
    assert ask(anna, youth_office, at=T + SECOND).allowed


def test_a_consent_valid_from_a_future_day_does_not_count_yet(anna, youth_office):
    start = date(2025, 3, 20)
    consent(anna, [youth_office], valid_from=start)

    assert not ask(anna, youth_office, at=T).allowed
    assert not ask(anna, youth_office, at=datetime(2025, 3, 19, 23, 59, 59, tzinfo=BERLIN)).allowed
    assert ask(anna, youth_office, at=datetime(2025, 3, 20, 0, 0, tzinfo=BERLIN)).allowed


def test_a_consent_counts_through_its_last_day_and_not_after(anna, youth_office):
    consent(anna, [youth_office], valid_until=date(2025, 6, 30))

    assert ask(anna, youth_office, at=datetime(2025, 6, 30, 23, 59, 59, tzinfo=BERLIN)).allowed
    assert not ask(anna, youth_office, at=datetime(2025, 7, 1, 0, 0, tzinfo=BERLIN)).allowed
    assert not ask(anna, youth_office, at=datetime(2026, 1, 5, 9, 0, tzinfo=BERLIN)).allowed


def test_the_validity_days_are_berlin_days_not_utc_days(anna, youth_office):
    consent(anna, [youth_office], valid_until=date(2025, 6, 30))
    # 30 June 23:30 UTC is already 1 July in Berlin.
    late = datetime(2025, 6, 30, 23, 30, tzinfo=ZoneInfo("UTC"))

    assert not ask(anna, youth_office, at=late).allowed


def test_a_revoked_consent_counts_until_the_second_before_revocation_and_never_after(
    anna, youth_office
):
    revoked = T + timedelta(hours=2)
    consent(anna, [youth_office], revoked_at=revoked)

    assert ask(anna, youth_office, at=revoked - SECOND).allowed
    assert not ask(anna, youth_office, at=revoked).allowed
    assert not ask(anna, youth_office, at=revoked + SECOND).allowed
    assert not ask(anna, youth_office, at=revoked + 30 * DAY).allowed


def test_revoking_through_the_service_stops_transfers_from_that_moment(
    anna, youth_office, case_worker
):
    actor = actor_for(case_worker)
    recorded = record_consent(
        actor=actor,
        consent=Consent(
            data_subject=anna,
            purposes=[REFERRAL],
            categories=[MASTER],
            informed_purpose=True,
            informed_refusal=True,
            informed_revocation=True,
            valid_until=timezone.localdate() + timedelta(days=90),
        ),
        recipients=[youth_office],
    )
    assert ask(anna, youth_office, at=None).consent == recorded  # at=None: now

    revoke_consent(actor=actor, consent=recorded)

    assert not ask(anna, youth_office, at=None).allowed
    # Asked about a moment before the revocation, the consent still counted then.
    assert recorded.given_at < recorded.revoked_at
    assert ask(anna, youth_office, at=recorded.given_at).allowed


def test_a_second_valid_consent_still_allows_after_the_first_is_revoked(anna, youth_office):
    consent(anna, [youth_office], revoked_at=T - SECOND)
    other = consent(anna, [youth_office], given_at=T - 2 * DAY)

    assert ask(anna, youth_office).consent == other


# --- who may receive at all ------------------------------------------------------------------


def test_a_recipient_in_another_network_is_refused_even_when_a_consent_names_it(anna, outsider_org):
    consent(anna, [outsider_org])

    decision = ask(anna, outsider_org)

    assert not decision.allowed
    assert decision.reason == "Jobcenter B gehört nicht zum Netzwerk."


def test_the_own_organisation_is_never_a_recipient(anna, jobcenter, network):
    consent(anna, [jobcenter])
    statute(network, recipient_types=[OrganisationType.JOBCENTER])

    decision = ask(anna, jobcenter)

    assert not decision.allowed
    assert decision.reason == "Die eigene Organisation ist kein Empfänger."


def test_a_partner_without_statutory_duty_receives_only_after_acknowledging_secrecy(anna, partner):
    consent(anna, [partner])

    refused = ask(anna, partner)
    assert not refused.allowed
    assert "Stadtteilzentrum Nord" in refused.reason
    assert "§ 78 SGB X" in refused.reason

    acknowledge(partner, at=T + timedelta(hours=1))

    # The acknowledgement counts from the moment it was given, not before.
    assert not ask(anna, partner, at=T).allowed
    assert ask(anna, partner, at=T + timedelta(hours=1)).allowed
    assert ask(anna, partner, at=T + DAY).allowed


def test_an_acknowledgement_does_not_replace_the_consent(anna, partner):
    acknowledge(partner, at=T - DAY)

    decision = ask(anna, partner)

    assert not decision.allowed
    assert "Stadtteilzentrum Nord" in decision.reason


def test_another_partners_acknowledgement_does_not_count(anna, partner, network):
    acknowledge(OrganisationFactory(network=network, name="Familienzentrum Süd"), at=T - DAY)
    consent(anna, [partner])

    assert not ask(anna, partner).allowed


def test_a_partner_without_statutory_duty_may_never_pass_data_on(partner):
    decision = may_pass_on(partner)

    assert not decision.allowed
    assert decision.reason == (
        "Stadtteilzentrum Nord hat die Daten nach § 78 SGB X erhalten und darf sie nicht "
        "weitergeben."
    )


def test_a_public_body_with_statutory_duty_may_pass_on(jobcenter, youth_office):
    assert may_pass_on(jobcenter).allowed
    assert may_pass_on(youth_office).allowed


# --- § 64 Abs. 2 SGB VIII: out of the Jugendamt ----------------------------------------------


def test_out_of_the_jugendamt_a_consent_is_not_enough_without_a_help_assessment(mother, jobcenter):
    consent(mother, [jobcenter])

    decision = ask(mother, jobcenter)

    assert not decision.allowed
    assert "§ 64 Abs. 2 SGB VIII" in decision.reason
    assert "Jobcenter A" in decision.reason


def test_out_of_the_jugendamt_an_assessment_that_the_help_is_endangered_refuses(mother, jobcenter):
    consent(mother, [jobcenter])
    assessment(mother, jobcenter, endangers=True)

    assert not ask(mother, jobcenter).allowed


def test_out_of_the_jugendamt_a_positive_assessment_and_a_consent_allow(mother, jobcenter):
    given = consent(mother, [jobcenter])
    assessment(mother, jobcenter, endangers=False)

    assert ask(mother, jobcenter).consent == given


def test_the_latest_help_assessment_counts(mother, jobcenter):
    consent(mother, [jobcenter], given_at=T - 5 * DAY, valid_from=(T - 5 * DAY).date())
    assessment(mother, jobcenter, endangers=False, at=T - 3 * DAY)
    assessment(mother, jobcenter, endangers=True, at=T - DAY)

    assert not ask(mother, jobcenter).allowed
    # Before the negative assessment was recorded the positive one was the latest.
    assert ask(mother, jobcenter, at=T - 2 * DAY + timedelta(hours=12)).allowed

    assessment(mother, jobcenter, endangers=False, at=T - timedelta(hours=1))
    assert ask(mother, jobcenter).allowed


def test_an_assessment_recorded_after_the_moment_asked_about_does_not_count(mother, jobcenter):
    consent(mother, [jobcenter])
    assessment(mother, jobcenter, endangers=False, at=T + timedelta(hours=1))

    assert not ask(mother, jobcenter).allowed


def test_a_help_assessment_is_for_one_recipient_and_one_purpose(mother, jobcenter, agency):
    consent(mother, [jobcenter, agency], purposes=[REFERRAL, Purpose.CASE_CONFERENCE])
    assessment(mother, agency, endangers=False)
    assessment(mother, jobcenter, endangers=False, purpose=Purpose.CASE_CONFERENCE)

    assert not ask(mother, jobcenter).allowed
    assert ask(mother, jobcenter, purpose=Purpose.CASE_CONFERENCE).allowed
    assert ask(mother, agency).allowed


# --- § 65 SGB VIII: entrusted data -----------------------------------------------------------


@pytest.fixture
def entrusted_by_grandmother(teenager, grandmother):
    return NeedFactory(
        person=teenager,
        code="family.childcare",
        description="Die Großmutter berichtet von Streit in der Familie.",
        entrusted=True,
        entrusted_by=grandmother,
    )


@pytest.fixture
def jobcenter_may_hear_about_lea(teenager, jobcenter):
    """§ 64 Abs. 2 is satisfied, so every refusal below is the § 65 rule at work."""
    return assessment(teenager, jobcenter, endangers=False)


def test_entrusted_data_is_refused_even_with_the_data_subjects_own_consent(
    teenager, jobcenter, entrusted_by_grandmother, jobcenter_may_hear_about_lea
):
    consent(teenager, [jobcenter], categories=[FAMILY_NEEDS], capacity_confirmed=True)
    # The same question without the entrusted record is allowed: the consent is in order.
    assert ask(teenager, jobcenter, category=FAMILY_NEEDS).allowed

    decision = ask(teenager, jobcenter, category=FAMILY_NEEDS, record=entrusted_by_grandmother)

    assert not decision.allowed
    assert decision.reason == (
        "Anvertraute Angaben (§ 65 SGB VIII) dürfen nur mit Einwilligung von Gerda Muster "
        "weitergegeben werden."
    )


def test_no_statutory_basis_ever_covers_entrusted_data(
    teenager, jobcenter, network, entrusted_by_grandmother, jobcenter_may_hear_about_lea
):
    configured = statute(
        network,
        label="§ 69 SGB X (Test)",
        sender_regime=LegalRegime.SGB_VIII,
        recipient_types=[OrganisationType.JOBCENTER],
        categories=[FAMILY_NEEDS],
    )
    assert ask(teenager, jobcenter, category=FAMILY_NEEDS).statute == configured

    decision = ask(teenager, jobcenter, category=FAMILY_NEEDS, record=entrusted_by_grandmother)

    assert not decision.allowed
    assert decision.statute is None
    assert "Gerda Muster" in decision.reason


def test_entrusted_data_travels_with_the_consent_of_the_person_who_entrusted_it(
    teenager, grandmother, jobcenter, entrusted_by_grandmother, jobcenter_may_hear_about_lea
):
    given = consent(
        teenager,
        [jobcenter],
        categories=[FAMILY_NEEDS],
        signatory=Signatory.ENTRUSTING,
        signatory_person=grandmother,
    )

    decision = ask(teenager, jobcenter, category=FAMILY_NEEDS, record=entrusted_by_grandmother)

    assert decision.allowed
    assert decision.consent == given
    assert f"Nr. {given.pk}" in decision.legal_basis


def test_the_consent_of_someone_else_from_the_file_does_not_release_entrusted_data(
    teenager, jobcenter, youth_office, entrusted_by_grandmother, jobcenter_may_hear_about_lea
):
    aunt = PersonFactory(organisation=youth_office, first_name="Ute", last_name="Muster")
    consent(
        teenager,
        [jobcenter],
        categories=[FAMILY_NEEDS],
        signatory=Signatory.ENTRUSTING,
        signatory_person=aunt,
    )

    assert not ask(
        teenager, jobcenter, category=FAMILY_NEEDS, record=entrusted_by_grandmother
    ).allowed


def test_the_grandmothers_consent_covers_only_what_she_entrusted(
    teenager, grandmother, jobcenter, jobcenter_may_hear_about_lea
):
    consent(
        teenager,
        [jobcenter],
        categories=[FAMILY_NEEDS],
        signatory=Signatory.ENTRUSTING,
        signatory_person=grandmother,
    )
    ordinary = NeedFactory(person=teenager, code="family.single_parent")

    assert not ask(teenager, jobcenter, category=FAMILY_NEEDS).allowed
    assert not ask(teenager, jobcenter, category=FAMILY_NEEDS, record=ordinary).allowed


def test_what_a_child_confided_is_not_released_by_the_guardians_consent(
    youth_office, jobcenter, mother
):
    child = PersonFactory(
        organisation=youth_office, first_name="Tim", last_name="Muster", birth_date=date(2012, 1, 1)
    )
    confided = NeedFactory(
        person=child, code="family.childcare", entrusted=True, entrusted_by=child
    )
    assessment(child, jobcenter, endangers=False)
    consent(
        child,
        [jobcenter],
        categories=[FAMILY_NEEDS],
        signatory=Signatory.GUARDIAN,
        signatory_person=mother,
    )
    # The guardian's consent covers the child's ordinary data ...
    assert ask(child, jobcenter, category=FAMILY_NEEDS).allowed

    # ... but not what the child confided.
    decision = ask(child, jobcenter, category=FAMILY_NEEDS, record=confided)
    assert not decision.allowed
    assert "Tim Muster" in decision.reason


def test_what_a_young_person_confided_travels_with_her_own_consent(
    teenager, jobcenter, jobcenter_may_hear_about_lea
):
    confided = NeedFactory(
        person=teenager, code="family.childcare", entrusted=True, entrusted_by=teenager
    )
    given = consent(teenager, [jobcenter], categories=[FAMILY_NEEDS], capacity_confirmed=True)

    assert ask(teenager, jobcenter, category=FAMILY_NEEDS, record=confided).consent == given


# --- § 76 SGB X: documents from a doctor -----------------------------------------------------


@pytest.fixture
def medical_statute(network):
    return statute(network, label="§ 69 SGB X (ärztlich)", categories=[HEALTH])


@pytest.fixture
def doctors_letter(anna):
    return DocumentFactory(person=anna, title="Attest Dr. Weber", from_doctor=True)


def test_a_doctors_document_travels_on_a_statutory_basis_when_the_person_did_not_object(
    anna, youth_office, medical_statute, doctors_letter
):
    decision = ask(anna, youth_office, category=doctors_letter.category, record=doctors_letter)

    assert doctors_letter.category == HEALTH
    assert decision.allowed
    assert decision.statute == medical_statute
    assert decision.legal_basis == "§ 69 SGB X (ärztlich)"


def test_a_doctors_document_does_not_travel_on_a_statutory_basis_after_an_objection(
    anna, youth_office, medical_statute, doctors_letter
):
    anna.objects_to_medical_transfer = True
    anna.save()

    decision = ask(anna, youth_office, category=HEALTH, record=doctors_letter)

    assert not decision.allowed
    assert "§ 76 Abs. 2 SGB X" in decision.reason


def test_the_objection_concerns_only_documents_from_a_doctor(anna, youth_office, medical_statute):
    anna.objects_to_medical_transfer = True
    anna.save()
    own_note = DocumentFactory(person=anna, title="Gesprächsvermerk", is_special_category=True)

    assert ask(anna, youth_office, category=HEALTH, record=own_note).statute == medical_statute


def test_a_consent_lets_a_doctors_document_travel_despite_the_objection(
    anna, youth_office, medical_statute, doctors_letter
):
    anna.objects_to_medical_transfer = True
    anna.save()
    given = consent(anna, [youth_office], categories=[HEALTH])

    assert ask(anna, youth_office, category=HEALTH, record=doctors_letter).consent == given


# --- statutory bases -------------------------------------------------------------------------


def test_a_configured_statutory_basis_allows_without_consent_and_is_the_legal_basis(
    anna, agency, network
):
    basis = statute(
        network,
        label="§ 69 Abs. 1 Nr. 1 SGB X",
        recipient_types=[OrganisationType.EMPLOYMENT_AGENCY],
    )

    decision = ask(anna, agency)

    assert decision.allowed
    assert decision.statute == basis
    assert decision.consent is None
    assert decision.legal_basis == "§ 69 Abs. 1 Nr. 1 SGB X"


@pytest.mark.parametrize(
    "configured",
    [
        {"sender_regime": LegalRegime.SGB_XII},
        {"recipient_types": [OrganisationType.YOUTH_OFFICE]},
        {"purposes": [Purpose.CASE_CONFERENCE]},
        {"categories": [categories.HOUSEHOLD]},
        {"is_active": False},
    ],
    ids=[
        "other-sender-regime",
        "other-recipient-type",
        "other-purpose",
        "other-category",
        "inactive",
    ],
)
def test_a_statutory_basis_applies_only_to_what_it_is_configured_for(
    anna, agency, network, configured
):
    statute(network, **{"recipient_types": [OrganisationType.EMPLOYMENT_AGENCY], **configured})

    decision = ask(anna, agency)

    assert not decision.allowed
    assert decision.statute is None


def test_a_statutory_basis_of_another_network_does_not_apply(anna, agency, other_network):
    statute(other_network, recipient_types=[OrganisationType.EMPLOYMENT_AGENCY])

    assert not ask(anna, agency).allowed


def test_a_jobcenter_basis_does_not_cover_the_jugendamts_data(mother, agency, network):
    statute(network, recipient_types=[OrganisationType.EMPLOYMENT_AGENCY])
    assessment(mother, agency, endangers=False)

    assert not ask(mother, agency).allowed


def test_without_consent_or_statutory_basis_nothing_is_allowed(anna, youth_office, agency):
    for recipient in (youth_office, agency):
        for code, _label in categories.choices_for_network(anna.network_id):
            for purpose in Purpose.values:
                assert not ask(anna, recipient, category=code, purpose=purpose).allowed


def test_an_acknowledgement_of_an_earlier_notice_does_not_count(anna, partner, monkeypatch):
    """When the § 78 notice text changes, partners must confirm the new version."""
    from cases import policy

    consent(anna, [partner])
    acknowledge(partner, at=T - DAY)
    assert ask(anna, partner).allowed

    monkeypatch.setattr(policy, "SECRECY_NOTICE_VERSION", 2)

    assert not ask(anna, partner).allowed
