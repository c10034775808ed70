"""Claim search (q=): full-text with ranking and a GIN index on PostgreSQL,
word matching on SQLite."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from claims.api.search import CLAIM_DOCUMENT, StoredClaimDocument, search_claims
from claims.api.visibility import claims_visible_to
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
    # Ranked, as the API serves it: no index gives that order, so only the GIN
    # index can spare reading every claim.
    matching = search_claims(Claim.objects.all(), "casualties").order_by("-rank").values("id")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matching.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "claim_search_idx" in plan


@postgresql_only
def test_a_public_search_can_use_the_index_of_public_claims(claims):
    """The partial index's predicate must be the API's public filter, or the planner
    cannot use it; the other ways to find public claims are dropped for the test
    (in its transaction), as on a small table they are cheaper."""
    public = claims_visible_to(AnonymousUser())
    matching = search_claims(public, "casualties").order_by("-rank").values("id")

    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX claim_state_updated_idx, claim_verdict_state_idx")
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matching.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "claim_public_search_idx" in plan


@postgresql_only
def test_the_stored_search_document_follows_label_and_text(claims):
    claims[0].label = "casualties denied"
    claims[0].save()

    documents = Claim.objects.annotate(stored=StoredClaimDocument(), computed=CLAIM_DOCUMENT)

    assert [stored for stored, _ in documents.values_list("stored", "computed")] == [
        computed for _, computed in documents.values_list("stored", "computed")
    ]
    assert "'deni':" in documents.get(pk=claims[0].pk).stored
