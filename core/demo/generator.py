"""Deterministic synthetic networks for the demo and the benchmarks.

``generate(seed=…, scale=…)`` builds the demo county (and, for benchmarks, further synthetic
counties) with bulk inserts. Later apps add their data by registering a step::

    @register_step(order=200, name="Angebote")
    def offers(ctx: DemoContext) -> None: ...

Steps run in ``order`` for every network; each gets the same seeded random generator, so the same
seed always gives the same data.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from faker import Faker

from core import audit
from core.choices import AuditAction, FederalState, LegalRegime, OrganisationType, Role
from core.demo import county
from core.models import (
    DEFAULT_LEGAL_REGIME,
    Membership,
    Municipality,
    Network,
    Organisation,
    SocialArea,
    Team,
    User,
)


@dataclass
class DemoContext:
    seed: int
    scale: float
    rng: random.Random
    faker: Faker
    network: Network
    index: int
    municipalities: dict[str, Municipality] = field(default_factory=dict)
    organisations: dict[str, Organisation] = field(default_factory=dict)
    teams: dict[tuple[str, str], Team] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def scaled(self, base: int, minimum: int = 1) -> int:
        return max(minimum, round(base * self.scale))


Step = Callable[[DemoContext], None]
STEPS: list[tuple[int, str, Step]] = []


def register_step(*, order: int, name: str):
    def decorator(func: Step) -> Step:
        if all(existing is not func for _, _, existing in STEPS):
            STEPS.append((order, name, func))
            STEPS.sort(key=lambda item: item[0])
        return func

    return decorator


def _ascii(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    return (
        unicodedata.normalize("NFKD", text)
        .encode("ascii", "ignore")
        .decode()
        .lower()
        .replace(" ", "")
    )


class _UserFactory:
    """Unique user names across the whole run; one password hash for all demo accounts."""

    def __init__(self):
        self.taken = set(User.objects.values_list("username", flat=True))
        self.password = make_password(settings.DEMO_PASSWORD)
        self.pending: list[User] = []

    def make(self, first: str, last: str, username: str | None = None) -> User:
        base = username or f"{_ascii(first)}.{_ascii(last)}"
        candidate, n = base, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{base}{n}"
        self.taken.add(candidate)
        user = User(
            username=candidate,
            first_name=first,
            last_name=last,
            password=self.password,
            email=f"{candidate}@demo.kurzewege.invalid",
        )
        self.pending.append(user)
        return user

    def flush(self) -> None:
        User.objects.bulk_create(self.pending, batch_size=2000)
        self.pending = []


def generate(
    *,
    seed: int = 42,
    scale: float = 1.0,
    networks: int = 1,
    log: Callable[[str], None] = print,
    steps: Collection[str] | None = None,
) -> list[DemoContext]:
    """Build ``networks`` networks (the first is the demo county); one context per network.

    ``steps`` names the registered steps to run (default: all); the core data always comes
    first. Tests of one app leave out the later apps' large data sets this way.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    users = _UserFactory()
    contexts = []
    for index in range(networks):
        rng = random.Random(f"{seed}:{index}")
        faker = Faker("de_DE")
        faker.seed_instance(f"{seed}:{index}")
        with transaction.atomic():
            ctx = _build_network(index=index, seed=seed, scale=scale, rng=rng, faker=faker)
            chosen = [entry for entry in STEPS if steps is None or entry[1] in steps]
            for _order, name, step in [(0, "Grunddaten", lambda c: _core_step(c, users)), *chosen]:
                step(ctx)
                log(f"  {ctx.network.slug}: {name} fertig")
            audit.record(
                actor=None,
                action=AuditAction.CREATE,
                obj=ctx.network,
                network_id=ctx.network.pk,
                purpose="Demodaten erzeugt",
            )
        contexts.append(ctx)
    return contexts


def _build_network(*, index, seed, scale, rng, faker) -> DemoContext:
    if index == 0:
        network = Network.objects.create(
            name=county.COUNTY_NAME, slug=county.COUNTY_SLUG, federal_state=county.COUNTY_STATE
        )
    else:
        state = rng.choice(FederalState.values)
        name = f"Landkreis {faker.unique.last_name()}-{faker.unique.city_name()} (synthetisch)"
        network = Network.objects.create(
            name=name, slug=f"synth-{seed}-{index}", federal_state=state
        )
    return DemoContext(seed=seed, scale=scale, rng=rng, faker=faker, network=network, index=index)


def _core_step(ctx: DemoContext, users: _UserFactory) -> None:
    _municipalities(ctx)
    _organisations(ctx)
    _staff(ctx, users)


