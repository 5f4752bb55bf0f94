"""End-to-end: a case worker searches, filters, opens an offer and prints its sheet.

Headless Chromium against the live server; axe-core checks every page visited and every state
that htmx or the map script produced. The county and its offers come from ``conftest.py``:
"Schuldnerberatung Babenhausen" (German, Arabic; in Babenhausen), "Sprachcafé für Mütter"
(German, Arabic, Ukrainian; in Dieburg, about 11 km from Babenhausen), a housing offer in
Darmstadt, a youth workshop in Dieburg and an unpublished draft.
"""

import re

import pytest
from playwright.sync_api import expect

from core.tests.browser_fixtures import assert_accessible, login, visit

pytestmark = pytest.mark.browser

SEARCH_PATH = "/angebote/"
HTMX_TIMEOUT_MS = 3_000  # the form waits 300–500 ms after the last key before it asks
TILES = "**/tile.openstreetmap.org/**"
MAP_UNAVAILABLE = "Die Karte ist gerade nicht verfügbar"

# Moves keyboard focus (and the sequential focus navigation starting point) to the document start.
FOCUS_DOCUMENT_START = """() => {
    document.body.tabIndex = -1;
    document.body.focus();
    document.body.removeAttribute('tabindex');
}"""

# A 1×1 transparent PNG: stands in for the tile server when a test needs a map that loads.
BLANK_TILE = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000001e221bc330000000049454e44ae426082"
)


def main_nav(page):
    return page.get_by_role("navigation", name="Hauptnavigation")


def search_form(page):
    return page.get_by_role("search", name="Angebote durchsuchen")


def results(page):
    return page.locator("#results")


def result_titles(page):
    return results(page).locator(".kw-offer h3")


def mark_page(page):
    """Set a flag that survives htmx swaps but not a page load."""
    page.evaluate("() => { window.kwSamePage = true; }")


def assert_same_page(page):
    assert page.evaluate("() => window.kwSamePage === true"), "the page was reloaded, not swapped"


def open_search(page, live_server, case_worker):
    login(page, live_server, case_worker.username)
    visit(page, SEARCH_PATH)
    expect(page.get_by_role("heading", level=1)).to_have_text("Angebote finden")
    expect(results(page)).to_contain_text("4 Angebote gefunden")  # the draft is not searched
    mark_page(page)


def card(page, title):
    return results(page).locator("article.kw-offer", has=page.get_by_role("link", name=title))


# --- searching -------------------------------------------------------------------------------


def test_it_searches_as_a_keyboard_user_types_and_the_url_can_be_bookmarked(
    page, live_server, case_worker, offers
):
    """Typing narrows the announced results in place (htmx); the address keeps the query.

    The case worker comes from "Angebote" in the main navigation and reaches the search field
    with Tab; a fresh load of the address shows the same results.
    """
    login(page, live_server, case_worker.username)
    with page.expect_navigation(wait_until="load"):
        main_nav(page).get_by_role("link", name="Angebote", exact=True).click()

    assert page.url == live_server.url + SEARCH_PATH
    expect(main_nav(page).get_by_role("link", name="Angebote", exact=True)).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("Angebote finden")
    expect(results(page)).to_contain_text("4 Angebote gefunden")  # the draft is not searched
    expect(page.locator("#result-count")).to_have_attribute("aria-live", "polite")
    assert_accessible(page)
    mark_page(page)

    search = page.get_by_role("searchbox", name="Suchbegriff")
    page.evaluate(FOCUS_DOCUMENT_START)
    for _ in range(25):
        page.keyboard.press("Tab")
        if search.evaluate("(field) => field === document.activeElement"):
            break
    expect(search).to_be_focused()

    page.keyboard.type("Schulden", delay=30)  # no Enter, no click on "Suchen"

    expect(results(page)).to_contain_text("1 Angebot gefunden", timeout=HTMX_TIMEOUT_MS)
    expect(result_titles(page)).to_have_text(["Schuldnerberatung Babenhausen"])
    expect(page).to_have_url(re.compile(r"/angebote/\?(.*&)?q=Schulden(&|$)"))
    assert_same_page(page)
    expect(search).to_be_focused()  # the swap left the field alone
    assert_accessible(page)

    bookmarked = page.url
    visit(page, bookmarked)
    expect(page.get_by_role("searchbox", name="Suchbegriff")).to_have_value("Schulden")
    expect(results(page)).to_contain_text("1 Angebot gefunden")
    expect(result_titles(page)).to_have_text(["Schuldnerberatung Babenhausen"])


