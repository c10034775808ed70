"""Health probes for load balancers, and the database out of reach: a 503 with
Retry-After in the error shape, never a 500."""

import json

import pytest
from django.db import OperationalError, connections
from django.test import Client, RequestFactory
from rest_framework.views import APIView

from claims.models import Claim
from factcheck.api.errors import api_exception_handler
from factcheck.errors import RETRY_AFTER_SECONDS, UNAVAILABLE_MESSAGE
from factcheck.middleware import server_error
from tests.helpers import run_python

pytestmark = pytest.mark.django_db


@pytest.fixture
def database_down(monkeypatch):
    """Every new use of the database refused, as by a server restarting."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 1 failed: refused')

    monkeypatch.setattr(connections["default"], "ensure_connection", refuse)


def assert_unavailable_json(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.json() == {
        "status": 503,
        "code": "unavailable",
        "message": UNAVAILABLE_MESSAGE,
        "errors": {},
    }


def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_is_up_while_the_database_is_down(client, database_down):
    assert client.get("/healthz").status_code == 200


def test_readyz_reports_the_database_and_the_cache(client):
    response = client.get("/readyz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


def test_readyz_is_a_503_naming_the_database_when_it_is_out_of_reach(client, database_down):
    response = client.get("/readyz/")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    body = response.json()
    assert body["errors"] == {"database": ["The database cannot be reached."]}
    assert "127.0.0.1" not in json.dumps(body)  # the details go to the log


def test_readyz_is_a_503_naming_the_cache_when_it_is_out_of_reach(client, monkeypatch):
    from django.core.cache import caches

    def refuse(*args, **kwargs):
        raise ConnectionError("cache server away")

    monkeypatch.setattr(caches["default"], "set", refuse)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["errors"] == {"cache": ["The cache cannot be reached."]}


def test_the_probes_need_no_allowed_host_no_https_and_no_credentials(settings):
    settings.ALLOWED_HOSTS = ["factcheck.example"]
    settings.SECURE_SSL_REDIRECT = True

    response = Client(HTTP_HOST="10.0.0.7").get("/healthz")

    assert response.status_code == 200


def test_a_probe_takes_get_only(client):
    response = client.post("/healthz")

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


def test_an_api_request_while_the_database_is_down_is_a_503_with_retry_after(
    anonymous, database_down
):
    assert_unavailable_json(anonymous.get("/api/v1/claims/"))


def test_an_api_write_while_the_database_is_down_is_a_503(editor_client, database_down):
    response = editor_client.post("/api/v1/claims/", {"text": "x"}, format="json")

    assert_unavailable_json(response)


def test_an_admin_page_while_the_database_is_down_is_a_503_page(staff_client, database_down):
    response = staff_client.get("/admin/claims/claim/", HTTP_ACCEPT="text/html")

    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response["Content-Type"].startswith("text/html")
    assert "cannot reach its database" in response.content.decode()


def test_the_api_error_handler_turns_a_lost_connection_into_a_503():
    request = RequestFactory().get("/api/v1/claims/")
    response = api_exception_handler(
        OperationalError("server closed the connection unexpectedly"),
        {"view": APIView(), "request": request},
    )

    assert response is not None
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert response.data["code"] == "unavailable"


class TouchesTheDatabase:
    """A middleware that reads the database before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        Claim.objects.exists()
        return self.get_response(request)


def test_the_database_out_of_reach_in_a_middleware_is_a_503_too(settings, database_down):
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, "tests.test_health.TouchesTheDatabase"]
    client = Client(raise_request_exception=False)

    assert_unavailable_json(client.get("/api/v1/claims/"))


def test_any_other_server_error_stays_a_500():
    request = RequestFactory().get("/api/v1/claims/")
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(request)

    assert response.status_code == 500
    assert json.loads(response.content)["code"] == "server_error"


# A process of the product whose database is a closed port: what each address answers.
CLOSED_PORT = """
import json
import django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="localhost", raise_request_exception=False)
answers = {}
for path in ["/healthz", "/readyz", "/api/v1/claims/", "/admin/login/"]:
    response = client.get(path, HTTP_ACCEPT="text/html" if "admin" in path else "*/*")
    answers[path] = [response.status_code, response.get("Retry-After")]
print(json.dumps(answers))
"""


def test_a_server_whose_database_is_a_closed_port_answers_503_not_500():
    result = run_python(
        "-c",
        CLOSED_PORT,
        DATABASE_URL="postgres://factcheck:factcheck@127.0.0.1:1/factcheck",
        CACHE_URL="locmem://",
    )

    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "/healthz": [200, None],
        "/readyz": [503, "5"],
        "/api/v1/claims/": [503, "5"],
        "/admin/login/": [503, "5"],
    }
