"""A real browser for the admin's pages: Debian's Chromium, driven by Playwright.

The browser is the one the system installs (.ci/run installs the chromium
package when it is missing); Playwright's own browser downloads are never used.

Pages run under the product's Content-Security-Policy, and a test fails on any
violation the browser reports (``page`` below), as it fails on a script error.

The live server answers one request at a time on SQLite (``live_server`` below).
Why: SQLite's test database lives in memory, and an in-memory database exists only
inside its one connection, so Django hands the test's connection to the live
server, and Django's threaded server hands it to every request thread. Two requests
at once (a page and the scripts it starts: suggestions, similar claims, the
autocomplete, the favicon) then ran on that one connection: ATOMIC_REQUESTS made the
second request's transaction a savepoint inside the first's, and releasing it while
the first still stepped through a SELECT failed with "cannot release savepoint - SQL
statements in progress" — only when the machine was slow enough for the two to
overlap. Production never shares a connection between threads; the product was
right, the test server was not. On PostgreSQL every thread has its own connection
and the server stays threaded. The test itself still shares that connection: it
reads the database only once the page is idle (wait for the network to settle).
"""

import os
from pathlib import Path

import pytest
from django.core.servers.basehttp import WSGIServer
from django.db import connections
from django.test.testcases import LiveServerThread, QuietWSGIRequestHandler

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


class SerialLiveServerThread(LiveServerThread):
    """Django's live server, answering one request at a time (see the module's docstring).

    Requests run on the server's own thread, which holds the shared connection; a
    server that is not threaded closes each HTTP connection after its answer, so a
    browser's keep-alive never holds it up.
    """

    def _create_server(self, connections_override=None):
        return WSGIServer(
            (self.host, self.port), QuietWSGIRequestHandler, allow_reuse_address=False
        )


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server; on an in-memory SQLite database, a serial one."""
    from pytest_django.live_server_helper import LiveServer

    address = (
        request.config.getvalue("liveserver")
        or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
        or "localhost"
    )
    server = LiveServer(address, start=False)
    shared = server.thread.connections_override
    if shared:
        threaded = server.thread
        server.thread = SerialLiveServerThread(
            threaded.host,
            threaded.static_handler,
            connections_override=shared,
            port=threaded.port,
        )
        server.thread.daemon = True
    server.start()
    yield server
    server.stop()


# Reports each Content-Security-Policy violation on the console, where ``page`` sees it
# (Chromium logs a refused inline script or style there too, but not every violation).
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || document.location.href}:${event.lineNumber}`
    + (event.sample ? ` (${event.sample})` : ""));
});
"""


def is_csp_violation(message) -> bool:
    text = message.text
    return text.startswith("CSP violation:") or "Content Security Policy" in text


@pytest.fixture
def browser(monkeypatch):
    if not CHROMIUM.exists():
        pytest.fail(
            f"No Chromium at {CHROMIUM}. The browser tests drive Debian's chromium package: "
            "apt-get install chromium (.ci/run does), or set CHROMIUM to its path."
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop on this thread, which Django takes
    # for an async context; the test's own database calls are plain sync code.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()
        # Database calls made while Playwright runs get connections of their own (its
        # event loop makes them another context for Django); they end with it.
        connections.close_all()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors = []
    violations = []
    page.on("pageerror", lambda error: errors.append(error))
    page.on(
        "console",
        lambda message: (
            violations.append(f"{page.url}: {message.text}") if is_csp_violation(message) else None
        ),
    )
    # What the Content-Security-Policy refused so far, for a test that provokes it.
    page.csp_violations = violations
    yield page
    context.close()
    assert not errors, f"The page's scripts failed: {errors}"
    assert not violations, f"The Content-Security-Policy refused: {violations}"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
