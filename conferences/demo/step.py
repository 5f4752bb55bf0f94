"""The generator step "Fallberatungen": a year of case conferences in each network.

Two rounds, as a Landkreis would run them:

- "Fallberatung Jobcenter – Jugendamt": a monthly series the Jobcenter's network coordination
  planned a good year ago (every 2nd Tuesday, 14:00–15:30) with the Jugendamt and the
  Sozialamt. Thirteen meetings lie in the past – the one in August fell to the summer holidays,
  the other twelve were held – and three are still ahead.
- "Fallberatung Übergang Schule – Beruf": the Jugendamt meets the Jobcenter's U25 team once a
  quarter (first Thursday of March, June, September and December, the week after if that is a
  holiday). The app's series rhythms go up to monthly, so these are single meetings, planned one
  at a time. Cases are young people of 15 to 24, or a parent presented with the needs of a
  school leaver at home (never that young person's health data).

Each held meeting has 2–4 cases, presented by the Jobcenter or the Jugendamt from its own case
file (persons of open cases with open needs; entrusted needs, § 65 SGB VIII, never), minutes and
1–3 agreed actions per case. What an item stores is what ``services.add_item`` stores:
``presentation.build_shared`` on the meeting day, the pseudonymised basis, and – only where
``services.identity_refusals`` finds every other participant covered by a consent when the case
was put on the agenda and on the meeting day – ``build_identity`` with the consents and bases of
``services._identity_bases``. In the demo county such consents exist for Jobcenter clients
towards the Jugendamt alone, so identified cases appear in the Jugendamt's round only; the
monthly round with three organisations stays pseudonymised. Free texts are generic and pass
``presentation.find_identifiers`` as the form would require. A household is presented only if
everybody in it was already in the file then (``build_shared`` describes today's household).
The shared part is written while all rows are still unsaved, so the case label of a person
without household is numbered here as ``presentation.case_label_for`` would have numbered it
when the case was added (the presenter's next "P" number of that year, kept afterwards).

Actions are due on working days; whether they were done, dropped or are still open follows their
age (the last meeting's mostly open, a few old ones overdue – they drive the reminders). Where
the presenter sent a referral about the person in the month after the meeting, an action records
it (``services.link_referral``). Upcoming meetings have one or two cases, no minutes, no actions.

As in the case files and referrals steps, no audit entries, change history or notifications are
written for generated rows; rows go in with ``cases.demo.bulk``. The step draws from a random
stream of its own, so the same seed gives the same conferences.
"""

from __future__ import annotations

import random
import uuid
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from operator import itemgetter

from django.conf import settings
from django.utils import timezone, translation

from cases import categories
from cases.choices import OPEN_NEED_STATUSES, MemberRole, Purpose, Signatory
from cases.demo.bulk import Tables
from cases.models import Consent, Need, Person
from conferences import services
from conferences.choices import ActionStatus, Frequency, Presentation, Status
from conferences.demo import texts
from conferences.models import Action, AgendaItem, Conference, Series
from conferences.presentation import build_identity, build_shared, find_identifiers
from core.choices import Role
from core.demo.generator import DemoContext, register_step
from core.models import Membership
from referrals.choices import Kind
from referrals.choices import Status as ReferralStatus
from referrals.models import Referral

SERIES_TITLE = "Fallberatung Jobcenter – Jugendamt"
SERIES_WEEKDAY, SERIES_WEEK, SERIES_START = 1, 2, time(14, 0)  # 2nd Tuesday, 14:00
PAST_MEETINGS = 13  # one cancelled: twelve held
UPCOMING_MEETINGS = 3
HOLIDAY_MONTH = 8
TRANSITION_TITLE = "Fallberatung Übergang Schule – Beruf"
TRANSITION_MONTHS = (3, 6, 9, 12)
TRANSITION_WEEKDAY, TRANSITION_START = 3, time(10, 0)  # 1st Thursday, 10:00
DURATION = timedelta(minutes=90)
ROOM = "Besprechungsraum 2.14"
VIDEO_URL = "https://video.demo.invalid/uebergang-schule-beruf"

HELD_ITEMS = (2, 4)
UPCOMING_ITEMS = (1, 2)
ACTIONS_PER_ITEM = (1, 3)
JOBCENTER_PRESENTS = 0.6  # in the monthly round; half and half in the Jugendamt's round
FOLLOW_UP_SHARE = 0.15  # a case presented again
FAVOURITE_SHARE = 0.3  # Jobcenter cases of the demo case manager, so her login finds some
COVERED_SHARE = 0.6  # in the Jugendamt's round: a case whose consent names the Jugendamt
IDENTIFIED_SHARE = 0.8  # of the covered cases: presented with name
YOUNG = (15, 24)  # ages in the round on the transition from school to work
SCHOOL_LEAVER = 14  # from this age a parent is presented for the young person at home
DUE_IN = (5, 10, 10, 15, 20, 25)  # working days after the meeting
DROPPED_SHARE = 0.08
NEVER_DONE_SHARE = 0.1
LATE_SHARE = 0.25  # of the actions done: after the due date
MOST_LATE_DAYS = 25
OWNER_USER_SHARE = 0.4
REFERRAL_WINDOW = timedelta(days=30)
REFERRAL_ACTION_SHARE = 0.7
REFERRED_SHARE = 0.1  # a case the presenter referred in the month after the meeting


