#!/usr/bin/env python
"""Benchmark harness: latency and SQL query counts of the main pages on a generated data set.

    .venv/bin/python benchmarks/run.py [--scale 1] [--networks 1] [--seed 42] [--requests 50]
                                       [--database-url postgres://…] [--output …]

The data set lives in its own database (by default ``benchmarks/bench-<seed>-<scale>-<networks>
.sqlite3``); it is generated with ``manage.py generate_demo`` only when that database is empty
and reused otherwise. Every page is requested with Django's test client as a logged-in demo user,
first a few warm-up requests, then ``--requests`` timed ones. A minimal baseline view (one indexed
query through the full middleware, see ``benchmarks/urls.py``) is timed right before every timed
page request; each page's ratios to the baseline measured alongside it still mean something on
a noisy machine. Results go to ``benchmarks/results/latest.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time
import warnings
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"

# --- What is measured ------------------------------------------------------------------------
# (path, demo user). Paths may name {placeholders} from PLACEHOLDERS. New pages go here; every
# page must answer 200 for its user. Demo users: see core/demo/county.py (DEMO_LOGINS).
PAGES: list[tuple[str, str]] = [
    ("/", "fallmanager"),
    ("/organisationen/", "fallmanager"),
    ("/organisationen/?q=zentrum&sort=-name", "fallmanager"),
    ("/organisationen/{organisation_id}/", "fallmanager"),
    ("/gemeinden/", "fallmanager"),
    ("/datenschutz/protokoll/", "datenschutz"),
    ("/admin/core/membership/", "admin"),
    ("/api/organisations?limit=50", "fallmanager"),
    ("/api/municipalities", "fallmanager"),
    # Offer directory: the search as a case manager types it, filters, distance, matching.
    ("/angebote/", "fallmanager"),
    ("/angebote/?q=Schulden", "fallmanager"),
    ("/angebote/?q=Sprachkurs+Arabisch", "fallmanager"),
    ("/angebote/?q=Beratung&near=Babenhausen&radius=20&sort=distance", "fallmanager"),
    ("/angebote/?problem=housing&language=tr&open=now", "fallmanager"),
    ("/angebote/?near=Dieburg&radius=10&access=walk_in&step_free=on", "fallmanager"),
    ("/angebote/{offer_id}/", "fallmanager"),
    (
        "/angebote/passende/?need=finances.debt&need=housing.threatened_loss&language=ar"
        "&municipality={municipality_id}",
        "fallmanager",
    ),
    ("/api/offers?q=Schulden&limit=25", "fallmanager"),
    ("/angebote/meine/", "stadtteilzentrum"),
    ("/angebote/aktualitaet/", "koordination"),
    # Case files: the Jobcenter's file of a whole county (20 000 households at scale 1).
    ("/faelle/", "fallmanager"),
    ("/faelle/?q={common_surname}", "fallmanager"),
    ("/faelle/bg/{household_id}/", "fallmanager"),
    ("/faelle/personen/{person_id}/", "jugendamt"),
    ("/faelle/plaene/{plan_id}/", "fallmanager"),
    ("/faelle/einwilligungen/", "fallmanager"),
    ("/api/households", "fallmanager"),
    # Referrals: a year of them (about 20 000 at scale 1). The Sozialamt receives the urgent
    # ones (threatened loss of housing, benefit payments); the Jobcenter sends most and
    # receives a few from the Jugendamt. "{social_worker}" is a Sozialamt case worker.
    ("/ueberleitungen/eingang/", "{social_worker}"),
    ("/ueberleitungen/eingang/", "fallmanager"),
    ("/ueberleitungen/ausgang/", "fallmanager"),
    ("/ueberleitungen/{referral_id}/", "{social_worker}"),
    ("/api/referrals?box=inbox", "{social_worker}"),
    # Conferences: a year of monthly rounds with agenda items and agreed actions. The detail
    # page audits every case shown and asks the policy per identified case.
    ("/fallberatungen/?when=all", "fallmanager"),
    ("/fallberatungen/{conference_id}/", "jugendamt"),
    ("/fallberatungen/vereinbarungen/?status=all", "jugendamt"),
    # Agreements and reporting: a year of referrals aggregated in SQL (no rollups yet), with
    # charts rendered by vl-convert (cached per chart specification after the first request).
    ("/kennzahlen/", "koordination"),
    ("/kennzahlen/", "teamleitung"),
    ("/kooperationen/{agreement_id}/", "koordination"),
    ("/kooperationen/{agreement_id}/bericht.pdf", "koordination"),
    ("/kooperationen/{agreement_id}/bericht.xlsx", "koordination"),
    ("/kennzahlen/bericht.pdf", "koordination"),
    ("/api/indicators?agreement_id={agreement_id}", "koordination"),
]

# The baseline is requested by this user, so it pays the same session and login middleware.
BASELINE_USER = "fallmanager"


def _organisation_id() -> int:
    """The case worker's own organisation: the demo Jobcenter (most staff, teams and history)."""
    return _actor("fallmanager").organisation.pk


