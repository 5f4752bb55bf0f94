"""Who reaches which agreement and report page.

The Jobcenter and the Jugendamt of network A have an agreement in force (with a measure, a
contact person, a deadline and the signed PDF) and a second one still in draft. The network
coordination (at the Jobcenter) manages both; the Jugendamt's team lead, a party, reads them
but changes nothing; the team lead of the Stadtteilzentrum, no party, sees neither. Case
workers, partner staff, the data protection officer and the network admin have no steering
role at all. Network B's admin and its coordinator (who manages agreements, but in network B)
never see anything of network A.

``ROUTES`` must name every URL of the ``agreements`` and ``reporting`` namespaces.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, reverse

from agreements import services
from agreements.choices import Status, TargetPeriod
from agreements.models import Agreement, AgreementDeadline, Measure, Party
from agreements.tests.conftest import draft, in_force
from core.choices import Role
from core.factories import member
from core.models import AuditEntry, Notification
from core.permissions import actor_for
from referrals.choices import Track
from reporting.tests.conftest import referral

pytestmark = pytest.mark.django_db

TITLE = "Kooperation Jobcenter – Jugendamt"
DRAFT_TITLE = "Entwurf Übergang Schule–Beruf"
MEASURE = "Überleitungen an das Jugendamt"
CONTACT = "Frau Quendel"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}

VIEW, MANAGE = "view", "manage"


@dataclass(frozen=True)
class Route:
    namespace: str
    kwargs: dict[str, str] = field(default_factory=dict)
    needs: str = VIEW  # VIEW_AGREEMENTS / VIEW_REPORTS, or MANAGE_AGREEMENTS
    query: dict[str, str] = field(default_factory=dict)


ROUTES: dict[str, Route] = {
    "agreements:list": Route("agreements"),
    "agreements:detail": Route("agreements", {"pk": "agreement"}, query=MARCH),
    "agreements:document": Route("agreements", {"pk": "agreement"}),
    "agreements:report": Route("agreements", {"pk": "agreement", "fmt": "csv"}, query=MARCH),
    "agreements:create": Route("agreements", needs=MANAGE),
    "agreements:edit": Route("agreements", {"pk": "draft"}, needs=MANAGE),
    "agreements:activate": Route("agreements", {"pk": "draft"}, needs=MANAGE),
    "agreements:terminate": Route("agreements", {"pk": "agreement"}, needs=MANAGE),
    "agreements:upload": Route("agreements", {"pk": "agreement"}, needs=MANAGE),
    "agreements:party": Route("agreements", {"pk": "agreement", "party_pk": "party"}, needs=MANAGE),
    "agreements:measure_create": Route("agreements", {"pk": "agreement"}, needs=MANAGE),
    "agreements:measure_edit": Route(
        "agreements", {"pk": "agreement", "measure_pk": "measure"}, needs=MANAGE
    ),
    "agreements:measure_delete": Route(
        "agreements", {"pk": "agreement", "measure_pk": "measure"}, needs=MANAGE
    ),
    "agreements:deadlines": Route("agreements", {"pk": "agreement"}, needs=MANAGE),
    "reporting:dashboard": Route("reporting", query=MARCH),
    "reporting:report": Route("reporting", {"fmt": "csv"}, query=MARCH),
}

COORDINATOR, PARTY_LEAD, OTHER_LEAD = "coordinator", "party_lead", "other_lead"
OUTSIDE_COORDINATOR = "outside_coordinator"
NO_STEERING = ("case_worker", "partner_staff", "dpo", "network_admin", "outsider")
USERS = (COORDINATOR, PARTY_LEAD, OTHER_LEAD, OUTSIDE_COORDINATOR, *NO_STEERING)
# Whose roles grant the route's permission (VIEW_AGREEMENTS and VIEW_REPORTS go together).
GRANTED = {
    VIEW: (COORDINATOR, PARTY_LEAD, OTHER_LEAD, OUTSIDE_COORDINATOR),
    MANAGE: (COORDINATOR, OUTSIDE_COORDINATOR),
}
# Who sees network A's agreements: the coordination all, a team lead those of its organisation.
SEES_THE_AGREEMENTS = (COORDINATOR, PARTY_LEAD)


def expected_status(name: str, user: str) -> int:
    """403 without the permission, 404 for an agreement the user does not see, else 200."""
    route = ROUTES[name]
    if user not in GRANTED[route.needs]:
        return 403
    if route.kwargs.get("pk") and user not in SEES_THE_AGREEMENTS:
        return 404
    return 200


@pytest.fixture
def world(
    settings,
    tmp_path,
    network,
    jobcenter,
    youth_office,
    partner,
    outsider_org,
    coordinator,
    youth_lead,
    case_worker,
    dpo,
    network_admin,
    outsider,
):
    settings.MEDIA_ROOT = tmp_path
    coordination = actor_for(coordinator)
    agreement = in_force(coordination, jobcenter, youth_office, title=TITLE)
    measure = services.save_measure(
        actor=coordination,
        measure=Measure(
            agreement=agreement,
            title=MEASURE,
            indicator="referrals",
            target=5,
            target_period=TargetPeriod.MONTH,
        ),
    )
    party = agreement.party_rows.get(organisation=youth_office)
    party.contact_name = CONTACT
    party.save()
    services.set_deadline(
        actor=coordination,
        agreement=agreement,
        track=Track.HOUSING_LOSS,
        response_days=2,
        completion_days=10,
    )
    services.attach_document(
        actor=coordination,
        agreement=agreement,
        upload=SimpleUploadedFile("vereinbarung.pdf", PDF, "application/pdf"),
    )
    agreement.refresh_from_db()
    unsigned = draft(
        coordination,
        jobcenter,
        youth_office,
        title=DRAFT_TITLE,
        valid_from=date(2026, 1, 1),
        valid_until=date(2099, 12, 31),
    )
    for _i in range(6):
        referral(jobcenter, youth_office, date(2026, 3, 10))
    users = {
        COORDINATOR: coordinator,
        PARTY_LEAD: youth_lead,
        OTHER_LEAD: member(Role.TEAM_LEAD, partner, username="stadtteil-leitung"),
        OUTSIDE_COORDINATOR: member(
            Role.NETWORK_COORDINATOR, outsider_org, username="koordination-b"
        ),
        "case_worker": case_worker,
        "partner_staff": member(Role.PARTNER_STAFF, partner, username="stadtteil"),
        "dpo": dpo,
        "network_admin": network_admin,
        "outsider": outsider,
    }
    return {
        **users,
        "agreement": agreement,
        "draft": unsigned,
        "measure": measure,
        "party": party,
        "jobcenter": jobcenter,
        "youth_office": youth_office,
        "partner": partner,
    }


@pytest.fixture
def clients(world):
    logged_in = {}
    for user in USERS:
        logged_in[user] = Client()
        logged_in[user].force_login(world[user])
    return logged_in


def url_for(name: str, world) -> str:
    kwargs = {}
    for argument, key in ROUTES[name].kwargs.items():
        kwargs[argument] = key if argument == "fmt" else world[key].pk
    return reverse(name, kwargs=kwargs)


def payload(name: str, world) -> dict:
    """A POST the coordinator gets carried out (proved below), so a refusal means something.
    Versions are read fresh: they count every save."""
    unsigned = Agreement.objects.get(pk=world["draft"].pk)
    measure = Measure.objects.get(pk=world["measure"].pk)
    parties = [world["jobcenter"].pk, world["youth_office"].pk]
    return {
        "agreements:create": {
            "title": "Neue Vereinbarung",
            "parties": parties,
            "valid_from": "2026-01-01",
            "valid_until": "2026-12-31",
            "renewal": "none",
            "notice_months": 3,
        },
        "agreements:edit": {
            "title": "Entwurf, geändert",
            "parties": parties,
            "signed_on": "2025-12-15",
            "valid_from": "2026-01-01",
            "valid_until": "2099-12-31",
            "renewal": "yearly",
            "notice_months": 3,
            "edit_version": unsigned.version,
        },
        "agreements:terminate": {"party": world["youth_office"].pk, "note": "Neuordnung"},
        "agreements:upload": {
            "document": SimpleUploadedFile("neu.pdf", PDF + b"% neu\n", "application/pdf")
        },
        "agreements:party": {"contact_name": "Herr Amsel", "contact_email": ""},
        "agreements:measure_create": {
            "title": "Neue Maßnahme",
            "indicator": "referrals",
            "target": "1",
            "target_period": "month",
        },
        "agreements:measure_edit": {
            "title": "Maßnahme, geändert",
            "indicator": "referrals",
            "target": "5",
            "target_period": "month",
            "edit_version": measure.version,
        },
        "agreements:deadlines": {
            "track": Track.STANDARD,
            "response_days": 5,
            "completion_days": 20,
        },
    }.get(name, {})


def snapshot() -> dict:
    """Everything a POST to these pages could change, and the audit trail (an export writes to
    it, a refused one must not)."""
    return {
        "agreements": list(
            Agreement.objects.order_by("pk").values_list(
                "pk", "title", "status", "version", "ends_on", "document", "document_name"
            )
        ),
        "parties": list(Party.objects.order_by("pk").values_list("pk", "contact_name")),
        "measures": list(Measure.objects.order_by("pk").values_list("pk", "title", "version")),
        "deadlines": list(
            AgreementDeadline.objects.order_by("pk").values_list(
                "track", "response_days", "completion_days"
            )
        ),
        "notifications": Notification.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


def test_every_agreement_and_reporting_url_is_in_the_map():
    resolver = get_resolver()
    names = set()
    for namespace in ("agreements", "reporting"):
        _prefix, sub = resolver.namespace_dict[namespace]
        names |= {f"{namespace}:{p.name}" for p in sub.url_patterns}
    assert names == set(ROUTES), (
        f"update ROUTES in agreements/tests/test_isolation.py: {names ^ set(ROUTES)}"
    )


def test_each_user_gets_exactly_the_expected_answer(world, clients):
    """GET every page as every user: 200 where allowed, 403 without the role, 404 where the
    agreement is not theirs to see."""
    got, wanted = {}, {}
    for name, route in ROUTES.items():
        for user in USERS:
            response = clients[user].get(url_for(name, world), route.query)
            got[(name, user)] = response.status_code
            wanted[(name, user)] = expected_status(name, user)
    assert got == wanted


def test_refused_posts_change_nothing(world, clients):
    before = snapshot()
    wrong, changed = [], []
    for name in ROUTES:
        url = url_for(name, world)
        for user in USERS:
            status = expected_status(name, user)
            if status == 200:
                continue
            posted = clients[user].post(url, payload(name, world)).status_code
            if posted != status:
                wrong.append((name, user, posted))
        if snapshot() != before:
            changed.append(name)
    assert not wrong, wrong
    assert not changed, f"a refused POST changed data: {changed}"


def _changed(name: str, world) -> bool:
    agreement = Agreement.objects.get(pk=world["agreement"].pk)
    unsigned = Agreement.objects.get(pk=world["draft"].pk)
    return {
        "agreements:create": lambda: Agreement.objects.filter(title="Neue Vereinbarung").exists(),
        "agreements:edit": lambda: unsigned.title == "Entwurf, geändert",
        "agreements:activate": lambda: unsigned.status == Status.IN_FORCE,
        "agreements:terminate": lambda: agreement.status == Status.TERMINATED,
        "agreements:upload": lambda: agreement.document.read() == PDF + b"% neu\n",
        "agreements:party": lambda: (
            Party.objects.get(pk=world["party"].pk).contact_name == "Herr Amsel"
        ),
        "agreements:measure_create": lambda: agreement.measures.filter(
            title="Neue Maßnahme"
        ).exists(),
        "agreements:measure_edit": lambda: (
            Measure.objects.get(pk=world["measure"].pk).title == "Maßnahme, geändert"
        ),
        "agreements:measure_delete": lambda: (
            not Measure.objects.filter(pk=world["measure"].pk).exists()
        ),
        "agreements:deadlines": lambda: agreement.deadlines.filter(track=Track.STANDARD).exists(),
    }[name]()


CHANGING = [name for name, route in ROUTES.items() if route.needs == MANAGE]


@pytest.mark.parametrize("name", CHANGING)
def test_the_coordinators_posts_are_carried_out(world, clients, name):
    """The same POSTs the others are refused really change something for the coordinator."""
    assert not _changed(name, world)
    response = clients[COORDINATOR].post(url_for(name, world), payload(name, world))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert _changed(name, world)


def test_the_party_lead_reads_the_agreement_and_its_report(world, clients):
    client = clients[PARTY_LEAD]
    detail = client.get(url_for("agreements:detail", world), MARCH).content.decode()
    for shown in (TITLE, MEASURE, CONTACT, "Antwort in 2 Arbeitstagen", "vereinbarung.pdf"):
        assert shown in detail
    # No link to any page that changes the agreement.
    for name in CHANGING:
        if name != "agreements:create":
            assert url_for(name, world) not in detail, name
    document = client.get(url_for("agreements:document", world))
    assert b"".join(document.streaming_content) == PDF
    report = client.get(url_for("agreements:report", world), MARCH)
    assert report["Content-Type"].startswith("text/csv")
    assert TITLE in report.content.decode("utf-8-sig")


SECRETS = (TITLE, DRAFT_TITLE, MEASURE, CONTACT, "vereinbarung.pdf")


def test_third_parties_never_see_the_agreements(world, clients):
    """Refusals show nothing of the agreements; the pages the non-party lead and network B's
    coordinator may open (their lists, dashboards and reports) do not either; network B's
    coordinator posting network A's organisations as parties creates nothing."""
    before = snapshot()
    leaks = []
    for user in (OTHER_LEAD, OUTSIDE_COORDINATOR, *NO_STEERING):
        for name, route in ROUTES.items():
            url = url_for(name, world)
            for response in (
                clients[user].get(url, route.query),
                clients[user].post(url, payload(name, world)),
            ):
                body = response.content.decode("utf-8-sig", errors="replace")
                if any(secret in body for secret in SECRETS):
                    leaks.append((user, name, response.status_code))
    assert not leaks, leaks
    after = snapshot()
    # Their own reports write export entries to the audit trail; nothing else changed.
    assert after["audit"] > before["audit"]
    assert {**after, "audit": None} == {**before, "audit": None}


