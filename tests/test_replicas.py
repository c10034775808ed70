"""Read replicas (factcheck/replicas.py): which database alias a request reads.

"replica1" is a test mirror of the test database (tests/conftest.py); each query is
seen on the connection of the alias it was sent to.
"""

from contextlib import ExitStack

import pytest
from django.db import connections, router
from django.test.utils import CaptureQueriesContext

from claims.exports import table
from claims.models import Claim
from factcheck import replicas
from jobs.models import Job
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db(databases=["default", "replica1"])

CLAIMS = "/api/v1/claims/"


@pytest.fixture
def replica(settings):
    settings.DATABASE_REPLICAS = ["replica1"]


@pytest.fixture(autouse=True)
def replica_closed():
    # PostgreSQL drops the test database only when no connection is left on it.
    yield
    connections["replica1"].close()


class Queries:
    """The SQL each alias received while the block ran."""

    def __enter__(self):
        self._stack = ExitStack()
        self.on = {
            alias: self._stack.enter_context(CaptureQueriesContext(connections[alias]))
            for alias in ("default", "replica1")
        }
        return self

    def __exit__(self, *exc):
        self._stack.close()

    def of(self, alias: str) -> list[str]:
        return [query["sql"] for query in self.on[alias].captured_queries]

    def of_claims(self, alias: str) -> list[str]:
        return [sql for sql in self.of(alias) if "claims_" in sql]


def test_an_anonymous_api_read_reads_the_claims_from_the_replica(replica, anonymous):
    with Queries() as queries:
        response = anonymous.get(CLAIMS)
    assert response.status_code == 200
    assert queries.of_claims("replica1")
    assert queries.of_claims("default") == []


def test_a_researchers_api_read_reads_the_claims_from_the_replica(replica, researcher_client):
    with Queries() as queries:
        response = researcher_client.get(CLAIMS)
    assert response.status_code == 200
    assert queries.of_claims("replica1")
    assert queries.of_claims("default") == []


def test_the_viewer_and_their_token_are_read_from_the_primary(replica, researcher_client):
    with Queries() as queries:
        researcher_client.get(CLAIMS)
    assert any("authtoken_token" in sql for sql in queries.of("default"))
    assert not any("authtoken_token" in sql or "auth_" in sql for sql in queries.of("replica1"))


def test_an_export_streams_from_the_replica(replica, anonymous):
    with Queries() as queries:
        response = anonymous.get("/api/v1/claims/export.jsonl")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body == b""  # the replica holds no public claim yet
    assert queries.of_claims("replica1")
    assert queries.of_claims("default") == []


def test_a_csv_export_streams_from_the_replica(replica, anonymous, monkeypatch):
    copied_on = []  # PostgreSQL's COPY runs on psycopg's cursor, unseen by Django
    stream_copy = table._stream_copy

    def spying(cursor, query, progress):
        copied_on.append(cursor.connection)
        yield from stream_copy(cursor, query, progress)

    monkeypatch.setattr(table, "_stream_copy", spying)
    with Queries() as queries:
        response = anonymous.get("/api/v1/claims/export.csv")
        body = b"".join(response.streaming_content)
    assert response.status_code == 200
    assert body.count(b"\n") == 1  # the header; the replica holds no public claim yet
    assert queries.of_claims("default") == []
    if connections["replica1"].vendor == "postgresql":
        assert copied_on == [connections["replica1"].connection]
    else:
        assert queries.of_claims("replica1")


def test_an_editors_api_read_reads_the_primary(replica, editor_client):
    with Queries() as queries:
        response = editor_client.get(CLAIMS)
    assert response.status_code == 200
    assert queries.of_claims("default")
    assert queries.of("replica1") == []


def test_a_post_and_its_reads_go_to_the_primary(replica, editor_client):
    with Queries() as queries:
        response = editor_client.post(
            CLAIMS, {"label": "new", "text": "A new claim."}, format="json"
        )
    assert response.status_code == 201, response.json()
    assert queries.of_claims("default")
    assert queries.of("replica1") == []


def test_a_patch_and_its_reads_go_to_the_primary(replica, editor_client, draft_claim):
    with Queries() as queries:
        response = editor_client.patch(
            f"{CLAIMS}{draft_claim.pk}/",
            {"label": "renamed"},
            format="json",
            HTTP_IF_MATCH=f'"v{draft_claim.version}"',
        )
    assert response.status_code == 200, response.json()
    assert queries.of_claims("default")
    assert queries.of("replica1") == []


def test_a_researchers_post_is_answered_from_the_primary(replica, researcher_client):
    with Queries() as queries:
        response = researcher_client.post(CLAIMS, {"label": "x", "text": "y"}, format="json")
    assert response.status_code == 403
    assert queries.of("replica1") == []


def test_an_admin_page_reads_the_primary_even_for_a_researcher(replica, client, researcher):
    client.force_login(researcher)
    with Queries() as queries:
        response = client.get("/admin/claims/claim/")
    assert response.status_code == 200
    assert queries.of_claims("default")
    assert queries.of("replica1") == []


def test_a_refused_token_reads_nothing_from_the_replica(replica, anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Token not-a-token")
    with Queries() as queries:
        response = anonymous.get(CLAIMS)
    assert response.status_code == 401
    assert queries.of("replica1") == []


def test_a_write_goes_to_the_primary_and_the_reads_after_it_too(replica):
    token = replicas._replica.set("replica1")
    try:
        assert router.db_for_read(Claim) == "replica1"
        assert router.db_for_write(Claim) == "default"
        assert router.db_for_read(Claim) == "default"
    finally:
        replicas._replica.reset(token)


def test_outside_a_request_everything_reads_the_primary(replica):
    ClaimFactory()
    with Queries() as queries:
        assert Claim.objects.count() == 1
    assert queries.of("replica1") == []
    assert router.db_for_read(Claim) == "default"


def test_only_the_primary_is_migrated():
    assert router.allow_migrate("default", "claims")
    assert not router.allow_migrate("replica1", "claims")


def test_without_replicas_every_read_goes_to_the_primary(settings, anonymous):
    settings.DATABASE_REPLICAS = []
    with Queries() as queries:
        response = anonymous.get(CLAIMS)
    assert response.status_code == 200
    assert queries.of_claims("default")
    assert queries.of("replica1") == []


def test_a_job_is_read_from_the_primary_even_for_the_public(replica, anonymous):
    job = Job.objects.create(kind="report.pdf", label="PDF report", task_path="x.y")
    with Queries() as queries:
        response = anonymous.get(f"/api/v1/jobs/{job.pk}/")
    assert response.status_code == 200
    assert any("jobs_job" in sql for sql in queries.of("default"))
    assert not any("jobs_job" in sql for sql in queries.of("replica1"))