def test_it_filters_by_problem_language_and_distance_and_widens_an_empty_search(
    page, live_server, case_worker, offers
):
    """Filters swap the results in place; with "Entfernung ab" each card shows its distance.

    Nothing in Ukrainian within 5 km of Babenhausen: the empty state suggests a wider radius, and
    its link finds the language café in Dieburg.
    """
    open_search(page, live_server, case_worker)
    form = search_form(page)

    form.get_by_label("Problemlage").select_option(label="Schulden")
    expect(results(page)).to_contain_text("1 Angebot gefunden", timeout=HTMX_TIMEOUT_MS)
    expect(result_titles(page)).to_have_text(["Schuldnerberatung Babenhausen"])
    expect(page).to_have_url(re.compile(r"[?&]problem=finances\.debt(&|$)"))
    form.get_by_label("Problemlage").select_option(value="")

    form.get_by_label("Sprache", exact=True).select_option(label="Arabisch")
    expect(results(page)).to_contain_text("2 Angebote gefunden", timeout=HTMX_TIMEOUT_MS)
    expect(result_titles(page)).to_have_text(
        ["Schuldnerberatung Babenhausen", "Sprachcafé für Mütter"]
    )
    expect(page).to_have_url(re.compile(r"[?&]problem=&.*[?&]language=ar(&|$)"))

    form.get_by_label("Entfernung ab").press_sequentially("Babenhausen", delay=20)
    expect(results(page)).to_contain_text(
        "2 Angebote gefunden · im Umkreis von 20 km um Babenhausen", timeout=HTMX_TIMEOUT_MS
    )
    # Nearest first: the debt counselling is in Babenhausen, the language café in Dieburg.
    expect(card(page, "Schuldnerberatung Babenhausen")).to_contain_text("unter 1 km")
    expect(card(page, "Sprachcafé für Mütter").locator(".kw-offer__provider")).to_have_text(
        re.compile(r"^Caritasverband Dieburg · 1\d,\d km$")
    )
    assert_accessible(page)

    form.get_by_label("Umkreis").select_option(label="5 km")
    expect(results(page)).to_contain_text(
        "1 Angebot gefunden · im Umkreis von 5 km um Babenhausen", timeout=HTMX_TIMEOUT_MS
    )
    expect(result_titles(page)).to_have_text(["Schuldnerberatung Babenhausen"])
    expect(page).to_have_url(re.compile(r"[?&]near=Babenhausen&radius=5(&|$)"))

    form.get_by_label("Sprache", exact=True).select_option(label="Ukrainisch")
    empty = results(page).locator(".kw-empty")
    expect(empty).to_contain_text("Kein Angebot passt zu dieser Suche.", timeout=HTMX_TIMEOUT_MS)
    expect(results(page)).to_contain_text("0 Angebote gefunden · im Umkreis von 5 km")
    expect(empty).to_contain_text("Vergrößern Sie den Umkreis.")
    expect(empty).to_contain_text("Entfernen Sie einen Filter.")
    expect(page).to_have_url(re.compile(r"[?&]language=uk(&|$)"))
    assert_same_page(page)
    assert_accessible(page)

    with page.expect_navigation(wait_until="load"):
        empty.get_by_role("link", name="Im Umkreis von 50 km suchen").click()

    expect(page).to_have_url(re.compile(r"[?&]radius=50$"))
    form = search_form(page)
    expect(form.get_by_label("Umkreis")).to_have_value("50")
    expect(form.get_by_label("Sprache", exact=True)).to_have_value("uk")
    expect(form.get_by_label("Entfernung ab")).to_have_value("Babenhausen")
    expect(results(page)).to_contain_text("1 Angebot gefunden · im Umkreis von 50 km")
    expect(result_titles(page)).to_have_text(["Sprachcafé für Mütter"])
    assert_accessible(page)


# --- the map ---------------------------------------------------------------------------------


def map_toggle(page):
    return page.locator("details.kw-map > summary")