def _own_stream(ctx: DemoContext) -> random.Random:
    """A random stream of this step alone (see ``cases.demo.step._own_stream``)."""
    return random.Random(f"{ctx.seed}:{ctx.index}:conferences")


@register_step(order=500, name="Fallberatungen")
def conferences(ctx: DemoContext) -> None:
    if "jobcenter" not in ctx.organisations or "youth_office" not in ctx.organisations:
        return
    with translation.override(settings.LANGUAGE_CODE):
        planner = Planner(ctx, _own_stream(ctx))
        planner.plan_conferences()
        planner.plan_items()
        rows = planner.flush()
    ctx.counts["Fallberatungen"] = planner.conference_count
    ctx.counts["Fälle in Fallberatungen"] = rows.get("AgendaItem", 0)
    ctx.counts["Vereinbarte Maßnahmen"] = rows.get("Action", 0)


def _pick(options, share: float):
    """The option a number drawn in [0, 1) falls on (drawn before the branch that uses it, so
    every action takes the same numbers from the stream)."""
    return options[min(len(options) - 1, int(share * len(options)))]


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _months(today: date, back: int, ahead: int) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [divmod(n, 12) for n in range(index - back, index + ahead + 1)]


@dataclass(slots=True)
class Candidate:
    """A person of an open case with open needs (not entrusted), as read once."""

    id: int
    organisation_id: int
    household_id: int | None
    role: str
    birth_date: date
    created_at: datetime
    worker_id: int | None
    needs: list[tuple[int, str, datetime]] = field(default_factory=list)  # id, group, created

    def age_on(self, day: date) -> int:
        years = day.year - self.birth_date.year
        return years - ((day.month, day.day) < (self.birth_date.month, self.birth_date.day))

    def needs_before(self, moment: datetime) -> list[tuple[int, str, datetime]]:
        return [need for need in self.needs if need[2] < moment]


@dataclass(slots=True)
class ConsentRow:
    given_at: datetime
    valid_from: date
    valid_until: date
    revoked_at: datetime | None
    recipients: set[int] = field(default_factory=set)


@dataclass
class Meeting:
    row: dict
    kind: str  # "series" or "transition"
    day: date
    starts_at: datetime
    participants: list[int]
    people: list[int]
    recorder: int | None
    conference: Conference | None = None


@dataclass
class PlannedItem:
    meeting: Meeting
    presenter_id: int
    candidate: Candidate
    need_ids: list[int]
    group: str  # of the need the question is about
    groups: list[str]
    created_at: datetime
    created_by: int | None
    seq: int
    row: dict = field(default_factory=dict)
    consents: list[int] = field(default_factory=list)


