"""The demo case files: realistic in shape, consistent with the models' rules, deterministic.

Assertions run in SQL over all generated rows (never a sample); each checks first that the rows
it is about exist, so an empty result cannot pass by accident.
"""

import hashlib
import re
from datetime import date, timedelta

import pytest
from django.db.models import (
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    Min,
    OuterRef,
    Q,
    Value,
)
from django.db.models.functions import Concat, TruncDate
from django.utils import timezone

from cases import categories
from cases.choices import MemberRole, Purpose, Responsible, Signatory, StepStatus
from cases.demo.consents import STATUTORY_BASES
from cases.demo.step import HOUSEHOLDS_AT_SCALE_1
from cases.models import (
    Consent,
    CooperationPlan,
    DeletionReview,
    Document,
    HelpAssessment,
    Household,
    Need,
    Person,
    PlanGoal,
    PlanStep,
    PlanVersion,
    SecrecyAcknowledgement,
    StatutoryBasis,
)
from cases.models.households import name_key
from cases.services import plan_content
from core.choices import LegalRegime, OrganisationType
from core.demo.generator import generate
from core.models import Membership, Organisation, User
from core.permissions import actor_for
from core.tests.test_demo import _wipe as wipe_core
from directory.choices import OfferStatus

pytestmark = pytest.mark.django_db

SCALE = 0.03  # 600 households at the Jobcenter, 45 persons at the Jugendamt
JOBCENTER = OrganisationType.JOBCENTER
YOUTH_OFFICE = OrganisationType.YOUTH_OFFICE


def _generate(seed=42, scale=SCALE):
    # Referrals (built on these files) are left out; their own tests generate them.
    (ctx,) = generate(seed=seed, scale=scale, log=lambda _: None, steps=("Angebote", "Fallakten"))
    return ctx


def _years_ago(years: int) -> date:
    today = timezone.localdate()
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def _wipe():
    """Case records first (they protect persons, organisations and users), then the county.
    Raw deletes: no change history for throw-away rows."""
    for model in (
        Consent.recipients.through,
        Consent,
        HelpAssessment,
        PlanVersion,
        PlanStep,
        PlanGoal,
        CooperationPlan,
        Document,
        Need,
        Person,
        Household,
        DeletionReview,
        StatutoryBasis,
        SecrecyAcknowledgement,
    ):
        model.objects.all()._raw_delete(model.objects.db)
    wipe_core()


def _fingerprint() -> str:
    """The people the step invented, without database ids or timestamps."""
    rows = [
        *Household.objects.values_list("organisation__type", "number", "case_label", "street"),
        *Person.objects.values_list(
            "organisation__type", "first_name", "last_name", "birth_date", "role", "languages"
        ),
        *Need.objects.values_list("person__name_key", "problem_situation__code", "status"),
        *Consent.objects.values_list("data_subject__name_key", "valid_from", "categories"),
        *PlanStep.objects.values_list("plan__household__number", "description", "due_on"),
    ]
    return hashlib.sha256(repr(sorted(map(repr, rows))).encode()).hexdigest()


def test_the_jobcenter_file_has_the_households_of_a_county_and_the_youth_office_a_smaller_one():
    ctx = _generate()
    households = Household.objects.filter(organisation__type=JOBCENTER)
    assert households.count() == round(HOUSEHOLDS_AT_SCALE_1 * SCALE)
    persons = Person.objects.filter(organisation__type=JOBCENTER)
    # About 2.5 persons per Bedarfsgemeinschaft: 20 000 households, 50 000 persons at scale 1.
    assert 2.2 < persons.count() / households.count() < 2.8
    youth = Person.objects.filter(organisation__type=YOUTH_OFFICE)
    assert 40 <= youth.count() < 80
    assert youth.filter(household__isnull=True).exists()
    assert youth.filter(household__isnull=False).exists()
    assert ctx.counts["Personen"] == Person.objects.count()
    # The demo case worker sees the whole file, and finds cases she opened herself.
    actor = actor_for(User.objects.get(username="fallmanager"))
    assert Household.objects.visible_to(actor).count() == households.count()
    assert households.filter(created_by__username="fallmanager").count() >= 20


