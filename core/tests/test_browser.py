"""End-to-end tests of the page frame in headless Chromium; axe-core checks every page visited."""

import re

import pytest
from playwright.sync_api import expect

from core.choices import Role
from core.factories import MembershipFactory, MunicipalityFactory, OrganisationFactory, member
from core.tests.browser_fixtures import LOGIN_PATH, assert_accessible, login, visit

pytestmark = pytest.mark.browser


# Moves keyboard focus (and the sequential focus navigation starting point) to the document start.
FOCUS_DOCUMENT_START = """() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
}"""


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


# --- login page ------------------------------------------------------------------------------


def test_it_serves_the_login_page_in_german_with_a_skip_link_first(page, live_server):
    """The login page declares German; from the top of the page, Tab first reaches the skip link."""
    visit(page, live_server.url + LOGIN_PATH)

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    # The form autofocuses the user name field (Django's AuthenticationForm), so a keyboard user
    # starts there. Start from the top of the document instead, as after a click on the page.
    expect(page.locator("input[name=username]")).to_be_focused()
    page.evaluate(FOCUS_DOCUMENT_START)

    page.keyboard.press("Tab")
    skip_link = page.locator("a.kw-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_attribute("href", "#main")
    expect(skip_link).to_have_text("Zum Inhalt springen")
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("#main")).to_be_focused()
    assert_accessible(page)


def test_it_rejects_a_wrong_password_without_saying_which_field_was_wrong(
    page, live_server, case_worker
):
    """A wrong password and an unknown user get the same German message, shown accessibly."""
    messages = []
    for username, password in [(case_worker.username, "falsch-falsch"), ("niemand", "egal-egal")]:
        visit(page, live_server.url + LOGIN_PATH)
        page.locator("input[name=username]").fill(username)
        page.locator("input[name=password]").fill(password)
        with page.expect_navigation(wait_until="load"):
            page.get_by_role("button", name="Anmelden").click()

        assert LOGIN_PATH in page.url
        alert = page.locator("main [role=alert]")
        expect(alert).to_have_count(1)
        expect(alert).to_contain_text("Bitte prüfen Sie Ihre Eingaben")
        expect(alert).to_contain_text("Benutzername")
        expect(alert).to_contain_text("Passwort")
        expect(page.locator(".kern-error, .kern-form-input--error")).to_have_count(0)
        expect(page.locator("input[name=password]")).to_have_value("")
        assert_accessible(page)
        messages.append(alert.inner_text().strip())

    assert messages[0] == messages[1]
    assert "falsch" not in messages[0].lower()


# --- home page and navigation ----------------------------------------------------------------


def test_it_lands_a_case_worker_on_a_home_page_with_real_numbers(
    page, live_server, network, other_network, jobcenter
):
    """After login the home page names the active organisation and counts the network's partners.

    Its first Tab stop is the skip link.
    """
    user = member(Role.CASE_WORKER, jobcenter, username="fallmanagerin", first_name="Petra")
    for name in ["Familienzentrum Dieburg", "Schuldnerberatung Ost", "Jugendamt Landkreis A"]:
        OrganisationFactory(network=network, name=name)
    OrganisationFactory(network=network, name="Stillgelegte Stelle", is_active=False)
    OrganisationFactory(network=other_network, name="Fremdes Jobcenter")
    MunicipalityFactory(network=network, name="Babenhausen")

    login(page, live_server, user.username)

    assert page.url == live_server.url + "/"
    page.keyboard.press("Tab")
    expect(page.locator("a.kw-skip-link")).to_be_focused()
    expect(page.get_by_role("heading", level=1)).to_have_text("Guten Tag, Petra")
    expect(page.locator("#active-organisation")).to_have_text("Jobcenter A")
    expect(page.locator("main")).to_contain_text(
        "Sie handeln für Jobcenter A im Netzwerk Landkreis A"
    )

    organisations_card = page.locator(".kern-card", has_text="aktive Organisationen im Netzwerk")
    # Jobcenter A and the three partners; not the inactive one, not the other network's.
    expect(organisations_card.locator(".kw-figure__number")).to_have_text("4")
    municipalities_card = page.locator(".kern-card", has_text="Städte und Gemeinden")
    expect(municipalities_card.locator(".kw-figure__number")).to_have_text("2")


