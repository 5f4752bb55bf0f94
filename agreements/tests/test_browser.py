"""End-to-end: the network coordination looks at how the Jobcenter–Jugendamt agreement is doing.

Headless Chromium against the live server, driven only through the UI. The data is built the
way the demo builds it, on a small scale: the Jobcenter and the Jugendamt refer to each other in
the running year, one referral goes to a neighbourhood centre outside the agreement, and the
agreement (put in force through the services) has three measures with an indicator and a target
and one measured by a progress note only. The coordinator opens the agreement from the main
navigation, reads the measures with their judgement in words, the indicators, the monthly charts
and the flow matrix, downloads the PDF report, narrows the period to an interim review with the
keyboard, tries a period in the future and finally opens the dashboard. axe-core checks every
page on the way.

The figures, counted by hand (``DAYS`` places each referral at a fraction of the running
period, so the first three fractions fall into the first half of it and the last three after):

* between the parties 8 referrals (6 Jobcenter → Jugendamt, 2 Jugendamt → Jobcenter); the
  referral to the Stadtteilzentrum does not count;
* 7 of the 8 answered in time (the Jobcenter's at 0.8 is answered after its deadline):
  87.5 % against a target of 90 % is within 10 % of it -> "knapp verfehlt";
* working days to the answer: seven times 3, once 12 -> median 3.0 against a target of 2 AT
  (lower is better, 3 > 2 · 1.1) -> "Ziel verfehlt";
* 8 referrals against 6 a year (scaled to at most 12 months: at most 6.0) -> "Ziel erreicht".

In the interim review (the first half) 4 referrals remain (0.1, 0.2, 0.3 from the Jobcenter, 0.2
from the Jugendamt), all answered in time: 100 %.
"""

import re
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services
from agreements.choices import Renewal, TargetPeriod
from agreements.models import Measure
from core.tests.browser_fixtures import assert_accessible, login, visit
from referrals.choices import Status
from referrals.factories import ReferralFactory
from reporting.forms import default_period

pytestmark = pytest.mark.browser

BERLIN = ZoneInfo("Europe/Berlin")
TITLE = "Kooperationsvereinbarung Jobcenter – Jugendamt"
JOBCENTER = "Jobcenter A"  # the ``jobcenter`` fixture
YOUTH_OFFICE = "Jugendamt A"  # the ``youth_office`` fixture of agreements/tests/conftest.py
REFERRALS = "Überleitungen zwischen den Parteien"
IN_TIME = "Antwort auf Überleitungen fristgerecht"
MEDIAN = "Überleitungen zügig beantworten"
VISITS = "Gegenseitige Hospitationen"
VISITS_NOTE = "3 von 4 Hospitationen durchgeführt"
FUTURE_ERROR = "Der Zeitraum liegt in der Zukunft; dafür gibt es noch keine Zahlen."

# (fraction of the running period, sent by the Jobcenter?, answered in time?)
DAYS = [
    (0.1, True, True),
    (0.2, True, True),
    (0.3, True, True),
    (0.7, True, True),
    (0.8, True, False),
    (0.9, True, True),
    (0.2, False, True),
    (0.8, False, True),
]


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=BERLIN)


def period():
    """The period the agreement page shows by default: the running calendar year so far."""
    return default_period(timezone.localdate())


def half_year_end(start: date, end: date) -> date:
    """The end of the interim review: 30 June, or the middle of a period not yet that long
    (early in a year the page would otherwise clip 30 June to today and show the same label)."""
    june = date(start.year, 6, 30)
    return june if end > june else start + (end - start) // 2


def on(fraction: float) -> date:
    start, end = period()
    return start + timedelta(days=round((end - start).days * fraction))


def label(start: date, end: date) -> str:
    return f"{start:%d.%m.%Y} – {end:%d.%m.%Y}"