def test_households_have_one_to_six_members_of_plausible_ages():
    _generate()
    households = Household.objects.annotate(
        size=Count("members"),
        applicants=Count("members", filter=Q(members__role=MemberRole.APPLICANT)),
    )
    assert households.exists()
    assert not households.exclude(size__range=(1, 6)).exists()
    assert not households.exclude(applicants=1).exists()
    sizes = set(households.values_list("size", flat=True))
    assert sizes == {1, 2, 3, 4, 5, 6}

    children = Person.objects.filter(role=MemberRole.CHILD)
    assert children.exists()
    assert not children.filter(birth_date__lte=_years_ago(18)).exists()
    adults = Person.objects.filter(
        organisation__type=JOBCENTER, role__in=(MemberRole.APPLICANT, MemberRole.PARTNER)
    )
    assert adults.exists()
    too_young_or_old = Q(birth_date__gt=_years_ago(18)) | Q(birth_date__lte=_years_ago(65))
    assert not adults.filter(too_young_or_old).exists()
    # Siblings are at least ten months apart, or twins.
    assert not children.filter(
        household__members__role=MemberRole.CHILD,
        household__members__birth_date__gt=F("birth_date"),
        household__members__birth_date__lt=ExpressionWrapper(
            F("birth_date") + timedelta(days=300), output_field=DateField()
        ),
    ).exists()
    # No child is older than a parent could be.
    assert not children.filter(
        household__members__role=MemberRole.APPLICANT,
        household__members__birth_date__gt=ExpressionWrapper(
            F("birth_date") - timedelta(days=16 * 365), output_field=DateField()
        ),
    ).exists()


def test_persons_are_stored_as_save_would_store_them():
    _generate()
    persons = list(Person.objects.values_list("first_name", "last_name", "name_key"))
    assert persons
    assert [key for *_, key in persons] == [name_key(first, last) for first, last, _ in persons]
    # Members live at the household's address; persons on their own have one themselves.
    alone = Person.objects.filter(household__isnull=True)
    assert alone.exists()
    assert not alone.filter(Q(municipality__isnull=True) | Q(street="")).exists()
    assert not Household.objects.exclude(municipality__network_id=F("network_id")).exists()
    members = Person.objects.filter(household__isnull=False)
    assert not members.exclude(household__organisation_id=F("organisation_id")).exists()
    jobcenter = Household.objects.filter(organisation__type=JOBCENTER)
    assert not jobcenter.exclude(number__regex=r"^\d{5}BG\d{7}$").exists()
    labels = Household.objects.values("organisation", "case_label")
    assert not labels.annotate(n=Count("id")).filter(n__gt=1).exists()
    assert not Household.objects.exclude(case_label__regex=r"^\d{4}-\d{4,}$").exists()
    assert Household.objects.filter(closed_on__lt=_years_ago(3)).exists(), "for retention"
    # Mostly German, and the languages of the county's larger communities.
    assert Person.objects.filter(languages__has="de").count() > 0.6 * len(persons)
    for language in ("tr", "ar", "ru", "uk", "pl", "en"):
        assert Person.objects.filter(languages__has=language).exists(), language


def test_needs_come_from_the_network_taxonomy_with_the_category_save_computes():
    _generate()
    needs = Need.objects.all()
    assert needs.count() > 500
    assert not needs.exclude(problem_situation__network_id=F("network_id")).exists()
    assert not needs.exclude(person__organisation_id=F("organisation_id")).exists()
    health = needs.filter(problem_situation__parent__code=categories.HEALTH_GROUP)
    assert health.exists()
    assert not health.exclude(category=categories.HEALTH, is_special_category=True).exists()
    others = needs.exclude(problem_situation__parent__code=categories.HEALTH_GROUP)
    expected = Concat(Value(categories.NEEDS_PREFIX), F("problem_situation__parent__code"))
    assert not others.exclude(category=expected).exists()
    assert not others.filter(is_special_category=True).exists()
    groups = {"housing", "finances", "qualification", "family"}
    assert groups <= {c.removeprefix("needs.") for c in others.values_list("category", flat=True)}
    assert not needs.filter(since__gt=timezone.localdate()).exists()
    assert not needs.filter(since__lt=F("person__birth_date")).exists()
    # At the Jobcenter, adults have 0–4 needs and children none.
    jobcenter = Person.objects.filter(organisation__type=JOBCENTER).annotate(n=Count("needs"))
    assert jobcenter.filter(n=4).exists()
    assert not jobcenter.filter(n__gt=4).exists()
    assert not jobcenter.filter(role=MemberRole.CHILD, n__gt=0).exists()


