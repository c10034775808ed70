"""Claim search (q=): full-text with ranking and a GIN index on PostgreSQL,
word matching on SQLite."""

import base64
from urllib.parse import parse_qs, urlsplit

import orjson
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.read.search import (
    CLAIM_DOCUMENT,
    RankWindow,
    StoredClaimDocument,
    relevance,
    search_claims,
)
from claims.read.visibility import claims_visible_to
from tests.factories import ClaimFactory, SpeakerFactory
from tests.helpers import walked_ids

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


def ranked_search_plan(claims, q: str) -> str:
    """PostgreSQL's plan for the search ``q`` among ``claims`` in relevance order,
    with sequential scans ruled out (on a small table they are cheapest)."""
    matching = search_claims(claims, q).order_by(relevance(q).desc()).values("id")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = matching.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgresql_only
def test_the_text_search_uses_the_gin_index(claims):
    ClaimFactory.create_batch(30)
    # Ranked, as the API serves it: no index gives that order, so only the GIN
    # index can spare reading every claim.
    plan = ranked_search_plan(Claim.objects.all(), "casualties")

    assert "claim_search_idx" in plan


@postgresql_only
def test_a_public_search_can_use_the_index_of_public_claims(claims):
    """The partial index's predicate must be the API's public filter, or the planner
    cannot use it; the other ways to find public claims are dropped for the test
    (in its transaction), as on a small table they are cheaper."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'claims_claim' "
            "AND indexdef NOT LIKE '%%USING gin%%' AND indexname <> 'claims_claim_pkey'"
        )
        others = [name for (name,) in cursor.fetchall()]
        cursor.execute(f"DROP INDEX {', '.join(others)}")

    plan = ranked_search_plan(claims_visible_to(AnonymousUser()), "casualties")

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


# A common search ranks the newest matches only (claims/read/search.py, RankWindow).


# The two ways of finding a window's matches (RankWindow): a word in every
# claim is read newest first; a word in one claim in five, through the GIN index.
WAYS = {"newest first": 0, "through the word index": 4}


@pytest.fixture(params=WAYS)
def way(request) -> str:
    return request.param


@pytest.fixture
def common_word(way, settings):
    """Twelve public claims that all mention casualties, the oldest change first,
    and statistics that tell PostgreSQL so: more matches than a window of four.
    With ``through the word index``, four other claims follow each match."""
    settings.SEARCH_RANK_WINDOW = 4
    claims = [
        ClaimFactory(label=f"claim {n}", text="casualties reported", review_state=PUBLISHED)
        for n in range(12)
    ]
    # The best match of all is the oldest change: outside the window.
    claims[0].label = "casualties casualties"
    claims[0].save()
    for claim in claims:
        if claim is not claims[0]:
            claim.save()
        ClaimFactory.create_batch(
            WAYS[way], label="other news", text="talks", review_state=PUBLISHED
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    return claims


@postgresql_only
def test_a_window_is_read_newest_first_only_for_a_word_in_most_claims(common_word, way):
    public = claims_visible_to(AnonymousUser())
    window = RankWindow(visible=public)

    window.narrow(search_claims(public, "casualties").values("id"))

    assert window.since is not None
    assert window.newest_first == (way == "newest first")


@postgresql_only
def test_bitmap_scans_are_back_on_once_a_window_was_read_newest_first(anonymous, common_word):
    response = anonymous.get("/api/v1/claims/?q=casualties&page_size=2")

    assert response.status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_bitmapscan")
        assert cursor.fetchone() == ("on",)


@postgresql_only
def test_a_common_search_ranks_its_newest_matches_only(anonymous, common_word):
    newest = {claim.id for claim in common_word[-4:]}

    ranked = walked_ids(anonymous, "/api/v1/claims/?q=casualties&page_size=3")

    assert set(ranked) == newest
    assert common_word[0].id not in ranked


@postgresql_only
def test_other_orderings_list_every_match_of_a_common_search(anonymous, common_word):
    listed = walked_ids(anonymous, "/api/v1/claims/?q=casualties&ordering=-updated_at&page_size=5")

    assert sorted(listed) == sorted(claim.id for claim in common_word)


@postgresql_only
def test_the_window_holds_from_page_to_page_while_claims_change(anonymous, common_word):
    first = anonymous.get("/api/v1/claims/?q=casualties&page_size=2").json()
    # Newer matches arrive: on a fresh first page they would push the oldest
    # of the window out of it.
    arrivals = ClaimFactory.create_batch(
        3, label="later", text="casualties reported", review_state=PUBLISHED
    )

    rest = walked_ids(anonymous, first["next"])

    seen = [claim["id"] for claim in first["results"]] + rest
    window = [claim.id for claim in common_word[-4:]]
    assert sorted(pk for pk in seen if pk in window) == sorted(window)
    assert len(seen) == len(set(seen))
    assert set(seen) <= set(window) | {claim.id for claim in arrivals}


@postgresql_only
def test_a_rare_search_ranks_every_match(anonymous, common_word, settings):
    settings.SEARCH_RANK_WINDOW = 500

    ranked = walked_ids(anonymous, "/api/v1/claims/?q=casualties&page_size=5")

    assert sorted(ranked) == sorted(claim.id for claim in common_word)
    assert ranked[0] == common_word[0].id


@postgresql_only
def test_a_window_that_holds_less_than_a_page_ranks_every_match(anonymous, common_word):
    # Newer claims that do not match: the newest third of all claims, where a
    # third of the matches would be if they were spread over time, holds none.
    ClaimFactory.create_batch(24, label="other news", text="talks", review_state=PUBLISHED)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")

    ranked = walked_ids(anonymous, "/api/v1/claims/?q=casualties&page_size=5")

    assert sorted(ranked) == sorted(claim.id for claim in common_word)
    assert ranked[0] == common_word[0].id


def cursor_token(link: str) -> dict:
    cursor = parse_qs(urlsplit(link).query)["cursor"][0]
    return orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))


@postgresql_only
def test_a_cursor_cannot_widen_its_window_to_every_match(anonymous, common_word):
    token = cursor_token(anonymous.get("/api/v1/claims/?q=casualties&page_size=2").json()["next"])
    assert token["n"] != RankWindow.EVERY_MATCH
    token["n"] = RankWindow.EVERY_MATCH
    cursor = base64.urlsafe_b64encode(orjson.dumps(token)).decode().rstrip("=")

    response = anonymous.get(f"/api/v1/claims/?q=casualties&page_size=2&cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@postgresql_only
@pytest.mark.parametrize(("fallbacks", "status"), [([], 400), (["the old key"], 200)])
def test_a_cursor_outlives_a_key_rotation_while_the_old_key_is_a_fallback(
    anonymous, common_word, settings, fallbacks, status
):
    settings.SECRET_KEY = "the old key"
    link = anonymous.get("/api/v1/claims/?q=casualties&page_size=2").json()["next"]
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the new key", fallbacks

    assert anonymous.get(link).status_code == status


@postgresql_only
@pytest.mark.parametrize(
    "window",
    [
        "yesterday",
        "2026-01-01T00:00:00",
        "2026-01-01T00:00:00 newest first",
        "2026-13-01T00:00:00+00:00",
        ["2026-01-01", 1],
        5,
    ],
)
def test_a_cursor_with_a_forged_window_is_refused(anonymous, common_word, window):
    token = {"o": "-relevance", "k": 0.5, "i": 1, "b": False, "n": window}
    cursor = base64.urlsafe_b64encode(orjson.dumps(token)).decode().rstrip("=")

    response = anonymous.get(f"/api/v1/claims/?q=casualties&cursor={cursor}")

    assert response.status_code == 400
    assert "cursor" in response.json()["errors"]


@postgresql_only
def test_a_search_looks_its_speakers_up_once(anonymous, claims):
    with CaptureQueriesContext(connection) as queries:
        response = anonymous.get("/api/v1/claims/?q=trump")

    assert response.status_code == 200
    speaker_lookups = [q for q in queries if 'FROM "claims_speaker"' in q["sql"]]
    assert len(speaker_lookups) == 1
