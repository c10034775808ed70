"""Hostile and careless query strings: every date, offset and cursor is read by one
strict parser (factcheck.dates) and refused with a 400 naming the parameter, before
a streamed export sends its first byte; speakers and outlets are named by id or
name; an unknown choice lists the values there are; addresses use the request's host."""

import base64
import datetime
import json

import orjson
import pytest
from django.core.management import call_command
from django.db import DataError
from django.db.models.query import QuerySet

from claims.models import Claim, Speaker
from factcheck.dates import OFFSET_HELP, parse_instant, parse_moment
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    OutletFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
)
from tests.helpers import publish, token_client

pytestmark = pytest.mark.django_db

EXPORTS = [
    "/api/v1/claims/export.csv",
    "/api/v1/claims/export.jsonl",
    "/api/v1/claims/export.jsonld",
    "/api/v1/claims/feed.json",
    "/api/v1/annotations/export.jsonld",
    "/api/v1/claims/report.html",
]
BAD_MOMENTS = [
    "2020-01-01T00:00:00+16:00",  # beyond PostgreSQL's ±15:59
    "2020-01-01T00:00:00-16:00",
    "2020-01-01T00:00:00+24:00",
    "0001-01-01T00:00:00+01:00",  # before the year 1 in UTC
    "0000-01-01",
    "10000-01-01",
    "2020-13-01",
    "2020-01-01T24:61:00Z",
    "2020-01-01T00:00:00Z" + "0" * 200,
]


def cursor(token: dict) -> str:
    return base64.urlsafe_b64encode(orjson.dumps(token)).decode().rstrip("=")


def assert_refused(response, parameter: str, words: str = "") -> str:
    assert response.status_code == 400, response.content
    body = response.json()
    assert list(body["errors"]) == [parameter]
    assert body["message"].startswith(parameter)
    assert words in body["message"]
    return body["message"]


# The parser ------------------------------------------------------------------------------------


def test_a_moment_with_an_offset_is_read_in_utc():
    assert parse_instant("2020-01-08T09:00:00+05:30") == datetime.datetime(
        2020, 1, 8, 3, 30, tzinfo=datetime.UTC
    )


def test_a_moment_without_an_offset_is_taken_as_utc_unless_one_is_required():
    assert parse_instant("2020-01-08T09:00") == datetime.datetime(
        2020, 1, 8, 9, tzinfo=datetime.UTC
    )
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_instant("2020-01-08T09:00", require_offset=True)


def test_a_day_is_its_start_or_its_end_in_utc():
    assert parse_moment("2020-01-08") == datetime.datetime(2020, 1, 8, tzinfo=datetime.UTC)
    assert parse_moment("2020-01-08", end_of_day=True).time() == datetime.time.max


def test_an_offset_postgresql_cannot_apply_is_refused_with_the_range():
    with pytest.raises(ValueError, match="offset") as raised:
        parse_moment("2020-01-01T00:00:00+16:00")

    assert str(raised.value) == OFFSET_HELP


@pytest.mark.parametrize("value", BAD_MOMENTS)
def test_no_impossible_moment_gets_past_the_parser(value):
    with pytest.raises(ValueError, match=r"ISO 8601|offset|out of range"):
        parse_moment(value)


# Exports: refused before the first byte -------------------------------------------------------


@pytest.mark.parametrize("path", EXPORTS)
def test_an_export_with_an_impossible_offset_is_a_400_not_a_short_file(anonymous, path):
    response = anonymous.get(path, {"updated_since": "2020-01-01T00:00:00+16:00"})

    assert not response.streaming
    assert_refused(response, "updated_since", "-15:59 and +15:59")


@pytest.mark.parametrize("path", EXPORTS)
@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("updated_since", "2020-13-01"),
        ("stated_on_after", "10000-01-01"),
        ("stated_on_before", "2020-02-30"),
        ("recheck_on_before", "0000-00-00"),
        ("as_of", "2020-01-01T00:00:00+16:00"),
    ],
)
def test_an_export_with_a_bad_date_names_the_parameter(anonymous, path, parameter, value):
    response = anonymous.get(path, {parameter: value})

    assert not response.streaming
    assert_refused(response, parameter)


@pytest.mark.parametrize("path", EXPORTS)
def test_a_filter_the_database_refuses_is_a_400_before_the_export_starts(
    anonymous, path, monkeypatch
):
    def refuse(self):
        raise DataError("time zone displacement out of range")

    monkeypatch.setattr(QuerySet, "exists", refuse)

    response = anonymous.get(path)

    assert not response.streaming
    assert response.status_code == 400
    assert "cannot apply these filters" in response.json()["message"]


