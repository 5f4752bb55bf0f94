"""The dashboard (/kennzahlen/): the network coordination sees the network and may narrow it to
one organisation; a team lead sees the referrals the own organisation sent or received, and
the agreements it is party to. The screen shows exact numbers (suppression is for exports).
The figures are those of ``fixtures_views`` (March 2026), counted by hand there."""

# The shared fixtures are imported by name and requested as arguments of the same name.
# ruff: noqa: F811

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.tests.conftest import in_force
from core.choices import AuditAction
from core.models import AuditEntry
from core.permissions import actor_for
from reporting.tests.fixtures_views import (  # noqa: F401
    MARCH,
    MEASURE,
    agreement,
    coordinator,
    family_agreement,
    flows,
    jobcenter_lead,
    partner_lead,
    referrals,
    with_measure,
    youth_lead,
)

pytestmark = pytest.mark.django_db

DASHBOARD = "/kennzahlen/"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def shown(html: str, key: str) -> list[str]:
    """The value and basis cells of an indicator's row, as the reader sees them."""
    row = re.search(rf'<tr[^>]*data-indicator="{key}">(.*?)</tr>', html, re.S)
    assert row, f"no row for {key}"
    cells = re.findall(r'<td class="kern-table__cell kw-num">(.*?)</td>', row.group(1), re.S)
    return [re.sub(r"<[^>]+>", "", c).strip() for c in cells]


def test_the_url_is_the_one_linked_everywhere():
    assert reverse("reporting:dashboard") == DASHBOARD
    assert reverse("reporting:report", args=["pdf"]) == "/kennzahlen/bericht.pdf"


