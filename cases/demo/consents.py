"""Consents (§ 67b SGB X), statutory bases (§ 69 SGB X) and § 78 acknowledgements of a network.

Consents follow ``Consent.clean()``: recorded (``given_at``) on or before the first day they
apply, at most ``CONSENT_MAX_MONTHS`` long, the data subject informed; under-15s sign through
their parent, 15–17-year-olds themselves with capacity confirmed, and data entrusted to the
Jugendamt (§ 65 SGB VIII) is released by the person who entrusted it. Some are revoked, many
have run out – a real register is mostly history.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import accumulate

from django.conf import settings
from django.utils import timezone

from cases import categories
from cases.choices import ConsentForm, MemberRole, Purpose, Signatory
from cases.demo import texts
from cases.demo.bulk import Tables
from cases.demo.names import NameMaker
from cases.demo.people import Case, age_on, aware, between
from cases.models import Consent, SecrecyAcknowledgement, StatutoryBasis
from cases.models.consents import SELF_CONSENT_AGE, add_months
from core.choices import LegalRegime, OrganisationType
from core.demo.generator import DemoContext
from core.models import Membership, Organisation

RECIPIENT_COUNTS = list(accumulate((50, 35, 15)))  # 1, 2 or 3 named recipients
DURATIONS = (6, 12, 12, 12, 24)  # months
EXTRA_PURPOSES = (Purpose.JOINT_PLANNING, Purpose.FEEDBACK, Purpose.CASE_CONFERENCE)
REVOKED_SHARE = 0.12


class ConsentBuilder:
    def __init__(self, ctx: DemoContext, tables: Tables, organisation: Organisation):
        self.ctx, self.rng = ctx, ctx.rng
        self.consents = tables[Consent]
        self.recipients = tables[Consent.recipients.through]
        self.organisation = organisation
        self.names = NameMaker(ctx.rng)
        self.today = timezone.localdate()
        self.partners: dict[str, list[int]] = {}
        self.count = 0

    def jobcenter(self, cases: list[Case]) -> int:
        rng = self.rng
        for case in cases:
            if case.closed or not case.adults or rng.random() >= 0.3:
                continue
            applicant = case.members[0]
            for person in case.members:
                share = {MemberRole.APPLICANT: 1.0, MemberRole.PARTNER: 0.6}.get(
                    person["role"], 0.15
                )
                if rng.random() < share:
                    self._consent(case, person, guardian=applicant)
        return self.count

    def youth_office(self, cases: list[Case]) -> int:
        rng = self.rng
        for case in cases:
            if case.closed:
                continue
            parent = case.members[0] if case.household is not None else None
            for person in case.members:
                if (
                    (person["role"] == MemberRole.CHILD or case.household is None)
                    and rng.random() < 0.15
                    and any(n["_person"] is person for n in case.needs)
                ):
                    self._consent(case, person, guardian=parent, recipients=texts.YOUTH_RECIPIENTS)
            for need, helper in case.entrusted:
                if rng.random() < 0.5:
                    self._consent(
                        case,
                        need["_person"],
                        entrusting=helper,
                        only=[need],
                        recipients=texts.YOUTH_RECIPIENTS,
                    )
        return self.count

    def _consent(
        self,
        case: Case,
        person: dict,
        *,
        guardian: dict | None = None,
        entrusting: dict | None = None,
        only: list[dict] | None = None,
        recipients: tuple[str, ...] | None = None,
    ) -> None:
        rng = self.rng
        needs = only or [n for n in case.needs if n["_person"] is person]
        earliest = max(case.opened, person["birth_date"] + timedelta(days=1))
        span = (self.today - earliest).days
        if span < 2:
            return
        given_day = self.today - timedelta(days=between(rng, 1, min(span, 5 * 365)))
        age = age_on(person["birth_date"], given_day)
        signatory, signatory_person_id, signatory_name, capacity = Signatory.SELF, None, "", False
        # Drawn for everybody: whether it is needed depends on an age, i.e. on today's date.
        mother = self.names.first_name(None, True, self.today.year - age - 28)
        if entrusting is not None:
            signatory, signatory_person_id = Signatory.ENTRUSTING, entrusting["id"]
        elif age < SELF_CONSENT_AGE:
            signatory = Signatory.GUARDIAN
            if (
                guardian is not None
                and guardian is not person
                and age_on(guardian["birth_date"], given_day) >= 18
            ):
                signatory_person_id = guardian["id"]
            else:
                signatory_name = f"Mutter: {mother} {person['last_name']}"
        elif age < 18:
            capacity = True
        valid_from = given_day + timedelta(days=0 if rng.random() < 0.7 else rng.randint(1, 14))
        months = min(rng.choice(DURATIONS), settings.CONSENT_MAX_MONTHS)
        valid_until = add_months(valid_from, months) - timedelta(days=1)
        revoked_at = None
        revoke, when, moment = rng.random() < REVOKED_SHARE, rng.random(), aware(given_day, rng)
        last = min(valid_until, self.today - timedelta(days=1))
        if revoke and last > given_day:
            day = given_day + timedelta(days=1 + int(when * (last - given_day).days))
            revoked_at = moment.replace(year=day.year, month=day.month, day=day.day)
        given_at = aware(given_day, rng)
        consent = self.consents.add(
            network_id=self.ctx.network.pk,
            organisation_id=self.organisation.pk,
            created_at=given_at,
            created_by_id=case.worker_id,
            data_subject_id=person["id"],
            signatory=signatory,
            signatory_person_id=signatory_person_id,
            signatory_name=signatory_name,
            capacity_confirmed=capacity,
            purposes=self._purposes(entrusting is not None),
            purpose_note=rng.choice(texts.CONSENT_NOTES),
            categories=self._categories(needs, entrusting is not None, case),
            informed_purpose=True,
            informed_refusal=True,
            informed_revocation=True,
            given_at=given_at,
            valid_from=valid_from,
            valid_until=valid_until,
            form=ConsentForm.WRITTEN if rng.random() < 0.85 else ConsentForm.ELECTRONIC,
            revoked_at=revoked_at,
            revoked_by_id=case.worker_id if revoked_at else None,
        )
        groups = [n["category"].removeprefix(categories.NEEDS_PREFIX) for n in needs]
        for organisation_id in self._recipients(groups, recipients):
            self.recipients.add(consent_id=consent["id"], organisation_id=organisation_id)
        self.count += 1

    def _purposes(self, entrusted: bool) -> list[str]:
        rng = self.rng
        if entrusted:
            return [Purpose.CASE_CONFERENCE]
        purposes = [Purpose.REFERRAL] if rng.random() < 0.7 else []
        purposes += rng.sample(EXTRA_PURPOSES, rng.randint(0 if purposes else 1, 2))
        return sorted(set(purposes))

    def _categories(self, needs: list[dict], entrusted: bool, case: Case) -> list[str]:
        rng = self.rng
        if entrusted:
            return sorted({categories.MASTER_DATA, *(n["category"] for n in needs)})
        chosen = {categories.MASTER_DATA}
        need_categories = sorted({n["category"] for n in needs} - {categories.HEALTH})
        chosen.update(rng.sample(need_categories, min(len(need_categories), 3)))
        if any(n["is_special_category"] for n in needs) and rng.random() < 0.4:
            chosen.add(categories.HEALTH)
        for code, share in (
            (categories.HOUSEHOLD, 0.25 if case.household is not None else 0),
            (categories.PLAN, 0.35),
            (categories.DOCUMENTS, 0.1),
        ):
            if rng.random() < share:
                chosen.add(code)
        return sorted(chosen)

    def _recipients(self, groups: list[str], specs: tuple[str, ...] | None) -> list[int]:
        """1–3 named organisations: those for the person's needs first, then usual partners."""
        rng = self.rng
        wanted = list(specs or ())
        if specs is None:
            for group in groups:
                wanted += texts.RECIPIENTS.get(group, ())
            wanted += texts.DEFAULT_RECIPIENTS
        candidates = []
        for spec in dict.fromkeys(wanted):
            if spec not in self.partners:
                self.partners[spec] = [
                    org.pk
                    for key, org in self.ctx.organisations.items()
                    if key.startswith(spec) and org.pk != self.organisation.pk
                ]
            if self.partners[spec]:
                candidates.append(rng.choice(self.partners[spec]))
        candidates = list(dict.fromkeys(candidates))
        count = rng.choices((1, 2, 3), cum_weights=RECIPIENT_COUNTS)[0]
        return candidates[: max(1, min(count, len(candidates)))]


