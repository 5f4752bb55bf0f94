"""End-to-end: a monthly case conference from planning to an agreed action that becomes a referral.

Headless Chromium against the live server, driven only through the UI. The Jobcenter's case
manager plans a monthly series of six conferences with the Jugendamt and a neighbourhood centre,
brings Anna Beispiel's housing need in from the case file (the preview shows the case without
name or birth date; a question naming the family is caught before it is saved), holds the
conference, records two agreed actions (one of them with the keyboard alone, through a refused
submit) and turns the Jugendamt's action into a referral with one click. The Jugendamt then sees
the case only pseudonymised and finds its action in its task list. axe-core checks every page on
the way and every form that came back with errors; the locators are labels and roles throughout.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.factories import NeedFactory
from conferences.models import Conference
from conferences.tests.conftest import begin
from core.tests.browser_fixtures import assert_accessible, login, visit
from referrals.factories import consent_for

pytestmark = pytest.mark.browser

YOUTH_OFFICE = "Jugendamt A"  # the ``youth_office`` fixture
PARTNER = "Stadtteilzentrum Nord"  # the ``partner`` fixture
JOBCENTER = "Jobcenter A"  # the ``jobcenter`` fixture
TITLE = "Fallberatung Wohnen und Familie"
PLACE = "Kreishaus, Raum 2.14"
MONTHLY = "monatlich (gleicher Wochentag, z. B. 2. Dienstag)"
NEED = "Drohender Wohnungsverlust"
QUESTION = "Räumungsklage angekündigt. Wie sichern wir die Wohnung, und wer unterstützt die Kinder?"
NAMING_QUESTION = "Familie Beispiel droht die Räumung. Wie sichern wir die Wohnung?"
YOUTH_ACTION = "Hilfen zur Erziehung prüfen und Kontakt zur Familie aufnehmen"
JOBCENTER_ACTION = "Übernahme der Mietschulden als Darlehen prüfen"
MASTER_DATA = "Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen)"
HOUSING_NEEDS = "Handlungsbedarfe: Wohnen"
BIRTH_DATE = "02.05.1988"  # Anna's, from the ``anna`` fixture
DAY = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")


@pytest.fixture
def housing_need(anna):
    return NeedFactory(person=anna, code="housing.threatened_loss")


@pytest.fixture
def referral_consent(anna, youth_office):
    """Anna consents to her master data, household and housing needs going to the Jugendamt."""
    return consent_for(anna, youth_office, categories=("master_data", "household", "needs.housing"))


# --- helpers ---------------------------------------------------------------------------------


def main(page):
    return page.get_by_role("main")


def nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def heading(page):
    return page.get_by_role("heading", level=1)


def follow(page, locator):
    """Click a link or submit button that loads a new page, then check the new page."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    assert_accessible(page)


def expect_message(page, text: str | re.Pattern):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def member_card(page, name: str):
    return main(page).get_by_role("article", name=re.compile(rf"^{re.escape(name)}\b"))


def agenda_item(page, label: str):
    """A case on the agenda: an article labelled "1. Fall 2026-0001 (…)"."""
    return main(page).get_by_role("article", name=re.compile(rf"^\d+\. {re.escape(label)}\b"))


def logout(page):
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Abmelden").click()


def tab_to(page, locator, *, limit: int = 80):
    """Press Tab until ``locator`` has the focus; fail if it is not reachable that way."""
    for _ in range(limit):
        if locator.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab does not reach {locator}")


def press_and_load(page, key: str):
    with page.expect_navigation(wait_until="load"):
        page.keyboard.press(key)
    assert_accessible(page)


def parse_day(text: str) -> date:
    match = DAY.search(text)
    assert match, f"no date in {text!r}"
    return date(int(match.group(3)), int(match.group(2)), int(match.group(1)))


# --- the conference ----------------------------------------------------------------------------


