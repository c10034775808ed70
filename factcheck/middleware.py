"""Answers given before, or instead of, a view: health probes, request bodies the
server will not read, and the database (or the cache) out of reach.

- ``/healthz`` (the process is up: it touches nothing) and ``/readyz`` (the
  database and the cache answer, else 503) for load balancers and orchestrators.
  They are answered first, before the host check, the HTTPS redirect, sessions,
  authentication and throttling, since a probe comes by address, over plain HTTP
  and without credentials.
- A body sent with ``Transfer-Encoding`` (chunked) and no ``Content-Length`` is a
  411: Django reads a request body by its Content-Length, so such a body would be
  read as empty. A Content-Length over the limit is a 413 before a byte is read:
  DATA_UPLOAD_MAX_MEMORY_SIZE for a body, IMPORT_MAX_BYTES more for a multipart
  upload (a source's file, sources/intake).
- django.db's DataError (a value the database cannot hold: a moment out of its
  range, a number too large) is a 400, the request's transaction rolled back.
- django.db's OperationalError and InterfaceError (the database refused or lost
  the connection) and the cache server's connection errors are a 503 with
  Retry-After, not a 500: the request can be sent again in a moment. Raised by a
  view, the API's error handler (factcheck/api/errors.py) or ``process_exception``
  answers; raised anywhere else (a middleware, a template), ``server_error``,
  the project's handler500, does.

Every refusal is in the API's error shape (factcheck/api/errors.py), or a short
HTML page for a browser outside the API.
"""

import logging
import sys

from django.conf import settings
from django.core.cache import caches
from django.db import DataError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.html import escape
from django.views import defaults

from factcheck.api.errors import error_body
from factcheck.errors import RETRY_AFTER_SECONDS, UNAVAILABLE, UNAVAILABLE_MESSAGE

log = logging.getLogger(__name__)

HEALTH_PATHS = {"/healthz": "live", "/healthz/": "live", "/readyz": "ready", "/readyz/": "ready"}
# What a form may add to the uploaded file in a multipart body (its other fields).
MULTIPART_OVERHEAD = 64 * 1024
DATA_ERROR_MESSAGE = (
    "A value in the request is outside what the database can store "
    "(a date or time out of range, a number too large); nothing was saved."
)


def error_response(request, status: int, code: str, message: str, errors=None) -> HttpResponse:
    """The error shape as JSON, or as a short page for a browser outside the API."""
    wants_page = not request.path_info.startswith("/api/") and "text/html" in request.META.get(
        "HTTP_ACCEPT", ""
    )
    if not wants_page:
        return JsonResponse(error_body(status, code, message, errors), status=status)
    page = (
        f"<!doctype html><html lang=en><meta charset=utf-8><title>{status}</title>"
        f"<h1>{status}</h1><p>{escape(message)}</p></html>"
    )
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def unavailable_response(request) -> HttpResponse:
    response = error_response(request, 503, "unavailable", UNAVAILABLE_MESSAGE)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def is_unavailable(error: BaseException | None) -> bool:
    return isinstance(error, UNAVAILABLE)


# Health -------------------------------------------------------------------------------------


def readiness() -> dict[str, list[str]]:
    """What is out of reach: {"database": [why]}, {"cache": [why]}; empty when ready."""
    problems: dict[str, list[str]] = {}
    connection = connections["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except UNAVAILABLE as error:
        log.warning("readyz: the database is out of reach: %s", error)
        # The details (a host, a port) are for the log, not for whoever asks.
        # Django closes the broken connection when the request finishes.
        problems["database"] = ["The database cannot be reached."]
    try:
        cache = caches["default"]
        cache.set("readyz", "ok", 10)
        if cache.get("readyz") != "ok":
            problems["cache"] = ["The cache does not keep what is written to it."]
    except Exception as error:  # whatever the backend raises when its server is away
        log.warning("readyz: the cache is out of reach: %s", error)
        problems["cache"] = ["The cache cannot be reached."]
    return problems


def _health(request, probe: str) -> HttpResponse:
    if request.method not in ("GET", "HEAD"):
        response = error_response(request, 405, "method_not_allowed", "Use GET or HEAD.")
        response["Allow"] = "GET, HEAD"
        return response
    if probe == "live":
        return JsonResponse({"status": "ok"})
    problems = readiness()
    if problems:
        response = JsonResponse(
            error_body(503, "unavailable", "Not ready: " + ", ".join(problems) + ".", problems),
            status=503,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "checks": {"database": "ok", "cache": "ok"}})


class HealthMiddleware:
    """Answers /healthz and /readyz itself: first in MIDDLEWARE."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        probe = HEALTH_PATHS.get(request.path_info)
        if probe is not None:
            response = _health(request, probe)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


# Request bodies -----------------------------------------------------------------------------


def body_limit(request) -> int | None:
    """The largest Content-Length accepted for ``request`` (None: no limit)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/"):
        # DATA_UPLOAD_MAX_MEMORY_SIZE leaves out uploaded files, which Django would
        # otherwise write to disk whatever their size.
        return (limit or 0) + settings.IMPORT_MAX_BYTES + MULTIPART_OVERHEAD
    return limit


def body_refusal(request) -> HttpResponse | None:
    meta = request.META
    declared = meta.get("CONTENT_LENGTH", "").strip()
    encoding = meta.get("HTTP_TRANSFER_ENCODING", "").strip().lower()
    if encoding and encoding != "identity" and not declared:
        return error_response(
            request,
            411,
            "length_required",
            "Length Required: send the request body with a Content-Length header; "
            "a body in Transfer-Encoding: chunked is not read.",
        )
    if not declared:
        return None
    if not declared.isdigit():
        return error_response(
            request, 400, "invalid", "The Content-Length header is not a number of bytes."
        )
    limit = body_limit(request)
    if limit is not None and int(declared) > limit:
        return error_response(
            request,
            413,
            "payload_too_large",
            f"The request body is {int(declared):,} bytes; the server accepts at most {limit:,}.",
        )
    return None


class RequestBodyMiddleware:
    """Refuses a body the server will not read (411) or is too large (413), unread."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return body_refusal(request) or self.get_response(request)


# The database out of reach ------------------------------------------------------------------


class DatabaseUnavailableMiddleware:
    """A view that could not reach the database (or the cache): 503 with Retry-After;
    one that sent a value the database cannot hold: 400."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DataError):
            # A value the database cannot hold (a moment out of its range, a number too
            # large): the request's fault, and the request's transaction is rolled back.
            log.warning("%s %s: %s", request.method, request.path, exception)
            return error_response(request, 400, "invalid", DATA_ERROR_MESSAGE)
        if not is_unavailable(exception):
            return None
        # With its traceback: on SQLite a missing table is an OperationalError too.
        log.error("%s %s: %r", request.method, request.path, exception, exc_info=exception)
        return unavailable_response(request)


def server_error(request, *args, **kwargs):
    """handler500: a 503 when what failed was reaching the database or the cache (in a
    middleware, before any view), else Django's own 500 (a JSON one for the API)."""
    error = sys.exc_info()[1]
    if is_unavailable(error):
        return unavailable_response(request)
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            error_body(500, "server_error", "The server failed to answer; this was logged."),
            status=500,
        )
    return defaults.server_error(request, *args, **kwargs)