def test_the_map_gives_way_to_the_list_while_the_tile_server_is_unreachable(
    page, live_server, case_worker, offers
):
    """Offline tiles: the map hides itself and says so, the list keeps every result.

    Once tiles load again, reopening the map draws a marker per place; axe checks that map too.
    """
    tile_requests = []

    def offline(route):
        tile_requests.append(route.request.url)
        route.abort("internetdisconnected")

    page.route(TILES, offline)
    open_search(page, live_server, case_worker)
    toggle = map_toggle(page)
    expect(toggle).to_have_text("Karte der Treffer auf dieser Seite anzeigen")

    toggle.click()

    status = page.locator("[data-map-status]")
    canvas = page.locator("[data-map]")
    expect(status).to_be_visible(timeout=5_000)
    expect(status).to_have_text(re.compile(MAP_UNAVAILABLE))
    expect(canvas).to_be_hidden()
    assert len(tile_requests) >= 3
    expect(result_titles(page)).to_have_count(4)
    for title in result_titles(page).all():
        expect(title).to_be_visible()
    assert_same_page(page)
    assert_accessible(page)

    toggle.click()  # close
    page.unroute(TILES)
    page.route(TILES, lambda route: route.fulfill(body=BLANK_TILE, content_type="image/png"))
    toggle.click()  # and open again

    expect(canvas).to_be_visible()
    expect(status).to_be_hidden()
    expect(canvas.locator(".leaflet-marker-icon")).to_have_count(4)
    expect(canvas.locator(".leaflet-tile-loaded").first).to_be_attached()
    # Leaflet's own CSS tells its attribution links apart by colour alone; axe's
    # link-in-text-block catches that only now and then (it depends on what is painted yet).
    expect(canvas.locator(".leaflet-control-attribution a").first).to_have_css(
        "text-decoration-line", "underline"
    )
    assert_accessible(page)


# --- offer and sheet -------------------------------------------------------------------------


def test_it_opens_an_offer_and_prints_its_sheet(page, live_server, case_worker, offers):
    """From a result to the offer and on to its A4 sheet, which hides its buttons in print."""
    login(page, live_server, case_worker.username)
    visit(page, SEARCH_PATH + "?q=Schulden")

    with page.expect_navigation(wait_until="load"):
        results(page).get_by_role("link", name="Schuldnerberatung Babenhausen").click()

    assert page.url == live_server.url + offers["debt"].get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schuldnerberatung Babenhausen")
    main = page.get_by_role("main")
    expect(main).to_contain_text("Wir helfen bei Schulden, Mahnungen und Pfändungen.")
    expect(main).to_contain_text("Caritasverband Dieburg")
    expect(main).to_contain_text("Finanzen: Schulden")
    expect(main.get_by_role("link", name="Bearbeiten")).to_have_count(0)  # not the owner
    assert_accessible(page)

    with page.expect_navigation(wait_until="load"):
        main.get_by_role("link", name="Infoblatt drucken").click()

    assert page.url == live_server.url + f"/angebote/{offers['debt'].pk}/druck/"
    expect(page).to_have_title("Schuldnerberatung Babenhausen – Infoblatt")
    expect(page.get_by_role("navigation")).to_have_count(0)
    expect(page.locator("header, footer")).to_have_count(0)
    headings = page.get_by_role("heading", level=2)
    expect(headings.filter(has_text="Worum geht es?")).to_have_count(1)
    expect(headings.filter(has_text="So kommen Sie hin")).to_have_count(1)
    expect(page.get_by_role("main")).to_contain_text("Hauptstraße 1")
    expect(page.get_by_role("main")).to_contain_text("stufenlos")
    no_print = page.locator(".kw-sheet__noprint")
    expect(no_print.get_by_role("button", name="Drucken")).to_be_visible()
    expect(no_print.get_by_role("link", name="Zurück zum Angebot")).to_be_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    expect(no_print).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()

    pdf = page.pdf(prefer_css_page_size=True, print_background=False)
    assert pdf.startswith(b"%PDF-")
    media_boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert media_boxes, "no page in the PDF"
    for width, height in media_boxes:  # A4: 210 × 297 mm = 595.28 × 841.89 pt
        assert float(width) == pytest.approx(595.28, abs=1)
        assert float(height) == pytest.approx(841.89, abs=1)