def test_entrusted_needs_are_only_at_the_youth_office_and_name_who_entrusted_them():
    _generate()
    entrusted = Need.objects.filter(entrusted=True)
    assert entrusted.count() >= 3
    assert not entrusted.exclude(organisation__type=YOUTH_OFFICE).exists()
    assert not entrusted.filter(entrusted_by__isnull=True).exists()
    assert not entrusted.exclude(entrusted_by__organisation_id=F("organisation_id")).exists()
    assert not entrusted.filter(entrusted_by=F("person")).exists()
    # A third person outside the family (a grandmother, an aunt, a neighbour).
    assert not entrusted.filter(entrusted_by__household__isnull=False).exists()
    assert not Need.objects.filter(entrusted=False, entrusted_by__isnull=False).exists()


def test_consents_name_recipients_and_a_period_recorded_before_it_starts():
    _generate()
    consents = Consent.objects.all()
    assert consents.count() > 100
    counted = consents.annotate(n=Count("recipients"))
    assert not counted.exclude(n__range=(1, 3)).exists()
    through = Consent.recipients.through.objects
    assert not through.filter(organisation_id=F("consent__organisation_id")).exists()
    assert not through.exclude(organisation__network_id=F("consent__network_id")).exists()
    assert not consents.filter(valid_until__lt=F("valid_from")).exists()
    latest_end = ExpressionWrapper(F("valid_from") + timedelta(days=731), output_field=DateField())
    assert not consents.filter(valid_until__gt=latest_end).exists()
    given_on = TruncDate("given_at")
    assert not consents.annotate(given_on=given_on).filter(given_on__gt=F("valid_from")).exists()
    assert not consents.filter(revoked_at__lte=F("given_at")).exists()
    assert not consents.exclude(data_subject__organisation_id=F("organisation_id")).exists()
    assert not consents.filter(
        Q(informed_purpose=False) | Q(informed_refusal=False) | Q(informed_revocation=False)
    ).exists()
    # A real register: valid, revoked and expired consents side by side.
    assert consents.valid_at().exists()
    assert consents.filter(revoked_at__isnull=False).exists()
    assert consents.filter(valid_until__lt=timezone.localdate()).exists()
    signed_for = consents.exclude(signatory=Signatory.SELF)
    assert signed_for.filter(signatory=Signatory.GUARDIAN).exists()
    assert not signed_for.filter(signatory_person__isnull=True, signatory_name="").exists()
    known = {categories.MASTER_DATA, categories.HOUSEHOLD, categories.PLAN}
    known |= {categories.HEALTH, categories.DOCUMENTS}
    used = {code for codes in consents.values_list("categories", flat=True) for code in codes}
    assert categories.MASTER_DATA in used
    assert {code for code in used if not code.startswith(categories.NEEDS_PREFIX)} <= known
    assert all(re.fullmatch(r"needs\.[a-z_]+", c) for c in used - known)
    purposes = {p for codes in consents.values_list("purposes", flat=True) for p in codes}
    assert Purpose.REFERRAL in purposes
    assert purposes <= set(Purpose.values)


def test_plans_follow_the_needs_and_point_at_offers_and_partners_of_the_network():
    ctx = _generate()
    steps = PlanStep.objects.all()
    households = Household.objects.filter(organisation__type=JOBCENTER).count()
    assert 0.45 < CooperationPlan.objects.count() / households < 0.7
    assert not steps.exclude(organisation_id=F("plan__organisation_id")).exists()
    assert not steps.exclude(goal__plan_id=F("plan_id")).exists()
    assert not steps.filter(due_on__lt=F("plan__starts_on")).exists()
    with_offer = steps.filter(responsible=Responsible.OFFER)
    assert with_offer.exists()
    assert not with_offer.exclude(partner_id=F("offer__organisation_id")).exists()
    published = Q(offer__network=ctx.network, offer__status=OfferStatus.PUBLISHED)
    assert not with_offer.exclude(published).exists()
    assert steps.filter(responsible=Responsible.PARTNER, partner__isnull=False).exists()
    assert not steps.filter(responsible=Responsible.PARTNER, partner__isnull=True).exists()
    clients = steps.filter(responsible=Responsible.CLIENT)
    assert clients.exists()
    assert not clients.exclude(responsible_person__household_id=F("plan__household_id")).exists()
    assert not steps.filter(need__is_special_category=True).exists(), "no health data in plans"
    assert not steps.filter(is_special_category=True).exists()
    assert not PlanGoal.objects.filter(is_special_category=True).exists()
    overdue = steps.filter(status__in=(StepStatus.OPEN, StepStatus.IN_PROGRESS))
    assert overdue.filter(due_on__lt=timezone.localdate()).exists()