def test_network_b_sees_none_of_network_as_figures(world, clients):
    """Six referrals Jobcenter A → Jugendamt A in March: network B's coordinator counts 0."""
    client = clients[OUTSIDE_COORDINATOR]
    dashboard = client.get(reverse("reporting:dashboard"), MARCH)
    assert dashboard.context["report"].rows[0].indicator.key == "referrals"
    assert dashboard.context["report"].rows[0].result.n == 0
    assert dashboard.context["report"].flow == []
    assert dashboard.context["agreements"] == []
    page = dashboard.content.decode()
    for name in ("Jobcenter A", "Jugendamt A", "Stadtteilzentrum Nord"):
        assert name not in page
    own = clients[COORDINATOR].get(reverse("reporting:dashboard"), MARCH)
    assert own.context["report"].rows[0].result.n == 6


def test_the_non_party_lead_sees_no_agreement_in_lists_or_dashboard(world, clients):
    client = clients[OTHER_LEAD]
    listed = client.get(reverse("agreements:list"), {"status": "", "q": ""})
    assert list(listed.context["page"].object_list) == []
    dashboard = client.get(reverse("reporting:dashboard"), MARCH)
    assert dashboard.context["agreements"] == []
    # The Stadtteilzentrum took part in none of the six referrals.
    assert dashboard.context["report"].rows[0].result.n == 0


def test_anonymous_visitors_are_sent_to_the_login(world):
    anonymous = Client()
    before = snapshot()
    for name, route in ROUTES.items():
        url = url_for(name, world)
        posted = anonymous.post(url, payload(name, world))
        for response in (anonymous.get(url, route.query), posted):
            assert response.status_code == 302, name
            assert response["Location"].startswith(reverse(settings.LOGIN_URL)), name
    assert snapshot() == before
