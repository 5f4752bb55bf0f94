"""The generator step "Fallakten": the Jobcenter's and the Jugendamt's case files of a network.

At scale 1 (one county, benchmark tier S) the Jobcenter holds 20 000 Bedarfsgemeinschaften with
about 50 000 persons, their needs, cooperation plans and consents; the Jugendamt a smaller file
of about 1 500 persons. All rows are planned first (ids are handed out while planning, so a
need can point at its person at once) and inserted at the end with ``cases.demo.bulk``.

No audit entries are written for these rows, on purpose. The audit log answers "who processed
whose personal data, on what basis" for the data protection officer; generated people are
nobody's data and no staff member read or changed them, so an entry per row would record an
event that never happened. It would also bury the demo's and the benchmarks' real audit trail
(the reads the pages record) under 200 000 invented "created" entries and make generation many
times slower. The raw inserts skip django-auditlog's signals for the same reason; the rule
"no bulk writes on audited models without logging" (DESIGN.md) is about real case data. The
generator itself records one entry per network ("Demodaten erzeugt").
"""

from __future__ import annotations

import dataclasses
import random

from faker import Faker

from cases.demo.bulk import Tables
from cases.demo.consents import ConsentBuilder, secrecy_acknowledgements, statutory_bases
from cases.demo.people import CaseFileBuilder
from cases.demo.plans import PlanBuilder
from core.choices import Role
from core.demo.generator import DemoContext, register_step
from core.models import Membership, Organisation

HOUSEHOLDS_AT_SCALE_1 = 20_000
YOUTH_PERSONS_AT_SCALE_1 = 1_500
ENTRUSTED_AT_SCALE_1 = 30
# Demo logins (core/demo/county.py) that should find their own cases among the many.
CASE_WORKER_LOGIN = "fallmanager"
ON_SITE_LOGIN, ON_SITE_TOWN = "vorort", "Eppertshausen"
YOUTH_LOGIN = "jugendamt"


def _workers(organisation: Organisation) -> dict[str, int]:
    """Case workers of ``organisation`` by user name (sorted, so the choice is reproducible)."""
    return dict(
        Membership.objects.filter(organisation=organisation, role=Role.CASE_WORKER, is_active=True)
        .order_by("user__username")
        .values_list("user__username", "user_id")
    )


def _own_stream(ctx: DemoContext) -> DemoContext:
    """The context with random streams of this step alone, seeded from the seed and network.

    Drawing from the shared ``ctx.rng`` would make every person depend on how many numbers the
    earlier steps drew – a new offer kind in the catalogue, or today's date (offers' opening
    exceptions), would give the county other people. With its own stream, and draws that never
    depend on a date (``people.between``), the same seed gives the same households, names,
    needs and consents all year; dates move along with today, and plan steps name whatever
    offers the offer step made.
    """
    stream = f"{ctx.seed}:{ctx.index}:cases"
    faker = Faker("de_DE")
    faker.seed_instance(stream)
    # Shallow copy: counts, organisations and municipalities stay shared with the generator.
    return dataclasses.replace(ctx, rng=random.Random(stream), faker=faker)


@register_step(order=300, name="Fallakten")
def case_files(ctx: DemoContext) -> None:
    ctx = _own_stream(ctx)
    tables = Tables()
    jobcenter = ctx.organisations["jobcenter"]
    youth_office = ctx.organisations["youth_office"]

    workers = _workers(jobcenter)
    households = ctx.scaled(HOUSEHOLDS_AT_SCALE_1)
    # The demo case worker gets about 2 % of the file (400 households at scale 1, never fewer
    # than 20); the on-site counsellor a third of the households in her municipality.
    favourites = []
    if CASE_WORKER_LOGIN in workers:
        share = min(0.5, max(0.02, 20 / households))
        favourites.append((workers[CASE_WORKER_LOGIN], share, None))
    if ON_SITE_LOGIN in workers and ON_SITE_TOWN in ctx.municipalities:
        favourites.append((workers[ON_SITE_LOGIN], 0.3, ctx.municipalities[ON_SITE_TOWN]))
    job_cases = CaseFileBuilder(ctx, tables, jobcenter, list(workers.values())).jobcenter(
        households, favourites
    )
    plans = PlanBuilder(ctx, tables, jobcenter).build(job_cases)
    consents = ConsentBuilder(ctx, tables, jobcenter).jobcenter(job_cases)

    youth_workers = _workers(youth_office)
    youth_cases = CaseFileBuilder(
        ctx, tables, youth_office, list(youth_workers.values())
    ).youth_office(
        ctx.scaled(YOUTH_PERSONS_AT_SCALE_1, 20),
        ctx.scaled(ENTRUSTED_AT_SCALE_1, 3),
        youth_workers.get(YOUTH_LOGIN),
    )
    consents += ConsentBuilder(ctx, tables, youth_office).youth_office(youth_cases)

    rows = tables.flush()
    bases = statutory_bases(ctx)
    acknowledgements = secrecy_acknowledgements(ctx)
    ctx.counts["Haushalte"] = rows["Household"]
    ctx.counts["Personen"] = rows["Person"]
    ctx.counts["Handlungsbedarfe"] = rows["Need"]
    ctx.counts["Kooperationspläne"] = plans
    ctx.counts["Planschritte"] = rows["PlanStep"]
    ctx.counts["Planfassungen"] = rows["PlanVersion"]
    ctx.counts["Einwilligungen"] = consents
    ctx.counts["Übermittlungsbefugnisse"] = len(bases)
    ctx.counts["Verpflichtungen § 78"] = len(acknowledgements)