# Lists: every date parameter -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "parameter"),
    [
        ("/api/v1/claims/", "updated_since"),
        ("/api/v1/claims/", "stated_on_after"),
        ("/api/v1/sources/", "published_after"),
        ("/api/v1/sources/", "published_before"),
        ("/api/v1/sources/", "updated_since"),
        ("/api/v1/external-reviews/", "reviewed_after"),
        ("/api/v1/external-reviews/", "reviewed_before"),
    ],
)
@pytest.mark.parametrize("value", BAD_MOMENTS)
def test_every_date_filter_refuses_what_it_cannot_read(editor_client, path, parameter, value):
    if parameter == "stated_on_after" and value.startswith("2020-01-01T"):
        value = value[:10] + "x"
    assert_refused(editor_client.get(path, {parameter: value}), parameter)


def test_a_moment_with_a_far_offset_still_filters(anonymous, published_claim):
    # Within ±15:59 an offset is applied (in UTC), whatever the database.
    listed = anonymous.get("/api/v1/claims/", {"updated_since": "2000-01-01T00:00:00+15:59"})

    assert listed.status_code == 200
    assert [claim["id"] for claim in listed.json()["results"]] == [published_claim.pk]


# Cursors -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "A" * 400,
        cursor({"o": "-updated_at", "k": "2020-01-01T00:00:00+16:00", "i": 1, "b": False}),
        cursor({"o": "-updated_at", "k": "2020-01-01T00:00:00", "i": 1, "b": False}),
        cursor({"o": "-updated_at", "k": "10000-01-01T00:00:00Z", "i": 1, "b": False}),
        cursor({"o": "-updated_at", "k": 5, "i": 1, "b": False}),
        cursor({"o": "-updated_at", "k": "2020-01-01T00:00:00Z", "i": "1", "b": False}),
        cursor({"o": "stated_on", "k": "2020-13-01", "i": 1, "b": False}),
    ],
)
def test_a_tampered_cursor_is_a_400_saying_it_is_invalid(anonymous, published_claim, value):
    ordering = "stated_on" if "stated_on" in base64_text(value) else "-updated_at"
    response = anonymous.get("/api/v1/claims/", {"cursor": value, "ordering": ordering})

    assert_refused(response, "cursor", "Invalid cursor")


def base64_text(value: str) -> str:
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except ValueError:
        return ""


def test_the_cursors_the_api_gives_are_read_back(anonymous, editor, reviewer):
    for _ in range(3):
        publish(ClaimFactory(), editor=editor, reviewer=reviewer)

    first = anonymous.get("/api/v1/claims/", {"page_size": 2}).json()
    second = anonymous.get(first["next"])

    assert second.status_code == 200
    assert len(second.json()["results"]) == 1


# Speakers and outlets by name ----------------------------------------------------------------


@pytest.fixture
def named(editor, reviewer):
    pentagon = SpeakerFactory(name="The Pentagon")
    cbs = OutletFactory(name="CBS News")
    claim = publish(ClaimFactory(speaker=pentagon), editor=editor, reviewer=reviewer)
    source = SourceFactory(outlet=cbs)
    AppearanceFactory(claim=claim, source=source)
    publish(ClaimFactory(speaker=SpeakerFactory(name="Other")), editor=editor, reviewer=reviewer)
    return {"claim": claim, "pentagon": pentagon, "cbs": cbs, "source": source}


@pytest.mark.parametrize("value", ["the pentagon", "The Pentagon", " THE PENTAGON "])
def test_claims_are_filtered_by_a_speakers_name_without_regard_to_case(anonymous, named, value):
    response = anonymous.get("/api/v1/claims/", {"speaker": value})

    assert response.status_code == 200, response.content
    assert [claim["id"] for claim in response.json()["results"]] == [named["claim"].pk]


def test_claims_are_still_filtered_by_a_speakers_id(anonymous, named):
    response = anonymous.get("/api/v1/claims/", {"speaker": named["pentagon"].pk})

    assert [claim["id"] for claim in response.json()["results"]] == [named["claim"].pk]


def test_claims_and_sources_are_filtered_by_an_outlets_name(anonymous, named):
    claims = anonymous.get("/api/v1/claims/", {"outlet": "cbs news"})
    sources = anonymous.get("/api/v1/sources/", {"outlet": "CBS NEWS"})

    assert [claim["id"] for claim in claims.json()["results"]] == [named["claim"].pk]
    assert [source["id"] for source in sources.json()["results"]] == [named["source"].pk]


