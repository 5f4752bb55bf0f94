"""Demo offers (Angebote) of the partners of a demo network, for the demo and the benchmarks.

A catalogue of offer kinds (debt counselling, housing security, language courses, youth
workshops, …) says who provides them, how they are titled and described, which problem
situations they address and when they are open. The step draws about 400 offers per network at
scale 1.0 from it – every kind at least once, then by weight – all from ``ctx.rng``/``ctx.faker``,
so the same seed gives the same offers. Rows go in with bulk inserts; the full-text index, which
the signals would build for single saves, is rebuilt once at the end.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import accumulate

from django.utils import timezone

from core.demo.generator import DemoContext, register_step
from core.models import Membership, Municipality, Organisation
from directory.choices import (
    Accessibility,
    Availability,
    OfferStatus,
    PlaceKind,
)
from directory.demo.catalogue import (
    ANCHORS,
    BATCH,
    BUS_LINES,
    CLOSED_NOTES,
    CONTACT_NOTES,
    FULL_NOTES,
    KINDS,
    KINDS_BY_KEY,
    ONLINE,
    OPEN_NOTES,
    PHONE,
    POSTAL_CODES,
    REFERRAL,
    REFERRAL_NOTE,
    STOPS,
    WAITLIST_NOTES,
    WALK_IN,
    WEEKDAYS,
    Kind,
    Title,
)
from directory.indexing import reindex
from directory.models import Offer, OpeningException, OpeningHours, Place, ProblemSituation

OFFERS_AT_SCALE_1 = 400
LOCAL_PROVIDERS = ("neighbourhood_centre:", "municipality:")
STATUSES = (OfferStatus.PUBLISHED, OfferStatus.DRAFT, OfferStatus.PAUSED, OfferStatus.ARCHIVED)
STATUS_WEIGHTS = (88, 5, 4, 3)


def _matches(key: str, spec: str) -> bool:
    """``spec`` is an organisation key or the start of keys ("municipality:", "economic_")."""
    return key.startswith(spec)


@dataclass
class _Location:
    name: str
    street: str
    postal_code: str
    latitude: float
    longitude: float
    accessibility: list[str]
    transport_note: str


@dataclass
class _Planned:
    offer: Offer
    places: list[Place] = field(default_factory=list)
    hours: list[OpeningHours] = field(default_factory=list)
    exceptions: list[OpeningException] = field(default_factory=list)
    situations: list[int] = field(default_factory=list)


class _OfferBuilder:
    def __init__(self, ctx: DemoContext):
        self.ctx, self.rng, self.faker = ctx, ctx.rng, ctx.faker
        self.network = ctx.network
        self.today = timezone.localdate()
        self.towns = list(ctx.municipalities.values())
        self.town_by_pk = {town.pk: town for town in self.towns}
        self.centre_by_town = {
            org.municipality_id: org
            for key, org in ctx.organisations.items()
            if key.startswith("neighbourhood_centre:")
        }
        # Towns with a neighbourhood centre are the bigger ones: more offers happen there.
        self.town_weights = list(
            accumulate(3 if town.pk in self.centre_by_town else 1 for town in self.towns)
        )
        self.situation_pks = dict(
            ProblemSituation.objects.filter(network=self.network).values_list("code", "pk")
        )
        self.verifiers: dict[int, list[int]] = {}
        for org_id, user_id in (
            Membership.objects.filter(network=self.network, is_active=True)
            .order_by("organisation__name", "user__username")
            .values_list("organisation_id", "user_id")
        ):
            self.verifiers.setdefault(org_id, []).append(user_id)
        self.locations: dict[tuple, _Location] = {}
        self.postal_codes: dict[int, str] = {}
        self.providers = {kind.key: self._providers(kind) for kind in KINDS}

    def _providers(self, kind: Kind) -> list[tuple[str, Organisation]]:
        return [
            (key, org)
            for key, org in self.ctx.organisations.items()
            if any(_matches(key, spec) for spec in kind.providers)
        ]

    # --- the plan -----------------------------------------------------------------------------

    def plan(self) -> list[_Planned]:
        planned = []
        for kind in KINDS:
            if self.providers[kind.key]:
                planned.append(self.offer(kind, status=OfferStatus.PUBLISHED))
        for kind_key, org_key, town_name, status in ANCHORS:
            org = self.ctx.organisations.get(org_key)
            if org is not None:
                town = self.ctx.municipalities.get(town_name) if town_name else None
                kind = KINDS_BY_KEY[kind_key]
                planned.append(self.offer(kind, provider=(org_key, org), town=town, status=status))
        available = [kind for kind in KINDS if self.providers[kind.key]]
        weights = list(accumulate(kind.weight for kind in available))
        for _ in range(self.ctx.scaled(OFFERS_AT_SCALE_1) - len(planned)):
            planned.append(self.offer(self.rng.choices(available, cum_weights=weights)[0]))
        return planned

    def offer(self, kind: Kind, *, provider=None, town=None, status=None) -> _Planned:
        rng = self.rng
        key, org = provider or rng.choice(self.providers[kind.key])
        titles = [
            title if isinstance(title, Title) else Title(title)
            for title in kind.titles
            if not isinstance(title, Title)
            or not title.providers
            or any(_matches(key, spec) for spec in title.providers)
        ]
        title = rng.choice(titles)
        seat = self.town_by_pk.get(org.municipality_id) or self.towns[0]
        remote = town is None and rng.random() < kind.remote
        places_spec = [] if remote else self._where(kind, key, org, seat, town)
        town = places_spec[0][2] if places_spec else seat
        names = {"town": town.name}

        situations = list(title.situations or kind.situations)
        situations += [code for code in kind.extra_situations if rng.random() < 0.3]
        groups = list(kind.groups) + [code for code in kind.extra_groups if rng.random() < 0.3]
        ages = title.ages if title.ages is not None else kind.ages
        languages = ["de"]
        if kind.languages and rng.random() < kind.language_share:
            languages += rng.sample(kind.languages, rng.randint(1, min(3, len(kind.languages))))
        access = list(rng.choice(kind.access))
        schedule = "phone" if remote else rng.choice(kind.schedules)
        if (title.text.startswith("Offen") or schedule == "walk_in") and WALK_IN not in access:
            access.append(WALK_IN)
        if remote and not {PHONE, ONLINE} & set(access):
            access.append(PHONE)
        costs, costs_note = rng.choice(kind.costs)
        availability, until, availability_note = self._availability(kind)
        status = status or rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
        if status == OfferStatus.DRAFT:
            last_verified = self.today - timedelta(days=rng.randint(0, 30))
        else:
            last_verified = self.today - timedelta(days=int(rng.triangular(0, 365, 45)))
        verifiers = self.verifiers.get(org.pk, [])
        domain = org.email.partition("@")[2] or "demo.invalid"
        phone_base = org.phone.rpartition("-")[0] or org.phone
        contact = ""
        if kind.contact:
            contact = rng.choice(kind.contact)
        elif REFERRAL in access and rng.random() < 0.5:
            contact = REFERRAL_NOTE
        elif rng.random() < 0.3:
            contact = rng.choice(CONTACT_NOTES)
        details = rng.sample(kind.details, rng.randint(1, min(3, len(kind.details))))
        tags = rng.sample(kind.tags, rng.randint(3, min(6, len(kind.tags))))

        offer = Offer(
            network_id=self.network.pk,
            organisation_id=org.pk,
            uuid=uuid.UUID(int=rng.getrandbits(128), version=4),
            title=title.text.format(**names)[:200],
            description=" ".join([title.intro or rng.choice(kind.intro), *details]).format(**names),
            tags=", ".join(tags),
            target_groups=groups,
            min_age=ages[0] if ages else None,
            max_age=ages[1] if ages else None,
            eligibility=rng.choice(kind.eligible).format(**names),
            not_eligible=(
                rng.choice(kind.not_eligible).format(**names)
                if kind.not_eligible and rng.random() < 0.8
                else ""
            ),
            what_to_bring=rng.choice(kind.bring) if kind.bring and rng.random() < 0.85 else "",
            languages=languages,
            costs=costs,
            costs_note=costs_note,
            access_types=access,
            availability=availability,
            availability_until=until,
            availability_note=availability_note,
            phone=f"{phone_base}-{rng.randint(10, 99)}" if rng.random() < 0.6 else org.phone,
            email=org.email if rng.random() < 0.4 else f"{kind.mailbox}@{domain}",
            website=org.website if rng.random() < 0.6 else "",
            contact_note=contact,
            status=status,
            last_verified=last_verified,
            verified_by_id=rng.choice(verifiers) if verifiers and rng.random() < 0.75 else None,
        )
        planned = _Planned(offer=offer)
        planned.situations = [self.situation_pks[code] for code in dict.fromkeys(situations)]
        planned.places = [self._place(kind_, loc, town_) for kind_, loc, town_ in places_spec]
        planned.hours = [
            OpeningHours(
                network_id=self.network.pk,
                weekday=day,
                opens=opens,
                closes=closes,
                note=note,
            )
            for day, opens, closes, note in _hours(rng, schedule)
        ]
        if rng.random() < 0.2:
            planned.exceptions = self._exceptions({h.weekday for h in planned.hours})
        return planned

    # --- pieces -------------------------------------------------------------------------------

    def _where(self, kind: Kind, key: str, org: Organisation, seat: Municipality, town=None):
        """(place kind, location or None if confidential, municipality) of each place; the
        first is where the offer happens: the provider's house, a venue in its own or another
        town, or a confidential place."""
        rng = self.rng
        if kind.where == "confidential":
            return [(PlaceKind.SERVICE, None, seat)]
        local = key.startswith(LOCAL_PROVIDERS)
        at_seat = kind.where == "seat" or (kind.where == "mixed" and rng.random() < 0.55)
        if town is None:
            town = seat if at_seat or local else self._town()
        if town.pk == seat.pk and kind.where in ("seat", "mixed") and (at_seat or not local):
            location = self._seat(org, seat)
        else:
            location = self._venue(town, rng.choice(kind.venues))
        places = [(PlaceKind.SERVICE, location, town)]
        if town.pk != seat.pk and rng.random() < kind.intake:
            places.append((PlaceKind.INTAKE, self._seat(org, seat), seat))
        elif kind.where != "seat" and not local and rng.random() < 0.1:
            other = self._town()
            if other.pk != town.pk:
                places.append(
                    (PlaceKind.SERVICE, self._venue(other, rng.choice(kind.venues)), other)
                )
        return places

    def _town(self) -> Municipality:
        return self.rng.choices(self.towns, cum_weights=self.town_weights)[0]

    def _availability(self, kind: Kind) -> tuple[str, date | None, str]:
        rng = self.rng
        roll = rng.random()
        if roll >= kind.full + kind.waitlist:
            return Availability.ACCEPTING, None, ""
        until = self.today + timedelta(days=rng.randint(14, 180))
        if roll < kind.full:
            state, notes = Availability.FULL, FULL_NOTES
        else:
            state, notes = Availability.WAITLIST, WAITLIST_NOTES
        note = rng.choice(notes).format(until=until.strftime("%d.%m.%Y"), weeks=rng.randint(2, 12))
        return state, until, note

    def _postal_code(self, town: Municipality) -> str:
        if town.pk not in self.postal_codes:
            self.postal_codes[town.pk] = POSTAL_CODES.get(town.name) or str(
                self.rng.randint(10000, 99999)
            )
        return self.postal_codes[town.pk]

    def _location(self, town: Municipality, name: str, street: str) -> _Location:
        rng = self.rng
        accessibility = []
        if rng.random() < 0.7:
            accessibility.append(Accessibility.STEP_FREE)
            if rng.random() < 0.6:
                accessibility.append(Accessibility.ACCESSIBLE_TOILET)
        for code, share in (
            (Accessibility.PARKING, 0.3),
            (Accessibility.EASY_LANGUAGE, 0.2),
            (Accessibility.HEARING_LOOP, 0.08),
            (Accessibility.SIGN_LANGUAGE, 0.05),
        ):
            if rng.random() < share:
                accessibility.append(code)
        roll = rng.random()
        if roll < 0.45:
            transport = f"Bus {rng.choice(BUS_LINES)}, Haltestelle {town.name} {rng.choice(STOPS)}"
        elif roll < 0.6:
            transport = f"Ab Bahnhof {town.name} etwa {rng.randint(3, 15)} Minuten zu Fuß"
        elif roll < 0.7:
            transport = "Parkplätze im Hof"
        else:
            transport = ""
        return _Location(
            name=name,
            street=street,
            postal_code=self._postal_code(town),
            latitude=round(float(town.latitude) + rng.uniform(-0.012, 0.012), 6),
            longitude=round(float(town.longitude) + rng.uniform(-0.018, 0.018), 6),
            accessibility=accessibility,
            transport_note=transport,
        )

    def _seat(self, org: Organisation, town: Municipality) -> _Location:
        key = ("seat", org.pk)
        if key not in self.locations:
            street = org.street or f"{self.faker.street_name()} {self.rng.randint(1, 80)}"
            self.locations[key] = self._location(town, org.name, street)
        return self.locations[key]

    def _venue(self, town: Municipality, pattern: str) -> _Location:
        centre = self.centre_by_town.get(town.pk)
        if pattern.startswith("Stadtteilzentrum"):
            if centre is not None:
                return self._seat(centre, town)
            pattern = "Bürgerhaus {town}"
        key = ("venue", town.pk, pattern)
        if key not in self.locations:
            street = f"{self.faker.street_name()} {self.rng.randint(1, 80)}"
            self.locations[key] = self._location(town, pattern.format(town=town.name), street)
        return self.locations[key]

    def _place(self, kind: str, location: _Location | None, town: Municipality) -> Place:
        """A place of an offer; the offer id is set once the offers are inserted."""
        if location is None:
            # What Place.save() would store for a confidential place (bulk_create skips save):
            # no name, no address, located at the municipality's centre.
            return Place(
                network_id=self.network.pk,
                uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
                kind=kind,
                municipality_id=town.pk,
                city=town.name,
                latitude=float(town.latitude),
                longitude=float(town.longitude),
                accessibility=[Accessibility.STEP_FREE],
                is_confidential=True,
            )
        name = location.name
        if kind == PlaceKind.INTAKE:
            name = f"Anmeldung und Erstgespräch: {name}"
        return Place(
            network_id=self.network.pk,
            uuid=uuid.UUID(int=self.rng.getrandbits(128), version=4),
            kind=kind,
            name=name[:200],
            street=location.street,
            postal_code=location.postal_code,
            city=town.name,
            municipality_id=town.pk,
            latitude=location.latitude,
            longitude=location.longitude,
            accessibility=location.accessibility,
            transport_note=location.transport_note,
        )

    def _exceptions(self, weekdays: set[int]) -> list[OpeningException]:
        rng = self.rng
        days = set()
        rows = []
        for _ in range(rng.randint(1, 3)):
            day = self.today + timedelta(days=rng.randint(2, 120))
            for _shift in range(7):
                if day.weekday() in weekdays:
                    break
                day += timedelta(days=1)
            if day in days:
                continue
            days.add(day)
            if rng.random() < 0.15:
                rows.append(
                    OpeningException(
                        network_id=self.network.pk,
                        date=day,
                        is_closed=False,
                        opens=time(13),
                        closes=time(16),
                        note=rng.choice(OPEN_NOTES),
                    )
                )
            else:
                rows.append(
                    OpeningException(
                        network_id=self.network.pk, date=day, note=rng.choice(CLOSED_NOTES)
                    )
                )
        return rows


def _hours(rng, profile: str) -> list[tuple[int, time, time, str]]:
    """1–5 weekly rows (weekday, opens, closes, note) of a typical schedule."""
    if profile == "office":
        days = sorted(rng.sample(range(5), rng.randint(2, 4)))
        opens = rng.choice((time(8, 30), time(9), time(9)))
        closes = rng.choice((time(12), time(12, 30), time(13)))
        rows = [(day, opens, closes, "") for day in days]
        if rng.random() < 0.5:
            rows.append((rng.choice((1, 3)), time(14), rng.choice((time(17), time(18))), ""))
        return rows
    if profile == "walk_in":
        slot = rng.choice(((time(9), time(11)), (time(14), time(16)), (time(10), time(12))))
        days = sorted(rng.sample(range(5), rng.randint(1, 2)))
        return [(day, *slot, "offene Sprechstunde ohne Termin") for day in days]
    if profile == "afternoon":
        days = sorted(rng.sample(range(5), rng.randint(1, 2)))
        opens = rng.choice((time(14), time(15)))
        return [(day, opens, rng.choice((time(17), time(18))), "") for day in days]
    if profile == "evening":
        opens = rng.choice((time(18), time(18, 30), time(19)))
        return [(rng.randrange(5), opens, time(opens.hour + 2, opens.minute), "")]
    if profile == "monthly_evening":
        day = rng.randrange(5)
        note = f"jeden {rng.randint(1, 4)}. {WEEKDAYS[day]} im Monat"
        return [(day, time(19), time(21), note)]
    if profile == "morning":
        slot = rng.choice(((time(9, 30), time(11, 30)), (time(10), time(12))))
        return [(rng.randrange(5), *slot, "")]
    if profile == "course":
        slot = rng.choice(
            ((time(8, 30), time(12, 45)), (time(13), time(16, 15)), (time(9), time(12)))
        )
        days = rng.choice(((0, 1, 2, 3, 4), (0, 1, 2, 3), (0, 2, 4), (1, 3)))
        return [(day, *slot, "") for day in days]
    if profile == "workshop":
        opens = rng.choice((time(7, 30), time(8)))
        closes = rng.choice((time(15, 30), time(16)))
        return [(day, opens, closes, "") for day in range(4)] + [(4, time(8), time(12, 30), "")]
    if profile == "consultation_day":
        day = rng.randrange(5)
        slot = rng.choice(((time(9), time(12)), (time(13), time(16)), (time(8, 30), time(12, 30))))
        note = rng.choice(
            (
                f"jeden {WEEKDAYS[day]}",
                f"jeden 1. und 3. {WEEKDAYS[day]} im Monat",
                "14-täglich, Termine nach Absprache",
            )
        )
        return [(day, *slot, note)]
    if profile == "saturday":
        rows = [(5, time(10), time(13), "")]
        if rng.random() < 0.5:
            rows.insert(0, (2, time(16), time(18, 30), ""))
        return rows
    if profile == "phone":
        days = sorted(rng.sample(range(5), rng.randint(3, 5)))
        return [(day, time(9), time(12), "telefonisch erreichbar") for day in days]
    raise ValueError(f"unknown schedule {profile!r}")


@register_step(order=200, name="Angebote")
def offers(ctx: DemoContext) -> None:
    planned = _OfferBuilder(ctx).plan()
    Offer.objects.bulk_create([p.offer for p in planned], batch_size=BATCH)
    for p in planned:
        for row in (*p.places, *p.hours, *p.exceptions):
            row.offer_id = p.offer.pk
    Place.objects.bulk_create([place for p in planned for place in p.places], batch_size=BATCH)
    OpeningHours.objects.bulk_create([h for p in planned for h in p.hours], batch_size=BATCH)
    OpeningException.objects.bulk_create(
        [e for p in planned for e in p.exceptions], batch_size=BATCH
    )
    through = Offer.problem_situations.through
    through.objects.bulk_create(
        [
            through(offer_id=p.offer.pk, problemsituation_id=pk)
            for p in planned
            for pk in p.situations
        ],
        batch_size=BATCH,
    )
    reindex(Offer.objects.filter(network=ctx.network))
    ctx.counts["Angebote"] = len(planned)
