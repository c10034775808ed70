"""Claim search (q=): full-text with ranking and a GIN index on PostgreSQL,
word matching on SQLite."""

import pytest
from django.db import connection

from claims.api.search import search_claims
from claims.models import Claim
from tests.factories import ClaimFactory, SpeakerFactory

pytestmark = pytest.mark.django_db

PUBLISHED = Claim.ReviewState.PUBLISHED
postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search is PostgreSQL's"
)


def labels(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/claims/?q={query}")
    assert response.status_code == 200
    return [claim["label"] for claim in response.json()["results"]]


@pytest.fixture
def claims():
    trump = SpeakerFactory(name="Donald Trump", aliases="POTUS")
    return [
        ClaimFactory(
            label="no casualties",
            text="No Americans were harmed.",
            speaker=trump,
            review_state=PUBLISHED,
        ),
        ClaimFactory(
            label="imminent attack",
            text="Soleimani plotted attacks causing casualties.",
            review_state=PUBLISHED,
        ),
        ClaimFactory(
            label="act of war", text="The strike was an act of war.", review_state=PUBLISHED
        ),
    ]


def test_search_finds_words_in_any_case(anonymous, claims):
    assert set(labels(anonymous, "CASUALTIES")) == {"no casualties", "imminent attack"}


def test_every_word_must_match(anonymous, claims):
    assert labels(anonymous, "casualties harmed") == ["no casualties"]


def test_search_finds_a_speakers_name_or_alias(anonymous, claims):
    assert labels(anonymous, "trump") == ["no casualties"]
    assert labels(anonymous, "potus") == ["no casualties"]


@postgresql_only
def test_words_in_the_label_rank_above_words_in_the_text(anonymous, claims):
    assert labels(anonymous, "casualties") == ["no casualties", "imminent attack"]


@postgresql_only
def test_search_stems_english_words(anonymous, claims):
    assert labels(anonymous, "casualty") == ["no casualties", "imminent attack"]
    assert labels(anonymous, "attacking") == ["imminent attack"]


def test_search_reads_phrases_and_exclusions_like_a_web_search(anonymous, claims):
    assert labels(anonymous, '"act of war"') == ["act of war"]
    assert labels(anonymous, "casualties -harmed") == ["imminent attack"]


@postgresql_only
def test_ranked_results_page_without_repeats(anonymous, claims):
    ClaimFactory.create_batch(5, label="casualties", text="casualties", review_state=PUBLISHED)
    url, seen = "/api/v1/claims/?q=casualties&page_size=2", []
    while url:
        page = anonymous.get(url).json()
        seen += [claim["id"] for claim in page["results"]]
        url = page["next"]

    assert len(seen) == len(set(seen)) == 7


@postgresql_only
def test_the_text_search_uses_the_gin_index(claims):
    ClaimFactory.create_batch(30)
    matching = search_claims(Claim.objects.all(), "casualties").values("id")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matching.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "claim_search_idx" in plan
