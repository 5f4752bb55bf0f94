"""What the referral step reads from the database once per network, and the two things it
computes from it the way the app does: the legal basis of each category (as ``cases.policy``
decides it) and the snapshot (as ``referrals.snapshot.build`` freezes it).

Asking ``cases.policy.decide`` and ``snapshot.build`` per referral would cost a dozen queries
each – minutes for a year of referrals. Instead the case file, the consents, the statutory bases
and the § 78 acknowledgements are read once into dictionaries, and the rules are applied in
memory in the same order. ``referrals/tests/test_demo_referrals.py`` checks a sample against the
real functions, so the two cannot drift apart unnoticed.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from django.db import models
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import categories
from cases.choices import MemberRole, Purpose, Severity, Signatory
from cases.models import (
    Consent,
    Household,
    Need,
    Person,
    SecrecyAcknowledgement,
    StatutoryBasis,
)
from cases.models.consents import SECRECY_NOTICE_VERSION
from core.choices import LegalRegime, Role
from core.demo.generator import DemoContext
from core.models import Membership
from directory.choices import OfferStatus
from directory.models import Offer
from referrals.snapshot import SCHEMA_VERSION


@cache
def zone():
    """The project's time zone (``timezone.localtime`` asks for the active zone on each call,
    which cost more than the rest of planning a referral)."""
    return timezone.get_default_timezone()


def local(moment: datetime) -> datetime:
    return moment.astimezone(zone())


def local_day(moment: datetime) -> date:
    return moment.astimezone(zone()).date()


# Roles that handle referrals at the recipient (Perm.HANDLE_REFERRALS), most work first.
HANDLING_ROLES = (Role.CASE_WORKER, Role.PARTNER_STAFF, Role.TEAM_LEAD)


@dataclass(slots=True)
class PersonRow:
    id: int
    organisation_id: int
    household_id: int | None
    role: str
    first_name: str
    last_name: str
    birth_date: date
    phone: str
    email: str
    raw_languages: str  # the column as stored ("|de|ar|"), parsed only for snapshots
    disputed_note: str
    worker_id: int | None
    street: str
    postal_code: str
    municipality_id: int | None
    needs: list[NeedRow] = field(default_factory=list)


@dataclass(slots=True)
class NeedRow:
    id: int
    person_id: int
    code: str
    label: str
    category: str
    description: str
    severity: str
    since: date | None
    entrusted: bool
    created_at: datetime

    @property
    def group(self) -> str:
        return self.code.split(".")[0]


@dataclass(slots=True)
class ConsentRow:
    id: int
    organisation_id: int
    person_id: int
    given_at: datetime
    valid_from: date
    valid_until: date
    revoked_at: datetime | None
    revoked_by_id: int | None
    categories: frozenset
    recipients: list[int] = field(default_factory=list)

    def valid_at(self, moment: datetime) -> bool:
        """As ``ConsentQuerySet.valid_at``."""
        day = local_day(moment)
        return (
            self.given_at <= moment
            and self.valid_from <= day <= self.valid_until
            and (self.revoked_at is None or self.revoked_at > moment)
        )


@dataclass(frozen=True, slots=True)
class Basis:
    text: str
    consent: int | None
    statute: int | None

    def as_json(self) -> dict:
        return {"basis": self.text, "consent": self.consent, "statute": self.statute}


class Sources:
    """The network's case files, consents, rules, staff and offers, read once."""

    def __init__(self, ctx: DemoContext):
        network = ctx.network
        self.organisations = {org.pk: org for org in ctx.organisations.values()}
        self.parse_languages = Person._meta.get_field("languages").to_python
        # Display labels in the active language, as get_…_display() gives them (codes of the
        # two choice sets do not overlap).
        self.labels = {
            **{code: str(label) for code, label in Severity.choices},
            **{code: str(label) for code, label in MemberRole.choices},
        }
        self.municipality_names = {m.pk: m.name for m in ctx.municipalities.values()}
        # Persons of open cases (a closed case is not referred any more). Languages come as the
        # raw column: converting 50 000 code sets costs more than all snapshots together.
        self.persons: dict[int, PersonRow] = {
            row[0]: PersonRow(*row)
            for row in Person.objects.filter(network=network, closed_on__isnull=True)
            .annotate(raw_languages=Cast("languages", models.TextField()))
            .order_by("pk")
            .values_list(
                "id",
                "organisation_id",
                "household_id",
                "role",
                "first_name",
                "last_name",
                "birth_date",
                "phone",
                "email",
                "raw_languages",
                "disputed_note",
                "created_by_id",
                "street",
                "postal_code",
                "municipality_id",
            )
        }
        self.members: dict[int, list[PersonRow]] = defaultdict(list)
        for person in self.persons.values():
            if person.household_id is not None:
                self.members[person.household_id].append(person)
        for members in self.members.values():
            members.sort(key=lambda p: (p.birth_date, p.id))
        self.households = {
            pk: (street, postal_code, municipality_id)
            for pk, street, postal_code, municipality_id in Household.objects.filter(
                network=network, closed_on__isnull=True
            ).values_list("id", "street", "postal_code", "municipality_id")
        }
        needs = Need.objects.filter(network=network, person__closed_on__isnull=True).order_by("pk")
        for row in needs.values_list(
            "id",
            "person_id",
            "problem_situation__code",
            "problem_situation__label",
            "category",
            "description",
            "severity",
            "since",
            "entrusted",
            "created_at",
        ):
            need = NeedRow(*row)
            self.persons[need.person_id].needs.append(need)
        self._consents(network)
        self.statutes = [
            (pk, label, regime, set(types), set(purposes), set(codes))
            for pk, label, regime, types, purposes, codes in StatutoryBasis.objects.filter(
                network=network, is_active=True
            )
            .order_by("label")
            .values_list(
                "id", "label", "sender_regime", "recipient_types", "purposes", "categories"
            )
        ]
        self.acknowledged: dict[int, datetime] = {}
        for org_id, moment in SecrecyAcknowledgement.objects.filter(
            network=network, notice_version=SECRECY_NOTICE_VERSION
        ).values_list("organisation_id", "acknowledged_at"):
            self.acknowledged[org_id] = min(moment, self.acknowledged.get(org_id, moment))
        self._staff(network)
        self._offers(network)

    # --- loading -----------------------------------------------------------------------------

    def _consents(self, network) -> None:
        """Consents that can carry a referral: the person's own or the guardian's (a § 65
        entrusting person's consent covers only case conferences in the demo, see policy)."""
        rows = (
            Consent.objects.filter(
                network=network,
                purposes__has=Purpose.REFERRAL,
                signatory__in=[Signatory.SELF, Signatory.GUARDIAN],
            )
            .order_by("pk")
            .values_list(
                "id",
                "organisation_id",
                "data_subject_id",
                "given_at",
                "valid_from",
                "valid_until",
                "revoked_at",
                "revoked_by_id",
                "categories",
            )
        )
        self.consents: dict[int, ConsentRow] = {}
        for pk, org, subject, given, start, end, revoked, revoker, codes in rows:
            if subject in self.persons:
                self.consents[pk] = ConsentRow(
                    pk, org, subject, given, start, end, revoked, revoker, frozenset(codes)
                )
        self.by_person_recipient: dict[tuple[int, int], list[ConsentRow]] = defaultdict(list)
        for consent_id, org_id in (
            Consent.recipients.through.objects.filter(consent__network=network)
            .order_by("consent_id", "organisation_id")
            .values_list("consent_id", "organisation_id")
        ):
            consent = self.consents.get(consent_id)
            if consent is not None:
                consent.recipients.append(org_id)
                self.by_person_recipient[(consent.person_id, org_id)].append(consent)
        self.named_recipients: dict[int, list[int]] = defaultdict(list)
        for person_id, org_id in self.by_person_recipient:
            self.named_recipients[person_id].append(org_id)
        for found in self.by_person_recipient.values():
            # The policy takes the latest covering consent.
            found.sort(key=lambda c: (c.given_at, c.id), reverse=True)
        self._consent_texts: dict[int, str] = {}

    def _staff(self, network) -> None:
        """Who handles referrals at each organisation, and in which team (by user name)."""
        self.handlers: dict[int, list[int]] = defaultdict(list)
        self.teams: dict[tuple[int, str], list[int]] = defaultdict(list)
        rows = (
            Membership.objects.filter(
                organisation__network=network, is_active=True, role__in=HANDLING_ROLES
            )
            .order_by("organisation_id", "user__username")
            .values_list("organisation_id", "user_id", "role", "team__name")
        )
        for org_id, user_id, role, team in rows:
            if role != Role.TEAM_LEAD:
                self.handlers[org_id].append(user_id)
                if team:
                    self.teams[(org_id, team)].append(user_id)
        # Organisations with only a team lead: the lead handles referrals.
        for org_id, user_id, role, _team in rows:
            if role == Role.TEAM_LEAD and not self.handlers.get(org_id):
                self.handlers[org_id].append(user_id)

    def _offers(self, network) -> None:
        """Published offers by organisation, and by organisation and problem group."""
        offers = Offer.objects.filter(network=network, status=OfferStatus.PUBLISHED)
        self.offers: dict[int, list[int]] = defaultdict(list)
        owner = {}
        for pk, org_id in offers.order_by("pk").values_list("id", "organisation_id"):
            self.offers[org_id].append(pk)
            owner[pk] = org_id
        self.offers_for: dict[tuple[int, str], list[int]] = defaultdict(list)
        through = Offer.problem_situations.through.objects.filter(offer__in=offers)
        for offer_id, code in through.order_by("offer_id", "pk").values_list(
            "offer_id", "problemsituation__code"
        ):
            key = (owner[offer_id], code.split(".")[0])
            if offer_id not in self.offers_for[key]:
                self.offers_for[key].append(offer_id)

    # --- the policy, in memory -----------------------------------------------------------------

    def may_receive(self, recipient_id: int, moment: datetime) -> bool:
        """Rule 2 of ``cases.policy``: a partner without statutory duty must have acknowledged
        § 78 SGB X before ``moment``."""
        if self.organisations[recipient_id].legal_regime != LegalRegime.NONE:
            return True
        acknowledged = self.acknowledged.get(recipient_id)
        return acknowledged is not None and acknowledged <= moment

    def basis(self, person: PersonRow, recipient_id: int, category: str, at) -> Basis | None:
        """The basis ``cases.policy.decide`` finds for a non-entrusted record: the latest valid
        consent naming the recipient, else the first statutory basis by label. The caller has
        checked rules 1–3 (same network, § 78, and § 64 via a help assessment)."""
        for consent in self.by_person_recipient.get((person.id, recipient_id), ()):
            if (
                consent.organisation_id == person.organisation_id
                and category in consent.categories
                and consent.valid_at(at)
            ):
                return Basis(self._consent_text(consent), consent.id, None)
        controller = self.organisations[person.organisation_id]
        recipient = self.organisations[recipient_id]
        for pk, label, regime, types, purposes, codes in self.statutes:
            if (
                regime == controller.legal_regime
                and recipient.type in types
                and Purpose.REFERRAL in purposes
                and category in codes
            ):
                return Basis(label, None, pk)
        return None

    def _consent_text(self, consent: ConsentRow) -> str:
        """As ``cases.policy.Decision.legal_basis`` words it for a consent."""
        if consent.id not in self._consent_texts:
            self._consent_texts[consent.id] = _(
                "Einwilligung vom %(date)s (§ 67b SGB X), Nr. %(pk)s"
            ) % {
                "date": local(consent.given_at).strftime("%d.%m.%Y"),
                "pk": consent.id,
            }
        return self._consent_texts[consent.id]

    def bases(self, person, recipient_id, wanted, at) -> dict[str, Basis]:
        found = {}
        for code in wanted:
            basis = self.basis(person, recipient_id, code, at)
            if basis is not None:
                found[code] = basis
        return found

    def consents_in(self, organisation_id: int, start: date, end: date) -> list[ConsentRow]:
        """Consents of ``organisation`` that are valid on some day between start and end."""
        return [
            c
            for c in self.consents.values()
            if c.organisation_id == organisation_id
            and c.valid_from <= end
            and c.valid_until >= start
            and (c.revoked_at is None or local_day(c.revoked_at) > start)
        ]

    # --- the snapshot, as referrals.snapshot.build freezes it ----------------------------------

    def snapshot(
        self, person: PersonRow, chosen, needs: list[NeedRow], at, sender_name: str
    ) -> dict:
        chosen = set(chosen)
        data: dict = {
            "schema": SCHEMA_VERSION,
            "taken_at": at.astimezone(UTC).isoformat(),
            "sender": sender_name,
            "categories": sorted(chosen),
        }
        if categories.MASTER_DATA in chosen:
            data["person"] = {
                "first_name": person.first_name,
                "last_name": person.last_name,
                "birth_date": person.birth_date.isoformat(),
                "phone": person.phone,
                "email": person.email,
                "languages": self.parse_languages(person.raw_languages),
            }
            if person.disputed_note:
                data["person"]["disputed_note"] = person.disputed_note
        if categories.HOUSEHOLD in chosen:
            data["household"] = self._household(person, at)
        shared = [
            {
                "situation": need.label,
                "category": need.category,
                "description": need.description,
                "severity": self.labels[need.severity],
                "since": need.since.isoformat() if need.since else None,
            }
            for need in needs
            if need.category in chosen and not need.entrusted
        ]
        if shared:
            data["needs"] = shared
        return data

    def _household(self, person: PersonRow, at) -> dict:
        if person.household_id is None or person.household_id not in self.households:
            return {
                "street": person.street,
                "postal_code": person.postal_code,
                "municipality": self.municipality_names.get(person.municipality_id, ""),
                "members": [],
            }
        street, postal_code, municipality_id = self.households[person.household_id]
        day = local_day(at)
        return {
            "street": street,
            "postal_code": postal_code,
            "municipality": self.municipality_names.get(municipality_id, ""),
            "members": [
                {
                    "first_name": member.first_name,
                    "role": self.labels[member.role],
                    "age": _age_on(member.birth_date, day),
                }
                for member in self.members[person.household_id]
                if member.id != person.id
            ],
        }


def _age_on(birth_date: date, day: date) -> int:
    """As ``Person.age_on``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


class WorkingDays:
    """The working days of a window (sorted), for drawing sending days and counting deadlines."""

    def __init__(self, days: list[date], weights: list[float]):
        self.days = days
        self.cumulative = []
        total = 0.0
        for weight in weights:
            total += weight
            self.cumulative.append(total)

    def index_after(self, day: date) -> int:
        """Index of the first working day strictly after ``day``."""
        return bisect_left(self.days, day.toordinal() + 1, key=date.toordinal)

    def draw(self, rng, low: int = 0, high: int | None = None) -> date | None:
        """A working day with index in [low, high), weighted by season; None if empty."""
        high = len(self.days) if high is None else high
        if low >= high:
            return None
        base = self.cumulative[low - 1] if low else 0.0
        target = base + rng.random() * (self.cumulative[high - 1] - base)
        return self.days[min(high - 1, bisect_left(self.cumulative, target, lo=low, hi=high))]
