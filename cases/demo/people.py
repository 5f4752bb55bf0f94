"""Households, persons and needs of one organisation's case file, planned as rows.

Nothing here writes to the database: rows go into ``cases.demo.bulk`` tables, which the step
inserts at the end. Every value ``save()`` would compute (``Person.name_key``,
``Need.category``/``is_special_category``, ``Household.case_label``) is computed here, because
bulk inserts skip ``save()``. Rows are dicts with the model's column names; keys starting with
"_" are notes for later builders (a person's age, a need's code) and are not stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import accumulate

from django.utils import timezone

from cases import categories
from cases.choices import MemberRole, NeedStatus, Severity
from cases.demo import texts
from cases.demo.bulk import Tables
from cases.demo.names import TOWN_SIZES, NameMaker, Origin
from cases.models import Household, Need, Person
from cases.models.households import name_key
from core.demo.generator import DemoContext
from core.models import Organisation
from directory.demo.catalogue import POSTAL_CODES
from directory.models import ProblemSituation

# Share of Jobcenter households (Bedarfsgemeinschaften) by number of members, 1 … 6:
# about 2.5 persons per household, as in the tier-S benchmark (20 000 households, 50 000 persons).
HOUSEHOLD_SIZES = list(accumulate((38, 20, 16, 13, 8, 5)))
NEEDS_PER_ADULT = list(accumulate((22, 30, 26, 14, 8)))  # 0 … 4
SEVERITIES = (Severity.LOW, Severity.MEDIUM, Severity.HIGH)
OPEN_STATUSES = (NeedStatus.OPEN, NeedStatus.IN_PROGRESS, NeedStatus.RESOLVED, NeedStatus.OBSOLETE)
OPEN_STATUS_WEIGHTS = list(accumulate((45, 35, 15, 5)))
CLOSED_STATUSES = (NeedStatus.RESOLVED, NeedStatus.RESOLVED, NeedStatus.OBSOLETE)
CLOSED_SHARE = 0.08  # closed cases waiting for their retention period to end
LEGAL_HOLD_REASON = "Klageverfahren vor dem Sozialgericht anhängig"
DISPUTED_PERSON = "Bestreitet die Schreibweise des Nachnamens (laut Person mit „h“)"
DISPUTED_NEED = "Die Person sieht hier keinen Handlungsbedarf."
EU_LANGUAGES = ("pl", "en")
ADULT_ROLES = (MemberRole.APPLICANT, MemberRole.PARTNER, MemberRole.OTHER)


@dataclass
class Case:
    """One household (or one person without household) with what later builders need."""

    household: dict | None
    origin: Origin | None
    worker_id: int
    opened: date
    closed: date | None
    end: date  # the day it closed, or today
    members: list[dict] = field(default_factory=list)
    adults: list[dict] = field(default_factory=list)
    needs: list[dict] = field(default_factory=list)
    # (entrusted need, the person who entrusted it), for consents of the entrusting person
    entrusted: list[tuple[dict, dict]] = field(default_factory=list)


def aware(day: date, rng, first_hour: int = 8, last_hour: int = 16) -> datetime:
    """A moment during office hours of ``day``, in the project's time zone."""
    hour = time(rng.randint(first_hour, last_hour), rng.randrange(60), tzinfo=_local_zone())
    return datetime.combine(day, hour)


@cache
def _local_zone():
    return timezone.get_default_timezone()


def between(rng, low: int, high: int) -> int:
    """``rng.randint(low, high)`` that always takes one draw, whatever the bounds: bounds that
    depend on today's date (leap years, month lengths) must not shift all later draws, or the
    same seed would give other people on another day."""
    return low + int(rng.random() * (high - low + 1))