def _municipalities(ctx: DemoContext) -> None:
    if ctx.index == 0:
        rows = county.MUNICIPALITIES
    else:
        state_number = 1 + FederalState.values.index(ctx.network.federal_state)
        base_lat, base_lon = ctx.rng.uniform(48.0, 53.5), ctx.rng.uniform(7.0, 13.5)
        rows = []
        names = set()
        while len(rows) < 23:
            name = ctx.faker.city_name()
            if name in names:
                continue
            names.add(name)
            rows.append(
                (
                    name,
                    f"{state_number:02d}{ctx.index % 1000:03d}{len(rows) + 1:03d}",
                    round(base_lat + ctx.rng.uniform(-0.2, 0.2), 4),
                    round(base_lon + ctx.rng.uniform(-0.3, 0.3), 4),
                )
            )
    municipalities = Municipality.objects.bulk_create(
        [
            Municipality(
                network=ctx.network,
                name=name,
                ags=ags,
                latitude=Decimal(str(lat)),
                longitude=Decimal(str(lon)),
            )
            for name, ags, lat, lon in rows
        ]
    )
    ctx.municipalities = {m.name: m for m in municipalities}
    areas = []
    for town, names in county.SOCIAL_AREAS.items():
        municipality = ctx.municipalities.get(town) or ctx.rng.choice(municipalities)
        areas += [
            SocialArea(network=ctx.network, municipality=municipality, name=name)
            for name in names
            if (municipality.pk, name) not in {(a.municipality_id, a.name) for a in areas}
        ]
    SocialArea.objects.bulk_create(areas)
    ctx.counts["municipalities"] = len(municipalities)


def _organisations(ctx: DemoContext) -> None:
    faker, rng = ctx.faker, ctx.rng
    towns = list(ctx.municipalities.values())
    seat = ctx.municipalities.get("Dieburg") or towns[0]
    county_name = (
        ctx.network.name.replace("Landkreis ", "")
        .replace(" (Demo)", "")
        .replace(" (synthetisch)", "")
    )
    planned: list[tuple[str, str, str, Municipality]] = [
        (
            "jobcenter",
            f"Kreisagentur für Beschäftigung {county_name} (Jobcenter)",
            OrganisationType.JOBCENTER,
            seat,
        ),
        (
            "youth_office",
            f"Fachbereich Jugend {county_name} (Jugendamt)",
            OrganisationType.YOUTH_OFFICE,
            seat,
        ),
        (
            "social_welfare_office",
            f"Fachbereich Soziales {county_name} (Sozialamt)",
            OrganisationType.SOCIAL_WELFARE_OFFICE,
            seat,
        ),
        (
            "employment_agency",
            f"Agentur für Arbeit – Geschäftsstelle {seat.name}",
            OrganisationType.EMPLOYMENT_AGENCY,
            seat,
        ),
        (
            "volunteer_agency",
            f"Freiwilligenagentur {county_name}",
            OrganisationType.VOLUNTEER_AGENCY,
            seat,
        ),
        (
            "self_help",
            f"Selbsthilfe-Kontaktstelle {county_name}",
            OrganisationType.SELF_HELP_CONTACT_POINT,
            seat,
        ),
        (
            "immigration_office",
            f"Ausländerbehörde {county_name}",
            OrganisationType.IMMIGRATION_OFFICE,
            seat,
        ),
        (
            "economic_development",
            f"Wirtschaftsförderung {county_name}",
            OrganisationType.ECONOMIC_DEVELOPMENT,
            seat,
        ),
    ]
    for town in towns:
        planned.append(
            (
                f"municipality:{town.name}",
                f"Gemeindeverwaltung {town.name}",
                OrganisationType.MUNICIPAL_ADMINISTRATION,
                town,
            )
        )
    centre_towns = (
        county.NEIGHBOURHOOD_CENTRE_TOWNS if ctx.index == 0 else [t.name for t in towns[:10]]
    )
    for name in centre_towns:
        town = ctx.municipalities[name]
        planned.append(
            (
                f"neighbourhood_centre:{name}",
                f"Stadtteilzentrum {name}",
                OrganisationType.NEIGHBOURHOOD_CENTRE,
                town,
            )
        )
    for name in county.WELFARE_ORGANISATIONS:
        planned.append(
            (f"welfare:{name}", name, OrganisationType.WELFARE_ORGANISATION, rng.choice(towns))
        )
    for name, town in county.SCHOOLS:
        planned.append(
            (
                f"school:{name}",
                name,
                OrganisationType.SCHOOL,
                ctx.municipalities.get(town) or rng.choice(towns),
            )
        )
    for name, town in county.EMPLOYERS:
        planned.append(
            (
                f"employer:{name}",
                name,
                OrganisationType.EMPLOYER,
                ctx.municipalities.get(town) or rng.choice(towns),
            )
        )

    organisations = []
    for _key, name, org_type, town in planned:
        slug = _ascii(name.split("(")[0].strip().replace(" ", "-"))[:30].strip("-")
        organisations.append(
            Organisation(
                network=ctx.network,
                name=name,
                type=org_type,
                legal_regime=DEFAULT_LEGAL_REGIME.get(org_type, LegalRegime.NONE),
                municipality=town,
                street=f"{faker.street_name()} {rng.randint(1, 120)}",
                postal_code=f"{rng.randint(64200, 64899)}",
                city=town.name,
                phone=f"06071 {rng.randint(1000, 9999)}-{rng.randint(0, 99)}",
                email=f"kontakt@{slug}.demo.invalid",
                website=f"https://{slug}.demo.invalid",
            )
        )
    Organisation.objects.bulk_create(organisations)
    ctx.organisations = {key: org for (key, *_), org in zip(planned, organisations, strict=True)}
    ctx.counts["organisations"] = len(organisations)

    team_names = {
        "jobcenter": [
            "Fallmanagement Ost",
            "Fallmanagement West",
            "Fallmanagement Süd",
            "U25-Team",
            "Leistungssachbearbeitung",
            "Arbeitgeberservice",
        ],
        "youth_office": [
            "Allgemeiner Sozialer Dienst Ost",
            "Allgemeiner Sozialer Dienst West",
            "Jugendberufshilfe",
        ],
        "social_welfare_office": ["Wohnungssicherung", "Grundsicherung im Alter"],
        "employment_agency": ["Berufsberatung", "Arbeitgeberservice"],
    }
    teams = [
        Team(network=ctx.network, organisation=ctx.organisations[key], name=name)
        for key, names in team_names.items()
        for name in names
    ]
    Team.objects.bulk_create(teams)
    ctx.teams = {(team.organisation_id, team.name): team for team in teams}