def test_a_monthly_conference_turns_an_agreed_action_into_a_referral(
    page,
    live_server,
    case_worker,
    youth_worker,
    youth_office,
    partner,
    household,
    anna,
    ben,
    housing_need,
    referral_consent,
):
    first_day = timezone.localdate() + timedelta(days=7)
    case_label = f"Fall {household.case_label}"

    # --- 1. plan a monthly series of six ---
    login(page, live_server, case_worker.username)
    follow(page, nav(page).get_by_role("link", name="Fallberatungen", exact=True))
    expect(heading(page)).to_have_text("Fallberatungen")
    follow(page, main(page).get_by_role("link", name="Fallberatung planen"))
    expect(heading(page)).to_have_text("Fallberatung planen")

    form = main(page).locator("#conference-form")
    form.get_by_label("Titel").fill(TITLE)
    form.get_by_label("Datum").fill(first_day.isoformat())
    form.get_by_label("Beginn").fill("14:00")
    form.get_by_label("Ende").fill("15:30")
    form.get_by_label("Ort").fill(PLACE)
    invited = form.get_by_role("group", name="Eingeladene Organisationen")
    invited.get_by_role("checkbox", name=YOUTH_OFFICE).check()
    invited.get_by_role("checkbox", name=PARTNER).check()
    form.get_by_label("Wiederholung").select_option(label=MONTHLY)
    form.get_by_label("Anzahl der Termine").fill("6")
    follow(page, form.get_by_role("button", name="Planen und einladen"))

    expect_message(
        page, "Die Terminreihe mit 6 Terminen ist geplant; die Einladungen sind versandt."
    )
    expect(heading(page)).to_contain_text(TITLE)
    expect(heading(page)).to_contain_text("geplant")
    facts = main(page).locator("dl.kw-facts").first
    expect(facts).to_contain_text(first_day.strftime("%d.%m.%Y") + ", 14:00–15:30")
    expect(facts).to_contain_text(f"{YOUTH_OFFICE}, {PARTNER}")
    expect(facts).to_contain_text(MONTHLY)
    conference_url = page.url

    follow(page, nav(page).get_by_role("link", name="Fallberatungen", exact=True))
    rows = main(page).get_by_role("table", name="Fallberatungen").locator("tbody tr")
    expect(rows).to_have_count(6)
    days = [parse_day(text) for text in rows.all_inner_texts()]
    assert days[0] == first_day
    # Monthly on the same weekday: one meeting in each of six consecutive months.
    assert {d.weekday() for d in days} == {first_day.weekday()}
    months = [d.year * 12 + d.month for d in days]
    assert months == list(range(months[0], months[0] + 6)), days
    for text in rows.all_inner_texts():
        assert TITLE in text
        assert "geplant" in text

    # --- 2. bring Anna's case in from the case file ---
    visit(page, household.get_absolute_url())
    follow(
        page,
        member_card(page, "Anna Beispiel").get_by_role("link", name="In Fallberatung einbringen"),
    )
    expect(heading(page)).to_have_text("Anna Beispiel in eine Fallberatung einbringen")
    form = main(page).locator("#item-form")
    first = Conference.objects.order_by("starts_at").first()
    expect(form.get_by_label("Fallberatung", exact=True).locator("option:checked")).to_have_text(
        str(first)
    )
    needs = form.get_by_role("group", name="Handlungsbedarfe, die vorgestellt werden")
    needs.get_by_role("checkbox", name=f"{NEED} (Anna)").check()
    form.get_by_label("Fragestellung an die Runde").fill(QUESTION)
    expect(form.get_by_role("radio", name="pseudonymisiert")).to_be_checked()
    follow(page, form.get_by_role("button", name="Vorschau: so sehen es die anderen"))

    preview = main(page).get_by_role(
        "region", name="Vorschau: so sehen die anderen Organisationen den Fall"
    )
    expect(preview).to_contain_text(case_label)
    expect(preview).to_contain_text(NEED)
    expect(preview).to_contain_text(QUESTION)
    for identifying in ("Beispiel", "Anna", "Ben", BIRTH_DATE, "1988", household.number):
        expect(preview).not_to_contain_text(identifying)
    expect(page.get_by_role("heading", name=re.compile("^Vorschau"))).to_be_focused()
    # The preview saved nothing.
    assert not first.items.exists()

    # A question naming the family is caught before it is saved.
    form = main(page).locator("#item-form")
    form.get_by_label("Fragestellung an die Runde").fill(NAMING_QUESTION)
    follow(page, form.get_by_role("button", name="Auf die Tagesordnung setzen"))
    warning = main(page).locator("#identifier-warning")
    expect(warning).to_have_attribute("role", "alert")
    expect(warning).to_contain_text("Name: „Beispiel“")
    expect(warning).to_be_focused()
    assert not first.items.exists()
    form = main(page).locator("#item-form")
    expect(form.get_by_label("Fragestellung an die Runde")).to_have_value(NAMING_QUESTION)
    expect(form.get_by_role("checkbox", name=f"{NEED} (Anna)")).to_be_checked()
    confirm = form.get_by_role(
        "checkbox", name="Ich habe die Hinweise geprüft; der Text bleibt so."
    )
    expect(confirm).not_to_be_checked()

    # The text is fixed instead of confirmed.
    form.get_by_label("Fragestellung an die Runde").fill(QUESTION)
    follow(page, form.get_by_role("button", name="Auf die Tagesordnung setzen"))
    expect_message(page, f"{case_label} steht auf der Tagesordnung von „{TITLE}“.")
    assert page.url.startswith(conference_url)
    item = agenda_item(page, case_label)
    expect(item).to_contain_text(f"({JOBCENTER}, pseudonymisiert)")
    expect(item).to_contain_text(NEED)
    expect(item).to_contain_text(QUESTION)
    expect(item).to_contain_text("Noch keine Vereinbarungen.")
    # Not before the day: no actions yet, no "held".
    expect(item.locator("summary", has_text="Vereinbarung hinzufügen")).to_have_count(0)
    expect(main(page).get_by_role("button", name="Als durchgeführt vermerken")).to_have_count(0)

    # --- 3. the day has come: hold it ---
    begin(first)
    visit(page, conference_url)
    follow(page, main(page).get_by_role("button", name="Als durchgeführt vermerken"))
    expect_message(page, "Die Fallberatung ist als durchgeführt vermerkt.")
    expect(heading(page)).to_contain_text("durchgeführt")
    expect(main(page).get_by_role("button", name="Als durchgeführt vermerken")).to_have_count(0)

    # --- 4a. the Jugendamt's action, with the keyboard alone (through a refused submit) ---
    item = agenda_item(page, case_label)
    summary = item.locator("summary", has_text="Vereinbarung hinzufügen")
    tab_to(page, summary)
    page.keyboard.press("Enter")
    action_form = item.locator("form.kw-action-form")
    title = action_form.get_by_label("Vereinbarung", exact=True)
    expect(title).to_be_visible()
    assert_accessible(page)  # with the disclosure open
    page.keyboard.press("Tab")
    expect(title).to_be_focused()
    page.keyboard.type(YOUTH_ACTION)
    page.keyboard.press("Tab")
    owner = action_form.get_by_label("Zuständige Organisation")
    expect(owner).to_be_focused()
    page.keyboard.press("ArrowDown")  # Jobcenter A
    page.keyboard.press("ArrowDown")  # Jugendamt A
    expect(owner.locator("option:checked")).to_have_text(YOUTH_OFFICE)
    # Sent without a due date: the form comes back with the error and the focus on that field.
    tab_to(page, action_form.get_by_role("button", name="Vereinbarung festhalten"))
    press_and_load(page, "Enter")
    expect(heading(page)).to_have_text(f"Vereinbarung in „{TITLE}“")
    form = main(page).locator("#action-form")
    due_date = form.get_by_label("Fällig bis")
    expect(due_date).to_have_attribute("aria-invalid", "true")
    expect(due_date).to_have_accessible_description(
        re.compile("Bitte geben Sie an, bis wann die Maßnahme erledigt sein soll.")
    )
    expect(due_date).to_be_focused()
    expect(form.get_by_label("Vereinbarung", exact=True)).to_have_value(YOUTH_ACTION)
    expect(form.get_by_label("Zuständige Organisation")).to_have_value(str(youth_office.pk))
    in_days = form.get_by_label("oder in … Arbeitstagen")
    tab_to(page, in_days)
    page.keyboard.type("5")
    press_and_load(page, "Enter")  # implicit submission from the number field

    agreed = page.get_by_role("status").filter(has_text=f"Vereinbart: {YOUTH_OFFICE}, fällig bis ")
    expect(agreed).to_be_visible()
    youth_due = parse_day(agreed.inner_text())
    assert youth_due > timezone.localdate()
    assert page.url.startswith(conference_url)
    assert re.search(r"#massnahme-\d+$", page.url), page.url

    # --- 4b. the Jobcenter's own action, with a date ---
    jobcenter_due = timezone.localdate() + timedelta(days=14)
    item = agenda_item(page, case_label)
    item.locator("summary", has_text="Vereinbarung hinzufügen").click()
    action_form = item.locator("form.kw-action-form")
    action_form.get_by_label("Vereinbarung", exact=True).fill(JOBCENTER_ACTION)
    action_form.get_by_label("Zuständige Organisation").select_option(label=JOBCENTER)
    action_form.get_by_label("Fällig bis").fill(jobcenter_due.isoformat())
    follow(page, action_form.get_by_role("button", name="Vereinbarung festhalten"))
    expect_message(
        page, f"Vereinbart: {JOBCENTER}, fällig bis {jobcenter_due.strftime('%d.%m.%Y')}."
    )

    actions = agenda_item(page, case_label).get_by_role(
        "table", name="Vereinbarungen zu diesem Fall"
    )
    rows = actions.locator("tbody tr")
    expect(rows).to_have_count(2)
    youth_row = rows.filter(has_text=YOUTH_ACTION)
    jobcenter_row = rows.filter(has_text=JOBCENTER_ACTION)
    expect(youth_row).to_contain_text(YOUTH_OFFICE)
    expect(youth_row).to_contain_text(youth_due.strftime("%d.%m.%Y"))
    expect(youth_row).to_contain_text("offen")
    expect(jobcenter_row).to_contain_text(JOBCENTER)
    expect(jobcenter_row).to_contain_text(jobcenter_due.strftime("%d.%m.%Y"))

    # --- 5. the Jugendamt's action becomes a referral ---
    follow(page, youth_row.get_by_role("link", name="Als Überleitung anlegen"))
    expect(heading(page)).to_have_text("Überleitung für Anna Beispiel")
    form = main(page).locator("#referral-form")
    expect(form.get_by_role("radio", name="Überleitung", exact=True)).to_be_checked()
    expect(form.get_by_label("Empfangende Organisation")).to_have_value(str(youth_office.pk))
    expect(form.get_by_label("Anlass", exact=True)).to_have_value(YOUTH_ACTION)
    expect(form.get_by_role("checkbox", name=NEED)).to_be_checked()
    categories = form.get_by_role("group", name="Diese Daten werden übermittelt")
    expect(categories.get_by_role("checkbox", name=MASTER_DATA)).to_be_checked()
    housing = categories.get_by_role("checkbox", name=HOUSING_NEEDS)
    expect(housing).to_be_enabled()
    housing.check()
    follow(page, form.get_by_role("button", name="Senden", exact=True))

    expect_message(
        page, re.compile(rf"Die Überleitung Ü-\d+ ist an {YOUTH_OFFICE} gesendet\. Antwort bis ")
    )
    number = heading(page).inner_text().removeprefix("Überleitung ").strip()
    assert re.fullmatch(r"Ü-\d+", number), number
    referral_url = page.url

    visit(page, conference_url)
    rows = (
        agenda_item(page, case_label)
        .get_by_role("table", name="Vereinbarungen zu diesem Fall")
        .locator("tbody tr")
    )
    youth_row = rows.filter(has_text=YOUTH_ACTION)
    link = youth_row.get_by_role("link", name=f"Überleitung {number}", exact=True)
    expect(link).to_have_attribute("href", referral_url.removeprefix(live_server.url))
    # Carried out once: no second referral from the same action.
    expect(youth_row.get_by_role("link", name="Als Überleitung anlegen")).to_have_count(0)
    expect(
        rows.filter(has_text=JOBCENTER_ACTION).get_by_role(
            "link", name=re.compile("^Überleitung Ü-")
        )
    ).to_have_count(0)
    logout(page)

    # --- 6. the Jugendamt: its task list, and the case without a name ---
    login(page, live_server, youth_worker.username)
    follow(page, nav(page).get_by_role("link", name="Vereinbarungen", exact=True))
    expect(heading(page)).to_have_text(f"Vereinbarungen für {YOUTH_OFFICE}")
    rows = main(page).get_by_role("table", name="Vereinbarungen").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(YOUTH_ACTION)
    expect(rows.first).to_contain_text(case_label)
    expect(rows.first).to_contain_text(TITLE)
    expect(rows.first).to_contain_text(youth_due.strftime("%d.%m.%Y"))
    expect(rows.first.get_by_role("link", name=number, exact=True)).to_be_visible()
    expect(main(page)).not_to_contain_text(JOBCENTER_ACTION)
    follow(page, rows.first.get_by_role("link", name=YOUTH_ACTION))

    assert page.url.startswith(conference_url)
    expect(heading(page)).to_contain_text(TITLE)
    item = agenda_item(page, case_label)
    expect(item).to_contain_text(QUESTION)
    expect(item).to_contain_text(NEED)
    for identifying in ("Beispiel", "Anna", "Ben", BIRTH_DATE, "1988", household.number):
        expect(main(page)).not_to_contain_text(identifying)
    expect(item.get_by_role("link", name=re.compile("^Fallakte"))).to_have_count(0)
    youth_row = item.get_by_role("table", name="Vereinbarungen zu diesem Fall").locator(
        "tbody tr", has_text=YOUTH_ACTION
    )
    expect(youth_row).to_contain_text(YOUTH_OFFICE)
    # Only the presenting Jobcenter refers from its case file or adds actions to its case.
    expect(item.get_by_role("link", name="Als Überleitung anlegen")).to_have_count(0)
    expect(item.locator("summary", has_text="Vereinbarung hinzufügen")).to_have_count(0)
