"""Browser test shell: Playwright in Debian's headless Chromium, with an axe-core check per page.

Registered as a pytest plugin in the root ``conftest.py``; every app's browser tests use it::

    import pytest

    from core.tests.browser_fixtures import login, visit

    pytestmark = pytest.mark.browser


    def test_it_lists_the_cases(page, live_server, case_worker):
        login(page, live_server, case_worker.username)
        visit(page, live_server.url + "/faelle/")  # navigates, waits, fails on axe violations

Fixtures: ``browser`` (one Chromium per test process, reused by every test) and ``page`` (a fresh
German browser context per test, with ``base_url`` set to the live server). Helpers:
``visit(page, url)``, ``assert_accessible(page)`` and ``login(page, live_server, username)``.

Tests that use ``page`` get pytest-django's ``live_server`` and with it ``transactional_db``;
they are marked ``browser`` automatically (``-m "not browser"`` leaves them out).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's sync API keeps an asyncio event loop running in the test thread. Django then
# believes it is inside async code and refuses ORM calls (SynchronousOnlyOperation) in factories
# and fixtures. The tests are plain synchronous code, so this is safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCALE = "de-DE"
TIMEZONE = "Europe/Berlin"
DEFAULT_TIMEOUT_MS = 10_000

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_MAX_TARGETS = 3

LOGIN_PATH = "/konto/anmelden/"


def axe_path() -> Path:
    """axe-core as installed by ``npm ci`` (``make setup``) in the repository's node_modules."""
    return Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium per test process, shared by all browser tests of that process."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium fehlt: {CHROMIUM} nicht gefunden. Browser tests need Debian's chromium "
            "package; `make test` installs it (or run `bash scripts/apt-install.sh chromium`).",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies, German locale) and page, against the live server."""
    context = browser.new_context(locale=LOCALE, timezone_id=TIMEZONE, base_url=live_server.url)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    try:
        yield new_page
    finally:
        context.close()


def pytest_collection_modifyitems(items):
    """Every test that drives the browser carries the ``browser`` marker."""
    for item in items:
        if "browser" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.browser)


# --- helpers ---------------------------------------------------------------------------------


def assert_accessible(page) -> None:
    """Run axe-core (WCAG 2.1 A and AA rules) on the current page; fail listing every violation."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        path = axe_path()
        if not path.exists():
            pytest.fail(
                f"axe-core fehlt: {path} nicht gefunden (run `make setup` / `npm ci`).",
                pytrace=False,
            )
        page.add_script_tag(path=str(path))
    violations = page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                count: v.nodes.length,
                targets: v.nodes.map((n) => n.target.join(' ')),
            }));
        }""",
        AXE_TAGS,
    )
    if violations:
        pytest.fail(format_violations(page.url, violations), pytrace=False)


def format_violations(url: str, violations: list[dict]) -> str:
    lines = [f"axe-core: {len(violations)} accessibility violation(s) on {url}"]
    for v in violations:
        targets = ", ".join(v["targets"][:AXE_MAX_TARGETS])
        more = v["count"] - AXE_MAX_TARGETS
        if more > 0:
            targets += f" (+{more} more)"
        lines.append(f"- {v['id']} [{v['impact']}]: {v['help']} -> {targets}")
    return "\n".join(lines)


def visit(page, url: str, *, status: int | None = 200):
    """Open ``url``, wait until it has loaded, check the status and the page's accessibility.

    ``url`` may be absolute or relative to the live server. Pass ``status=None`` to accept any
    status (for example after a redirect to a page whose status does not matter).
    """
    response = page.goto(url, wait_until="load")
    if status is not None:
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url} answered {response.status}, expected {status}"
    assert_accessible(page)
    return response


def login(page, live_server, username: str, password: str | None = None):
    """Sign in through the real login form and check the landing page's accessibility.

    The factories give every user ``settings.DEMO_PASSWORD``. Fails when the login does not
    leave the login page (wrong password, locked account, inactive user).
    """
    visit(page, live_server.url + LOGIN_PATH)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(password or settings.DEMO_PASSWORD)
    with page.expect_navigation(wait_until="load"):
        page.locator("main form button[type=submit]").click()
    assert LOGIN_PATH not in page.url, f"login as {username!r} failed: still on {page.url}"
    assert_accessible(page)
    return page