def _offer_id() -> int:
    """A published offer with places and hours (the first by title)."""
    from directory.models import Offer

    actor = _actor("fallmanager")
    return Offer.objects.visible_to(actor).published().filter(hours__isnull=False).first().pk


def _municipality_id() -> int:
    from core.models import Municipality

    return Municipality.objects.visible_to(_actor("fallmanager")).get(name="Dieburg").pk


def _common_surname() -> str:
    """The commonest surname in the case worker's file (URL-quoted): a search with many hits."""
    from urllib.parse import quote

    from django.db.models import Count

    from cases.models import Person

    persons = Person.objects.visible_to(_actor("fallmanager"))
    top = persons.values("last_name").annotate(n=Count("id")).order_by("-n", "last_name").first()
    return quote(top["last_name"]) if top else "Meier"


def _household_id() -> int:
    """One of the largest households (six members) that has a cooperation plan."""
    from django.db.models import Count

    from cases.models import Household

    households = Household.objects.visible_to(_actor("fallmanager")).filter(plan__isnull=False)
    largest = households.annotate(n=Count("members")).order_by("-n", "pk").first()
    return largest.pk if largest else 0


def _person_id() -> int:
    """A person without household in the Jugendamt's file (one with needs)."""
    from cases.models import Person

    persons = Person.objects.visible_to(_actor("jugendamt")).filter(household__isnull=True)
    person = persons.filter(needs__isnull=False).order_by("pk").first()
    return person.pk if person else 0


def _plan_id() -> int:
    """The Jobcenter plan with the most steps."""
    from django.db.models import Count

    from cases.models import CooperationPlan

    plans = CooperationPlan.objects.visible_to(_actor("fallmanager"))
    plan = plans.annotate(n=Count("steps")).order_by("-n", "pk").first()
    return plan.pk if plan else 0


def _social_worker() -> str:
    """A case worker of the Sozialamt (no demo login there): the first by user name."""
    from core.choices import OrganisationType, Role
    from core.models import Membership

    membership = (
        Membership.objects.filter(
            organisation__type=OrganisationType.SOCIAL_WELFARE_OFFICE,
            role=Role.CASE_WORKER,
            is_active=True,
        )
        .order_by("organisation__network_id", "user__username")
        .select_related("user")
        .first()
    )
    return membership.user.username if membership else "-"


def _referral_id() -> int:
    """A referral the Sozialamt is working on, with a household in its snapshot: the one with
    the longest thread and history (the detail page's heaviest case)."""
    from django.db.models import Count

    from referrals.choices import RUNNING, Kind
    from referrals.models import Referral

    actor = _actor(_social_worker())
    referrals = (
        Referral.objects.visible_to(actor)
        .inbox(actor.organisation)
        .filter(kind=Kind.REFERRAL, status__in=RUNNING, categories__has="household")
        .annotate(n=Count("messages", distinct=True) + Count("events", distinct=True))
        .order_by("-n", "pk")
    )
    referral = referrals.first()
    return referral.pk if referral else 0


def _conference_id() -> int:
    """The held conference with the most agenda items and actions."""
    from django.db.models import Count

    from conferences.choices import Status
    from conferences.models import Conference

    conference = (
        Conference.objects.filter(status=Status.HELD)
        .annotate(n=Count("items", distinct=True) + Count("actions", distinct=True))
        .order_by("-n", "pk")
        .first()
    )
    return conference.pk if conference else 0


def _agreement_id() -> int:
    """The demo's Jobcenter–Jugendamt agreement (in force, with measures and targets)."""
    from agreements.models import Agreement

    agreement = Agreement.objects.filter(title__contains="Jugendamt", status="in_force").first()
    return agreement.pk if agreement else 0


