"""The network report and an agreement report as XLSX, CSV and PDF: the numbers of the
dashboard, with small cells (1–4) shown as "< 5" because the file leaves the platform.

The figures are those of ``fixtures_views`` (March 2026), counted by hand there: network A 14
referrals, the Jobcenter–JA agreement 8 (5 Jobcenter → JA, 3 JA → Jobcenter)."""

# The shared fixtures are imported by name and requested as arguments of the same name.
# ruff: noqa: F811

import codecs
import csv
import io
import re
from io import BytesIO

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from agreements.tests.conftest import in_force
from core.permissions import actor_for
from reporting import exports, reports
from reporting.forms import PeriodForm
from reporting.tests.fixtures_views import (  # noqa: F401
    MARCH,
    MEASURE,
    agreement,
    coordinator,
    flows,
    jobcenter_lead,
    with_measure,
)

pytestmark = pytest.mark.django_db

SMALL = "< 5"


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def xlsx_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX_TYPE
    sheet = load_workbook(BytesIO(response.content)).active
    return [tuple(v for v in row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[tuple]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    # A BOM, so that spreadsheet programs read UTF-8.
    assert response.content.startswith(codecs.BOM_UTF8)
    text = response.content.decode("utf-8-sig")
    return [tuple(row) for row in csv.reader(io.StringIO(text), delimiter=";")]


def section(rows: list[tuple], title: str) -> list[tuple]:
    """The rows of a section: after its title and header, up to the next empty line."""
    start = next(i for i, row in enumerate(rows) if row and row[0] == title)
    found = []
    for row in rows[start + 2 :]:
        if not any(v not in (None, "") for v in row):
            break
        found.append(row)
    return found


def indicator(rows: list[tuple], label: str) -> tuple:
    """(value, basis) of an indicator in the "Kennzahlen" section."""
    for row in section(rows, "Kennzahlen"):
        if row[0] == label:
            return row[1], row[3]
    raise AssertionError(f"no {label!r} in the Kennzahlen section")


def flow(rows: list[tuple]) -> dict[tuple[str, str], object]:
    return {
        (row[0], row[1]): row[2] for row in section(rows, "Überleitungen zwischen Organisationen")
    }


def network_report(client, fmt: str, **query):
    return client.get(reverse("reporting:report", args=[fmt]), {**MARCH, **query})


def agreement_report(client, agreement, fmt: str, **query):
    return client.get(reverse("agreements:report", args=[agreement.pk, fmt]), {**MARCH, **query})


# --- XLSX ---------------------------------------------------------------------------------------


def test_the_network_report_as_xlsx(flows, coordinator):
    response = network_report(login(coordinator), "xlsx")
    assert response["Content-Disposition"] == (
        'attachment; filename="kennzahlen-20260301-20260331.xlsx"'
    )
    rows = xlsx_rows(response)
    assert rows[0][0] == "Netzwerkbericht Landkreis A"
    assert rows[1][:2] == ("Zeitraum", "01.03.2026 – 31.03.2026")
    assert indicator(rows, "Überleitungen") == (14, 14)
    # 3, 2 and 4 are small cells; exactly 5 is shown.
    assert flow(rows) == {
        ("JA", "Jobcenter A"): SMALL,
        ("JA", "Stadtteilzentrum Nord"): SMALL,
        ("Jobcenter A", "JA"): 5,
        ("Jobcenter A", "Stadtteilzentrum Nord"): SMALL,
    }
    assert ("Werte unter 5 sind aus Datenschutzgründen als „< 5“ ausgewiesen.",) in [
        row[:1] for row in rows
    ]


def test_the_agreement_report_as_xlsx(flows, agreement, coordinator):
    """Between the parties: 5 + 3 = 8 referrals; the measure's target 5 per month is met."""
    rows = xlsx_rows(agreement_report(login(coordinator), agreement, "xlsx"))
    assert rows[0][0] == "Kooperationsbericht: Kooperation Jobcenter – Jugendamt"
    assert indicator(rows, "Überleitungen") == (8, 8)
    assert flow(rows) == {("JA", "Jobcenter A"): SMALL, ("Jobcenter A", "JA"): 5}
    measures = section(rows, "Maßnahmen")
    assert [row[:5] for row in measures] == [(MEASURE, "Überleitungen", 8, 5, "Ziel erreicht")]


def test_a_small_total_is_suppressed_with_its_basis(flows, coordinator):
    """Urgent housing-loss referrals in March: only JA's 3 to the Jobcenter."""
    rows = xlsx_rows(network_report(login(coordinator), "xlsx", track="housing_loss"))
    assert indicator(rows, "Überleitungen") == (SMALL, SMALL)
    # Zero reveals nobody: it stays 0.
    assert indicator(rows, "beratende Hinweise") == (0, 0)


def test_a_team_leads_report_counts_the_own_organisation(flows, jobcenter_lead):
    """The Jobcenter sent or received 5 + 3 + 2 = 10; JA → Stadtteilzentrum is not its."""
    rows = xlsx_rows(network_report(login(jobcenter_lead), "xlsx"))
    assert rows[0][0] == "Kooperationsbericht Jobcenter A"
    assert indicator(rows, "Überleitungen") == (10, 10)
    assert set(flow(rows)) == {
        ("JA", "Jobcenter A"),
        ("Jobcenter A", "JA"),
        ("Jobcenter A", "Stadtteilzentrum Nord"),
    }


def test_a_suppressed_measure_is_exported_without_its_judgement(
    flows, coordinator, youth_office, partner
):
    """JA → Stadtteilzentrum: 4 referrals in March against 3 per month. "< 5" with "Ziel
    erreicht" tells that the hidden number is 3 or 4; the API leaves the state empty for the
    same reason, the export must too."""
    family = in_force(actor_for(coordinator), youth_office, partner, title="Familien")
    with_measure(coordinator, family, "Drei Familien im Monat", 3)
    rows = xlsx_rows(agreement_report(login(coordinator), family, "xlsx"))
    [measure] = section(rows, "Maßnahmen")
    assert measure[:3] == ("Drei Familien im Monat", "Überleitungen", SMALL)
    assert measure[4] in (None, "")


# --- CSV ----------------------------------------------------------------------------------------


def test_the_network_report_as_csv(flows, coordinator):
    response = network_report(login(coordinator), "csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="kennzahlen-20260301-20260331.csv"'
    )
    rows = csv_rows(response)
    assert rows[0] == ("Netzwerkbericht Landkreis A",)
    assert indicator(rows, "Überleitungen") == ("14", "14")
    assert flow(rows) == {
        ("JA", "Jobcenter A"): SMALL,
        ("JA", "Stadtteilzentrum Nord"): SMALL,
        ("Jobcenter A", "JA"): "5",
        ("Jobcenter A", "Stadtteilzentrum Nord"): SMALL,
    }


def test_the_agreement_report_as_csv(flows, agreement, jobcenter_lead):
    """A party's team lead exports it too; decimals with a comma (German spreadsheets)."""
    rows = csv_rows(agreement_report(login(jobcenter_lead), agreement, "csv"))
    assert indicator(rows, "Überleitungen") == ("8", "8")
    assert flow(rows) == {("JA", "Jobcenter A"): SMALL, ("Jobcenter A", "JA"): "5"}
    measures = section(rows, "Maßnahmen")
    assert [row[:5] for row in measures] == [
        (MEASURE, "Überleitungen", "8", "5,0", "Ziel erreicht")
    ]


def test_the_csv_is_semicolon_separated(flows, coordinator):
    text = network_report(login(coordinator), "csv").content.decode("utf-8-sig")
    assert "\r\nÜberleitungen;14;;14\r\n" in text


# --- PDF ----------------------------------------------------------------------------------------


@pytest.fixture
def rendered(monkeypatch):
    """Keep what went into each PDF: the template and its context."""
    calls = []
    real = exports.render_pdf_bytes

    def spy(template, context, request=None):
        calls.append((template, context))
        return real(template, context, request=request)

    monkeypatch.setattr(exports, "render_pdf_bytes", spy)
    return calls


def cells(html: str) -> str:
    """The text of the HTML with one " | " between any two pieces of text."""
    return re.sub(r"\s*(\|\s*)+", " | ", re.sub(r"<[^>]+>", "|", html))


def test_the_network_report_as_pdf(flows, coordinator, rendered):
    response = network_report(login(coordinator), "pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="kennzahlen-20260301-20260331.pdf"'
    )
    assert response.content[:5] == b"%PDF-"
    [(template, context)] = rendered
    text = cells(render_to_string(template, context))
    assert "| Überleitungen | 14 | 14 |" in text
    assert "| JA | Jobcenter A | &lt; 5 |" in text
    assert "| Jobcenter A | JA | 5 |" in text


def test_the_agreement_report_as_pdf(flows, agreement, coordinator, rendered):
    response = agreement_report(login(coordinator), agreement, "pdf")
    assert response.content[:5] == b"%PDF-"
    [(template, context)] = rendered
    assert template == "reporting/report_pdf.html"
    text = cells(render_to_string(template, context))
    assert "Vertragsparteien: Jobcenter A, Jugendamt A" in text
    assert f"| {MEASURE} |" in text
    assert "| 8 | 5,0 | ✓ Ziel erreicht |" in text
    assert "| Überleitungen | 8 | 8 |" in text


def test_the_pdf_template_marks_small_cells(flows, coordinator, agreement):
    """The template on a report built as the export builds it (``suppress=True``), for the
    urgent track: only JA's 3 referrals, below 5 everywhere."""
    form = PeriodForm({**MARCH, "track": "housing_loss"}, actor=actor_for(coordinator))
    assert form.is_valid()
    report = reports.build(form.scope(), title="Netzwerkbericht", suppress=True)
    recipients, matrix_rows = reports.matrix(report.flow)
    text = cells(
        render_to_string(
            "reporting/report_pdf.html",
            {"report": report, "recipients": recipients, "matrix_rows": matrix_rows},
        )
    )
    assert "| Überleitungen | &lt; 5 | &lt; 5 |" in text
    assert "| JA | Jobcenter A | &lt; 5 |" in text
    assert " 3 " not in text.split("Wer überleitet an wen")[1].split("Erstellt am")[0]