# --- network-wide rules ----------------------------------------------------------------------

STATUTORY_BASES = [
    # label, sender regime, recipient types, purposes, categories, active
    (
        "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 50 SGB II",
        LegalRegime.SGB_II,
        [OrganisationType.EMPLOYMENT_AGENCY],
        [Purpose.REFERRAL],
        [categories.MASTER_DATA, "needs.qualification"],
        True,
    ),
    (
        "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 9a SGB III",
        LegalRegime.SGB_III,
        [OrganisationType.JOBCENTER],
        [Purpose.REFERRAL, Purpose.JOINT_PLANNING],
        [categories.MASTER_DATA, "needs.qualification", "needs.transition"],
        True,
    ),
    (
        "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 16a SGB II",
        LegalRegime.SGB_II,
        [OrganisationType.SOCIAL_WELFARE_OFFICE],
        [Purpose.REFERRAL],
        [categories.MASTER_DATA, categories.HOUSEHOLD, "needs.housing", "needs.finances"],
        True,
    ),
    (
        "§ 69 Abs. 1 Nr. 1 SGB X i. V. m. § 50 SGB II (Fassung 2023, ersetzt)",
        LegalRegime.SGB_II,
        [OrganisationType.EMPLOYMENT_AGENCY],
        [Purpose.REFERRAL, Purpose.FEEDBACK],
        [categories.MASTER_DATA],
        False,
    ),
]


def statutory_bases(ctx: DemoContext) -> list[StatutoryBasis]:
    rows = [
        StatutoryBasis(
            network_id=ctx.network.pk,
            label=label,
            sender_regime=regime,
            recipient_types=types,
            purposes=purposes,
            categories=codes,
            is_active=active,
        )
        for label, regime, types, purposes, codes, active in STATUTORY_BASES
    ]
    return StatutoryBasis.objects.bulk_create(rows)


def secrecy_acknowledgements(ctx: DemoContext) -> list[SecrecyAcknowledgement]:
    """About half of the partners without statutory duty have signed § 78 SGB X."""
    rng = ctx.rng
    today = timezone.localdate()
    partners = [org for org in ctx.organisations.values() if org.legal_regime == LegalRegime.NONE]
    signers: dict[int, int] = {}
    for org_id, user_id in (
        Membership.objects.filter(organisation__in=partners, is_active=True)
        .order_by("organisation_id", "user__username")
        .values_list("organisation_id", "user_id")
    ):
        signers.setdefault(org_id, user_id)
    rows = [
        SecrecyAcknowledgement(
            network_id=ctx.network.pk,
            organisation=org,
            acknowledged_by_id=signers[org.pk],
            acknowledged_at=aware(today - timedelta(days=rng.randint(5, 700)), rng),
        )
        for org in partners
        if rng.random() < 0.5 and org.pk in signers
    ]
    return SecrecyAcknowledgement.objects.bulk_create(rows)