# User placeholders in PAGES ("{social_worker}") -> function returning a user name.
USER_PLACEHOLDERS: dict[str, Callable[[], str]] = {"social_worker": _social_worker}

# Placeholder name -> function returning its value (called once, after the data set exists).
PLACEHOLDERS: dict[str, Callable[[], object]] = {
    "organisation_id": _organisation_id,
    "offer_id": _offer_id,
    "municipality_id": _municipality_id,
    "common_surname": _common_surname,
    "household_id": _household_id,
    "person_id": _person_id,
    "plan_id": _plan_id,
    "referral_id": _referral_id,
    "conference_id": _conference_id,
    "agreement_id": _agreement_id,
}

# --- Setup -----------------------------------------------------------------------------------

BENCH_SECRET_KEY = "benchmark-only-secret-key-kurzewege-not-for-production-0123456789abcdef"
_SIMILAR_SQL = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_TRANSACTION = {"BEGIN", "COMMIT", "ROLLBACK"}
# The least number of timed baseline requests before and after the pages (it is cheap).
BASELINE_MIN_REQUESTS = 100


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Kurze Wege benchmark harness")
    parser.add_argument("--scale", type=float, default=1.0, help="data set scale (1 = one county)")
    parser.add_argument("--networks", type=int, default=1, help="number of networks to generate")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--database-url", default="", help="PostgreSQL (or SQLite) database to use")
    parser.add_argument("--output", default=str(BENCH_DIR / "results" / "latest.json"))
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="measure only pages whose path contains TEXT (repeatable)",
    )
    parser.add_argument(
        "--rebuild",
        action="store_true",
        help="drop the data set and generate it anew (PostgreSQL: name must contain 'bench')",
    )
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of each page")
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.networks < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("--scale must be > 0, --networks and --requests >= 1, --warmup >= 0")
    return args


def _safe_label(url: str) -> str:
    """The database URL without its password."""
    import dj_database_url

    cfg = dj_database_url.parse(url)
    if cfg["ENGINE"].endswith("sqlite3"):
        name = Path(cfg["NAME"])
        return f"sqlite:///{name.relative_to(ROOT) if name.is_relative_to(ROOT) else name}"
    user = f"{cfg['USER']}@" if cfg.get("USER") else ""
    port = f":{cfg['PORT']}" if cfg.get("PORT") else ""
    return f"postgres://{user}{cfg.get('HOST') or 'localhost'}{port}/{cfg['NAME']}"


def _prepare_postgres(url: str, rebuild: bool) -> None:
    """Create the database if it is missing (and drop it first for --rebuild)."""
    import dj_database_url
    import psycopg
    from psycopg import sql

    cfg = dj_database_url.parse(url)
    name = cfg["NAME"]
    params = {
        "host": cfg.get("HOST") or None,
        "port": cfg.get("PORT") or None,
        "user": cfg.get("USER") or None,
        "password": cfg.get("PASSWORD") or None,
        "connect_timeout": 5,
    }
    if rebuild and "bench" not in name:
        sys.exit(f"--rebuild drops the database; refusing for {name!r} (name must contain 'bench')")
    try:
        admin = psycopg.connect(dbname="postgres", autocommit=True, **params)
    except psycopg.OperationalError as exc:
        print(f"Hinweis: keine Verbindung zur Datenbank 'postgres' ({exc}); nutze {name} direkt.")
        return
    with admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            print(f"Lösche Datenbank {name} (--rebuild) …")
            admin.execute(sql.SQL("DROP DATABASE {}").format(sql.Identifier(name)))
            exists = None
        if not exists:
            print(f"Lege Datenbank {name} an …")
            admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def prepare_database(args) -> str:
    """Return the DATABASE_URL to benchmark against, creating (or clearing) it as asked."""
    import dj_database_url

    if args.database_url:
        url = args.database_url
        engine = dj_database_url.parse(url).get("ENGINE", "")
        if engine.endswith("postgresql"):
            _prepare_postgres(url, args.rebuild)
            return url
        if not engine.endswith("sqlite3"):
            sys.exit("--database-url must be sqlite:///… or postgres://…")
        path = Path(dj_database_url.parse(url)["NAME"])
    else:
        path = BENCH_DIR / f"bench-{args.seed}-{args.scale:g}-{args.networks}.sqlite3"
        url = f"sqlite:///{path}"
    if args.rebuild:
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    return url


