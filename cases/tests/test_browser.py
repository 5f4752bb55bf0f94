"""End-to-end: a Jobcenter case worker takes a household from first contact to an agreed plan.

Headless Chromium against the live server, driven only through the UI: the Fallakten list from
the main navigation, a new household with its applicant, a second member, a need, the matching
offer taken into the cooperation plan, the plan agreed and printed, a consent for the partner
recorded and its form printed. axe-core checks every page on the way, after each link and
each form submission; the locators are labels and roles, so every field and button used here is
also reachable by name with a screen reader or the keyboard.
"""

import re
from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.tests.browser_fixtures import assert_accessible, login
from directory.factories import OfferFactory, PlaceFactory

pytestmark = pytest.mark.browser

OFFER_TITLE = "Mietschuldenberatung im Stadtteil"
HOUSEHOLD_NUMBER = "06432BG0012345"
PARTNER = "Stadtteilzentrum Nord"  # the ``partner`` fixture: no statutory duty


@pytest.fixture
def rent_offer(partner, jobcenter):
    """The partner's published offer for rent arrears, in the job centre's own town."""
    town = jobcenter.municipality
    offer = OfferFactory(
        organisation=partner,
        title=OFFER_TITLE,
        description="Wir verhandeln mit Vermietern und sichern die Wohnung.",
        situations=["housing.rent_arrears"],
    )
    PlaceFactory(offer=offer, municipality=town, latitude=town.latitude, longitude=town.longitude)
    return offer


# --- helpers ---------------------------------------------------------------------------------


def main(page):
    return page.get_by_role("main")


