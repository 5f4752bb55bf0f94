"""The generator step "Überleitungen": a year of referrals and advisory pointers in a network.

At scale 1 about 17 000 referrals and 3 300 pointers, sent on working days during office hours
in the 365 days before today, mostly by the Jobcenter's case managers, some by the Jugendamt
(the Sozialamt keeps no case files in the demo, so it only receives). Who is referred where
follows the legal bases the network really has:

- the statutory bases of the demo (``cases.demo.consents.STATUTORY_BASES``) carry the bulk: the
  Jobcenter refers to the Agentur für Arbeit (§ 50 SGB II: master data, qualification needs) and
  to the Sozialamt (§ 16a SGB II: household, housing and finance needs – threatened loss of
  housing and benefit payment problems);
- every other referral rests on a consent of the person that names the recipient, is valid on
  the day and covers each category sent; partners without statutory duty receive data only
  after they acknowledged § 78 SGB X, and the Jugendamt records its § 64 Abs. 2 SGB VIII
  assessment first (a ``HelpAssessment`` row, written here);
- where no basis exists the case manager records an advisory pointer instead (no data, no
  snapshot).

What happened after sending is simulated in ``referrals.demo.lifecycle``; the snapshot and the
bases are what ``referrals.snapshot`` and ``cases.policy`` produce (``referrals.demo.sources``).
Forwarded referrals get their onward referral with the narrowed snapshot, as
``services.forward`` makes it.

As in the case files step (see ``cases.demo.step``), no audit entries and no notifications are
written: generated referrals are nobody's data and nobody read or sent them, and an entry per
row would bury the demo's real audit trail. Rows go in with ``cases.demo.bulk`` (raw inserts,
``COPY`` on PostgreSQL), ordered by the moment they were created, so numbers grow with time.
"""

from __future__ import annotations

import functools
import random
from datetime import UTC, date, datetime, timedelta
from itertools import count

from django.conf import settings
from django.utils import timezone, translation

from cases import categories
from cases.choices import Purpose
from cases.demo.bulk import Tables
from cases.models import HelpAssessment
from core import workdays
from core.choices import LegalRegime, OrganisationType
from core.demo.generator import DemoContext, register_step
from referrals.choices import Kind, Status, Track
from referrals.demo import texts
from referrals.demo.lifecycle import Lifecycle, Planned, at_time
from referrals.demo.sources import NeedRow, PersonRow, Sources, WorkingDays, local_day
from referrals.models import (
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralSettings,
    deadlines_for,
)
from referrals.snapshot import narrowed_snapshot

DAYS = 365
HOUSING = ("housing.threatened_loss", "housing.rent_arrears", "housing.homelessness")
QUALIFICATION = (
    "qualification.vocational_training",
    "qualification.work_experience",
    "qualification.school_certificate",
    "qualification.german_language",
    "qualification.digital_skills",
    "age.older_jobseekers",
)
YOUNG = (
    "qualification.school_certificate",
    "qualification.vocational_training",
    "transition.career_orientation",
    "transition.apprenticeship_search",
)
# Referrals on a statutory basis, at scale 1: (recipient, track, need codes, under 25?, count).
STATUTORY = (
    ("social_welfare_office", Track.HOUSING_LOSS, HOUSING, False, 2_000),
    ("social_welfare_office", Track.BENEFIT_PAYMENT, ("finances.benefit_payment",), False, 1_250),
    ("social_welfare_office", Track.STANDARD, (*HOUSING, "finances.debt"), False, 1_900),
    ("employment_agency", Track.SCHOOL_TO_WORK, YOUNG, True, 1_400),
    ("employment_agency", Track.STANDARD, QUALIFICATION, False, 7_700),
)
# Per consent that names recipients for referrals: a referral on it, and a second one.
CONSENT_USED = 0.8
CONSENT_USED_TWICE = 0.25
POINTER_SHARE = 0.15  # of everything recorded
YOUTH_POINTER_SHARE = 0.08  # of the pointers
DRAFTS_AT_SCALE_1 = 70
MESSAGE_SHARE = 0.12
HOUSEHOLD_SHARE = 0.5  # referrals that carry the household (where the basis covers it)
SECOND_NEED = 0.3
OFFER_SHARE = 0.45  # referrals addressed to a matching offer of the recipient
DUPLICATE_DAYS = 30  # no second referral of a person to the same place within this time
# Where case managers point people without sending data, by problem group (organisation keys
# of core/demo/generator.py; "…:" means any of that kind, the person's own town first).
POINTER_TARGETS = {
    "housing": ("welfare:Diakonisches", "municipality:", "neighbourhood_centre:"),
    "finances": ("welfare:Caritas", "neighbourhood_centre:"),
    "qualification": ("volunteer_agency", "neighbourhood_centre:", "employer:", "school:"),
    "family": ("neighbourhood_centre:", "welfare:DRK", "youth_office"),
    "health": ("welfare:Suchthilfe", "self_help"),
    "legal": ("immigration_office", "welfare:AWO"),
    "transition": ("employment_agency", "school:", "employer:"),
    "age": ("employment_agency", "volunteer_agency"),
    "mobility": ("municipality:",),
    "motivation": ("neighbourhood_centre:", "volunteer_agency", "self_help"),
}
# Fewer referrals in the summer holidays and around Christmas.
MONTH_WEIGHTS = {7: 0.85, 8: 0.7, 12: 0.8}
FORWARD_TARGETS = ("employment_agency", "social_welfare_office", "youth_office", "jobcenter")


