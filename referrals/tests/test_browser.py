"""End-to-end: the short path from the Jobcenter to the Sozialamt and back (issue 6).

Headless Chromium against the live server, driven only through the UI. A Jobcenter case manager
refers a family facing the loss of its flat to the Sozialamt from the need in the case file; the
form offers only the data categories the consent covers and says why health data cannot go. The
Sozialamt's case worker finds the urgent referral at the top of the inbox (above an older
standard one that is due sooner), accepts it, writes in the thread and completes it with a
feedback; the Jobcenter sees the outcome in the case file's timeline and on the referral.
axe-core checks every page on the way; the locators are labels and roles throughout.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.factories import PersonFactory
from core.tests.browser_fixtures import assert_accessible, login, visit
from referrals.choices import Status, Track
from referrals.factories import ReferralFactory, consent_for

pytestmark = pytest.mark.browser

SOCIAL_OFFICE = "Sozialamt Musterkreis"  # the ``social_office`` fixture
MASTER_DATA = "Stammdaten (Name, Geburtsdatum, Kontakt, Sprachen)"
HOUSEHOLD = "Haushalt (Mitglieder der Bedarfsgemeinschaft, Anschrift)"
HOUSING_NEEDS = "Handlungsbedarfe: Wohnen"
HEALTH = "Gesundheitsdaten (Gesundheit, Sucht, ärztliche Unterlagen)"
URGENT_TRACK = "dringend: drohender Wohnungsverlust"
REASON = "Räumungsklage angekündigt, Mietrückstand seit drei Monaten. Bitte Mietschulden prüfen."
THREAD_MESSAGE = "Termin zur Mietschuldenübernahme am Donnerstag, 10 Uhr, ist vereinbart."
OUTCOME_NOTE = "Mietschulden nach § 36 SGB XII übernommen, die Wohnung ist gesichert."


@pytest.fixture
def referral_consent(anna, social_office):
    """Anna consents to her master data, household and housing needs going to the Sozialamt."""
    return consent_for(
        anna, social_office, categories=("master_data", "household", "needs.housing")
    )


@pytest.fixture
def older_referral(jobcenter, social_office):
    """A standard referral about someone else, sent three days ago and due tomorrow: sorted by
    deadline alone it would come first."""
    now = timezone.now()
    return ReferralFactory(
        sender=jobcenter,
        recipient=social_office,
        person=PersonFactory(organisation=jobcenter),
        track=Track.STANDARD,
        status=Status.SENT,
        sent_at=now - timedelta(days=3),
        response_due=timezone.localdate() + timedelta(days=1),
    )


# --- helpers ---------------------------------------------------------------------------------


def main(page):
    return page.get_by_role("main")


def follow(page, locator):
    """Click a link or submit button that loads a new page, then check the new page."""
    with page.expect_navigation(wait_until="load"):
        locator.click()
    assert_accessible(page)


def expect_message(page, text: str | re.Pattern):
    expect(page.get_by_role("status").filter(has_text=text)).to_be_visible()


def heading(page):
    return page.get_by_role("heading", level=1)


def status_badge(page):
    """The referral's status, the first badge under its heading."""
    return main(page).locator(".kern-badge").first


def member_card(page, name: str):
    return main(page).get_by_role("article", name=re.compile(rf"^{re.escape(name)}\b"))


def logout(page):
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Abmelden").click()


def choose_recipient(page, form, name: str):
    """Choose the recipient and wait until htmx has swapped in its categories."""
    with page.expect_response(re.compile(r"/ueberleitungen/neu/\d+/kategorien/")):
        form.get_by_label("Empfangende Organisation").select_option(label=name)
    expect(form.get_by_role("checkbox", name=MASTER_DATA)).to_be_visible()


# --- the closed loop -------------------------------------------------------------------------