def test_the_coordinator_sees_the_whole_network_and_may_pick_an_organisation(
    flows, coordinator, jobcenter, youth_office, partner, outsider_org
):
    response = login(coordinator).get(DASHBOARD, MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    # 5 + 3 + 2 + 4 referrals in network A in March; network B's seven do not count.
    assert shown(html, "referrals") == ["14", "14"]
    select = re.search(r'<select name="organisation".*?</select>', html, re.S)
    assert select, "the coordinator is offered the organisation filter"
    for organisation in (jobcenter, youth_office, partner):
        assert f'value="{organisation.pk}"' in select.group(0)
    assert f'value="{outsider_org.pk}"' not in select.group(0)
    # On screen the small cells are exact (JA → Jobcenter: 3), never "< 5".
    assert "&lt; 5" not in html
    flow = {(c.sender, c.recipient): c.count for c in response.context["report"].flow}
    assert flow == {
        ("JA", "Jobcenter A"): 3,
        ("JA", "Stadtteilzentrum Nord"): 4,
        ("Jobcenter A", "JA"): 5,
        ("Jobcenter A", "Stadtteilzentrum Nord"): 2,
    }


@pytest.mark.parametrize(
    ("organisation", "expected"),
    [("jobcenter", "10"), ("youth_office", "12"), ("partner", "6")],
)
def test_the_coordinator_narrows_to_one_organisation(
    flows, coordinator, request, organisation, expected
):
    chosen = request.getfixturevalue(organisation)
    response = login(coordinator).get(DASHBOARD, {**MARCH, "organisation": chosen.pk})
    assert shown(response.content.decode(), "referrals") == [expected, expected]


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        # Sent or received by the own organisation: Jobcenter 5 + 3 + 2, JA 5 + 3 + 4,
        # Stadtteilzentrum 2 + 4.
        ("jobcenter_lead", "10"),
        ("youth_lead", "12"),
        ("partner_lead", "6"),
    ],
)
def test_a_team_lead_sees_only_the_own_organisations_referrals(
    flows, request, lead, expected, partner, jobcenter
):
    client = login(request.getfixturevalue(lead))
    response = client.get(DASHBOARD, MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert shown(html, "referrals") == [expected, expected]
    assert 'name="organisation"' not in html
    # An organisation filter typed into the address is not applied.
    other = jobcenter if lead != "jobcenter_lead" else partner
    forced = client.get(DASHBOARD, {**MARCH, "organisation": other.pk})
    assert shown(forced.content.decode(), "referrals") == [expected, expected]


def test_a_team_lead_sees_the_agreements_of_the_own_organisation(
    flows, agreement, family_agreement, jobcenter_lead, coordinator
):
    """The Jobcenter is party to the Jobcenter–JA agreement only; its 8 referrals in March
    against 5 per month (March = 1.0 month) meet the target."""
    html = login(jobcenter_lead).get(DASHBOARD, MARCH).content.decode()
    assert "Kooperation Jobcenter – Jugendamt" in html
    assert MEASURE in html
    assert "Ziel erreicht" in html
    assert "Familien im Stadtteil" not in html
    everything = login(coordinator).get(DASHBOARD, MARCH).content.decode()
    assert "Kooperation Jobcenter – Jugendamt" in everything
    assert "Familien im Stadtteil" in everything


def test_a_measure_is_judged_alike_on_the_dashboard_and_the_agreement_page(
    flows, coordinator, jobcenter_lead, jobcenter, youth_office, partner
):
    """Three parties, 12 referrals a month wanted. March between them: 5 + 3 + 2 + 4 = 14, met
    on the agreement page; the Jobcenter's own share is 10. The team lead must not read "Ziel
    erreicht" on one page and "Ziel verfehlt" on the other for the same measure and month."""
    three = in_force(actor_for(coordinator), jobcenter, youth_office, partner, title="Drei")
    with_measure(coordinator, three, "Zwölf im Monat", 12)
    client = login(jobcenter_lead)
    [(_measure, on_page)] = client.get(three.get_absolute_url(), MARCH).context["report"].measures
    [(_agreement, glance)] = client.get(DASHBOARD, MARCH).context["agreements"]
    [(_measure, on_dashboard)] = glance
    assert on_page.judgement.state == "met"
    assert on_dashboard.judgement.state == on_page.judgement.state


def test_a_future_period_is_refused_in_german(coordinator):
    start = timezone.localdate() + timedelta(days=3)
    response = login(coordinator).get(DASHBOARD, {"start": start.isoformat()})
    assert response.status_code == 400
    assert "Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine Zahlen." in (
        response.content.decode()
    )


def test_roles_without_reports_are_refused(case_worker):
    assert login(case_worker).get(DASHBOARD).status_code == 403


def test_the_dashboard_does_not_query_per_referral(
    coordinator, agreement, jobcenter, youth_office, partner
):
    """3 referrals (one per pair of the three organisations), then 30 (ten per pair): the
    same number of queries. The counting happens in the database."""
    pairs = ((jobcenter, youth_office), (youth_office, partner), (partner, jobcenter))
    for sender, recipient in pairs:
        referrals(sender, recipient, 1, date(2026, 3, 10))
    client = login(coordinator)
    client.get(DASHBOARD, MARCH)  # sessions, caches: what a first request pays once

    with CaptureQueriesContext(connection) as few:
        response = client.get(DASHBOARD, MARCH)
    assert shown(response.content.decode(), "referrals") == ["3", "3"]
    for sender, recipient in pairs:
        referrals(sender, recipient, 9, date(2026, 3, 10))
    with CaptureQueriesContext(connection) as many:
        response = client.get(DASHBOARD, MARCH)
    assert shown(response.content.decode(), "referrals") == ["30", "30"]
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


# --- exports are audited --------------------------------------------------------------------------


def test_exporting_the_network_report_is_audited(flows, coordinator, jobcenter):
    client = login(coordinator)
    client.get(DASHBOARD, MARCH)
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
    response = client.get(reverse("reporting:report", args=["csv"]), MARCH)
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.user == coordinator
    assert entry.organisation == jobcenter
    assert entry.network_id == jobcenter.network_id
    assert entry.object_ref == f"core.organisation:{jobcenter.pk}"
    assert entry.purpose == "Kennzahlenbericht"
    assert entry.subject_ref == ""


def test_exporting_an_agreement_report_is_audited(flows, agreement, youth_lead, youth_office):
    response = login(youth_lead).get(
        reverse("agreements:report", args=[agreement.pk, "xlsx"]), MARCH
    )
    assert response.status_code == 200
    entry = AuditEntry.objects.get(action=AuditAction.EXPORT)
    assert entry.user == youth_lead
    assert entry.organisation == youth_office
    assert entry.object_ref == f"agreements.agreement:{agreement.pk}"
    assert entry.purpose == "Kooperationsbericht"


def test_a_refused_or_invalid_export_is_not_audited(flows, coordinator, case_worker):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    url = reverse("reporting:report", args=["csv"])
    assert login(case_worker).get(url, MARCH).status_code == 403
    assert login(coordinator).get(url, {"start": future}).status_code == 400
    assert login(coordinator).get(reverse("reporting:report", args=["doc"])).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.EXPORT).exists()