def follow(page, locator):
    """Click a link (or submit button) that loads a new page, then check the new page."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    assert_accessible(page)


def submit(page, name: str, *, within=None):
    follow(page, (within or main(page)).get_by_role("button", name=name, exact=True))


def expect_message(page, text: str):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def member_card(page, name: str):
    """A member's section on the case file (an article labelled by the member's name)."""
    return main(page).get_by_role("article", name=re.compile(rf"^{re.escape(name)}\b"))


def day(value) -> str:
    return value.strftime("%d.%m.%Y")


# --- the workflow ----------------------------------------------------------------------------


def test_a_case_worker_plans_with_a_household_and_prints_plan_and_consent(
    page, live_server, case_worker, jobcenter, partner, rent_offer
):
    today = timezone.localdate()
    due = today + timedelta(days=21)
    login(page, live_server, case_worker.username)

    # Fallakten from the main navigation, then a new household with its applicant.
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    follow(page, nav.get_by_role("link", name="Fallakten", exact=True))
    expect(page.get_by_role("heading", level=1)).to_have_text("Fallakten")
    expect(nav.get_by_role("link", name="Fallakten", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    follow(page, main(page).get_by_role("link", name="Neue Bedarfsgemeinschaft"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Neue Bedarfsgemeinschaft")

    household = main(page).get_by_role("group", name="Haushalt")
    household.get_by_label("Nummer der Bedarfsgemeinschaft").fill(HOUSEHOLD_NUMBER)
    household.get_by_label("Straße und Hausnummer").fill("Lindenweg 3")
    household.get_by_label("Postleitzahl").fill("64807")
    household.get_by_label("Gemeinde").select_option(label=jobcenter.municipality.name)
    applicant = main(page).get_by_role("group", name="Antragsteller/in")
    applicant.get_by_label("Vorname").fill("Anna")
    applicant.get_by_label("Nachname").fill("Beispiel")
    applicant.get_by_label("Geburtsdatum").fill("1988-05-02")
    applicant.get_by_label("Deutsch", exact=True).check()
    submit(page, "Anlegen")

    expect_message(page, "Die Bedarfsgemeinschaft wurde angelegt.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Bedarfsgemeinschaft {HOUSEHOLD_NUMBER}"
    )
    case_file_url = page.url
    expect(member_card(page, "Anna Beispiel")).to_contain_text("Antragsteller/in")

    # A second member: the son.
    follow(page, main(page).get_by_role("link", name="Mitglied hinzufügen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mitglied hinzufügen")
    form = main(page).locator("form")
    form.get_by_label("Rolle im Haushalt").select_option(label="Kind")
    form.get_by_label("Vorname").fill("Ben")
    form.get_by_label("Nachname").fill("Beispiel")
    form.get_by_label("Geburtsdatum").fill("2012-09-01")
    submit(page, "Speichern")

    expect_message(page, "Ben Beispiel wurde gespeichert.")
    expect(page).to_have_url(re.compile(rf"^{re.escape(case_file_url)}#person-\d+$"))
    expect(main(page).get_by_role("article")).to_have_count(2)
    expect(member_card(page, "Ben Beispiel")).to_contain_text("(Kind)")

    # A need of the applicant for which the partner has an offer.
    anna = member_card(page, "Anna Beispiel")
    follow(page, anna.get_by_role("link", name="Handlungsbedarf erfassen"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Handlungsbedarf erfassen")
    expect(main(page)).to_contain_text("für Anna Beispiel")
    form = main(page).locator("form")
    form.get_by_label("Problemlage").select_option(label="Wohnen: Mietschulden")
    form.get_by_label("Beschreibung").fill("Zwei Monatsmieten offen, Mahnung des Vermieters.")
    form.get_by_label("Gewicht").select_option(label="hoch")
    submit(page, "Speichern")

    expect_message(page, "Der Handlungsbedarf wurde gespeichert.")
    needs = member_card(page, "Anna Beispiel").get_by_role(
        "table", name="Handlungsbedarfe von Anna Beispiel"
    )
    expect(needs).to_contain_text("Wohnen: Mietschulden")
    expect(needs).to_contain_text("Zwei Monatsmieten offen")

    # "Passende Angebote finden" lists the partner's offer; it goes into the plan.
    follow(page, needs.get_by_role("link", name="Passende Angebote finden"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Passende Angebote finden")
    expect(main(page)).to_contain_text("Mietschulden – Anna Beispiel")
    suggestions = main(page).get_by_role("region", name="Vorschläge")
    offer = suggestions.get_by_role("listitem").filter(
        has=page.get_by_role("link", name=OFFER_TITLE, exact=True)
    )
    expect(offer).to_have_count(1)
    expect(offer).to_contain_text(PARTNER)
    offer.locator("summary").click()  # opens the "In den Plan übernehmen" disclosure
    add_form = offer.locator("form")
    expect(add_form.get_by_label("Unter welchem Ziel?")).to_have_value("Mietschulden")
    add_form.get_by_label("Bis wann?").fill(due.isoformat())
    assert_accessible(page)  # the opened form too
    follow(
        page,
        add_form.get_by_role("button", name=f"In den Plan übernehmen – {OFFER_TITLE}"),
    )

    # The plan: the offer is a step under the goal, then the plan is agreed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Kooperationsplan")
    expect(page).to_have_url(re.compile(r"/faelle/plaene/\d+/#step-\d+$"))
    expect_message(page, f"„{OFFER_TITLE}“ steht jetzt als Schritt im Kooperationsplan.")
    expect(main(page)).to_contain_text("Anna Beispiel, Ben Beispiel")
    expect(main(page)).to_contain_text("Entwurf – noch nicht vereinbart")
    steps = main(page).get_by_role("table", name="Schritte zum Ziel „Mietschulden“")
    step = steps.get_by_role("row").filter(has_text=f"Angebot „{OFFER_TITLE}“ wahrnehmen")
    expect(step).to_contain_text(f"{OFFER_TITLE} ({PARTNER})")
    expect(step).to_contain_text(day(due))

    agree = main(page).get_by_role("region", name="Plan vereinbaren")
    expect(agree.get_by_label("Vereinbart am")).to_have_value(today.isoformat())
    expect(agree.get_by_label("Vereinbart mit")).to_have_value("Anna Beispiel")  # adults only
    submit(page, "Plan vereinbaren", within=agree)

    expect_message(page, "Der Plan ist als Fassung 1 vereinbart.")
    expect(main(page)).to_contain_text(f"Fassung 1 vereinbart am {day(today)}")
    versions = main(page).get_by_role("table", name="Vereinbarte Fassungen")
    expect(versions.get_by_role("link", name="Fassung 1")).to_be_visible()

    # The client's copy of the plan, on screen and in print.
    follow(
        page,
        main(page).get_by_role("link", name="Fassung für die Kundin / den Kunden drucken"),
    )
    expect(page).to_have_title("Ihr Kooperationsplan")
    sheet = page.get_by_role("main")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Kooperationsplan")
    expect(sheet).to_contain_text("für Anna Beispiel und Ben Beispiel")
    expect(sheet).to_contain_text(f"Diesen Plan haben wir am {day(today)} gemeinsam besprochen")
    no_print = page.locator(".kw-sheet__noprint")
    expect(no_print.get_by_role("button", name="Drucken")).to_be_visible()

    page.emulate_media(media="print")
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(no_print).to_be_hidden()
    expect(sheet.get_by_role("listitem").filter(has_text="Mietschulden")).to_be_visible()
    printed_step = sheet.get_by_role("table", name="Schritte für das Ziel: Mietschulden")
    expect(printed_step).to_be_visible()
    expect(printed_step).to_contain_text(f"Angebot „{OFFER_TITLE}“ wahrnehmen")
    expect(printed_step).to_contain_text(f"{OFFER_TITLE} ({PARTNER})")
    expect(printed_step).to_contain_text(day(due))
    expect(sheet).to_contain_text(f"Fassung 1 · vereinbart am {day(today)} mit Anna Beispiel")
    assert_a4_pdf(page)
    page.emulate_media(media="screen")

    # Back to the case file; a consent of the applicant for the partner organisation.
    follow(page, no_print.get_by_role("link", name="Zurück zum Plan"))
    follow(page, main(page).get_by_role("link", name="Zurück zur Fallakte"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Bedarfsgemeinschaft {HOUSEHOLD_NUMBER}"
    )
    follow(
        page, member_card(page, "Anna Beispiel").get_by_role("link", name="Einwilligung erfassen")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Einwilligung erfassen")
    form = main(page).locator("form")
    expect(form.get_by_label("die betroffene Person selbst")).to_be_checked()
    form.get_by_label(PARTNER, exact=True).check()
    form.get_by_label("Überleitung an eine andere Stelle oder ein Angebot").check()
    form.get_by_label("Zweck, näher beschrieben").fill(
        "Überleitung zur Mietschuldenberatung wegen Mietrückstand"
    )
    form.get_by_label("Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen)").check()
    form.get_by_label("Handlungsbedarfe: Wohnen").check()
    form.get_by_label("Die Person wurde über den Zweck der Übermittlung informiert.").check()
    form.get_by_label("Die Person wurde über die Folgen einer Verweigerung informiert").check()
    form.get_by_label("Die Person wurde über ihr Recht informiert, jederzeit").check()
    expect(form.get_by_label("gültig ab")).to_have_value(today.isoformat())
    valid_until = form.get_by_label("gültig bis").input_value()
    expect(form.get_by_label("schriftlich")).to_be_checked()
    submit(page, "Einwilligung erfassen")

    expect(page.get_by_role("heading", level=1)).to_have_text("Einwilligung von Anna Beispiel")
    until = day(date.fromisoformat(valid_until))
    expect_message(page, f"Die Einwilligung von Anna Beispiel wurde erfasst (gültig bis {until}).")
    expect(main(page)).to_contain_text(PARTNER)

    # The printable consent form names the partner as the only recipient.
    follow(page, main(page).get_by_role("link", name="Formular zum Drucken"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Einwilligung in die Weitergabe Ihrer Daten"
    )
    sheet = page.get_by_role("main")
    expect(sheet).to_contain_text("Anna Beispiel, geboren am 02.05.1988")
    expect(sheet).to_contain_text(jobcenter.name)  # who asks

    page.emulate_media(media="print")
    expect(page.locator(".kw-sheet__noprint").first).to_be_hidden()
    recipients = sheet.get_by_role("list").filter(
        has=page.get_by_role("listitem").filter(has_text=PARTNER)
    )
    expect(recipients.get_by_role("listitem")).to_have_count(1)
    expect(recipients.get_by_role("listitem")).to_be_visible()
    expect(sheet).to_contain_text("Überleitung an eine andere Stelle oder ein Angebot")
    expect(sheet).to_contain_text(f"Vom {day(today)} bis zum {until}.")
    expect(sheet).to_contain_text("Unterschrift von Anna Beispiel")
    assert_a4_pdf(page)


def assert_a4_pdf(page) -> None:
    """The sheet prints as A4 pages (the CSS asks for it; Chromium's default is Letter)."""
    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert pdf.startswith(b"%PDF-")
    media_boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert media_boxes, "no page in the PDF"
    for width, height in media_boxes:  # A4: 210 × 297 mm = 595.28 × 841.89 pt
        assert float(width) == pytest.approx(595.28, abs=1)
        assert float(height) == pytest.approx(841.89, abs=1)