def test_jobcenter_refers_a_family_facing_loss_of_housing_and_gets_the_outcome_back(
    page,
    live_server,
    mailoutbox,
    case_worker,
    social_worker,
    household,
    anna,
    housing_need,
    referral_consent,
    older_referral,
):
    # --- the Jobcenter case manager refers from the need in the case file ---
    login(page, live_server, case_worker.username)
    case_file_url = household.get_absolute_url()
    visit(page, case_file_url)
    needs = member_card(page, "Anna Beispiel").get_by_role(
        "table", name="Handlungsbedarfe von Anna Beispiel"
    )
    need_row = needs.get_by_role("row").filter(has_text="Drohender Wohnungsverlust")
    follow(page, need_row.get_by_role("link", name="Überleiten", exact=True))

    expect(heading(page)).to_have_text("Überleitung für Anna Beispiel")
    form = main(page).locator("#referral-form")
    expect(form.get_by_role("radio", name="Überleitung", exact=True)).to_be_checked()
    # The need the link came from is the reason, preselected.
    expect(form.get_by_role("checkbox", name="Drohender Wohnungsverlust")).to_be_checked()
    categories = form.get_by_role("group", name="Diese Daten werden übermittelt")
    expect(categories).to_contain_text("Bitte wählen Sie zuerst die empfangende Organisation")

    choose_recipient(page, form, SOCIAL_OFFICE)
    # What the consent covers can be chosen; health data cannot, and the form says why.
    health = categories.get_by_role("checkbox", name=HEALTH)
    expect(health).to_be_disabled()
    expect(health).to_have_accessible_description(
        f"nicht möglich: Keine Einwilligung für {HEALTH} gegenüber {SOCIAL_OFFICE}."
    )
    for label in (MASTER_DATA, HOUSEHOLD, HOUSING_NEEDS):
        box = categories.get_by_role("checkbox", name=label)
        expect(box).to_be_enabled()
        expect(box).to_have_accessible_description(re.compile(r"^Rechtsgrundlage: Einwilligung"))
        box.check()
    assert_accessible(page)  # the swapped-in fieldset too

    form.get_by_label("Dringlichkeit").select_option(label=URGENT_TRACK)
    form.get_by_label("Anlass", exact=True).fill(REASON)
    form.get_by_label("Nachricht an die empfangende Stelle").fill("Bitte um schnellen Rückruf.")
    follow(page, form.get_by_role("button", name="Senden", exact=True))

    expect_message(
        page, re.compile(rf"Die Überleitung .+ ist an {SOCIAL_OFFICE} gesendet\. Antwort bis ")
    )
    expect(heading(page)).to_have_text(re.compile(r"^Überleitung "))
    number = heading(page).inner_text().removeprefix("Überleitung ").strip()
    referral_url = page.url
    expect(status_badge(page)).to_have_text("gesendet")
    expect(main(page)).to_contain_text(URGENT_TRACK)

    # The Sozialamt's staff are told by e-mail, with a link and no personal data.
    to_social_worker = [m for m in mailoutbox if social_worker.email in m.to]
    assert len(to_social_worker) == 1
    assert referral_url.removeprefix(live_server.url) in to_social_worker[0].body
    mail = to_social_worker[0]
    for personal in ("Anna", "Beispiel", "Räumungsklage"):
        assert personal not in mail.subject + mail.body, repr((mail.subject, mail.body))
    logout(page)

    # --- the Sozialamt: the notification, then the inbox with the urgent referral on top ---
    login(page, live_server, social_worker.username)
    follow(page, page.get_by_role("link", name="1 neue Benachrichtigung"))
    expect(heading(page)).to_have_text("Benachrichtigungen")
    expect(main(page).locator("#notifications")).to_contain_text(f"Neue Überleitung {number}")

    nav = page.get_by_role("navigation", name="Hauptnavigation")
    follow(page, nav.get_by_role("link", name="Eingang", exact=True))
    expect(heading(page)).to_have_text(f"Eingang von {SOCIAL_OFFICE}")
    inbox = main(page).get_by_role("table", name="Eingegangene Überleitungen, dringende zuerst")
    rows = inbox.locator("tbody").get_by_role("row")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(number)
    expect(rows.first).to_contain_text(URGENT_TRACK)
    expect(rows.first.get_by_text("neu", exact=True)).to_be_visible()
    expect(rows.nth(1)).to_contain_text(older_referral.number)
    follow(page, rows.first.get_by_role("link", name=number, exact=True))

    expect(heading(page)).to_have_text(f"Überleitung {number}")
    expect(status_badge(page)).to_have_text("eingegangen")  # opening it marked it received
    shared = main(page).get_by_role("region", name="Übermittelte Daten")
    expect(shared).to_contain_text("Anna Beispiel")
    expect(shared).to_contain_text("Drohender Wohnungsverlust")
    expect(
        shared.get_by_role("table", name="Datenkategorien und Rechtsgrundlagen")
    ).to_contain_text(HOUSING_NEEDS)
    expect(shared).not_to_contain_text(HEALTH)
    expect(main(page).get_by_role("link", name="Zur Fallakte")).to_have_count(0)

    follow(page, main(page).get_by_role("button", name="Annehmen", exact=True))
    expect_message(page, f"Überleitung {number}: angenommen.")
    expect(status_badge(page)).to_have_text("angenommen")
    expect(main(page).get_by_role("button", name="Annehmen", exact=True)).to_have_count(0)

    thread = main(page).get_by_role("region", name="Nachrichten")
    expect(thread).to_contain_text("Noch keine Nachrichten.")
    thread.get_by_label("Nachricht", exact=True).fill(THREAD_MESSAGE)
    follow(page, thread.get_by_role("button", name="Nachricht senden"))
    expect_message(page, "Die Nachricht ist gesendet.")
    expect(page).to_have_url(re.compile(r"#nachrichten$"))
    thread = main(page).get_by_role("region", name="Nachrichten")
    expect(thread.get_by_role("article")).to_have_count(1)
    expect(thread.get_by_role("article")).to_contain_text(THREAD_MESSAGE)
    expect(thread.get_by_role("article")).to_contain_text(SOCIAL_OFFICE)

    actions = main(page).get_by_role("region", name="Nächster Schritt")
    completion = actions.locator("details").filter(
        has=page.locator("summary", has_text="Abschließen mit Rückmeldung")
    )
    expect(completion).to_have_attribute("open", "")  # the next step, open already
    completion.get_by_label("Ergebnis").select_option(label="Hilfe geleistet")
    completion.get_by_label("Rückmeldung an die sendende Stelle").fill(OUTCOME_NOTE)
    assert_accessible(page)  # with the disclosure open
    follow(page, completion.get_by_role("button", name="Abschließen", exact=True))
    expect_message(page, f"Überleitung {number}: abgeschlossen.")
    expect(status_badge(page)).to_have_text("abgeschlossen")
    expect(main(page).get_by_role("region", name="Nächster Schritt")).to_have_count(0)
    logout(page)

    # --- back at the Jobcenter: the outcome in the case file and on the referral ---
    login(page, live_server, case_worker.username)
    visit(page, case_file_url)
    timeline = main(page).get_by_role("region", name="Verlauf")
    feedback = timeline.get_by_role("listitem").filter(has_text="Rückmeldung")
    expect(feedback).to_have_count(1)
    expect(feedback).to_contain_text(f"{number} abgeschlossen: Hilfe geleistet – {OUTCOME_NOTE}")
    expect(feedback).to_contain_text("Anna Beispiel")
    follow(page, feedback.get_by_role("link"))

    expect(heading(page)).to_have_text(f"Überleitung {number}")
    expect(status_badge(page)).to_have_text("abgeschlossen")
    outcome = main(page).get_by_role("region", name="Rückmeldung")
    expect(outcome).to_contain_text(f"Hilfe geleistet – {OUTCOME_NOTE}")
    expect(main(page).get_by_role("region", name="Nachrichten")).to_contain_text(THREAD_MESSAGE)
    expect(main(page).get_by_role("region", name="Nächster Schritt")).to_have_count(0)
    follow(page, main(page).get_by_role("link", name="Zur Fallakte"))
    expect(heading(page)).to_have_text(f"Bedarfsgemeinschaft {household.number}")


