"""Every HTML page carries the Content-Security-Policy and the other browser security headers,
and none of ours holds the inline script or style that policy refuses."""

from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from claims.models import Claim
from factcheck.security import allowed_inline_style_hashes, csp_hash
from sources.models import Source

pytestmark = pytest.mark.django_db


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = [part.strip().split() for part in header.split(";") if part.strip()]
    return {name: values for name, *values in directives}


class Inline(HTMLParser):
    """The inline scripts, inline styles, style attributes and event handlers of a page."""

    def __init__(self):
        super().__init__()
        self.found: list[tuple[str, str]] = []
        self.inside: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(("event handler", f"{name}={value}"))
            if name == "style":
                self.found.append(("style attribute", value or ""))
        script_data = tag == "script" and attributes.get("type") in {"application/json"}
        if tag == "script" and "src" not in attributes and not script_data:
            self.inside = "script"
        if tag == "style":
            self.inside = "style"

    def handle_data(self, data):
        if self.inside:
            self.found.append((f"inline {self.inside}", data))

    def handle_endtag(self, tag):
        self.inside = None


def page_text(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def refused_inline(response) -> list[tuple[str, str]]:
    """What of the page's inline content the policy does not allow by a hash."""
    parser = Inline()
    parser.feed(page_text(response))
    allowed = set(allowed_inline_style_hashes())
    return [
        (kind, text)
        for kind, text in parser.found
        if not (kind in {"inline style", "style attribute"} and csp_hash(text) in allowed)
    ]


@pytest.fixture
def pages(seed):
    claim = Claim.objects.get(label="no casualties")
    source = Source.objects.filter(appearances__claim=claim).first()
    return {
        "admin index": "/admin/",
        "claims list": "/admin/claims/claim/",
        "claim page": f"/admin/claims/claim/{claim.pk}/change/",
        "claim history": f"/admin/claims/claim/{claim.pk}/history/",
        "sources list": "/admin/sources/source/",
        "source page": f"/admin/sources/source/{source.pk}/change/",
        "annotate page": f"/admin/sources/source/{source.pk}/annotate/",
        "speakers list": "/admin/claims/speaker/",
        "tokens list": "/admin/claims/issuedtoken/",
        "HTML report": "/api/v1/claims/report.html",
        "API docs": "/api/docs/",
        "browsable API": "/api/v1/claims/",
        "browsable API root": "/api/v1/",
        "token audit": "/admin/claims/tokenevent/",
    }


@pytest.fixture
def browsing(client, staff_user):
    client.force_login(staff_user)
    return client


def html_pages(browsing, pages):
    for name, path in pages.items():
        response = browsing.get(path, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, (name, path, response.status_code)
        assert response["Content-Type"].startswith("text/html"), (name, path)
        yield name, response


def test_every_html_page_carries_a_strict_content_security_policy(browsing, pages):
    for name, response in html_pages(browsing, pages):
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], name
        assert directives["script-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in directives["style-src"], name
        assert directives["object-src"] == ["'none'"], name
        assert directives["frame-ancestors"] == ["'none'"], name


def test_every_html_page_carries_the_other_browser_security_headers(browsing, pages):
    for name, response in html_pages(browsing, pages):
        assert response["Referrer-Policy"] == "same-origin", name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert "camera=()" in response["Permissions-Policy"], name
        assert "geolocation=()" in response["Permissions-Policy"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name


def test_no_page_holds_an_inline_script_or_style_the_policy_refuses(browsing, pages):
    for name, response in html_pages(browsing, pages):
        assert refused_inline(response) == [], name


def test_every_admin_list_and_add_page_carries_the_policy_and_no_refused_inline(
    browsing, staff_user, seed
):
    request = RequestFactory().get("/admin/")
    request.user = staff_user
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        paths = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")]
        if model_admin.has_add_permission(request):
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        for path in paths:
            response = browsing.get(path)
            assert response.status_code == 200, path
            assert policy(response)["script-src"] == ["'self'"], path
            assert "Permissions-Policy" in response, path
            assert refused_inline(response) == [], path


def test_the_sign_in_and_lockout_pages_carry_the_policy_too(client, settings):
    settings.AXES_FAILURE_LIMIT = 1
    sign_in = client.get("/admin/login/")
    locked = client.post("/admin/login/", {"username": "someone", "password": "wrong"})

    assert locked.status_code == 429
    for response in (sign_in, locked, client.get("/api-auth/login/")):
        assert policy(response)["script-src"] == ["'self'"]
        assert "Permissions-Policy" in response
        assert refused_inline(response) == []


def test_an_injected_inline_style_is_not_among_those_allowed():
    assert csp_hash("body { display: none }") not in allowed_inline_style_hashes()


def test_json_answers_carry_the_headers_as_well(client):
    response = client.get("/api/v1/claims/", HTTP_ACCEPT="application/json")

    assert response.status_code == 200
    assert policy(response)["default-src"] == ["'self'"]
    assert "Permissions-Policy" in response