def test_an_export_takes_a_speakers_name_too(anonymous, named):
    response = anonymous.get("/api/v1/claims/export.jsonl", {"speaker": "the pentagon"})

    lines = response.getvalue().decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [named["claim"].pk]


@pytest.mark.parametrize("parameter", ["speaker", "outlet"])
def test_a_name_that_names_nobody_is_a_400_saying_so(anonymous, named, parameter):
    response = anonymous.get("/api/v1/claims/", {parameter: "Pentagon"})

    assert_refused(response, parameter, f"neither the id nor the name of a {parameter}")


# Unknown choices list the valid ones -----------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "valid"),
    [
        ("verdict", "false"),
        ("review_state", "published"),
        ("speaker_kind", "unnamed_group"),
    ],
)
def test_an_unknown_choice_lists_the_values_the_parameter_takes(
    anonymous, published_claim, parameter, valid
):
    message = assert_refused(anonymous.get("/api/v1/claims/", {parameter: "nonsense"}), parameter)

    assert "“nonsense” is not a value of this parameter; use one of:" in message
    assert valid in message


def test_an_unknown_tag_lists_the_tags_there_are(anonymous):
    TagFactory(slug="iran")
    TagFactory(slug="strike")

    message = assert_refused(anonymous.get("/api/v1/claims/", {"tag": "irn"}), "tag")

    assert message.endswith("use one of: iran, strike.")


# Addresses on the request's host ---------------------------------------------------------------


def test_claimreview_addresses_use_the_requests_host(anonymous, published_claim, settings):
    settings.SITE_URL = "https://configured.example"
    settings.ALLOWED_HOSTS = ["*"]

    response = anonymous.get("/api/v1/claims/export.jsonld", HTTP_HOST="mirror.example")

    [review] = json.loads(response.getvalue())
    assert review["author"]["url"] == "http://mirror.example"
    assert review["url"].startswith("http://mirror.example/api/v1/claims/")
    assert "configured.example" not in response.getvalue().decode()


def test_a_file_written_by_a_command_uses_site_url(published_claim, settings, tmp_path):
    settings.SITE_URL = "https://configured.example"
    path = tmp_path / "reviews.jsonld"

    call_command("export_claims", "--format", "claimreview", "--output", str(path), "--public")

    [review] = json.loads(path.read_text())
    assert review["author"]["url"] == "https://configured.example"
    assert review["url"].startswith("https://configured.example/api/v1/claims/")


def test_a_configured_publisher_address_is_kept(anonymous, published_claim, settings):
    settings.FACTCHECK_PUBLISHER = {"name": "The Checkers", "url": "https://checkers.example"}

    response = anonymous.get("/api/v1/claims/export.jsonld")

    assert json.loads(response.getvalue())[0]["author"]["url"] == "https://checkers.example"


# Bodies and other parameters ------------------------------------------------------------------


def test_a_body_moment_with_an_impossible_offset_is_a_400_on_the_field(editor_client):
    response = editor_client.post(
        "/api/v1/sources/",
        {
            "title": "Statement",
            "outlet": OutletFactory().pk,
            "published_at": "2020-01-08T09:00:00+16:00",
        },
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"published_at": [OFFSET_HELP]}


def test_a_body_moment_is_stored_in_utc_whatever_its_offset(editor_client):
    response = editor_client.post(
        "/api/v1/sources/",
        {
            "title": "Statement",
            "outlet": OutletFactory().pk,
            "published_at": "2020-01-08t09:00:00+05:30",  # RFC 3339 allows a lower-case t
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["published_at"].startswith("2020-01-08T03:30:00")


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("transition/", {"to": "retracted", "reason": "Wrong speaker.", "force": True}),
        ("verdicts/", {"rating": "false", "rationale": "No.", "approved": True}),
        ("links/", {"other": 1, "kind": "related", "score": 1}),
    ],
)
def test_an_action_refuses_a_field_it_does_not_know(
    reviewer, published_claim, draft_claim, path, body
):
    response = token_client(reviewer).post(
        f"/api/v1/claims/{published_claim.pk}/{path}", body, format="json"
    )

    assert response.status_code == 400
    unknown = sorted(set(body) - {"to", "reason", "rating", "rationale", "other", "kind"})
    assert list(response.json()["errors"]) == unknown
    assert "Unknown field. Writable here:" in response.json()["message"]


