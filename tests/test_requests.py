"""Request bodies the server refuses, with a message, before a view reads them: JSON
nested too deep (400), a body over the limit (413), a chunked body (411)."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time

import pytest
from django.conf import settings as django_settings
from django.test.client import FakePayload

from factcheck.api.parsers import MAX_JSON_DEPTH, nesting_depth

pytestmark = pytest.mark.django_db

CLAIMS = "/api/v1/claims/"
TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels."


def nested(levels: int) -> bytes:
    return b'{"label": ' + b"[" * levels + b"]" * levels + b"}"


def post_raw(client, path: str, body: bytes, content_type="application/json", **extra):
    return client.generic("POST", path, body, content_type=content_type, **extra)


@pytest.mark.parametrize("levels", [MAX_JSON_DEPTH, 1_000, 100_000])
def test_json_nested_too_deep_is_a_400_that_says_so(editor_client, levels):
    response = post_raw(editor_client, CLAIMS, nested(levels))

    assert response.status_code == 400
    assert response.json()["message"] == TOO_DEEP
    assert response.json()["code"] == "parse_error"


def test_json_as_deep_as_the_limit_reaches_the_serializer(editor_client):
    response = post_raw(editor_client, CLAIMS, nested(MAX_JSON_DEPTH - 1))

    assert response.status_code == 400
    assert response.json()["message"] != TOO_DEEP
    assert "label" in response.json()["errors"]


def test_the_depth_is_counted_without_recursion():
    deep: list = []
    for _ in range(50_000):
        deep = [deep]

    assert nesting_depth(deep, limit=10) == 11
    assert nesting_depth({"a": [1, {"b": []}]}, limit=10) == 4
    assert nesting_depth("text", limit=10) == 0


def test_the_upload_endpoints_parse_json_with_the_same_limit(editor_client):
    response = post_raw(editor_client, "/api/v1/sources/import/", nested(1_000))

    assert response.status_code == 400
    assert response.json()["message"] == TOO_DEEP


def test_a_body_over_the_limit_is_a_413_in_the_error_shape_before_it_is_read(
    editor_client, settings
):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    body = json.dumps({"label": "x" * 2_000, "text": "y"}).encode()

    response = post_raw(editor_client, CLAIMS, body)

    assert response.status_code == 413
    assert response.json() == {
        "status": 413,
        "code": "payload_too_large",
        "message": f"The request body is {len(body):,} bytes; the server accepts at most 1,000.",
        "errors": {},
    }


def test_an_upload_may_be_as_large_as_the_import_limit_but_no_larger(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1_000
    settings.IMPORT_MAX_BYTES = 10_000
    limit = 1_000 + 10_000 + 64 * 1024

    over = editor_client.generic(
        "POST",
        "/api/v1/sources/import/",
        b"-" * (limit + 1),
        content_type="multipart/form-data; boundary=x",
    )
    within = editor_client.generic(
        "POST",
        "/api/v1/sources/import/",
        b"--x--\r\n",
        content_type="multipart/form-data; boundary=x",
    )

    assert over.status_code == 413
    assert f"at most {limit:,}" in over.json()["message"]
    assert within.status_code == 400  # read, and refused by the import for what it holds


def test_a_chunked_body_without_content_length_is_a_411_not_an_empty_body(editor_client):
    chunked = b'1b\r\n{"label": "x", "text": "y"}\r\n0\r\n\r\n'

    response = editor_client.generic(
        "POST",
        CLAIMS,
        b"",  # no Content-Length, as gunicorn passes a chunked body on
        content_type="application/json",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": FakePayload(chunked)},
    )

    assert response.status_code == 411
    assert response.json()["code"] == "length_required"
    assert "Content-Length" in response.json()["message"]


def test_a_chunked_post_to_the_admin_is_a_411_page(client):
    response = client.generic(
        "POST",
        "/admin/login/",
        b"",
        content_type="application/x-www-form-urlencoded",
        HTTP_ACCEPT="text/html",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": FakePayload(b"0\r\n\r\n")},
    )

    assert response.status_code == 411
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Length" in response.content.decode()


def test_a_content_length_that_is_not_a_number_is_a_400(editor_client):
    response = editor_client.generic(
        "POST", CLAIMS, b"", content_type="application/json", CONTENT_LENGTH="12abc"
    )

    assert response.status_code == 400
    assert "Content-Length" in response.json()["message"]


# Under gunicorn, as the product is served ------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def gunicorn(shared_database_url):
    port = free_port()
    env = {
        **{key: value for key, value in os.environ.items() if key != "CACHE_URL"},
        "DJANGO_SETTINGS_MODULE": "factcheck.settings",
        "DEBUG": "true",
        "DATABASE_URL": shared_database_url,
        "CACHE_URL": "locmem://",
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "factcheck.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
        ],
        cwd=django_settings.BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120  # a busy machine starts Django slowly
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(
                        server.stderr.read().decode() if server.stderr else ""
                    ) from None
                time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_gunicorn_answers_a_chunked_body_with_411_and_serves_the_health_probe(gunicorn):
    connection = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=10)
    connection.request(
        "POST",
        CLAIMS,
        body=iter([b'{"label": "x", ', b'"text": "y"}']),  # sent chunked, no length
        headers={"Content-Type": "application/json", "Host": "localhost"},
        encode_chunked=True,
    )
    refused = connection.getresponse()
    refused_body = json.loads(refused.read())
    connection.close()

    probe = http.client.HTTPConnection("127.0.0.1", gunicorn, timeout=10)
    probe.request("GET", "/healthz", headers={"Host": "10.0.0.7"})  # by address
    live = probe.getresponse()

    assert refused.status == 411
    assert refused_body["code"] == "length_required"
    assert live.status == 200
    assert json.loads(live.read()) == {"status": "ok"}