# --- keyboard only ---------------------------------------------------------------------------


def test_the_referral_form_can_be_filled_and_sent_with_the_keyboard_alone(
    page, live_server, case_worker, social_office, anna, housing_need, referral_consent
):
    login(page, live_server, case_worker.username)
    visit(page, f"/ueberleitungen/neu/{anna.pk}/?need={housing_need.pk}")

    def tab_to(locator, *, limit: int = 60):
        """Press Tab until ``locator`` has the focus; fail if it is not reachable that way."""
        for _ in range(limit):
            if locator.evaluate("el => el === document.activeElement"):
                return
            page.keyboard.press("Tab")
        pytest.fail(f"Tab does not reach {locator}")

    def send_with_enter():
        tab_to(main(page).get_by_role("button", name="Senden", exact=True))
        with page.expect_navigation(wait_until="load"):
            page.keyboard.press("Enter")
        assert_accessible(page)

    # The recipient with the arrow key (the Sozialamt is the only other organisation); htmx
    # loads its categories, and master data is preselected.
    recipient = main(page).get_by_label("Empfangende Organisation")
    tab_to(recipient)
    with page.expect_response(re.compile(r"/ueberleitungen/neu/\d+/kategorien/")):
        page.keyboard.press("ArrowDown")
    expect(recipient.locator("option:checked")).to_have_text(SOCIAL_OFFICE)
    expect(main(page).get_by_role("checkbox", name=MASTER_DATA)).to_be_checked()

    # Sent without a reason: the form comes back with the error and the focus on that field.
    send_with_enter()
    expect(heading(page)).to_have_text("Überleitung für Anna Beispiel")
    reason = main(page).get_by_label("Anlass", exact=True)
    expect(reason).to_have_attribute("aria-invalid", "true")
    expect(reason).to_have_accessible_description(re.compile("Bitte beschreiben Sie den Anlass"))
    expect(reason).to_be_focused()
    # What was chosen before is kept.
    expect(main(page).get_by_label("Empfangende Organisation")).to_have_value(str(social_office.pk))

    # Type the reason, Tab to the track and pick the urgent one with the arrow key, tick the
    # housing needs with Space and send with Enter.
    page.keyboard.type(REASON)
    page.keyboard.press("Tab")
    track = main(page).get_by_label("Dringlichkeit")
    expect(track).to_be_focused()
    page.keyboard.press("ArrowDown")
    expect(track.locator("option:checked")).to_have_text(URGENT_TRACK)
    housing = main(page).get_by_role("checkbox", name=HOUSING_NEEDS)
    tab_to(housing)
    page.keyboard.press("Space")
    expect(housing).to_be_checked()
    send_with_enter()

    expect_message(page, re.compile(rf"ist an {SOCIAL_OFFICE} gesendet\. Antwort bis "))
    expect(main(page)).to_contain_text(URGENT_TRACK)
    bases = main(page).get_by_role("table", name="Datenkategorien und Rechtsgrundlagen")
    expect(bases).to_contain_text(MASTER_DATA)
    expect(bases).to_contain_text(HOUSING_NEEDS)
    expect(bases).not_to_contain_text(HOUSEHOLD)
