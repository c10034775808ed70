"""The OpenAPI schema matches what the API answers: schemathesis generates
requests for every operation from /api/schema/ and checks each response (no
server error, a documented status code, a body that fits the schema)."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from factcheck.wsgi import application
from tests.factories import AppearanceFactory, EvidenceFactory
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
    return {
        "claim": published_claim,
        "appearance": AppearanceFactory(claim=published_claim, exact="Officials disagreed"),
        "evidence": EvidenceFactory(claim=published_claim),
        "entry": published_claim.verdict_entries.first(),
    }


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


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    derandomize=not DEEP,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_schema_says(
    case, seeded, editor, no_throttling, keep_connection
):
    # Nested routes go to a claim that exists; other ids stay as generated.
    parameters = case.path_parameters or {}
    if "claim_pk" in parameters:
        parameters["claim_pk"] = str(seeded["claim"].pk)
    # APIClient keeps what credentials() set in _credentials; the stubs leave it out.
    credentials = token_client(editor)._credentials  # type: ignore[attr-defined]
    headers = {"Authorization": credentials["HTTP_AUTHORIZATION"]}
    # Not checked: that every schema-valid request succeeds. A well-formed id of a
    # record that does not exist (?speaker=0) is a 400 naming the parameter, by design.
    case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])
