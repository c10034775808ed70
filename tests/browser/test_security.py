"""The product's pages in a real browser under its Content-Security-Policy: nothing refused.

The ``page`` fixture fails a test on any violation the browser reports; these tests
visit every kind of HTML page and wait until its scripts have run.
"""

import pytest

from claims.models import Claim
from sources.models import Source
from tests.browser.test_annotate import ARTICLE, log_in, seed  # noqa: F401 (a fixture)
from tests.factories import StaffUserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def visit(page, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("networkidle")


def test_the_admin_and_the_reports_run_under_the_policy_without_a_violation(
    seed,  # noqa: F811
    live_server,
    page,
):
    staff = StaffUserFactory(username="sam-staff")
    claim = Claim.objects.get(label="no casualties")
    article = Source.objects.get(title=ARTICLE)
    log_in(page, live_server, staff)

    for path in (
        "/admin/",
        "/admin/claims/claim/",
        f"/admin/claims/claim/{claim.pk}/change/",
        f"/admin/claims/claim/{claim.pk}/history/",
        "/admin/claims/claim/add/",
        "/admin/sources/source/",
        f"/admin/sources/source/{article.pk}/change/",
        f"/admin/sources/source/{article.pk}/annotate/",
        "/admin/claims/rating/",
        "/admin/claims/issuedtoken/add/",
        "/api/v1/claims/report.html",
    ):
        visit(page, f"{live_server.url}{path}")
        assert not page.csp_violations, path


def test_the_api_docs_and_the_browsable_api_run_under_the_policy(live_server, page):
    StaffUserFactory(username="sam-staff")

    visit(page, f"{live_server.url}/api/docs/")
    page.locator(".swagger-ui .opblock").first.wait_for()

    visit(page, f"{live_server.url}/api-auth/login/?next=/api/v1/")
    page.fill("#id_username", "sam-staff")
    page.fill("#id_password", "correct horse battery staple")
    page.click("[type=submit]")
    page.wait_for_url(f"{live_server.url}/api/v1/")
    page.wait_for_load_state("networkidle")
    # The "Log out" link works without an inline handler.
    page.click("a.dropdown-toggle")
    page.click("#logoutForm button")
    page.wait_for_load_state("networkidle")
    assert page.locator("text=Log in").count() > 0


def test_a_refused_inline_script_is_caught(live_server, page):
    visit(page, f"{live_server.url}/admin/login/")

    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.injected = true";
          document.head.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)

    assert page.evaluate("() => window.injected") is None
    assert any("script-src" in violation for violation in page.csp_violations)
    page.csp_violations.clear()
