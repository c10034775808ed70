"""One JSON error shape for every client error, and no client input answered 500."""

import pytest
from rest_framework.test import APIClient

from tests.factories import OutletFactory
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

SHAPE = {"status", "code", "message", "errors"}


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == SHAPE
    assert (body["status"], body["code"]) == (status, code)
    assert body["message"]
    return body


def test_a_validation_error_names_each_field(editor_client):
    response = editor_client.post("/api/v1/claims/", {"text": "", "speaker": "x"}, format="json")

    body = assert_error(response, 400, "invalid")
    assert set(body["errors"]) == {"label", "text", "speaker"}
    assert all(isinstance(messages, list) for messages in body["errors"].values())


def test_nested_errors_are_named_by_their_path(editor_client):
    response = editor_client.post(
        "/api/v1/speakers/", {"name": "a", "aliases": ["DoD", 7]}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert body["errors"] == {"aliases.1": ["Give a string, not a number."]}


def test_malformed_json_is_a_400(editor_client):
    response = editor_client.post(
        "/api/v1/claims/", data='{"label": "a",', content_type="application/json"
    )

    body = assert_error(response, 400, "parse_error")
    assert "JSON" in body["message"]


@pytest.mark.parametrize("body", ["[]", "null", '"text"', "42"])
def test_a_body_that_is_not_an_object_is_a_400(editor_client, body):
    response = editor_client.post("/api/v1/claims/", data=body, content_type="application/json")

    assert_error(response, 400, "invalid")


def test_a_wrong_json_type_is_a_400_not_coerced(editor_client):
    response = editor_client.post(
        "/api/v1/outlets/", {"name": 12, "homepage": "https://a.example/"}, format="json"
    )

    body = assert_error(response, 400, "invalid")
    assert body["errors"]["name"] == ["Give a string, not a number."]


def test_a_body_over_the_limit_is_a_413(editor_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000

    response = editor_client.post(
        "/api/v1/claims/", {"label": "a", "text": "x" * 2000}, format="json"
    )

    assert_error(response, 413, "payload_too_large")


def test_form_bodies_are_refused_with_a_415(editor_client):
    response = editor_client.post("/api/v1/claims/", "label=a", content_type="text/plain")

    assert_error(response, 415, "unsupported_media_type")


def test_a_wrong_token_is_a_401(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-token")

    response = client.get("/api/v1/claims/")

    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"


def test_an_anonymous_write_is_told_to_authenticate(anonymous):
    response = anonymous.post("/api/v1/claims/", {"label": "a", "text": "b"}, format="json")

    assert_error(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"] == "Token"


def test_a_write_the_role_forbids_is_a_403(researcher_client):
    response = researcher_client.post("/api/v1/tags/", {"name": "a", "slug": "a"}, format="json")

    assert_error(response, 403, "permission_denied")


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/999999/", "/api/v1/nothing/", "/api/v2/", "/api/v1/claims/abc/"]
)
def test_an_unknown_address_is_a_json_404(anonymous, path):
    assert_error(anonymous.get(path), 404, "not_found")


def test_a_missing_trailing_slash_is_pointed_out(anonymous):
    body = assert_error(anonymous.post("/api/v1/claims", {}), 404, "not_found")

    assert "/api/v1/claims/" in body["message"]


def test_a_method_a_resource_lacks_is_a_405(editor_client):
    response = editor_client.delete("/api/v1/claims/")

    assert_error(response, 405, "method_not_allowed")


def test_a_delete_that_other_records_prevent_is_a_409(superuser_client, published_claim):
    outlet = published_claim.appearances.get().source.outlet

    response = superuser_client.delete(f"/api/v1/outlets/{outlet.pk}/", HTTP_IF_MATCH="*")

    assert_error(response, 409, "conflict")


def test_a_duplicate_is_a_400_naming_the_problem(editor_client):
    OutletFactory(name="CBS News")

    response = editor_client.post("/api/v1/outlets/", {"name": "cbs news"}, format="json")

    body = assert_error(response, 400, "invalid")
    assert "already exists" in body["message"]


def test_preconditions_have_their_own_codes(editor_client):
    outlet = OutletFactory()
    url = f"/api/v1/outlets/{outlet.pk}/"

    assert_error(editor_client.patch(url, {}, format="json"), 428, "precondition_required")
    stale = editor_client.patch(url, {}, format="json", HTTP_IF_MATCH='"t0"')
    assert_error(stale, 412, "precondition_failed")


def test_throttled_clients_get_a_429_with_retry_after(settings, anonymous, researcher):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute"},
    }
    researcher_client = token_client(researcher)

    anonymous_codes = [anonymous.get("/api/v1/ratings/").status_code for _ in range(3)]
    signed_in_codes = [researcher_client.get("/api/v1/ratings/").status_code for _ in range(4)]

    assert anonymous_codes == [200, 200, 429]
    assert signed_in_codes == [200, 200, 200, 429]
    throttled = anonymous.get("/api/v1/ratings/")
    assert_error(throttled, 429, "throttled")
    assert 0 < int(throttled["Retry-After"]) <= 60


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=" + "x" * 5000,
        "q=!!!%20|%20&",
        "q='\"",
        "speaker=99999999999999999999999",
        "stated_on_after=0000-00-00",
        "updated_since=2020-01-08T25:61:00Z",
        "page_size=-1",
        "cursor=" + "A" * 400,
        "as_of=9999-99-99",
        "language=" + "a" * 200,
    ],
)
def test_odd_query_strings_never_cause_a_server_error(anonymous, editor_client, query):
    for client in (anonymous, editor_client):
        response = client.get(f"/api/v1/claims/?{query}")

        assert response.status_code < 500


@pytest.mark.parametrize(
    "body",
    [
        {"label": "a\x00b", "text": "b"},
        {"label": "a", "text": "b", "tags": ["iran\x00"]},
        {"label": "a", "text": "b", "speaker": 10**30},
    ],
)
def test_unstorable_values_are_a_400_not_a_database_error(editor_client, body):
    response = editor_client.post("/api/v1/claims/", body, format="json")

    assert response.status_code == 400


def test_a_lone_surrogate_in_json_is_a_400(editor_client):
    response = editor_client.post(
        "/api/v1/claims/", data='{"label": "\\ud800", "text": "b"}', content_type="application/json"
    )

    assert response.status_code == 400
    assert "label" in response.json()["errors"]


@pytest.mark.parametrize("query", ["tag=%00", "verdict=a%00", "q=%00", "url=%00"])
def test_null_characters_in_filters_are_a_400(anonymous, query):
    path = "/api/v1/sources/" if query.startswith("url") else "/api/v1/claims/"

    assert anonymous.get(f"{path}?{query}").status_code == 400