def test_it_shows_a_case_worker_only_the_navigation_their_role_may_use(
    page, live_server, case_worker
):
    """Case workers see the partner directory but neither the audit log nor the administration."""
    login(page, live_server, case_worker.username)

    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Organisationen")).to_be_visible()
    expect(nav.get_by_role("link", name="Startseite")).to_have_attribute("aria-current", "page")
    expect(nav.get_by_role("link", name="Zugriffsprotokoll")).to_have_count(0)
    expect(nav.get_by_role("link", name="Verwaltung")).to_have_count(0)

    visit(page, live_server.url + "/datenschutz/protokoll/", status=403)


def test_it_shows_a_data_protection_officer_the_audit_log(page, live_server, dpo):
    """The data protection officer finds the audit log in the navigation and can open it."""
    login(page, live_server, dpo.username)

    nav = main_nav(page)
    expect(nav.get_by_role("link", name="Verwaltung")).to_have_count(0)
    with page.expect_navigation(wait_until="load"):
        nav.get_by_role("link", name="Zugriffsprotokoll").click()

    assert page.url == live_server.url + "/datenschutz/protokoll/"
    expect(main_nav(page).get_by_role("link", name="Zugriffsprotokoll")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)


# --- switching the active organisation -------------------------------------------------------


def test_it_switches_the_active_organisation_from_the_header(page, live_server, network, jobcenter):
    """A member of two organisations picks the other one in the header and then acts for it."""
    user = member(Role.CASE_WORKER, jobcenter, username="doppelt")
    youth_office = OrganisationFactory(network=network, name="Kreisjugendamt", youth_office=True)
    MembershipFactory(user=user, organisation=youth_office, role=Role.TEAM_LEAD)

    login(page, live_server, user.username)
    switch = page.get_by_label("Sie handeln für")
    expect(switch).to_have_value(str(jobcenter.pk))
    expect(switch.locator("option")).to_have_text(["Jobcenter A", "Kreisjugendamt"])

    switch.select_option(label="Kreisjugendamt")
    with page.expect_navigation(wait_until="load"):
        page.get_by_role("button", name="Wechseln").click()

    assert page.url == live_server.url + "/"
    expect(page.get_by_label("Sie handeln für")).to_have_value(str(youth_office.pk))
    expect(page.locator("main [role=status]")).to_have_text("Sie handeln jetzt für: Kreisjugendamt")
    expect(page.locator("main")).to_contain_text("Sie handeln für Kreisjugendamt")
    assert_accessible(page)

    visit(page, live_server.url + "/organisationen/")
    expect(page.get_by_label("Sie handeln für")).to_have_value(str(youth_office.pk))


# --- organisation list -----------------------------------------------------------------------


@pytest.fixture
def partners(network, case_worker):
    """Two partners in the case worker's network, besides their own Jobcenter A."""
    OrganisationFactory(network=network, name="Schuldnerberatung Dieburg", city="Dieburg")
    OrganisationFactory(network=network, name="Familienzentrum Nord", city="Dieburg")


def open_organisation_list(page, live_server, case_worker):
    login(page, live_server, case_worker.username)
    visit(page, live_server.url + "/organisationen/")
    results = page.locator("#results")
    expect(results).to_contain_text("3 Organisationen gefunden")
    page.evaluate("() => { window.kwSamePage = true; }")
    return results


def assert_only_debt_counselling_listed(page, results, timeout=None):
    expect(results).to_contain_text("1 Organisation gefunden", timeout=timeout)
    expect(results.get_by_role("link", name="Schuldnerberatung Dieburg")).to_be_visible()
    expect(results).not_to_contain_text("Familienzentrum Nord")
    expect(results).not_to_contain_text("Jobcenter A")
    expect(page).to_have_url(re.compile(r"/organisationen/\?(.*&)?q=schuldner(&|$)"))
    assert page.evaluate("() => window.kwSamePage === true"), "the page was reloaded, not swapped"
    assert_accessible(page)


def test_it_filters_the_organisation_list_in_place_when_the_search_is_submitted(
    page, live_server, case_worker, partners
):
    """Submitting the search swaps only #results (htmx) and the URL carries the query."""
    results = open_organisation_list(page, live_server, case_worker)

    search = page.locator("input[name=q]")
    search.fill("schuldner")
    search.press("Enter")

    assert_only_debt_counselling_listed(page, results)


def test_it_filters_the_organisation_list_as_you_type(page, live_server, case_worker, partners):
    """Typing in the search narrows #results in place (htmx) and the URL carries the query."""
    results = open_organisation_list(page, live_server, case_worker)

    page.locator("input[name=q]").press_sequentially("schuldner", delay=30)

    assert_only_debt_counselling_listed(page, results, timeout=3_000)