class Planner:
    def __init__(self, ctx: DemoContext, rng: random.Random):
        self.ctx, self.rng = ctx, rng
        self.network = ctx.network
        self.zone = timezone.get_default_timezone()
        orgs = ctx.organisations
        self.jobcenter, self.youth_office = orgs["jobcenter"], orgs["youth_office"]
        self.social_office = orgs.get("social_welfare_office")
        self.organisations = {org.pk: org for org in orgs.values()}
        # Everything happens before ten past midnight today (as in the referrals step): two runs
        # on the same day give the same data.
        now = timezone.now()
        self.today = timezone.localdate(now)
        cut = datetime.combine(self.today, time(0, 10), tzinfo=self.zone)
        self.now = min(now, cut)
        self.meetings: list[Meeting] = []
        self.items: list[PlannedItem] = []
        self.presented: dict[tuple[str, int], list[Candidate]] = {}
        self.households: dict[int, list[tuple[datetime, date]]] = {}
        self.conference_count = 0
        self._staff()
        self._candidates()
        self._consents()
        self._referrals()

    # --- reading -------------------------------------------------------------------------------

    def _staff(self) -> None:
        self.staff: dict[int, list[tuple[int, str, str, str]]] = {}
        self.active: set[tuple[int, int]] = set()
        rows = (
            Membership.objects.filter(organisation__network=self.network, is_active=True)
            .order_by("organisation_id", "user__username")
            .values_list("organisation_id", "user_id", "user__username", "role", "team__name")
        )
        for org_id, user_id, username, role, team in rows:
            self.staff.setdefault(org_id, []).append((user_id, username, role, team or ""))
            self.active.add((org_id, user_id))
        self.logins = {
            username: user_id for rows in self.staff.values() for user_id, username, *_ in rows
        }

    def _workers(self, org, *, team_prefix: str = "") -> list[int]:
        return [
            user_id
            for user_id, _username, role, team in self.staff.get(org.pk, [])
            if role == Role.CASE_WORKER and team.startswith(team_prefix)
        ]

    def _someone(self, org, *logins: str, role: str = Role.CASE_WORKER) -> int | None:
        """The first demo login that works at ``org``, else its first member with ``role``."""
        for login in logins:
            user_id = self.logins.get(login)
            if user_id is not None and (org.pk, user_id) in self.active:
                return user_id
        for user_id, _username, member_role, _team in self.staff.get(org.pk, []):
            if member_role == role:
                return user_id
        return None

    def _candidates(self) -> None:
        rows = (
            Need.objects.filter(
                network=self.network,
                organisation__in=[self.jobcenter, self.youth_office],
                entrusted=False,
                status__in=OPEN_NEED_STATUSES,
                person__closed_on__isnull=True,
                person__erased_at__isnull=True,
            )
            .order_by("person_id", "pk")
            .values_list(
                "id",
                "problem_situation__code",
                "created_at",
                "person_id",
                "person__organisation_id",
                "person__household_id",
                "person__role",
                "person__birth_date",
                "person__created_at",
                "person__created_by_id",
            )
        )
        self.candidates: dict[int, Candidate] = {}
        for need_id, code, created, person_id, *person in rows:
            candidate = self.candidates.get(person_id)
            if candidate is None:
                candidate = self.candidates[person_id] = Candidate(person_id, *person)
            candidate.needs.append((need_id, code.split(".")[0], created))
        with_children = set(
            Person.objects.filter(
                network=self.network,
                organisation=self.jobcenter,
                role=MemberRole.CHILD,
                household__isnull=False,
                erased_at__isnull=True,
            ).values_list("household_id", flat=True)
        )
        jobcenter, youth = self.jobcenter.pk, self.youth_office.pk
        everyone = list(self.candidates.values())
        # The monthly round is about families: parents of households with children.
        self.families = [
            c
            for c in everyone
            if c.organisation_id == jobcenter
            and c.household_id in with_children
            and c.role in (MemberRole.APPLICANT, MemberRole.PARTNER)
        ]
        favourite = self.logins.get("fallmanager")
        self.favourites = [c for c in self.families if favourite and c.worker_id == favourite]
        self.job_clients = [c for c in everyone if c.organisation_id == jobcenter]
        self.youth_clients = [c for c in everyone if c.organisation_id == youth]
        self.by_household: dict[int, list[Candidate]] = {}
        for c in self.job_clients:
            if c.household_id is not None:
                self.by_household.setdefault(c.household_id, []).append(c)
        # Young people for the transition round (the exact age is checked on the meeting day).
        low, high = YOUNG[0] - 1, YOUNG[1] + 1
        self.young_job_clients = [
            c for c in self.job_clients if low <= c.age_on(self.today) <= high
        ]
        self.young_youth_clients = [
            c for c in self.youth_clients if low <= c.age_on(self.today) <= high
        ]

    def _consents(self) -> None:
        """Consents that can cover a presentation with name (the policy checks each again)."""
        usable = Consent.objects.filter(
            network=self.network,
            organisation__in=[self.jobcenter, self.youth_office],
            purposes__has=Purpose.CASE_CONFERENCE,
            categories__has=categories.MASTER_DATA,
            signatory__in=[Signatory.SELF, Signatory.GUARDIAN],
        )
        rows = usable.order_by("pk").values_list(
            "id", "data_subject_id", "given_at", "valid_from", "valid_until", "revoked_at"
        )
        consents = {pk: ConsentRow(*values) for pk, _person, *values in rows}
        self.consents_of: dict[int, list[ConsentRow]] = {}
        for pk, person_id, *_values in rows:
            self.consents_of.setdefault(person_id, []).append(consents[pk])
        for consent_id, org_id in Consent.recipients.through.objects.filter(
            consent__in=usable.values("pk")
        ).values_list("consent_id", "organisation_id"):
            consents[consent_id].recipients.add(org_id)
        self.covered_job_clients = [
            self.candidates[pk]
            for pk in sorted(self.consents_of)
            if pk in self.candidates and self.candidates[pk].organisation_id == self.jobcenter.pk
        ]

    def may_be_covered(self, person_id: int, others: list[int], moment: datetime) -> bool:
        """Whether consents of the person may name every one of ``others`` at ``moment``."""
        day = timezone.localdate(moment)
        valid = [
            c
            for c in self.consents_of.get(person_id, ())
            if c.given_at <= moment
            and c.valid_from <= day <= c.valid_until
            and (c.revoked_at is None or c.revoked_at > moment)
        ]
        return all(any(org in c.recipients for c in valid) for org in others)

    # --- time ----------------------------------------------------------------------------------

    def at(self, day: date, moment: time) -> datetime:
        return datetime.combine(day, moment, tzinfo=self.zone)

    def office(self, day: date) -> datetime:
        """A moment in office hours on ``day``."""
        minute = self.rng.randint(8 * 60, 16 * 60 + 30)
        return self.at(day, time(minute // 60, minute % 60))

    def working_day_on_or_after(self, day: date) -> date:
        return self.network.add_working_days(day, 0)

    def working_days_before(self, day: date, count: int) -> date:
        while count:
            day -= timedelta(days=1)
            if self.network.is_working_day(day):
                count -= 1
        return day

    # --- the meetings --------------------------------------------------------------------------

    def plan_conferences(self) -> None:
        tables = Tables()
        self._series(tables)
        self._transition(tables)
        rows = tables.flush()
        self.conference_count = rows.get("Conference", 0)
        loaded = Conference.objects.select_related("organiser", "network").in_bulk(
            [meeting.row["id"] for meeting in self.meetings]
        )
        for meeting in self.meetings:
            meeting.conference = loaded[meeting.row["id"]]

    def _conference(self, tables, *, kind, title, organiser, invited, people, start, created):
        """A conference as ``services.plan_conference`` stores it, then held or cancelled as
        ``hold_conference``/``record_minutes`` and ``cancel_conference`` leave it."""
        day = timezone.localdate(start)
        status, reason, version, sequence, minutes = Status.PLANNED, "", 1, 0, ""
        if day < self.today:
            if not self.network.is_working_day(day):
                status, reason = Status.CANCELLED, texts.CANCEL_REASONS["holiday"]
            elif kind == "series" and day.month == HOLIDAY_MONTH and self._cancel_holidays(day):
                status, reason = Status.CANCELLED, texts.CANCEL_REASONS["holidays"]
            else:
                status, minutes = Status.HELD, self.rng.choice(texts.CONFERENCE_MINUTES)
            version = 3 if status == Status.HELD else 2
            sequence = 1 if status == Status.CANCELLED else 0
        row = tables[Conference].add(
            network_id=self.network.pk,
            series_id=created["series"],
            title=title,
            organiser_id=organiser.pk,
            starts_at=start,
            ends_at=start + DURATION,
            location=f"{organiser.street}, {organiser.city}, {ROOM}",
            video_url=VIDEO_URL if kind == "transition" else "",
            status=status,
            minutes=minutes,
            cancel_reason=reason,
            uid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            sequence=sequence,
            version=version,
            created_at=created["at"],
            created_by_id=created["by"],
        )
        through = tables[Conference.invited_organisations.through]
        for org in invited:
            through.add(conference_id=row["id"], organisation_id=org.pk)
        people_through = tables[Conference.invited_people.through]
        for user_id in people:
            people_through.add(conference_id=row["id"], user_id=user_id)
        self.meetings.append(
            Meeting(
                row=row,
                kind=kind,
                day=day,
                starts_at=start,
                participants=[organiser.pk, *(org.pk for org in invited)],
                people=list(people),
                recorder=created["by"],
            )
        )

    def _cancel_holidays(self, day: date) -> bool:
        """Only the latest August of the past meetings falls to the holidays."""
        return not any(
            day < other < self.today and other.month == HOLIDAY_MONTH for other in self._series_days
        )

    def _series(self, tables: Tables) -> None:
        rng = self.rng
        days = [
            nth_weekday(year, month + 1, SERIES_WEEKDAY, SERIES_WEEK)
            for year, month in _months(self.today, PAST_MEETINGS + 1, UPCOMING_MEETINGS + 1)
        ]
        first = [day for day in days if day < self.today][-PAST_MEETINGS]
        starts = services.occurrences(
            self.at(first, SERIES_START), Frequency.MONTHLY, PAST_MEETINGS + UPCOMING_MEETINGS
        )
        self._series_days = [timezone.localdate(start) for start in starts]
        organiser = self.jobcenter
        invited = [self.youth_office, *([self.social_office] if self.social_office else [])]
        planner = self._someone(organiser, "koordination", role=Role.NETWORK_COORDINATOR)
        # Before the first cases are put on the agenda (at most ten working days ahead).
        planned_day = self.working_days_before(first, rng.randint(15, 25))
        created = self.office(planned_day)
        series = tables[Series].add(
            network_id=self.network.pk,
            title=SERIES_TITLE,
            organiser_id=organiser.pk,
            frequency=Frequency.MONTHLY,
            created_at=created,
            created_by_id=planner,
        )
        people = self._invitees(
            (organiser, ("fallmanager",), 1, "Fallmanagement"),
            (self.youth_office, ("jugendamt",), 1, ""),
            (self.social_office, (), rng.randint(1, 2), ""),
        )
        for start in starts:
            self._conference(
                tables,
                kind="series",
                title=SERIES_TITLE,
                organiser=organiser,
                invited=invited,
                people=people,
                start=start,
                created={"series": series["id"], "at": created, "by": planner},
            )

    def _transition(self, tables: Tables) -> None:
        rng = self.rng
        organiser = self.youth_office
        days = [
            nth_weekday(year, month + 1, TRANSITION_WEEKDAY, 1)
            for year, month in _months(self.today, 13, 4)
            if month + 1 in TRANSITION_MONTHS
        ]
        # Planned one at a time: a holiday moves the meeting to the week after.
        days = [d if self.network.is_working_day(d) else d + timedelta(days=7) for d in days]
        past = [d for d in days if self.today - timedelta(days=365) <= d < self.today]
        upcoming = [d for d in days if d >= self.today][:1]
        planner = self._someone(organiser, "jugendamt")
        people = self._invitees(
            (organiser, ("jugendamt",), 1, ""),
            (self.jobcenter, (), rng.randint(1, 2), "U25"),
        )
        for day in [*past, *upcoming]:
            planned_day = self.working_days_before(day, rng.randint(20, 30))
            created = self.office(planned_day)
            if created > self.now:
                created = self.office(self.working_days_before(self.today, 1))
            self._conference(
                tables,
                kind="transition",
                title=TRANSITION_TITLE,
                organiser=organiser,
                invited=[self.jobcenter],
                people=people,
                start=self.at(day, TRANSITION_START),
                created={"series": None, "at": created, "by": planner},
            )

    def _invitees(self, *wanted) -> list[int]:
        """Per organisation: its demo logins and ``count`` more of its case workers (of a team
        whose name starts with ``team``)."""
        people = []
        for org, logins, count, team in wanted:
            if org is None:
                continue
            chosen = [
                self.logins[login]
                for login in logins
                if login in self.logins and (org.pk, self.logins[login]) in self.active
            ]
            others = [u for u in self._workers(org, team_prefix=team) if u not in chosen]
            chosen += self.rng.sample(others, min(len(others), count))
            people += chosen
        return list(dict.fromkeys(people))

    # --- the cases -----------------------------------------------------------------------------

    def plan_items(self) -> None:
        for meeting in sorted(self.meetings, key=lambda m: (m.starts_at, m.row["id"])):
            if meeting.row["status"] == Status.CANCELLED:
                continue
            held = meeting.row["status"] == Status.HELD
            count = self.rng.randint(*(HELD_ITEMS if held else UPCOMING_ITEMS))
            here: set[int] = set()
            tries = 0
            while len(here) < count and tries < 4 * count:
                self._choose(meeting, here)
                tries += 1
        self._describe()

    def _presenter(self, meeting: Meeting):
        share = JOBCENTER_PRESENTS if meeting.kind == "series" else 0.5
        return self.jobcenter if self.rng.random() < share else self.youth_office

    def _added_at(self, meeting: Meeting) -> datetime | None:
        """When the presenter put the case on the agenda: some working days before a past
        meeting, in the last three weeks for one ahead; never before the conference was planned
        nor after now."""
        rng = self.rng
        planned = meeting.row["created_at"]
        if meeting.day < self.today:
            day = self.working_days_before(meeting.day, rng.randint(2, 10))
        else:
            earliest = max(self.today - timedelta(days=21), timezone.localdate(planned))
            latest = self.working_days_before(self.today, 1)
            if latest < earliest:
                return None
            day = earliest + timedelta(days=rng.randint(0, (latest - earliest).days))
            day = min(self.working_day_on_or_after(day), latest)
        moment = self.office(day)
        return moment if planned < moment <= self.now else None

    def _choose(self, meeting: Meeting, here: set[int]) -> None:
        rng = self.rng
        presenter = self._presenter(meeting)
        added = self._added_at(meeting)
        if added is None:
            return
        others = [org for org in meeting.participants if org != presenter.pk]
        for _attempt in range(30):
            candidate = self._draw(meeting, presenter, added, others)
            if candidate is None or candidate.id in here:
                continue
            if candidate.created_at >= added:
                continue
            available = self._needs_for(meeting, candidate, added)
            if not available or not self._household_known(candidate, added, meeting.day):
                continue
            break
        else:
            return
        here.add(candidate.id)
        first, more = available
        chosen = [first, *rng.sample(more, rng.randint(0, min(2, len(more))))]
        worker = candidate.worker_id
        if worker is None or (presenter.pk, worker) not in self.active:
            worker = self._someone(presenter, "fallmanager", "jugendamt")
        item = PlannedItem(
            meeting=meeting,
            presenter_id=presenter.pk,
            candidate=candidate,
            need_ids=sorted(need[0] for need in chosen),
            group=chosen[0][1],
            groups=list(dict.fromkeys(need[1] for need in chosen)),
            created_at=added,
            created_by=worker,
            seq=len(self.items),
        )
        self.items.append(item)
        self.presented.setdefault((meeting.kind, presenter.pk), []).append(candidate)

    def _young(self, candidate: Candidate, day: date) -> bool:
        return YOUNG[0] <= candidate.age_on(day) <= YOUNG[1]

    def _young_members(self, candidate: Candidate, day: date) -> list[Candidate]:
        """School leavers and young adults in the household (with open needs of their own)."""
        return [
            member
            for member in self.by_household.get(candidate.household_id, ())
            if member.id != candidate.id and SCHOOL_LEAVER <= member.age_on(day) <= YOUNG[1]
        ]

    def _needs_for(self, meeting: Meeting, candidate: Candidate, added: datetime):
        """The need the question is about and the others it may come with, all recorded before
        ``added``. In the transition round a parent is presented with the needs of the young
        person at home (the form offers the needs of the whole household)."""
        own = candidate.needs_before(added)
        if meeting.kind == "transition" and not self._young(candidate, meeting.day):
            # Health data of someone else in the household stays out of the presentation.
            theirs = [
                need
                for member in self._young_members(candidate, meeting.day)
                for need in member.needs_before(added)
                if not categories.is_special(categories.need_category(need[1]))
            ]
            if not theirs:
                return None
            first = self.rng.choice(theirs)
            return first, [need for need in theirs + own if need is not first]
        if not own:
            return None
        first = self.rng.choice(own)
        return first, [need for need in own if need is not first]

    def _household_known(self, candidate: Candidate, added: datetime, day: date) -> bool:
        """Whether everybody in the household was in the file when the case was added and born
        by the meeting day: ``build_shared`` describes today's household, which must be the one
        the presenter saw then."""
        if candidate.household_id is None:
            return True
        if candidate.household_id not in self.households:
            self.households[candidate.household_id] = list(
                Person.objects.filter(
                    household_id=candidate.household_id, erased_at__isnull=True
                ).values_list("created_at", "birth_date")
            )
        return all(
            created < added and born <= day
            for created, born in self.households[candidate.household_id]
        )

    def _draw(self, meeting: Meeting, presenter, added: datetime, others) -> Candidate | None:
        rng = self.rng
        earlier = self.presented.get((meeting.kind, presenter.pk), [])
        if earlier and rng.random() < FOLLOW_UP_SHARE:
            return rng.choice(earlier)
        candidate = self._pick(meeting, presenter, added, others)
        if candidate is None:
            return None
        if (
            meeting.kind == "transition"
            and not self._young(candidate, meeting.day)
            and not self._young_members(candidate, meeting.day)
        ):
            return None
        return candidate

    def _pick(self, meeting: Meeting, presenter, added: datetime, others) -> Candidate | None:
        rng = self.rng
        if meeting.row["status"] == Status.HELD and rng.random() < REFERRED_SHARE:
            referred = self._referred(meeting, presenter)
            if referred is not None:
                return referred
        transition = meeting.kind == "transition"
        if presenter.pk == self.youth_office.pk:
            pool = self.young_youth_clients if transition else self.youth_clients
        elif transition:
            if rng.random() < COVERED_SHARE:
                covered = [
                    c
                    for c in self.covered_job_clients
                    if (self._young(c, meeting.day) or self._young_members(c, meeting.day))
                    and self.may_be_covered(c.id, others, added)
                    and self.may_be_covered(c.id, others, meeting.starts_at)
                ]
                if covered:
                    return rng.choice(covered)
            pool = self.young_job_clients
        elif self.favourites and rng.random() < FAVOURITE_SHARE:
            pool = self.favourites
        else:
            pool = self.families or self.job_clients
        return rng.choice(pool) if pool else None

    # --- what is stored ------------------------------------------------------------------------

    def _describe(self) -> None:
        """Shared part, identity, texts and actions of every planned case, in the order the
        cases were put on the agendas."""
        persons = Person.objects.select_related(
            "household__municipality", "municipality", "organisation"
        ).in_bulk({item.candidate.id for item in self.items})
        needs = Need.objects.select_related("problem_situation__parent").in_bulk(
            {pk for item in self.items for pk in item.need_ids}
        )
        self.linked: set[int] = set()
        self.labels: dict[int, str] = {}
        self.numbers: dict[tuple[int, int], int] = {}
        self.positions: dict[int, int] = {}
        self.actions: list[tuple[datetime, int, dict]] = []
        for item in sorted(self.items, key=lambda i: (i.created_at, i.seq)):
            person = persons[item.candidate.id]
            self._item(item, person, [needs[pk] for pk in item.need_ids])
            if item.meeting.row["status"] == Status.HELD:
                self._actions(item, person)

    def _label(self, item: PlannedItem, person, shared: dict) -> str:
        """``case_label_for`` as it answered when the case was added: the household's label,
        else the person's earlier one, else the presenter's next "P" number of that year."""
        if person.household_id:
            return shared["case_label"]
        if person.pk not in self.labels:
            year = timezone.localdate(item.created_at).year
            number = self.numbers.get((item.presenter_id, year), 0) + 1
            self.numbers[(item.presenter_id, year)] = number
            self.labels[person.pk] = f"Fall {year}-P{number:03d}"
        return self.labels[person.pk]

    def _item(self, item: PlannedItem, person, needs: list) -> None:
        rng, meeting = self.rng, item.meeting
        conference = meeting.conference
        shared = build_shared(person, needs, today=meeting.day)
        shared["case_label"] = self._label(item, person, shared)
        others = [org for org in meeting.participants if org != item.presenter_id]
        wants_name = rng.random() < IDENTIFIED_SHARE
        identified = (
            wants_name
            and self.may_be_covered(person.pk, others, item.created_at)
            and self.may_be_covered(person.pk, others, meeting.starts_at)
            and not services.identity_refusals(conference, person, at=item.created_at)
            and not services.identity_refusals(conference, person, at=meeting.starts_at)
        )
        identity, legal_basis, revoked = {}, services.PSEUDONYMISED_BASIS, None
        if identified:
            consents, bases = services._identity_bases(conference, person, item.created_at)
            consents = list({c.pk: c for c in consents if c is not None}.values())
            identity, legal_basis = build_identity(person), "; ".join(bases)
            item.consents = [c.pk for c in consents]
            # services.apply_revocation marks the item when a consent is revoked later.
            revocations = [
                c.revoked_at
                for c in consents
                if c.revoked_at is not None and item.created_at < c.revoked_at <= self.now
            ]
            revoked = min(revocations, default=None)
        # Written without names even where the case is presented with name (only the
        # pseudonymised form warns and records the author's confirmation).
        question, warned = self._text(
            texts.QUESTIONS.get(item.group), texts.DEFAULT_QUESTIONS, person
        )
        minutes = ""
        if meeting.row["status"] == Status.HELD:
            minutes, warned_minutes = self._text(
                texts.ITEM_MINUTES.get(item.group), texts.DEFAULT_ITEM_MINUTES, person
            )
            warned = warned or warned_minutes
        warned = warned and not identified
        conference_id = meeting.row["id"]
        self.positions[conference_id] = self.positions.get(conference_id, 0) + 1
        item.row = {
            "network_id": self.network.pk,
            "conference_id": conference_id,
            "position": self.positions[conference_id],
            "presenter_id": item.presenter_id,
            "person_id": person.pk,
            "case_label": shared["case_label"],
            "question": question,
            "presentation": Presentation.IDENTIFIED if identified else Presentation.PSEUDONYMISED,
            "shared": shared,
            "identity": identity,
            "legal_basis": legal_basis,
            "identity_revoked_at": revoked,
            "warnings_confirmed": warned,
            "minutes": minutes,
            "created_at": item.created_at,
            "created_by_id": item.created_by,
            "version": 2 if minutes else 1,
        }

    def _text(self, options, default, person) -> tuple[str, bool]:
        """A text the identifier check lets through for ``person``; the bool says whether the
        author had to confirm a warning (no option without one)."""
        options = list(options or default)
        self.rng.shuffle(options)
        for text in options:
            if not find_identifiers(text, person):
                return text, False
        return options[0], True

    def _actions(self, item: PlannedItem, person) -> None:
        rng = self.rng
        templates = []
        for group in item.groups:
            templates += texts.ACTIONS.get(group, ())
        templates = list(dict.fromkeys(templates)) or list(texts.DEFAULT_ACTIONS)
        count = min(len(templates), rng.randint(*ACTIONS_PER_ITEM))
        for title, owner_key in rng.sample(templates, count):
            if find_identifiers(title, person):
                continue  # the author would rather rephrase than confirm
            owner = self._owner(owner_key, item)
            self._action(item, title, owner, rng.choice(DUE_IN))
        referral = self._referral_after(item)
        if referral is not None and rng.random() < REFERRAL_ACTION_SHARE:
            referral_id, sent_at, recipient, sender_user = referral
            title = texts.REFERRAL_ACTION % {"recipient": recipient}
            if not find_identifiers(title, person):
                self.linked.add(referral_id)
                self._action(
                    item,
                    title,
                    self.organisations[item.presenter_id],
                    10,
                    referral=(referral_id, sent_at, sender_user),
                )

    def _owner(self, key: str, item: PlannedItem):
        org = self.ctx.organisations.get(key)
        if org is None or org.pk not in item.meeting.participants:
            return self.organisations[item.presenter_id]
        return org

    def _action(self, item: PlannedItem, title, owner, due_in: int, referral=None) -> None:
        rng, meeting = self.rng, item.meeting
        created = meeting.starts_at + timedelta(minutes=rng.randint(20, 85))
        due = self.network.add_working_days(meeting.day, due_in)
        owner_user = None
        if referral is not None:
            referral_id, sent_at, sender_user = referral
            if (owner.pk, sender_user) in self.active:
                owner_user = sender_user
            status, done_at, note = ActionStatus.DONE, sent_at, ""
        else:
            referral_id = None
            if rng.random() < OWNER_USER_SHARE:
                owner_user = self._owner_user(owner, item)
            status, done_at, note = self._fate(meeting.day, due)
        recorder = meeting.recorder if rng.random() < 0.5 else item.created_by
        self.actions.append(
            (
                created,
                len(self.actions),
                {
                    "network_id": self.network.pk,
                    "conference_id": meeting.row["id"],
                    "_item": item,
                    "title": title,
                    "owner_id": owner.pk,
                    "owner_user_id": owner_user,
                    "due_date": due,
                    "status": status,
                    "done_at": done_at,
                    "status_note": note,
                    "referral_id": referral_id,
                    "created_at": created,
                    "created_by_id": recorder,
                    "version": 1 if status == ActionStatus.OPEN else 2,
                },
            )
        )

    def _owner_user(self, owner, item: PlannedItem) -> int | None:
        if owner.pk == item.presenter_id and item.created_by is not None:
            return item.created_by
        invited = [u for u in item.meeting.people if (owner.pk, u) in self.active]
        return self.rng.choice(invited) if invited else None

    def _fate(self, meeting_day: date, due: date) -> tuple[str, datetime | None, str]:
        """Status, done_at and note of an action as its owner left it until now: most done
        (a quarter of them late), some dropped, some never done."""
        rng = self.rng
        fate, share, note = rng.random(), rng.random(), rng.random()
        span = max(1, (due - meeting_day).days)
        if fate < DROPPED_SHARE:
            day = meeting_day + timedelta(days=1 + int(share * span))
            moment = self.office(self.working_day_on_or_after(day))
            if moment <= self.now:
                return ActionStatus.DROPPED, None, _pick(texts.DROPPED_NOTES, note)
            return ActionStatus.OPEN, None, ""
        if fate < DROPPED_SHARE + NEVER_DONE_SHARE:
            return ActionStatus.OPEN, None, ""
        if share < LATE_SHARE:
            day = due + timedelta(days=1 + int(share / LATE_SHARE * MOST_LATE_DAYS))
        else:
            day = meeting_day + timedelta(
                days=1 + int((share - LATE_SHARE) / (1 - LATE_SHARE) * span)
            )
            day = min(day, due)
        moment = self.office(self.working_day_on_or_after(day))
        if moment > self.now:
            return ActionStatus.OPEN, None, ""
        return ActionStatus.DONE, moment, _pick(texts.DONE_NOTES, note)

    # --- referrals that carried out an action ----------------------------------------------

    def _referrals(self) -> None:
        """Referrals of the two presenters about persons who can be presented, by sending time."""
        self.referrals: dict[tuple[int, int], list[tuple]] = {}
        self.sent: list[tuple[datetime, int, int]] = []  # sent_at, sender, person
        rows = (
            Referral.objects.filter(
                network=self.network,
                kind=Kind.REFERRAL,
                sender_id__in=[self.jobcenter.pk, self.youth_office.pk],
                sent_at__isnull=False,
            )
            .exclude(status=ReferralStatus.DRAFT)
            .order_by("sent_at", "pk")
            .values_list(
                "id", "sender_id", "person_id", "sent_at", "recipient__name", "created_by_id"
            )
        )
        for pk, sender, person, sent_at, recipient, user in rows:
            if person in self.candidates:
                self.referrals.setdefault((sender, person), []).append(
                    (pk, sent_at, recipient, user)
                )
                self.sent.append((sent_at, sender, person))

    def _referred(self, meeting: Meeting, presenter) -> Candidate | None:
        """A person the presenter referred somewhere in the month after the meeting."""
        start = meeting.starts_at + DURATION
        end = min(start + REFERRAL_WINDOW, self.now)
        low = bisect_right(self.sent, start, key=itemgetter(0))
        high = bisect_right(self.sent, end, key=itemgetter(0))
        found = [person for _at, sender, person in self.sent[low:high] if sender == presenter.pk]
        return self.candidates[self.rng.choice(found)] if found else None

    def _referral_after(self, item: PlannedItem):
        """The presenter's first referral about the person in the month after the meeting (sent
        after the action was agreed, before now, not yet linked to another action)."""
        start = item.meeting.starts_at + DURATION
        for referral in self.referrals.get((item.presenter_id, item.candidate.id), ()):
            referral_id, sent_at = referral[0], referral[1]
            if start < sent_at <= min(start + REFERRAL_WINDOW, self.now) and (
                referral_id not in self.linked
            ):
                return referral
        return None

    # --- writing -------------------------------------------------------------------------------

    def flush(self) -> dict[str, int]:
        tables = Tables()
        items = tables[AgendaItem]
        need_links = tables[AgendaItem.needs.through]
        consent_links = tables[AgendaItem.consents.through]
        for item in sorted(self.items, key=lambda i: (i.created_at, i.seq)):
            item.row["id"] = items.add(**item.row)["id"]
            for need_id in item.need_ids:
                need_links.add(agendaitem_id=item.row["id"], need_id=need_id)
            for consent_id in item.consents:
                consent_links.add(agendaitem_id=item.row["id"], consent_id=consent_id)
        actions = tables[Action]
        for _created, _seq, row in sorted(self.actions, key=lambda a: a[:2]):
            planned = row.pop("_item")
            actions.add(item_id=planned.row["id"], **row)
        return tables.flush()
