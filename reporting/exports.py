"""The report as tables (CSV, XLSX) and as a PDF. The numbers come from ``reports.build`` with
suppression on: an export leaves the platform."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.http import HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from core.pdf import render_pdf_bytes
from reporting.reports import Report

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(value):
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, Promise):
        return str(value)
    return value


def sections(report: Report) -> list[tuple[str, list[str], list[list]]]:
    """(title, header, rows) per part of the report; the same for CSV and XLSX."""
    parts = [
        (
            _("Kennzahlen"),
            [_("Kennzahl"), _("Wert"), _("Einheit"), _("Grundlage (Anzahl)")],
            [
                [str(row.indicator.label), row.shown, str(row.indicator.unit), _n(row)]
                for row in report.rows
            ],
        )
    ]
    if report.agreement is not None:
        parts.append(
            (
                _("Maßnahmen"),
                [_("Maßnahme"), _("Kennzahl"), _("Wert"), _("Ziel"), _("Bewertung"), _("Stand")],
                [
                    [
                        measure.title,
                        str(row.indicator.label) if row else "",
                        row.shown if row else "",
                        row.judgement.target if row and row.judgement else "",
                        str(row.judgement.label) if row and row.judgement else "",
                        measure.progress_note,
                    ]
                    for measure, row in report.measures
                ],
            )
        )
    for trend in report.trends:
        parts.append(
            (
                _("%(label)s je Monat") % {"label": trend.indicator.label},
                [_("Monat"), _("Wert")],
                [[label, shown] for label, shown, _n in trend.points],
            )
        )
    parts.append(
        (
            _("Überleitungen zwischen Organisationen"),
            [_("von"), _("an"), _("Anzahl"), _("fristgerecht beantwortet (%)"), _("Median AT")],
            [[c.sender, c.recipient, c.count, c.in_time, c.median_days] for c in report.flow],
        )
    )
    parts.append((_("Dringlichkeit"), [_("Dringlichkeit"), _("Anzahl")], report.tracks))
    parts.append((_("Ergebnisse"), [_("Ergebnis"), _("Anzahl")], report.outcomes))
    return parts


def _n(row):
    # The basis of a suppressed figure is itself small: suppressed too.
    return row.shown if row.suppressed else row.result.n


def _lines(report: Report) -> list[list]:
    lines = [[report.title], [_("Zeitraum"), report.period_label]]
    if report.suppress:
        lines.append([_("Werte unter 5 sind aus Datenschutzgründen als „< 5“ ausgewiesen.")])
    for title, header, rows in sections(report):
        lines += [[], [title], header, *[[_plain(v) for v in row] for row in rows]]
    return lines


def csv_response(report: Report, filename: str) -> HttpResponse:
    buffer = io.StringIO()
    # Semicolons and a BOM: what German spreadsheet programs open without an import dialogue.
    writer = csv.writer(buffer, delimiter=";")
    for line in _lines(report):
        writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in line])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def xlsx_bytes(report: Report) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Bericht")[:31]
    for line in _lines(report):
        sheet.append(line)
        if len(line) == 1 and line[0]:
            sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
    sheet.column_dimensions["A"].width = 48
    for column in "BCDEF":
        sheet.column_dimensions[column].width = 18
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def xlsx_response(report: Report, filename: str) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(report), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def pdf_response(report: Report, filename: str, request=None) -> HttpResponse:
    from reporting.reports import matrix

    recipients, matrix_rows = matrix(report.flow)
    content = render_pdf_bytes(
        "reporting/report_pdf.html",
        {"report": report, "recipients": recipients, "matrix_rows": matrix_rows},
        request=request,
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}.pdf"'
    return response


def respond(fmt: str, report: Report, filename: str, request=None) -> HttpResponse:
    if fmt == "csv":
        return csv_response(report, filename)
    if fmt == "xlsx":
        return xlsx_response(report, filename)
    return pdf_response(report, filename, request=request)