def _staff(ctx: DemoContext, users: _UserFactory) -> None:
    faker, rng = ctx.faker, ctx.rng
    memberships: list[Membership] = []

    def add(user, org_key, role, team_name=None, job_title=""):
        org = ctx.organisations[org_key]
        team = ctx.teams.get((org.pk, team_name)) if team_name else None
        memberships.append(
            Membership(
                network=ctx.network,
                user=user,
                organisation=org,
                team=team,
                role=role,
                job_title=job_title,
                is_active=True,
            )
        )

    if ctx.index == 0:
        for username, first, last, org_key, role, team in county.DEMO_LOGINS:
            add(users.make(first, last, username), org_key, role, team)
        username, first, last, roles = county.MULTI_ORGANISATION_LOGIN
        user = users.make(first, last, username)
        for org_key, role, team in roles:
            add(user, org_key, role, team)

    def person():
        return users.make(faker.first_name(), faker.last_name())

    jobcenter_teams = [
        name for (org_id, name) in ctx.teams if org_id == ctx.organisations["jobcenter"].pk
    ]
    for team in jobcenter_teams:
        add(person(), "jobcenter", Role.TEAM_LEAD, team, "Teamleitung")
    for _ in range(ctx.scaled(120, 6)):
        add(person(), "jobcenter", Role.CASE_WORKER, rng.choice(jobcenter_teams), "Fallmanager/in")
    add(person(), "jobcenter", Role.NETWORK_COORDINATOR, None, "Netzwerkkoordination")
    youth_teams = [
        name for (org_id, name) in ctx.teams if org_id == ctx.organisations["youth_office"].pk
    ]
    for _ in range(ctx.scaled(30, 3)):
        add(
            person(), "youth_office", Role.CASE_WORKER, rng.choice(youth_teams), "Sozialarbeiter/in"
        )
    add(person(), "youth_office", Role.TEAM_LEAD, youth_teams[0], "Teamleitung")
    add(person(), "youth_office", Role.DATA_PROTECTION_OFFICER, None, "Datenschutz")
    for _ in range(ctx.scaled(15, 2)):
        add(
            person(),
            "social_welfare_office",
            Role.CASE_WORKER,
            "Wohnungssicherung",
            "Sachbearbeitung",
        )
    for _ in range(ctx.scaled(10, 2)):
        add(
            person(),
            "employment_agency",
            Role.CASE_WORKER,
            rng.choice(["Berufsberatung", "Arbeitgeberservice"]),
            "Beratung",
        )
    for key in ctx.organisations:
        if key.split(":")[0] in {
            "municipality",
            "neighbourhood_centre",
            "welfare",
            "school",
            "employer",
            "volunteer_agency",
            "self_help",
            "immigration_office",
            "economic_development",
        }:
            for _ in range(rng.randint(1, 3)):
                add(person(), key, Role.PARTNER_STAFF, None, "Ansprechperson")
    # One account waiting for a network admin to grant it.
    waiting = person()
    users.flush()
    Membership.objects.bulk_create(memberships, batch_size=2000)
    Membership.objects.create(
        user=waiting,
        organisation=ctx.organisations["volunteer_agency"],
        role=Role.PARTNER_STAFF,
        is_active=False,
    )
    ctx.counts["staff"] = len({m.user_id for m in memberships}) + 1
