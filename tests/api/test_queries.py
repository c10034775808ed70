"""A list takes a fixed number of SQL queries, whatever its page size."""

import datetime

import orjson
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from factcheck.api.queries import Rfc3339
from sources.models import Source
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    TagFactory,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def many_claims(editor, reviewer):
    tag = TagFactory(slug="strike")
    for _ in range(12):
        claim = ClaimFactory()
        claim.tags.add(tag)
        AppearanceFactory(claim=claim)
        EvidenceFactory(claim=claim)
        publish(claim, editor=editor, reviewer=reviewer)


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("client_name", ["anonymous", "researcher_client", "editor_client"])
def test_a_claims_list_runs_the_same_queries_for_any_page_size(many_claims, client_name, request):
    client = request.getfixturevalue(client_name)
    queries_for(client, "/api/v1/claims/?page_size=1")  # warm up: sessions, permissions

    one = queries_for(client, "/api/v1/claims/?page_size=1")
    twelve = queries_for(client, "/api/v1/claims/?page_size=12")
    filtered = queries_for(client, "/api/v1/claims/?page_size=12&tag=strike&has_evidence=true")

    assert one == twelve
    # The page's ids, then its claims, their tags, appearances, evidence, verdict
    # entries and the entries' evidence; the token and the role's permissions; the
    # request's savepoint.
    assert twelve <= 12
    assert filtered == twelve + 1  # validating the tag slug
    assert Claim.objects.count() == 12


def test_nested_and_catalogue_lists_do_not_grow_with_their_length(anonymous, many_claims):
    claim = Claim.objects.first()
    for path in ("/api/v1/sources/", "/api/v1/speakers/", f"/api/v1/claims/{claim.pk}/history/"):
        assert queries_for(anonymous, f"{path}?page_size=1") == queries_for(
            anonymous, f"{path}?page_size=100"
        )


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2020, 1, 8, 9, 0, tzinfo=datetime.UTC),
        datetime.datetime(2020, 1, 8, 9, 0, 0, 120, tzinfo=datetime.UTC),
        datetime.datetime(2020, 1, 8, 23, 59, 59, 999999, tzinfo=datetime.UTC),
        None,
    ],
)
def test_timestamps_formatted_by_the_database_render_as_orjson_renders_datetimes(moment):
    source = SourceFactory(published_at=moment)

    row = Source.objects.filter(pk=source.pk).values(at=Rfc3339("published_at")).get()

    option = orjson.OPT_UTC_Z
    assert orjson.dumps(row["at"], option=option) == orjson.dumps(moment, option=option)