def test_agreed_versions_hold_what_agreeing_the_plan_would_have_stored():
    _generate()
    versions = PlanVersion.objects.all()
    assert versions.filter(number=2).exists()
    assert not versions.filter(agreed_on__lt=F("plan__starts_on")).exists()
    assert not versions.filter(agreed_on__gt=timezone.localdate()).exists()
    # Versions are numbered 1, 2, … without gaps.
    numbers = CooperationPlan.objects.annotate(
        n=Count("versions"), low=Min("versions__number"), high=Max("versions__number")
    )
    assert not numbers.filter(n__gt=0).exclude(low=1, high=F("n")).exists()
    current = CooperationPlan.objects.filter(changed_since_agreement=False)
    assert current.exists()
    # Comparing JSON with what services.plan_content computes needs Python, plan by plan.
    for plan in current.prefetch_related("goals"):
        assert plan.versions.order_by("-number").first().content == plan_content(plan)
    never_agreed = CooperationPlan.objects.filter(versions__isnull=True)
    assert never_agreed.exists()
    assert not never_agreed.filter(changed_since_agreement=False).exists()


def test_statutory_bases_and_secrecy_acknowledgements_are_configured():
    ctx = _generate()
    bases = StatutoryBasis.objects.filter(network=ctx.network)
    assert bases.count() == len(STATUTORY_BASES)
    referral = bases.get(label="§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 50 SGB II")
    assert referral.sender_regime == LegalRegime.SGB_II
    assert referral.recipient_types == [OrganisationType.EMPLOYMENT_AGENCY]
    assert referral.purposes == [Purpose.REFERRAL]
    assert referral.categories == [categories.MASTER_DATA, "needs.qualification"]
    acknowledged = SecrecyAcknowledgement.objects.filter(network=ctx.network)
    assert acknowledged.exists()
    assert not acknowledged.exclude(organisation__legal_regime=LegalRegime.NONE).exists()
    partners = Organisation.objects.filter(
        network=ctx.network, legal_regime=LegalRegime.NONE
    ).count()
    assert 0.25 * partners < acknowledged.count() < 0.75 * partners
    staff = Membership.objects.filter(
        user_id=OuterRef("acknowledged_by_id"), organisation_id=OuterRef("organisation_id")
    )
    assert not acknowledged.exclude(Exists(staff)).exists()


def test_generated_case_records_pass_model_validation():
    _generate(scale=0.005)
    records = [
        *Household.objects.select_related("organisation", "municipality"),
        *Person.objects.select_related("organisation", "household", "municipality"),
        *Need.objects.select_related("organisation", "person", "problem_situation", "entrusted_by"),
        *PlanStep.objects.select_related("plan", "goal", "partner", "offer", "need"),
        *PlanVersion.objects.all(),
    ]
    assert len(records) > 500
    for record in records:
        record.full_clean()
    for consent in Consent.objects.select_related("data_subject", "signatory_person"):
        consent.full_clean()
        consent.clean_recipients(list(consent.recipients.all()))


def test_the_same_seed_gives_the_same_people():
    _generate(seed=7, scale=0.02)
    first = _fingerprint()
    names = set(Person.objects.values_list("first_name", "last_name"))
    assert names
    _wipe()
    _generate(seed=7, scale=0.02)
    assert _fingerprint() == first
    _wipe()
    _generate(seed=8, scale=0.02)
    assert _fingerprint() != first
    assert set(Person.objects.values_list("first_name", "last_name")) != names


def test_the_same_seed_gives_the_same_people_on_another_day_of_the_year(monkeypatch):
    def people():
        return sorted(
            Person.objects.values_list("first_name", "last_name", "role", "languages", "phone")
        )

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 3, 2))
    _generate(seed=7, scale=0.02)
    spring = people()
    assert spring
    _wipe()
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: date(2025, 10, 15))
    _generate(seed=7, scale=0.02)
    assert people() == spring