def configure_environment(database_url: str) -> None:
    """Production-like settings (DEBUG off) that still let the test client in."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "kurzewege.settings"
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", BENCH_SECRET_KEY)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["SECURE_SSL_REDIRECT"] = "0"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    # WhiteNoise warns once that STATIC_ROOT (collectstatic) is missing; irrelevant here.
    warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


class _GeneratorOutput:
    """Stream for generate_demo: passes progress through, drops the login list and passwords."""

    def __init__(self, password: str):
        self.password = password
        self.muted = False

    def write(self, text: str) -> None:
        for line in text.splitlines():
            if line.startswith("Demo-Anmeldungen"):
                self.muted = True
            if not self.muted and line.strip() and self.password not in line:
                print(f"  {line}", flush=True)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False


def ensure_data(args) -> dict:
    """Migrate, then generate the data set if (and only if) the database holds no network."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from core.models import Network

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    info: dict = {"migrate_seconds": round(time.perf_counter() - started, 2)}
    if Network.objects.exists():
        count = Network.objects.count()
        print(f"Datenbank enthält bereits {count} Netzwerk(e); Datensatz wird wiederverwendet.")
        if count != args.networks:
            print(f"  Achtung: --networks {args.networks}, vorhanden sind {count} (--rebuild?).")
        info.update(reused=True, generator_seconds=None)
        return info
    print(f"Erzeuge Datensatz (Seed {args.seed}, Maßstab {args.scale:g}, Netze {args.networks}) …")
    started = time.perf_counter()
    call_command(
        "generate_demo",
        seed=args.seed,
        scale=args.scale,
        networks=args.networks,
        stdout=_GeneratorOutput(settings.DEMO_PASSWORD),
    )
    info.update(reused=False, generator_seconds=round(time.perf_counter() - started, 2))
    if connection.vendor == "postgresql":
        # Fresh bulk inserts have no planner statistics yet; autovacuum would add them later.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Datensatz erzeugt in {info['generator_seconds']:.1f} s.")
    return info


# --- Measuring -------------------------------------------------------------------------------


def _actor(username: str):
    from django.contrib.auth import get_user_model

    from core.permissions import actor_for

    return actor_for(get_user_model().objects.get(username=username))