def age_on(birth_date: date, day: date) -> int:
    """As ``Person.age_on``."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def full_name(person: dict) -> str:
    return f"{person['first_name']} {person['last_name']}"


class CaseFileBuilder:
    """Plans the case file of ``organisation`` from ``ctx.rng`` (same seed, same people)."""

    def __init__(
        self, ctx: DemoContext, tables: Tables, organisation: Organisation, workers: list[int]
    ):
        self.ctx, self.rng, self.faker = ctx, ctx.rng, ctx.faker
        self.households = tables[Household]
        self.persons = tables[Person]
        self.need_rows = tables[Need]
        self.owner = {"network_id": ctx.network.pk, "organisation_id": organisation.pk}
        self.workers = workers
        self.names = NameMaker(ctx.rng)
        self.today = timezone.localdate()
        self.situations = {
            code: (pk, parent_code or code)
            for code, pk, parent_code in ProblemSituation.objects.filter(
                network=ctx.network, is_active=True, parent__isnull=False
            )
            .order_by("position", "code")
            .values_list("code", "pk", "parent__code")
        }
        self.adult_weights = {
            code: weight for code, (weight, _) in texts.NEEDS.items() if code in self.situations
        }
        self.towns = list(ctx.municipalities.values())
        sizes = [TOWN_SIZES.get(t.name) or self.rng.randint(2, 25) for t in self.towns]
        self.town_weights = list(accumulate(sizes))
        self.postal_codes = {
            t.pk: POSTAL_CODES.get(t.name) or f"{self.rng.randint(10000, 99999)}"
            for t in self.towns
        }
        self.streets: dict[int, list[str]] = {}
        self.cases: list[Case] = []

    # --- shared pieces ------------------------------------------------------------------------

    def town(self):
        return self.rng.choices(self.towns, cum_weights=self.town_weights)[0]

    def address(self) -> dict:
        """Clients of one town live in a few dozen streets, as in a real file."""
        town = self.town()
        if town.pk not in self.streets:
            self.streets[town.pk] = [self.faker.street_name() for _ in range(30)]
        return {
            "street": f"{self.rng.choice(self.streets[town.pk])} {self.rng.randint(1, 90)}",
            "postal_code": self.postal_codes[town.pk],
            "municipality_id": town.pk,
            "_town": town,
        }

    def birth_date(self, age: int) -> date:
        """A birth date of someone exactly ``age`` years old today."""
        latest = _years_before(self.today, age)
        earliest = _years_before(self.today, age + 1) + timedelta(days=1)
        return earliest + timedelta(days=between(self.rng, 0, (latest - earliest).days))

    def household(self, case: Case, address: dict, **extra) -> dict:
        case.household = self.households.add(
            **self.owner,
            created_at=aware(case.opened, self.rng),
            created_by_id=case.worker_id,
            street=address["street"],
            postal_code=address["postal_code"],
            municipality_id=address["municipality_id"],
            closed_on=case.closed,
            **extra,
        )
        return case.household

    def person(
        self, case: Case, role: str, age: int, female: bool, surname: str, birth: date | None = None
    ) -> dict:
        names, rng = self.names, self.rng
        if birth is None:
            birth = self.birth_date(age)
        last = names.surname_for(surname, case.origin, female)
        # The name fashion of the birth cohort, by age (not by birth date, which moves with
        # today's date: the same seed gives the same names all year).
        born = self.today.year - age
        first = names.first_name(case.origin, female, born)
        while first == last:  # "Hussein Hussein" is possible, but odd in a demo
            first = names.first_name(case.origin, female, born)
        adult = age >= 18
        # Every draw is taken whatever the age, so that an age (which depends on today's date)
        # never shifts the draws for everybody after this person (see between()).
        phone, email = names.contact(first, last)
        keeps_phone, medical, disputed = rng.random(), rng.random(), rng.random()
        person = self.persons.add(
            **self.owner,
            created_at=aware(max(case.opened, birth), rng),
            created_by_id=case.worker_id,
            household_id=case.household["id"] if case.household else None,
            role=role,
            first_name=first,
            last_name=last,
            name_key=name_key(first, last),
            birth_date=birth,
            languages=names.languages(case.origin, adult=adult, age=age),
            phone=phone if adult or (age >= 16 and keeps_phone < 0.4) else "",
            email=email if adult else "",
            closed_on=case.closed,
            objects_to_medical_transfer=adult and medical < 0.01,
            disputed_note=DISPUTED_PERSON if adult and disputed < 0.003 else "",
            _age=age,
        )
        case.members.append(person)
        if adult and role in ADULT_ROLES:
            case.adults.append(person)
        return person

    def need(self, case: Case, person: dict, code: str) -> dict:
        rng = self.rng
        pk, group = self.situations[code]
        category = categories.need_category(group)
        span = max(0, (case.end - case.opened).days)
        since = case.opened + timedelta(days=rng.randint(-400, span))
        since = max(min(since, case.end), person["birth_date"])
        if case.closed:
            status = rng.choice(CLOSED_STATUSES)
        else:
            status = rng.choices(OPEN_STATUSES, cum_weights=OPEN_STATUS_WEIGHTS)[0]
        severity = rng.choices(SEVERITIES, weights=(1, 2, 3 if group == "housing" else 1))[0]
        children = [str(m["_age"]) for m in case.members if m["role"] == MemberRole.CHILD]
        description = rng.choice(texts.NEEDS[code][1]).format(
            year=between(rng, 2005, 2022),
            years=between(rng, 2, 9),
            grade=between(rng, 2, 4),
            ages=" und ".join(children) or "3",
            months=between(rng, 2, 6),
            amount=f"{between(rng, 2, 60) * 500:,}".replace(",", "."),
        )
        need = self.need_rows.add(
            **self.owner,
            created_at=aware(max(since, case.opened), rng),
            created_by_id=case.worker_id,
            person_id=person["id"],
            problem_situation_id=pk,
            description=description,
            severity=severity,
            status=status,
            since=since,
            category=category,
            is_special_category=categories.is_special(category),
            disputed_note=DISPUTED_NEED if rng.random() < 0.005 else "",
            _person=person,
            _code=code,
        )
        case.needs.append(need)
        return need

    def _pick(self, weights: dict[str, int], count: int) -> list[str]:
        """``count`` different codes, weighted, only those in the network's taxonomy."""
        pool = {code: w for code, w in weights.items() if w > 0 and code in self.situations}
        chosen = []
        for _ in range(min(count, len(pool))):
            codes = list(pool)
            code = self.rng.choices(codes, weights=list(pool.values()))[0]
            chosen.append(code)
            del pool[code]
        return chosen

    def _worker(self, special: list[tuple[int, float]] = ()) -> int:
        roll = self.rng.random()
        for user_id, share in special:
            if roll < share:
                return user_id
            roll -= share
        return self.rng.choice(self.workers)

    def _dates(self) -> tuple[date, date | None]:
        rng = self.rng
        if rng.random() < CLOSED_SHARE:
            closed = self.today - timedelta(days=rng.randint(30, 365 * 12))
            return closed - timedelta(days=rng.randint(120, 365 * 6)), closed
        return self.today - timedelta(days=int(rng.triangular(3, 365 * 9, 300))), None

    # --- the Jobcenter ------------------------------------------------------------------------

    def jobcenter(self, count: int, favourites: list[tuple[int, float, object]]) -> list[Case]:
        """``count`` Bedarfsgemeinschaften; ``favourites`` are (user id, share, town or None):
        demo logins that get a share of the cases (in one town, for an on-site counsellor)."""
        rng, names = self.rng, self.names
        for _ in range(count):
            origin = names.origin()
            address = self.address()
            opened, closed = self._dates()
            special = [
                (uid, share) for uid, share, town in favourites if town in (None, address["_town"])
            ]
            case = Case(None, origin, self._worker(special), opened, closed, closed or self.today)
            hold = closed is not None and rng.random() < 0.03
            self.household(
                case,
                address,
                legal_hold=hold,
                legal_hold_reason=LEGAL_HOLD_REASON if hold else "",
            )
            self._members(case, rng.choices(range(1, 7), cum_weights=HOUSEHOLD_SIZES)[0])
            for adult in case.adults:
                self._adult_needs(case, adult)
            self.cases.append(case)
        self._number_households(prefix=self._ags_prefix())
        return self.cases

    def _members(self, case: Case, size: int, family: bool = False) -> None:
        """Applicant, maybe a partner, children and (rarely) a young adult member; ``family``:
        always with children (the Jugendamt's households)."""
        rng, names = self.rng, self.names
        surname = names.surname(case.origin)
        roll = rng.random()
        if size == 1:
            couple, children, others = False, 0, 0
        elif size == 2:
            couple = roll < 0.45 and not family
            others = 1 if roll > 0.95 and not family else 0
            children = 0 if couple or others else 1
        else:
            couple = roll < 0.65 or roll > 0.95
            others = 1 if roll > 0.95 and not family else 0
            children = size - (2 if couple else 1) - others
        # Children of a case closed years ago were born before it closed (and are still minors).
        youngest = (self.today - case.closed).days // 365 + 1 if case.closed else 0
        births = self._siblings(children, youngest, case.end) if youngest <= 17 else []
        child_ages = [age_on(birth, self.today) for birth in births]
        oldest = max([*child_ages, *(rng.randint(18, 24) for _ in range(others))], default=None)
        if oldest is None:
            age = round(rng.triangular(18, 64, 32))
        else:
            age = min(64, max(oldest + 18 + rng.randint(0, 12), round(rng.triangular(20, 55, 33))))
        female = rng.random() < (0.88 if children and not couple else 0.5)
        self.person(case, MemberRole.APPLICANT, age, female, surname)
        if couple:
            partner_age = min(64, max(18, (oldest or 0) + 17, age + rng.randint(-6, 6)))
            partner_female = (not female) if rng.random() < 0.97 else female
            partner_surname = surname if rng.random() < 0.7 else names.surname(case.origin)
            self.person(case, MemberRole.PARTNER, partner_age, partner_female, partner_surname)
        if others:
            self.person(case, MemberRole.OTHER, oldest, rng.random() < 0.5, surname)
        for birth, child_age in zip(births, child_ages, strict=True):
            child_surname = surname if rng.random() < 0.85 else names.surname(case.origin)
            female = rng.random() < 0.49
            self.person(case, MemberRole.CHILD, child_age, female, child_surname, birth)

    def _siblings(self, count: int, youngest: int, latest: date) -> list[date]:
        """Birth dates of ``count`` children aged ``youngest``–17, oldest first, at least ten
        months apart (or twins), none born after ``latest``."""
        rng = self.rng
        ages = sorted(rng.sample(range(youngest, 18), min(count, 18 - youngest)), reverse=True)
        births: list[date] = []
        for age in ages:
            birth = self.birth_date(age)
            gap = rng.randint(300, 420)  # drawn always: see between()
            if births and (birth - births[-1]).days < 300:
                later = births[-1] + timedelta(days=gap)
                birth = later if later <= latest else births[-1]
            births.append(birth)
        if len(births) >= 2 and rng.random() < 0.03:
            births[-1] = births[-2]  # twins
        return births

    def _adult_needs(self, case: Case, adult: dict) -> None:
        rng = self.rng
        count = rng.choices(range(5), cum_weights=NEEDS_PER_ADULT)[0]
        if not count:
            return
        age = adult["_age"]
        weights = dict(self.adult_weights)
        children = [m["_age"] for m in case.members if m["role"] == MemberRole.CHILD]
        if case.origin is not None:
            weights["qualification.german_language"] = 10 if "de" in adult["languages"] else 40
            if case.origin.language not in EU_LANGUAGES:
                weights["legal.residence_status"] = 6
                weights["legal.work_permit"] = 4
        if children and min(children) < 12:
            weights["family.childcare"] = 15
        if adult["role"] == MemberRole.APPLICANT and children and len(case.adults) == 1:
            weights["family.single_parent"] = 40
        if age >= 50:
            weights["age.older_jobseekers"] = 20
        if age < 25:
            weights["transition.career_orientation"] = 12
            weights["transition.apprenticeship_search"] = 12
        for code in self._pick(weights, count):
            self.need(case, adult, code)

    def _ags_prefix(self) -> str:
        return (self.towns[0].ags if self.towns else "00000000")[:5]

    def _number_households(self, prefix: str | None) -> None:
        """Oldest cases get the lowest numbers; case labels count per year of opening."""
        households = sorted(
            (c for c in self.cases if c.household is not None),
            key=lambda c: (c.household["created_at"], c.household["id"]),
        )
        numbers = sorted(self.rng.sample(range(1, 10_000_000), len(households))) if prefix else []
        per_year: dict[int, int] = {}
        for index, case in enumerate(households):
            year = case.opened.year
            per_year[year] = per_year.get(year, 0) + 1
            case.household["case_label"] = f"{year}-{per_year[year]:04d}"
            if prefix:
                case.household["number"] = f"{prefix}BG{numbers[index]:07d}"

    # --- the Jugendamt ------------------------------------------------------------------------

    def youth_office(self, persons: int, entrusted: int, favourite: int | None) -> list[Case]:
        """About ``persons`` persons: families, young people on their own, and the people who
        entrusted something about a child (§ 65 SGB VIII) – a grandmother, an aunt."""
        rng, names = self.rng, self.names
        special = [(favourite, 0.15)] if favourite else []
        total = 0
        while total < persons * 0.75:
            opened, closed = self._dates()
            worker = self._worker(special)
            case = Case(None, names.origin(), worker, opened, closed, closed or self.today)
            self.household(case, self.address())
            self._members(case, rng.choice((2, 2, 3, 3, 3, 4, 4, 5)), family=True)
            for member in case.members:
                self._youth_needs(case, member)
            total += len(case.members)
            self.cases.append(case)
        while total < persons:
            age = round(rng.triangular(14, 21, 17))
            case = self._alone(age, rng.random() < 0.5, names.origin(), special)
            self._youth_needs(case, case.members[0])
            total += 1
        self._number_households(prefix=None)
        self._entrust(entrusted, special)
        return self.cases

    def _alone(self, age: int, female: bool, origin, special, dates=None) -> Case:
        """A person without household, with their own address."""
        opened, closed = dates or self._dates()
        case = Case(None, origin, self._worker(special), opened, closed, closed or self.today)
        person = self.person(case, MemberRole.APPLICANT, age, female, self.names.surname(origin))
        address = self.address()
        for key in ("street", "postal_code", "municipality_id"):
            person[key] = address[key]
        self.cases.append(case)
        return case

    def _youth_needs(self, case: Case, person: dict) -> None:
        rng = self.rng
        age = person["_age"]
        if person["role"] in (MemberRole.APPLICANT, MemberRole.PARTNER) and age >= 25:
            weights = {"finances.debt": 3, "housing.threatened_loss": 3, "health.addiction": 1}
            if len(case.adults) == 1 and any(m["role"] == MemberRole.CHILD for m in case.members):
                weights["family.single_parent"] = 8
            count = rng.choice((0, 0, 1, 1, 2))
        else:
            weights = dict(texts.YOUTH_NEEDS)
            del weights["family.single_parent"]
            if age < 14:
                del weights["qualification.school_certificate"]
                del weights["transition.career_orientation"]
                del weights["transition.apprenticeship_search"]
            if age >= 6:
                del weights["family.childcare"]
            count = rng.choice((0, 1, 1, 2, 2, 3))
        for code in self._pick(weights, count):
            self.need(case, person, code)

    def _entrust(self, count: int, special) -> None:
        """Mark ``count`` needs of children as entrusted by a third person in the file."""
        rng = self.rng
        candidates = [
            (case, need)
            for case in self.cases
            if case.household is not None and not case.closed
            for need in case.needs
            if need["_person"]["role"] == MemberRole.CHILD
        ]
        for family, need in rng.sample(candidates, min(count, len(candidates))):
            relation = rng.choice(texts.ENTRUSTING_RELATIONS)
            age = rng.randint(58, 80) if relation == "Großmutter" else rng.randint(30, 60)
            dates = (family.opened, family.closed)
            helper = self._alone(age, True, family.origin, special, dates).members[0]
            if relation != "Nachbarin" and rng.random() < 0.7:
                helper["last_name"] = family.members[0]["last_name"]
                helper["name_key"] = name_key(helper["first_name"], helper["last_name"])
            need["entrusted"] = True
            need["entrusted_by_id"] = helper["id"]
            need["description"] = f"{relation}: {rng.choice(texts.ENTRUSTED_DESCRIPTIONS)}"
            family.entrusted.append((need, helper))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