def _own_stream(ctx: DemoContext) -> random.Random:
    """A random stream of this step alone (see ``cases.demo.step._own_stream``)."""
    return random.Random(f"{ctx.seed}:{ctx.index}:referrals")


@register_step(order=400, name="Überleitungen")
def referrals(ctx: DemoContext) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        planner = Planner(ctx, _own_stream(ctx))
        planner.plan()
        rows = planner.flush()
    ctx.counts["Überleitungen"] = planner.count(Kind.REFERRAL)
    ctx.counts["Beratende Hinweise"] = planner.count(Kind.POINTER)
    ctx.counts["Überleitungsereignisse"] = rows["ReferralEvent"]
    ctx.counts["Überleitungsnachrichten"] = rows["ReferralMessage"]
    ctx.counts["Prüfungen § 64 SGB VIII"] = rows.get("HelpAssessment", 0)


def _age(person: PersonRow, day: date) -> int:
    years = day.year - person.birth_date.year
    return years - ((day.month, day.day) < (person.birth_date.month, person.birth_date.day))


def _day_after(moment: datetime) -> date:
    return local_day(moment) + timedelta(days=1)


class Planner:
    def __init__(self, ctx: DemoContext, rng: random.Random):
        self.ctx, self.rng = ctx, rng
        self.network = ctx.network
        self.sources = Sources(ctx)
        # Everything happens until ten past midnight today (the escalation task's first run of
        # the day included): two runs on the same day give the same data.
        now = timezone.now()
        self.today = local_day(now)
        cut = at_time(self.today, 0, 10)
        self.now = cut if now >= cut else now
        self.start = self.today - timedelta(days=DAYS)
        state = self.network.federal_state
        self.life = Lifecycle(
            first=self.start - timedelta(days=7),
            rng=rng,
            now=self.now,
            state=state,
            deadlines={track: deadlines_for(self.network, track) for track in Track.values},
            second_after=ReferralSettings.for_network(self.network).second_escalation_after,
        )
        days = [
            self.start + timedelta(days=n)
            for n in range(DAYS)
            if self.life.is_working_day(self.start + timedelta(days=n))
        ]
        self.window = WorkingDays(days, [MONTH_WEIGHTS.get(d.month, 1.0) for d in days])
        self.orgs = ctx.organisations
        self.planned: list[Planned] = []
        self.assessments: list[dict] = []
        self.assessed: dict[tuple[int, int], datetime] = {}
        self.last_sent: dict[tuple[int, int], date] = {}
        self.persons_of: dict[int, list[PersonRow]] = {}
        for person in self.sources.persons.values():
            self.persons_of.setdefault(person.organisation_id, []).append(person)
        # Senders are the organisations with case files (the Sozialamt has none in the demo).
        self.senders = [
            self.orgs[key]
            for key in ("jobcenter", "youth_office", "social_welfare_office")
            if key in self.orgs and self.orgs[key].pk in self.persons_of
        ]
        self.seq = count()

    # --- planning ------------------------------------------------------------------------------

    def plan(self) -> None:
        """Plan every referral, pointer and draft with its life until now."""
        for sender in self.senders:
            self._on_consents(sender)
        jobcenter = self.orgs.get("jobcenter")
        if jobcenter in self.senders:
            for key, track, codes, young, base in STATUTORY:
                if key in self.orgs:
                    self._on_statute(jobcenter, self.orgs[key], track, codes, young, base)
        referrals = sum(1 for p in self.planned if p.row["kind"] == Kind.REFERRAL)
        pointers = round(referrals * POINTER_SHARE / (1 - POINTER_SHARE))
        youth = self.orgs.get("youth_office")
        youth_pointers = round(pointers * YOUTH_POINTER_SHARE) if youth in self.senders else 0
        if youth_pointers:
            self._pointers(youth, youth_pointers)
        if jobcenter in self.senders:
            self._pointers(jobcenter, pointers - youth_pointers)
            self._drafts(jobcenter, self.ctx.scaled(DRAFTS_AT_SCALE_1))
        self._threads_and_revocations()

    def _threads_and_revocations(self) -> None:
        """Messages on some referrals, and the mark of a consent revoked after sending."""
        rng = self.rng
        for p in self.planned:
            if p.row["kind"] == Kind.REFERRAL and p.row["status"] != Status.DRAFT:
                if rng.random() < MESSAGE_SHARE:
                    self.life.messages(p, rng.randint(1, 3))
                self.life.revocation(p, p.person.organisation_id)

    def _draw_day(self, earliest: date, latest: date | None = None) -> date | None:
        """A working day of the window, not before ``earliest``, not after ``latest``."""
        low = self.window.index_after(earliest - timedelta(days=1))
        high = self.window.index_after(latest) if latest else len(self.window.days)
        return self.window.draw(self.rng, low, high)

    def _on_consents(self, sender) -> None:
        """Referrals resting on consents: the case manager asked the person, and sends."""
        rng, sources = self.rng, self.sources
        yesterday = self.today - timedelta(days=1)
        for consent in sources.consents_in(sender.pk, self.start, yesterday):
            if not consent.recipients:
                continue
            uses = (rng.random() < CONSENT_USED) + (rng.random() < CONSENT_USED_TWICE)
            person = sources.persons[consent.person_id]
            for _ in range(uses):
                recipient = self.sources.organisations[rng.choice(consent.recipients)]
                earliest = max(
                    self.start,
                    consent.valid_from,
                    _day_after(consent.given_at),  # never before the case was opened
                )
                if recipient.legal_regime == LegalRegime.NONE:
                    acknowledged = sources.acknowledged.get(recipient.pk)
                    if acknowledged is None:
                        # No § 78 acknowledgement: the case manager points instead.
                        if rng.random() < 0.5:
                            self._pointer_to(sender, person, recipient.pk, earliest)
                        continue
                    earliest = max(earliest, _day_after(acknowledged))
                latest = min(yesterday, consent.valid_until)
                if consent.revoked_at is not None:
                    latest = min(latest, local_day(consent.revoked_at) - timedelta(days=1))
                day = self._draw_day(earliest, latest)
                if day is None:
                    continue
                moment = self.life.office(day)
                available = [n for n in person.needs if n.created_at < moment and not n.entrusted]
                covered = [n for n in available if n.category in consent.categories]
                needs = self._some(covered or available[:1], 2)
                track = self._track_for(needs, recipient, person, day)
                self._referral(sender, person, recipient.pk, moment, needs, track, consent.given_at)

    def _on_statute(self, sender, recipient, track, codes, young, base) -> None:
        rng = self.rng
        pool = [
            need
            for person in self.persons_of[sender.pk]
            if not young or _age(person, self.today) < 25
            for need in person.needs
            if need.code in codes and not need.entrusted
        ]
        if not pool:
            return
        for _ in range(self.ctx.scaled(base)):
            need = rng.choice(pool)
            person = self.sources.persons[need.person_id]
            # A need is never recorded before its person (cases.demo.people), so the day after
            # the need is a day the person was in the file.
            day = self._draw_day(max(self.start, _day_after(need.created_at)))
            if day is None:
                continue
            needs = [need]
            others = [n for n in person.needs if n is not need and n.code in codes]
            if others and rng.random() < SECOND_NEED:
                needs.append(rng.choice(others))
            self._referral(sender, person, recipient.pk, self.life.office(day), needs, track)

    def _some(self, needs: list[NeedRow], most: int) -> list[NeedRow]:
        if len(needs) <= 1:
            return list(needs)
        return self.rng.sample(needs, self.rng.randint(1, min(most, len(needs))))

    def _track_for(self, needs, recipient, person, day) -> str:
        rng = self.rng
        codes = {need.code for need in needs}
        kind = recipient.type
        if codes & set(HOUSING) and kind in (
            OrganisationType.SOCIAL_WELFARE_OFFICE,
            OrganisationType.WELFARE_ORGANISATION,
            OrganisationType.MUNICIPAL_ADMINISTRATION,
            OrganisationType.JOBCENTER,
        ):
            return Track.HOUSING_LOSS if rng.random() < 0.7 else Track.STANDARD
        if "finances.benefit_payment" in codes and kind in (
            OrganisationType.SOCIAL_WELFARE_OFFICE,
            OrganisationType.JOBCENTER,
        ):
            return Track.BENEFIT_PAYMENT
        if _age(person, day) < 25 and kind in (
            OrganisationType.EMPLOYMENT_AGENCY,
            OrganisationType.SCHOOL,
            OrganisationType.YOUTH_OFFICE,
            OrganisationType.JOBCENTER,
        ):
            return Track.SCHOOL_TO_WORK
        if kind == OrganisationType.JOBCENTER and rng.random() < 0.3:
            return Track.BENEFIT_PAYMENT  # a family's benefits stopped: the Jugendamt calls in
        return Track.STANDARD

    def _reason(self, needs, track) -> str:
        if track == Track.HOUSING_LOSS:
            code = next((n.code for n in needs if n.code in HOUSING), "housing.threatened_loss")
        elif track == Track.BENEFIT_PAYMENT:
            code = "finances.benefit_payment"
        else:
            code = needs[0].code if needs else ""
        return self.rng.choice(texts.REASONS.get(code, texts.DEFAULT_REASON))

    def _offer(self, recipient_id: int, needs) -> int | None:
        rng, sources = self.rng, self.sources
        if rng.random() >= OFFER_SHARE:
            return None
        groups = [need.group for need in needs]
        matching = [o for g in groups for o in sources.offers_for.get((recipient_id, g), ())]
        if matching:
            return rng.choice(matching)
        offers = sources.offers.get(recipient_id)
        return rng.choice(offers) if offers and rng.random() < 0.3 else None

    def _row(self, sender, person: PersonRow, recipient_id: int, moment, kind, track, needs):
        return {
            "network_id": self.network.pk,
            "kind": kind,
            "sender_id": sender.pk,
            "recipient_id": recipient_id,
            "offer_id": self._offer(recipient_id, needs),
            "person_id": person.id,
            "household_id": person.household_id,
            "reason": self._reason(needs, track),
            "track": track,
            "message": "",
            "created_at": moment,
            "created_by_id": person.worker_id,
            "sent_at": moment,
            "status": Status.DRAFT,
            "forwarded_from_id": None,
        }

    def _referral(
        self, sender, person, recipient_id, moment, needs, track, asked=None
    ) -> Planned | None:
        """Send a referral if a legal basis covers the master data at ``moment`` (``asked``:
        when the consent was given, if it rests on one)."""
        rng, sources = self.rng, self.sources
        key = (person.id, recipient_id)
        day = local_day(moment)
        if key in self.last_sent and abs((day - self.last_sent[key]).days) < DUPLICATE_DAYS:
            return None
        if not sources.may_receive(recipient_id, moment):
            return None
        wanted = [categories.MASTER_DATA, *sorted({need.category for need in needs})]
        if rng.random() < HOUSEHOLD_SHARE:
            wanted.append(categories.HOUSEHOLD)
        bases = sources.bases(person, recipient_id, wanted, moment)
        if categories.MASTER_DATA not in bases:
            return None
        self.last_sent[key] = day
        if sender.type == OrganisationType.YOUTH_OFFICE:
            self._assess(sender, person, recipient_id, moment, asked)
        needs = sorted(needs, key=lambda need: need.id)
        row = self._row(sender, person, recipient_id, moment, Kind.REFERRAL, track, needs)
        # The form takes a minute or two; created (draft) and sent in one go.
        row["created_at"] = moment - timedelta(minutes=rng.randint(1, 15))
        if rng.random() < 0.6:
            row["message"] = rng.choice(texts.MESSAGES[track])
        chosen = sorted(bases)
        row["categories"] = chosen
        row["bases"] = {code: bases[code].as_json() for code in chosen}
        row["snapshot"] = sources.snapshot(person, chosen, needs, moment, sender.name)
        planned = self._planned(row, person, recipient_id)
        planned.needs = [need.id for need in needs]
        planned.consents = sorted({b.consent for b in bases.values() if b.consent})
        self._note_revocation(planned)
        self.life.referral(planned, forward=self._forwarder(planned, sender))
        return planned

    def _planned(self, row, person, recipient_id) -> Planned:
        handlers = self.sources.handlers.get(recipient_id) or [None]
        jobcenter = self.orgs.get("jobcenter")
        if row["track"] == Track.BENEFIT_PAYMENT and jobcenter and recipient_id == jobcenter.pk:
            team = self.sources.teams.get((recipient_id, "Leistungssachbearbeitung"))
            handlers = team or handlers
        row.setdefault("escalation_level", 0)
        planned = Planned(row=row, sender_user=row["created_by_id"], handlers=handlers)
        planned.person, planned.seq = person, next(self.seq)
        self.planned.append(planned)
        return planned

    def _note_revocation(self, planned: Planned) -> None:
        """The first revocation, after sending and before now, of a consent it rests on."""
        if not planned.consents:
            return
        sent = planned.row["sent_at"]
        revoked = sorted(
            (consent.revoked_at, consent.revoked_by_id)
            for consent in map(self.sources.consents.get, planned.consents)
            if consent.revoked_at is not None and sent < consent.revoked_at <= self.now
        )
        planned.revoked = revoked[0] if revoked else None

    def _assess(self, sender, person, recipient_id, moment, earliest) -> None:
        """§ 64 Abs. 2 SGB VIII: the Jugendamt records that the transfer does not endanger the
        help, before it sends (the policy refuses otherwise)."""
        key = (person.id, recipient_id)
        if key in self.assessed and self.assessed[key] <= moment:
            return
        created = moment - timedelta(minutes=self.rng.randint(20, 3 * 24 * 60))
        if earliest is not None:
            created = max(created, earliest + timedelta(minutes=1))
        # Always before the sending, even when the person's file is only minutes older.
        created = min(created, moment - timedelta(minutes=1))
        self.assessed[key] = created
        self.assessments.append(
            {
                "network_id": self.network.pk,
                "organisation_id": sender.pk,
                "created_at": created,
                "created_by_id": person.worker_id,
                "person_id": person.id,
                "recipient_id": recipient_id,
                "purpose": Purpose.REFERRAL,
                "endangers_help": False,
                "reasoning": self.rng.choice(texts.HELP_ASSESSMENT_REASONING),
            }
        )

    # --- forwarding ----------------------------------------------------------------------------

    def _forwarder(self, original: Planned, sender):
        """The callback the lifecycle asks when the recipient passes a referral on; None when
        the recipient may not (a partner without statutory duty, § 78 SGB X)."""
        holder = self.sources.organisations[original.row["recipient_id"]]
        if holder.legal_regime == LegalRegime.NONE:
            return None
        if sender.type == OrganisationType.YOUTH_OFFICE:
            return None  # the Jugendamt's data would need a § 64 assessment for the next one

        def forward(moment, user):
            if original.revoked is not None and original.revoked[0] <= moment:
                return None  # revoked consent: the data must not travel on
            return self._forward(original, holder, moment, user)

        return forward

    def _forward(self, original: Planned, holder, moment, user) -> str | None:
        rng, sources = self.rng, self.sources
        person = original.person
        # The public agencies (statutory bases), and whoever a consent of the person names.
        candidates = [self.orgs[key].pk for key in FORWARD_TARGETS if key in self.orgs]
        candidates += sources.named_recipients.get(person.id, [])
        candidates = list(dict.fromkeys(candidates))
        rng.shuffle(candidates)
        for target in candidates:
            if target in (holder.pk, original.row["sender_id"], person.organisation_id):
                continue
            if not sources.may_receive(target, moment):
                continue
            bases = sources.bases(person, target, original.row["categories"], moment)
            if categories.MASTER_DATA not in bases:
                continue
            self._onward(original, holder, target, bases, moment, user)
            return sources.organisations[target].name
        return None

    def _onward(self, original: Planned, holder, target, bases, moment, user) -> None:
        """The onward referral ``services.forward`` creates: same reason and track, the same or
        narrower data, sent at once by the forwarding organisation."""
        chosen = sorted(bases)
        data = narrowed_snapshot(original.row["snapshot"], chosen)
        data["taken_at"] = moment.astimezone(UTC).isoformat()
        data["forwarded_by"] = holder.name
        row = {
            **{k: original.row[k] for k in ("network_id", "person_id", "household_id", "reason")},
            "track": original.row["track"],
            "kind": Kind.REFERRAL,
            "sender_id": holder.pk,
            "recipient_id": target,
            "offer_id": None,
            "message": self.rng.choice(texts.MESSAGES[Track.STANDARD]),
            "categories": chosen,
            "bases": {code: bases[code].as_json() for code in chosen},
            "snapshot": data,
            "created_at": moment,
            "created_by_id": user,
            "sent_at": moment,
            "status": Status.DRAFT,
            "forwarded_from_id": None,
        }
        planned = self._planned(row, original.person, target)
        planned.sender_user = user
        planned.forwarded_from = original
        planned.consents = sorted({b.consent for b in bases.values() if b.consent})
        self._note_revocation(planned)
        self.life.referral(planned, forward=None)

    # --- pointers and drafts ---------------------------------------------------------------------

    def _pointers(self, sender, number: int) -> None:
        rng = self.rng
        pool = [p for p in self.persons_of[sender.pk] if p.needs]
        for _ in range(number):
            person = rng.choice(pool)
            need = rng.choice(person.needs)
            targets = self._targets(POINTER_TARGETS.get(need.group, ()), person, sender)
            if not targets:
                continue
            earliest = max(self.start, _day_after(need.created_at))
            self._pointer_to(sender, person, rng.choice(targets), earliest, [need])

    def _targets(self, keys, person: PersonRow, sender) -> list[int]:
        """Organisation ids for ``keys``; for a kind ("…:") the one in the person's town if any."""
        town = None
        if person.household_id in self.sources.households:
            town = self.sources.municipality_names.get(
                self.sources.households[person.household_id][2]
            )
        found = []
        for key in keys:
            if key.endswith(":"):
                local = self.orgs.get(f"{key}{town}")
                kinds = [o for k, o in self.orgs.items() if k.startswith(key)]
                if local is not None and self.rng.random() < 0.8:
                    found.append(local.pk)
                elif kinds:
                    found.append(self.rng.choice(kinds).pk)
            else:
                found += [o.pk for k, o in self.orgs.items() if k.startswith(key)]
        return [pk for pk in dict.fromkeys(found) if pk != sender.pk]

    def _pointer_to(self, sender, person, recipient_id, earliest, needs=None) -> None:
        """An advisory pointer: only the fact is recorded; no data, no snapshot, no basis."""
        day = self._draw_day(earliest)
        if day is None:
            return
        moment = self.life.office(day)
        if needs is None:
            needs = [n for n in person.needs if n.created_at < moment][:1]
        row = self._row(sender, person, recipient_id, moment, Kind.POINTER, Track.STANDARD, needs)
        row.update(categories=[], bases={}, snapshot={})
        planned = self._planned(row, person, recipient_id)
        planned.needs = [need.id for need in needs]
        self.life.pointer(planned)

    def _drafts(self, sender, number: int) -> None:
        """A few drafts of the last days, not yet sent."""
        rng = self.rng
        statutory = [self.orgs[k] for k in ("social_welfare_office", "employment_agency")]
        pool = [p for p in self.persons_of[sender.pk] if p.needs]
        for _ in range(number):
            person, recipient = rng.choice(pool), rng.choice(statutory)
            moment = self.now - timedelta(minutes=rng.randint(30, 10 * 24 * 60))
            needs = [n for n in person.needs if n.created_at < moment][:1]
            bases = self.sources.bases(
                person, recipient.pk, [categories.MASTER_DATA, *(n.category for n in needs)], moment
            )
            row = self._row(
                sender, person, recipient.pk, moment, Kind.REFERRAL, Track.STANDARD, needs
            )
            row.update(categories=sorted(bases), sent_at=None, offer_id=None)
            planned = self._planned(row, person, recipient.pk)
            planned.needs = [need.id for need in needs]
            self.life.draft(planned)

    # --- writing -------------------------------------------------------------------------------

    def count(self, kind) -> int:
        return sum(1 for p in self.planned if p.row["kind"] == kind)

    def _statistics(self, row: dict, person: PersonRow | None) -> dict:
        """The statistics fields ``services.record_workdays`` fills on a real referral."""
        household = self.sources.households.get(row.get("household_id"))
        municipality = household[2] if household else getattr(person, "municipality_id", None)
        sent_on = local_day(row["sent_at"])
        stats = {"municipality_id": municipality}
        if row.get("responded_at"):
            stats["response_workdays"] = self._workdays(sent_on, local_day(row["responded_at"]))
        if row["status"] == Status.COMPLETED:
            stats["completion_workdays"] = self._workdays(sent_on, local_day(row["closed_at"]))
        return stats

    @functools.cache  # noqa: B019 - one generator per demo run; a few hundred distinct spans
    def _workdays(self, start: date, end: date) -> int:
        return workdays.working_days_between(start, end, self.network.federal_state)

    def flush(self) -> dict[str, int]:
        """Insert the planned rows, each table in the order its rows happened."""
        tables = Tables()
        referral_rows = tables[Referral]
        event_rows = tables[ReferralEvent]
        message_rows = tables[ReferralMessage]
        need_links = tables[Referral.needs.through]
        consent_links = tables[Referral.consents.through]
        planned = sorted(self.planned, key=lambda p: (p.row["created_at"], p.seq))
        events, messages = [], []
        for p in planned:
            row = dict(p.row)
            if p.forwarded_from is not None:
                row["forwarded_from_id"] = p.forwarded_from.id
            if row["status"] == Status.DRAFT:
                row["sent_at"] = None
            else:
                row.update(self._statistics(row, p.person))
            p.id = referral_rows.add(**row)["id"]
            events += [(e["at"], p.seq, n, p.id, e) for n, e in enumerate(p.events)]
            messages += [(m["created_at"], p.seq, n, p.id, m) for n, m in enumerate(p.messages)]
            for need_id in p.needs:
                need_links.add(referral_id=p.id, need_id=need_id)
            for consent_id in p.consents:
                consent_links.add(referral_id=p.id, consent_id=consent_id)
        network_id = self.network.pk
        for _at, _seq, _n, referral_id, event in sorted(events, key=lambda e: e[:3]):
            event_rows.add(network_id=network_id, referral_id=referral_id, **event)
        for _at, _seq, _n, referral_id, message in sorted(messages, key=lambda m: m[:3]):
            message_rows.add(network_id=network_id, referral_id=referral_id, **message)
        if self.assessments:
            assessment_rows = tables[HelpAssessment]
            for row in sorted(self.assessments, key=lambda r: r["created_at"]):
                assessment_rows.add(**row)
        return tables.flush()
