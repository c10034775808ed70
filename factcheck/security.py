"""Browser security headers beyond Django's own: Permissions-Policy, and the CSP hashes.

The Content-Security-Policy itself comes from django-csp (CONTENT_SECURITY_POLICY in
settings): scripts and styles from our static files only. The product's templates
have no inline script, style block or style attribute. Three packages' templates do
have inline styles, fixed text that no user data reaches:

- Django's admin changelist, a one-rule <style> when a list has no actions;
- DRF's browsable API, the Pygments stylesheet in a <style> and a few float/clear
  style attributes;
- drf-spectacular's Swagger UI page (/api/docs/), a <style> of three rules;
- django-simple-history's history list, one style attribute on its paginator.

The HTML claim report carries its stylesheet inline too (it must read the same saved
to disk or printed): settings.CSP_INLINE_STYLES names it, and its hash is allowed.

Rather than 'unsafe-inline', the policy allows exactly those texts by their SHA-256
hashes ('unsafe-hashes' makes a hash cover a style attribute too), read from the
installed templates, so that an upgrade that changes them keeps working, and any
other inline style (an injected one) is still refused.
"""

import base64
import hashlib
import re
from collections.abc import Callable
from functools import cache

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string

# Templates of other packages whose inline styles are allowed, by hash.
THIRD_PARTY_TEMPLATES = (
    "admin/change_list.html",
    "rest_framework/base.html",
    "rest_framework/admin.html",
    "rest_framework/login_base.html",
    "drf_spectacular/swagger_ui.html",
    "simple_history/object_history_list.html",
)
STYLE_BLOCK = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')


def csp_hash(text: str) -> str:
    """The CSP source expression that allows the inline ``text``."""
    digest = hashlib.sha256(text.encode()).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def template_source(name: str) -> str:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return ""
    # The Django engine's wrapper holds the compiled template, which knows its source.
    return getattr(getattr(template, "template", template), "source", "")


@cache
def allowed_inline_style_hashes() -> tuple[str, ...]:
    """The hashes of the fixed inline styles in other packages' templates."""
    texts: set[str] = set()
    for name in THIRD_PARTY_TEMPLATES:
        source = template_source(name)
        texts.update(STYLE_BLOCK.findall(source))
        texts.update(STYLE_ATTRIBUTE.findall(source))
    # A block that holds a template variable is not fixed text; DRF's one is the
    # Pygments stylesheet of its code style, rendered here the way DRF renders it.
    texts = {text for text in texts if "{{" not in text and "{%" not in text}
    from rest_framework.compat import pygments_css
    from rest_framework.renderers import BrowsableAPIRenderer

    code_style = pygments_css(BrowsableAPIRenderer.code_style)
    if code_style:
        texts.add(code_style)
    # The product's own: stylesheets a page must carry inline (settings.CSP_INLINE_STYLES).
    texts.update(render_to_string(name) for name in getattr(settings, "CSP_INLINE_STYLES", ()))
    return tuple(sorted(csp_hash(text) for text in texts))


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response, and the third-party style hashes in its CSP.

    It sits after django-csp's middleware, so it sees the response first on the way
    out and can extend the policy that middleware then writes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in getattr(settings, "PERMISSIONS_POLICY", {}).items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if response.get("Content-Type", "").startswith("text/html"):
            update = dict(getattr(response, "_csp_update", None) or {})
            update["style-src"] = [
                *update.get("style-src", []),
                "'unsafe-hashes'",
                *allowed_inline_style_hashes(),
            ]
            response._csp_update = update  # type: ignore[attr-defined]
        return response


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in: a page in the admin's look, 429."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.contrib import admin
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "title": "Sign-in locked",
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": round(cool_off.total_seconds() / 60) if cool_off else None,
    }
    response = render(request, "admin/lockout.html", context, status=429)
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