@pytest.fixture
def agreement(coordination, jobcenter, youth_office, partner):
    for fraction, from_jobcenter, in_time in DAYS:
        sender, recipient = (
            (jobcenter, youth_office) if from_jobcenter else (youth_office, jobcenter)
        )
        sent = on(fraction)
        ReferralFactory(
            sender=sender,
            recipient=recipient,
            network=jobcenter.network,
            status=Status.ACCEPTED,
            sent_at=at(sent),
            response_due=sent + timedelta(days=14),
            completion_due=sent + timedelta(days=56),
            responded_at=at(sent + timedelta(days=3 if in_time else 20)),
            response_workdays=3 if in_time else 12,
        )
    # Outside the agreement: must not count.
    ReferralFactory(
        sender=jobcenter,
        recipient=partner,
        network=jobcenter.network,
        sent_at=at(on(0.5)),
        response_due=on(0.5) + timedelta(days=14),
    )
    start, _end = period()
    today = timezone.localdate()
    agreement = services.create_agreement(
        actor=coordination,
        parties=[jobcenter, youth_office],
        title=TITLE,
        purpose="Junge Menschen und Familien sollen nicht zwischen den Ämtern verloren gehen.",
        signed_on=start - timedelta(days=20),
        valid_from=start,
        valid_until=date(today.year, 12, 31),
        renewal=Renewal.YEARLY,
    )
    agreement = services.put_in_force(actor=coordination, agreement=agreement, today=start)
    for title, indicator, target, note in (
        (REFERRALS, "referrals", "6", ""),
        (IN_TIME, "answered_in_time", "90", ""),
        (MEDIAN, "response_days_median", "2", ""),
        (VISITS, "", None, VISITS_NOTE),
    ):
        services.save_measure(
            actor=coordination,
            measure=Measure(
                agreement=agreement,
                title=title,
                indicator=indicator,
                target=Decimal(target) if target else None,
                target_period=TargetPeriod.YEAR,
                progress_note=note,
            ),
        )
    return agreement


# --- helpers ---------------------------------------------------------------------------------


def main(page):
    return page.get_by_role("main")


def nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def follow(page, locator):
    """Click a link that loads a new page, then check the new page."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    assert_accessible(page)


def measure_row(page, title: str):
    return (
        main(page)
        .locator("#measures tbody tr")
        .filter(has=page.get_by_role("rowheader", name=re.compile(rf"^{re.escape(title)}")))
    )


def period_form(page):
    return main(page).get_by_role("search", name="Zeitraum und Filter")


# --- the scenario ----------------------------------------------------------------------------


def test_the_coordinator_reviews_the_agreement_and_downloads_its_report(
    page, live_server, coordinator, agreement
):
    start, end = period()

    login(page, live_server, coordinator.username)
    follow(page, nav(page).get_by_role("link", name="Kooperationen", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kooperationsvereinbarungen")
    listed = main(page).get_by_role("table", name="Kooperationsvereinbarungen").locator("tbody tr")
    expect(listed).to_have_count(1)
    expect(listed).to_contain_text(f"{JOBCENTER}, {YOUTH_OFFICE}")
    expect(listed).to_contain_text("in Kraft")

    follow(page, main(page).get_by_role("link", name=TITLE, exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    assert page.url.endswith(agreement.get_absolute_url())

    # The measures: value, target and the judgement in words (never colour alone).
    measures = main(page).get_by_role("table", name=re.compile("^Maßnahmen und Ziele"))
    expect(measures).to_be_visible()
    expect(measures.locator("caption")).to_contain_text(label(start, end))
    referrals = measure_row(page, REFERRALS)
    expect(referrals.locator("td").nth(0)).to_have_text("8")
    expect(referrals.locator("td").nth(1)).to_contain_text("6,0 pro Jahr")
    expect(referrals.locator("td").nth(2)).to_have_text("✓ Ziel erreicht")
    in_time = measure_row(page, IN_TIME)
    expect(in_time.locator("td").nth(0)).to_have_text("87,5 %")
    expect(in_time.locator("td").nth(1)).to_have_text("90,0 %")
    expect(in_time.locator("td").nth(2)).to_have_text("! knapp verfehlt")
    median = measure_row(page, MEDIAN)
    expect(median.locator("td").nth(0)).to_have_text("3,0 AT")
    expect(median.locator("td").nth(1)).to_have_text("2,0 AT")
    expect(median.locator("td").nth(2)).to_have_text("✗ Ziel verfehlt")
    visits = measure_row(page, VISITS)
    expect(visits.locator("td").nth(0)).to_have_text(VISITS_NOTE)
    expect(visits.locator("td").nth(1)).to_have_text("–")
    # The symbol is decoration; the word is what assistive technology reads.
    expect(in_time.locator(".kw-light__symbol")).to_have_attribute("aria-hidden", "true")

    # The indicators of the period between the parties only.
    indicators = main(page).get_by_role("table", name=re.compile("^Kennzahlen"))
    expect(indicators).to_contain_text(label(start, end))
    count = indicators.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name="Überleitungen", exact=True)
    )
    expect(count.locator("td").first).to_have_text("8")
    expect(
        indicators.locator("tbody tr")
        .filter(has=page.get_by_role("rowheader", name="fristgerecht beantwortet", exact=True))
        .locator("td")
        .first
    ).to_have_text("87,5 %")

    # Monthly trends: each chart is an image with a text alternative, next to its table.
    trends = main(page).get_by_role("region", name="Überleitungen", exact=True)
    chart = trends.get_by_role("img", name=re.compile("^Überleitungen je Monat"))
    expect(chart).to_have_count(1)
    assert chart.evaluate("el => el.tagName.toLowerCase()") == "svg"
    expect(trends.get_by_role("table", name="Überleitungen je Monat")).to_be_visible()

    # Who refers to whom: senders as rows, recipients as columns.
    matrix = main(page).get_by_role("table", name="Überleitungen zwischen Organisationen")
    expect(matrix.locator("thead th")).to_have_text(["von → an", JOBCENTER, YOUTH_OFFICE])
    from_jobcenter = matrix.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=JOBCENTER)
    )
    # Jobcenter → Jobcenter: none; Jobcenter → Jugendamt: 6, 5 of 6 in time = 83.3 %.
    expect(from_jobcenter.locator("td").nth(0)).to_have_text("–")
    expect(from_jobcenter.locator("td").nth(1).locator("strong")).to_have_text("6")
    expect(from_jobcenter.locator("td").nth(1)).to_contain_text("83,3 % fristgerecht")
    from_youth = matrix.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name=YOUTH_OFFICE)
    )
    expect(from_youth.locator("td").nth(0).locator("strong")).to_have_text("2")
    expect(main(page)).not_to_contain_text("Stadtteilzentrum")
    expect(
        main(page).get_by_role("img", name=re.compile("^Überleitungen zwischen Organisationen"))
    ).to_have_count(1)

    # --- the PDF report ---
    with page.expect_download() as download_info:
        main(page).get_by_role("link", name="Bericht als PDF").click()
    download = download_info.value
    assert download.suggested_filename == (
        f"kooperationsbericht-{agreement.pk}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    )
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"

    # --- an interim review, submitted with the keyboard ---
    half_end = half_year_end(start, end)
    form = period_form(page)
    form.get_by_label("von").fill(start.isoformat())
    form.get_by_label("bis").fill(half_end.isoformat())
    form.get_by_label("bis").focus()
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press("Enter")
    assert_accessible(page)
    assert f"end={half_end.isoformat()}" in page.url
    measures = main(page).get_by_role("table", name=re.compile("^Maßnahmen und Ziele"))
    expect(measures.locator("caption")).to_contain_text(label(start, half_end))
    expect(main(page).get_by_role("table", name=re.compile("^Kennzahlen"))).to_contain_text(
        label(start, half_end)
    )
    expect(measure_row(page, REFERRALS).locator("td").nth(0)).to_have_text("4")
    expect(measure_row(page, IN_TIME).locator("td").nth(0)).to_have_text("100,0 %")
    expect(measure_row(page, IN_TIME).locator("td").nth(2)).to_have_text("✓ Ziel erreicht")
    # The download follows the period shown.
    expect(main(page).get_by_role("link", name="Bericht als PDF")).to_have_attribute(
        "href", re.compile(rf"bericht\.pdf\?.*end={half_end.isoformat()}")
    )

    # --- a period in the future: refused in German, no figures ---
    future = timezone.localdate() + timedelta(days=30)
    form = period_form(page)
    form.get_by_label("von").fill(future.isoformat())
    form.get_by_label("bis").fill("")
    with page.expect_navigation(wait_until="load") as navigation:
        form.get_by_role("button", name="Anzeigen").click()
    assert navigation.value.status == 400
    assert_accessible(page)
    start_field = period_form(page).get_by_label("von")
    expect(start_field).to_have_attribute("aria-invalid", "true")
    expect(period_form(page)).to_contain_text(FUTURE_ERROR)
    expect(start_field).to_have_accessible_description(re.compile(re.escape(FUTURE_ERROR)))
    expect(main(page).locator("#measures")).to_have_count(0)
    expect(main(page).get_by_role("link", name="Bericht als PDF")).to_have_count(0)

    # --- the dashboard ---
    visit(page, "/kennzahlen/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Kennzahlen der Zusammenarbeit")
    glance = main(page).get_by_role("table", name=f"Ziele von {TITLE}")
    expect(glance.locator("tbody tr").filter(has_text=REFERRALS)).to_contain_text("Ziel erreicht")
    expect(glance.locator("tbody tr").filter(has_text=MEDIAN)).to_contain_text("Ziel verfehlt")
    follow(page, main(page).get_by_role("link", name=TITLE))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
