"""The OpenAPI schema matches what the API answers: schemathesis generates
requests for every operation from /api/schema/ and checks each response (no
server error, a documented status code, a body that fits the schema)."""

import datetime
import os
from urllib.parse import parse_qs, urlsplit

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings

from claims.models import Claim, Speaker
from claims.services.workflow import TRANSITIONS
from factcheck.wsgi import application
from tests.factories import AppearanceFactory, EvidenceFactory, SpeakerFactory, TagFactory
from tests.helpers import token_client

pytestmark = pytest.mark.django_db

# Bounded so that the suite stays fast: each operation gets this many generated
# requests, the same ones every run. SCHEMATHESIS_EXAMPLES=200
# SCHEMATHESIS_COVERAGE=true runs a deep, randomised pass that adds schemathesis's
# systematic coverage phase (boundary and invalid values).
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "8"))
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "").lower() in ("1", "true", "yes")
DEEP = COVERAGE or "SCHEMATHESIS_EXAMPLES" in os.environ


@pytest.fixture
def seeded(published_claim, draft_claim, editor):
    """Records the generated requests can hit, besides the random ids that miss."""
    appearance = AppearanceFactory(claim=published_claim, exact="Officials disagreed")
    tag = TagFactory()
    published_claim.tags.add(tag)
    return {
        "claim": published_claim,
        "other": draft_claim,
        "appearance": appearance,
        "evidence": EvidenceFactory(claim=published_claim),
        "entry": published_claim.verdict_entries.first(),
        "source": appearance.source,
        "outlet": appearance.source.outlet,
        "speaker": published_claim.speaker,
        "tag": tag,
        "media": SpeakerFactory(kind=Speaker.Kind.MEDIA),
    }


# Parameters and body fields whose values name records. The schema gives their
# shape (an id, a slug, a name); which ones exist it cannot say, and one that names
# no record is refused by design. The generated values are replaced by records that
# exist, as a client names them.
REFERENCES = {
    "speaker": "speaker",
    "parent": "speaker",
    "outlet": "outlet",
    "publisher": "outlet",
    "source": "source",
    "claim": "claim",
    "other": "other",
    "evidence": "evidence",
    "verdict": "rating",
    "rating": "rating",
    "tag": "tag",
    "tags": "tag",
}


def _reference(kind: str, seeded: dict, *, in_body: bool):
    if kind == "rating":
        return "false"
    if kind == "tag":
        return seeded["tag"].slug
    pk = seeded[kind].pk
    return pk if in_body else str(pk)


FORMS = ("multipart/form-data", "application/x-www-form-urlencoded")
ANCHOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")


def _name_existing_records(case, seeded: dict) -> None:
    query = case.query or {}
    for name, kind in REFERENCES.items():
        if name in query:
            query[name] = _reference(kind, seeded, in_body=False)
    body = case.body
    if isinstance(body, dict):
        for name, kind in REFERENCES.items():
            value = body.get(name)
            if isinstance(value, list):
                body[name] = [_reference(kind, seeded, in_body=True)] if value else []
            elif value is not None and name in body:
                body[name] = _reference(kind, seeded, in_body=True)
        # A quote must occur in the source (the seeded one), at a place not taken; an
        # update keeps the record's anchor.
        for name in ANCHOR_FIELDS:
            body.pop(name, None)
        if case.method == "POST" and case.path.endswith("/appearances/"):
            body["exact"] = "no casualties"
        elif case.method == "POST" and case.path.endswith("/evidence/"):
            body["exact"] = "Officials disagreed"
        # A verdict rests on the claim's evidence.
        if case.method == "POST" and case.path.endswith("/verdicts/"):
            body["evidence"] = [seeded["evidence"].pk]
            # ... and holds from a day that has come.
            if str(body.get("holds_from", "")) > datetime.date.today().isoformat():
                del body["holds_from"]
        # A transition goes where the claim's review state may go next.
        if case.path.endswith("/transition/"):
            claim = Claim.objects.filter(pk=(case.path_parameters or {}).get("id")).first()
            targets = [to for frm, to in TRANSITIONS if claim and frm == claim.review_state]
            if targets:
                body["to"] = targets[0]
                body["reason"] = "Checked again."
        # The outlet's own reporting is said by the outlet: a speaker of kind media.
        if body.get("attribution") == Claim.Attribution.OUTLET:
            body["speaker"] = seeded["media"].pk


def _get(client, path: str, data=None):
    """A GET through Django's test client, which connects Django's handler that closes
    connections again when it is done: keep_connection's work is redone here."""
    try:
        return client.get(path, data)
    finally:
        request_started.disconnect(close_old_connections)
        request_finished.disconnect(close_old_connections)


def _as_a_client_would(case, client) -> None:
    """A cursor and an If-Match are copied from the API's own answers: a cursor from a
    next link (none when there is no next page), an ETag from a GET of the record."""
    query = case.query or {}
    if "cursor" in query:
        del query["cursor"]
        listed = _get(client, case.formatted_path, {**query, "page_size": 1})
        next_link = listed.json().get("next") if listed.status_code == 200 else None
        if next_link:
            query["cursor"] = parse_qs(urlsplit(next_link).query)["cursor"][0]
    headers = case.headers or {}
    if "If-Match" in headers:
        path = case.formatted_path
        for address in (path, path.rstrip("/").rsplit("/", 1)[0] + "/"):
            answer = _get(client, address)
            if answer.status_code == 200 and answer.has_header("ETag"):
                headers["If-Match"] = answer["ETag"]
                break


@pytest.fixture
def keep_connection():
    """The test's transaction must outlive each request. Django closes connections
    at the end of a request served through WSGI; its test client turns that off,
    and so does this for schemathesis, which calls the WSGI application itself."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def no_throttling(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/minute", "user": "100000/minute"},
    }


# Loaded from the running application, as a client would (no database needed).
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/",
    application,
    config=schemathesis.config.SchemathesisConfig.from_dict(
        {"phases": {"coverage": {"enabled": COVERAGE}}}
    ),
)


def test_the_schema_is_served_as_openapi_3(anonymous):
    response = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


@pytest.mark.parametrize("who", ["anonymous", "editor"])
@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(
    case, who, seeded, editor, no_throttling, keep_connection
):
    # Nested routes go to a claim that exists; other ids stay as generated.
    parameters = case.path_parameters or {}
    if "claim_pk" in parameters:
        parameters["claim_pk"] = str(seeded["claim"].pk)
    client = token_client(editor)
    positive = case.meta is None or case.meta.generation.mode.is_positive
    if positive:
        _name_existing_records(case, seeded)
        _as_a_client_would(case, client)
    elif case.media_type in FORMS:
        # A form's values are all text: "true" for a title is a title, not the wrong
        # type that schemathesis meant to send.
        return
    headers = {}
    if who == "editor":
        # APIClient keeps what credentials() set in _credentials; the stubs leave it out.
        credentials = client._credentials  # type: ignore[attr-defined]
        headers["Authorization"] = credentials["HTTP_AUTHORIZATION"]
    # Every check, positive data acceptance among them: a request the schema allows
    # is answered with a success (or a documented refusal the schema cannot rule
    # out: 401 and 403 for the role, 404 for an id that names no record, 409).
    # Each request's writes are undone, so that every example meets the same records.
    with transaction.atomic():
        case.call_and_validate(headers=headers)
        transaction.set_rollback(True)