def _percentile(samples: list[float], pct: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def _request(client, path: str) -> int:
    response = client.get(path)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    return response.status_code


def _timed(client, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    status = _request(client, path)
    return status, (time.perf_counter() - started) * 1000


def _figures(samples: list[float]) -> dict:
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p95_ms": round(_percentile(samples, 95), 2),
    }


def _similar(queries: list[dict]) -> tuple[int, str]:
    """How often the most repeated SQL statement (literals ignored) ran: an N+1 hint."""
    statements = (q["sql"] for q in queries)
    shapes = Counter(_SIMILAR_SQL.sub("?", sql) for sql in statements if sql not in _TRANSACTION)
    if not shapes:
        return 0, ""
    shape, count = shapes.most_common(1)[0]
    return count, shape


def measure(
    client, path: str, *, requests: int, warmup: int, baseline=None, show_sql: bool = False
) -> dict:
    """Warm up, count the queries, then time ``requests`` requests of ``path``.

    With ``baseline`` (a client and path) every timed request is preceded by a timed baseline
    request, so the page and its yardstick see the same machine load.
    """
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statuses: Counter[int] = Counter()
    for _ in range(warmup):
        statuses[_request(client, path)] += 1
    counts, similar = [], (0, "")
    for _ in range(2):  # query counts are taken apart from the timed requests
        with CaptureQueriesContext(connection) as captured:
            statuses[_request(client, path)] += 1
        counts.append(len(captured.captured_queries))
        similar = max(similar, _similar(captured.captured_queries))
    if show_sql:
        print(f"\n-- {path}: {counts[-1]} queries")
        for query in captured.captured_queries:
            print(f"   {query['time']}s  {query['sql'][:300]}")
    gc.collect()
    samples, baseline_samples = [], []
    for _ in range(requests):
        if baseline is not None:
            baseline_status, elapsed = _timed(*baseline)
            if baseline_status == 200:
                baseline_samples.append(elapsed)
        status, elapsed = _timed(client, path)
        statuses[status] += 1
        samples.append(elapsed)
    bad = [code for code in statuses if code != 200]
    result = {
        "status_code": bad[0] if bad else 200,
        **_figures(samples),
        "queries": max(counts),
        "max_similar_queries": similar[0],
        "_samples": samples,
        "_baseline_samples": baseline_samples,
    }
    if len(set(counts)) > 1:
        result["query_counts_seen"] = counts
    if bad:
        result["status_codes"] = {str(code): n for code, n in sorted(statuses.items())}
    if similar[0] > 2:
        result["most_repeated_sql"] = similar[1][:500]
    return result


def _git() -> dict:
    def run(*cmd):
        done = subprocess.run(["git", *cmd], cwd=ROOT, capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else None

    commit = run("rev-parse", "HEAD")
    dirty = run("status", "--porcelain", "--untracked-files=no")
    return {"git_commit": commit, "git_dirty": bool(dirty) if commit else None}


def _database_info() -> dict:
    from django.db import connection

    connection.ensure_connection()
    if connection.vendor == "postgresql":
        number = connection.pg_version
        version = f"{number // 10000}.{number % 10000}"
    elif connection.vendor == "sqlite":
        version = connection.Database.sqlite_version
    else:
        version = ""
    return {"vendor": connection.vendor, "version": version}


def _row_counts() -> dict[str, int]:
    """Rows of every model of the project's own apps, plus the change history."""
    from django.apps import apps

    counts = {}
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        own = path.is_relative_to(ROOT) and not path.is_relative_to(ROOT / ".venv")
        if not (own or config.label == "auditlog"):
            continue
        for model in config.get_models():
            if model._meta.managed and not model._meta.proxy:
                counts[model._meta.label_lower] = model._default_manager.count()
    return dict(sorted(counts.items()))


def _print_table(baseline: dict, pages: list[dict]) -> None:
    width = max(len(row["path"]) for row in [baseline, *pages])
    header = (
        f"{'Seite':<{width}}  {'Benutzer':<12} {'Status':>6} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'SQL':>5} {'gleich':>6} {'x p50':>6} {'x p95':>6}"
    )
    print("\n" + header)
    print("-" * len(header))
    for row in [baseline, *pages]:
        if "error" in row:
            print(f"{row['path']:<{width}}  {row['user']:<12} FEHLER: {row['error']}")
            continue
        print(
            f"{row['path']:<{width}}  {row['user']:<12} {row['status_code']:>6} "
            f"{row['p50_ms']:>8.2f} {row['p95_ms']:>8.2f} {row['queries']:>5} "
            f"{row['max_similar_queries']:>6} {row.get('p50_ratio', 1.0):>6.2f} "
            f"{row.get('p95_ratio', 1.0):>6.2f}"
        )
    print("(SQL = Abfragen je Aufruf; gleich = häufigste gleichartige Abfrage, Hinweis auf N+1)")


def run_benchmarks(args, data_info: dict, database_label: str) -> int:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import override_settings

    from benchmarks.urls import BASELINE_URL

    overrides = {"ROOT_URLCONF": "benchmarks.urls"}
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in storage and not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        # No collectstatic manifest here: serve names unhashed (as the test settings do).
        storage = "django.contrib.staticfiles.storage.StaticFilesStorage"
        staticfiles = {**settings.STORAGES["staticfiles"], "BACKEND": storage}
        overrides["STORAGES"] = {**settings.STORAGES, "staticfiles": staticfiles}

    pages = [(p, u) for p, u in PAGES if not args.only or any(t in p for t in args.only)]
    if not pages:
        sys.exit("--only matched no page")
    user_names = {
        name: func()
        for name, func in USER_PLACEHOLDERS.items()
        if any(f"{{{name}}}" in user for _, user in pages)
    }
    pages = [(path, user.format_map(user_names)) for path, user in pages]
    needed = {user for _, user in pages} | {BASELINE_USER}
    users = {u.username: u for u in get_user_model().objects.filter(username__in=needed)}
    missing = sorted(needed - users.keys())
    if missing:
        sys.exit(f"Demo-Benutzer fehlen in der Datenbank: {', '.join(missing)}")
    placeholders = {name: func() for name, func in PLACEHOLDERS.items()}

    results: list[dict] = []
    with override_settings(**overrides):
        clients = {}
        for name in sorted(needed):
            client = Client()
            client.force_login(users[name], backend="django.contrib.auth.backends.ModelBackend")
            clients[name] = client

        baseline_path = BASELINE_URL.format(pk=_organisation_id())
        options = {"requests": args.requests, "warmup": args.warmup}
        print(f"\nMesse {len(pages)} Seiten, je {args.requests} Aufrufe (+{args.warmup} Warm-up) …")
        # One untimed pass over everything first: imports, template loading, caches.
        for template, user in [(baseline_path, BASELINE_USER), *pages]:
            with contextlib.suppress(Exception):  # errors are reported by the timed pass
                _request(clients[user], template.format_map(placeholders))
        base_options = {**options, "requests": max(args.requests, BASELINE_MIN_REQUESTS)}
        alone = measure(
            clients[BASELINE_USER], baseline_path, show_sql=args.show_sql, **base_options
        )
        for template, user in pages:
            path = template.format_map(placeholders)
            row = {"path": path, "user": user}
            try:
                row.update(
                    measure(
                        clients[user],
                        path,
                        baseline=(clients[BASELINE_USER], baseline_path),
                        show_sql=args.show_sql,
                        **options,
                    )
                )
            except Exception as exc:  # a page that raises is reported, not fatal for the rest
                row.update(status_code=500, error=f"{type(exc).__name__}: {exc}"[:300])
            results.append(row)
            status = row.get("status_code")
            print(f"  {path:<45} {user:<12} {status} {row.get('p50_ms', '-')} ms", flush=True)

    # The baseline over the whole run: alone at the start plus every interleaved request.
    alone_samples = alone.pop("_samples")
    pooled = alone_samples + [ms for row in results for ms in row.get("_baseline_samples", [])]
    baseline = {
        "path": baseline_path,
        "user": BASELINE_USER,
        "status_code": alone["status_code"],
        **_figures(pooled),
        "queries": alone["queries"],
        "max_similar_queries": alone["max_similar_queries"],
        "samples": len(pooled),
        "alone": _figures(alone_samples),
    }
    for row in results:
        samples, local = row.pop("_samples", None), row.pop("_baseline_samples", None)
        if samples and local:
            local_figures = _figures(local)
            row["baseline_p50_ms"] = local_figures["p50_ms"]
            row["baseline_p95_ms"] = local_figures["p95_ms"]
            row["p50_ratio"] = round(row["p50_ms"] / local_figures["p50_ms"], 2)
            row["p95_ratio"] = round(row["p95_ms"] / local_figures["p95_ms"], 2)

    errors = [
        {
            "path": row["path"],
            "user": row["user"],
            "status_code": row["status_code"],
            **({"error": row["error"]} if "error" in row else {}),
        }
        for row in [baseline, *results]
        if row["status_code"] != 200
    ]
    import django

    report = {
        "timestamp": datetime.now(UTC).isoformat(timespec="seconds"),
        **_git(),
        "python": platform.python_version(),
        "django": django.get_version(),
        "database": {**_database_info(), "url": database_label},
        "static_storage": storage,
        "scale": args.scale,
        "networks": args.networks,
        "seed": args.seed,
        "requests": args.requests,
        "warmup": args.warmup,
        "data_set": data_info,
        "generator_seconds": data_info.get("generator_seconds"),
        "row_counts": _row_counts(),
        "baseline": baseline,
        "pages": results,
        "errors": errors,
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    _print_table(baseline, results)
    print(
        f"\nDatenbank: {report['database']['vendor']} {report['database']['version']} "
        f"({database_label}); Maßstab {args.scale:g}, {args.networks} Netz(e), Seed {args.seed}"
    )
    print("Zeilen: " + ", ".join(f"{k}={v}" for k, v in report["row_counts"].items()))
    if data_info.get("generator_seconds") is not None:
        print(f"Generator: {data_info['generator_seconds']:.1f} s")
    print(f"Ergebnis: {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")
    if errors:
        print(f"\n{len(errors)} Seite(n) ohne Status 200:", file=sys.stderr)
        for error in errors:
            print(
                f"  {error['path']} ({error['user']}): {error['status_code']} "
                f"{error.get('error', '')}",
                file=sys.stderr,
            )
        return 1
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    database_url = prepare_database(args)
    configure_environment(database_url)
    import django

    django.setup()
    data_info = ensure_data(args)
    return run_benchmarks(args, data_info, _safe_label(database_url))


if __name__ == "__main__":
    sys.exit(main())