@pytest.mark.parametrize(
    "path", ["/api/v1/claims/similar/?text=Iran&limt=3", "/api/v1/claims/1/similar/?limt=3"]
)
def test_similar_claims_refuse_an_unknown_parameter(anonymous, published_claim, path):
    path = path.replace("/1/", f"/{published_claim.pk}/")

    assert_refused(anonymous.get(path), "limt", "Unknown query parameter")


def test_an_empty_cursor_is_refused_as_invalid(anonymous):
    assert_refused(anonymous.get("/api/v1/claims/?cursor="), "cursor", "Invalid cursor")


@pytest.mark.parametrize("value", ["¹", "٣", "１"])
def test_an_id_in_digits_of_another_script_is_a_400_not_a_server_error(anonymous, value):
    for parameter in ("source", "speaker"):
        response = anonymous.get("/api/v1/claims/", {parameter: value})

        assert_refused(response, parameter)


def test_an_alias_with_any_line_break_is_refused(editor_client):
    response = editor_client.post(
        "/api/v1/speakers/", {"name": "Someone", "aliases": ["One\u2028Two"]}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"aliases": ["An alias cannot contain a line break."]}


# The schema says what the API takes --------------------------------------------------------


@pytest.fixture
def openapi(anonymous):
    return anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


def parameter(openapi, path: str, name: str, method: str = "get") -> dict:
    [found] = [p for p in openapi["paths"][path][method]["parameters"] if p["name"] == name]
    return found


def test_the_schema_types_cursors_as_the_api_writes_them(openapi):
    cursor = parameter(openapi, "/api/v1/claims/", "cursor")["schema"]

    assert cursor["pattern"] == "^[A-Za-z0-9_-]+={0,2}$"


def test_the_schema_lists_the_values_of_choice_filters_and_bounds_numbers(openapi):
    def items(name):
        return parameter(openapi, "/api/v1/claims/", name)["schema"]["items"]

    assert items("review_state")["enum"] == sorted(Claim.ReviewState.values)
    assert items("speaker_kind")["enum"] == sorted(Speaker.Kind.values)
    assert items("verdict")["pattern"] == items("tag")["pattern"] == "^[-a-zA-Z0-9_]+$"
    assert parameter(openapi, "/api/v1/claims/", "page_size")["schema"]["minimum"] == 1
    limit = parameter(openapi, "/api/v1/claims/similar/", "limit")["schema"]
    assert (limit["minimum"], limit["maximum"]) == (1, 50)


def test_the_schema_says_which_writes_need_if_match_and_what_a_stale_one_gets(openapi):
    update = openapi["paths"]["/api/v1/claims/{id}/"]["put"]

    assert parameter(openapi, "/api/v1/claims/{id}/", "If-Match", "put")["required"] is True
    assert {"412", "428"} <= set(update["responses"])


def test_the_schema_refuses_unknown_body_fields_and_blank_required_text(openapi):
    claim = openapi["components"]["schemas"]["ClaimInput"]

    assert claim["additionalProperties"] is False
    assert claim["properties"]["text"]["minLength"] == 1


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/speakers/133181466430713151488/",
        "/api/v1/claims/133181466430713151488/appearances/",
        "/api/v1/sources/133181466430713151488/suggestions/",
    ],
)
def test_an_id_longer_than_the_database_compares_names_no_record(editor_client, path):
    response = editor_client.get(path)

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_accepting_a_suggestion_of_an_impossible_source_is_a_404(editor_client):
    response = editor_client.post("/api/v1/sources/133181466430713151488/suggestions/1/accept/")

    assert response.status_code == 404


def test_similar_claims_refuse_an_empty_language(anonymous):
    assert_refused(anonymous.get("/api/v1/claims/similar/?text=Iran&language="), "language")


@pytest.mark.parametrize("path", ["/api/v1/sources/import/", "/api/v1/external-reviews/import/"])
def test_an_import_refuses_a_field_it_does_not_read(editor_client, path):
    response = editor_client.post(path, {"url": "https://example.org/a", "depth": 3}, format="json")

    assert_refused(response, "depth", "Unknown field")


def test_a_text_field_counts_its_length_as_sent(editor_client):
    # The schema's maxLength counts the white space that is trimmed; so does the API.
    response = editor_client.post(
        "/api/v1/outlets/", {"name": "\t" + "x" * 200, "kind": "news"}, format="json"
    )

    assert_refused(response, "name", "no more than 200 characters")


def test_an_import_title_must_be_text(editor_client):
    response = editor_client.post(
        "/api/v1/sources/import/", {"url": "https://example.org/a", "title": 5}, format="json"
    )

    assert_refused(response, "title", "string")
