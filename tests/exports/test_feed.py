"""Our fact-checks as a schema.org DataFeed (GET /api/v1/claims/feed.json), and the
Wikidata link of a speaker in every ClaimReview we write."""

import datetime

import orjson
import pytest

from claims.models import Claim
from claims.services import claim_transition
from tests.factories import AppearanceFactory, ClaimFactory, SourceFactory, SpeakerFactory
from tests.helpers import publish

pytestmark = pytest.mark.django_db

FEED = "/api/v1/claims/feed.json"
CLAIMREVIEW = "/api/v1/claims/export.jsonld"


def fetch(client, url: str = FEED):
    response = client.get(url)
    assert response.status_code == 200, getattr(response, "content", b"")
    return response, orjson.loads(response.getvalue())


def reviews_in(feed: dict) -> list[dict]:
    return [review for element in feed["dataFeedElement"] for review in element["item"]]


def reviewed_ids(feed: dict) -> list[int]:
    return [int(review["url"].rstrip("/").rsplit("/", 1)[1]) for review in reviews_in(feed)]


def moment(text: str) -> datetime.datetime:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_the_feed_is_a_schema_org_data_feed_of_claim_reviews(anonymous, published_claim):
    response, feed = fetch(anonymous)

    assert response["Content-Type"] == "application/ld+json"
    assert response.streaming
    assert (feed["@context"], feed["@type"]) == ("https://schema.org", "DataFeed")
    (element,) = feed["dataFeedElement"]
    assert element["@type"] == "DataFeedItem"
    (review,) = element["item"]
    assert review["@type"] == "ClaimReview"
    assert moment(element["dateCreated"]) == published_claim.published_at
    assert moment(feed["dateModified"]) == published_claim.updated_at


def test_the_feed_holds_the_published_claims_only_for_everyone(
    anonymous, editor_client, published_claim, draft_claim, claim_in_review, editor, reviewer
):
    retracted = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
    claim_transition(
        claim=retracted, to=Claim.ReviewState.RETRACTED, reason="Wrong claim.", by=reviewer
    )

    for client in (anonymous, editor_client):
        assert reviewed_ids(fetch(client)[1]) == [published_claim.pk]


def test_the_feed_takes_the_claims_list_filters(anonymous, published_claim, editor, reviewer):
    publish(ClaimFactory(), editor=editor, reviewer=reviewer)

    _, feed = fetch(anonymous, f"{FEED}?tag=iran")

    assert reviewed_ids(feed) == [published_claim.pk]


def test_each_claim_review_of_the_feed_has_what_google_requires_and_recommends(
    anonymous, editor, reviewer, settings
):
    settings.FACTCHECK_PUBLISHER = {"name": "The Checkers", "url": "https://checkers.example"}
    speaker = SpeakerFactory(name="Ministry of Truth", kind="government")
    claim = ClaimFactory(
        text="Nothing happened.", speaker=speaker, stated_on=datetime.date(2020, 1, 8)
    )
    AppearanceFactory(claim=claim, source=SourceFactory(url="https://first.example/a"))
    publish(claim, editor=editor, reviewer=reviewer, slug="mostly-false")

    (review,) = reviews_in(fetch(anonymous)[1])

    # Required by Google: claimReviewed, reviewRating.alternateName, url, author.name
    # (with datePublished and itemReviewed for the claim it reviews).
    assert review["claimReviewed"] == "Nothing happened."
    assert review["reviewRating"]["alternateName"] == "Mostly false"
    assert review["url"].startswith("http")
    assert review["author"]["name"] == "The Checkers"
    assert review["datePublished"]
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    # Recommended, where we have them.
    assert (
        review["reviewRating"]
        | {
            "ratingValue": 2,
            "bestRating": 5,
            "worstRating": 1,
        }
        == review["reviewRating"]
    )
    assert review["author"]["url"] == "https://checkers.example"
    assert item["author"] == {"@type": "Organization", "name": "Ministry of Truth"}
    assert item["datePublished"] == "2020-01-08"
    assert item["firstAppearance"] == {"@type": "CreativeWork", "url": "https://first.example/a"}


def test_the_feed_holds_the_same_claim_reviews_as_the_claimreview_export(anonymous, seed):
    _, feed = fetch(anonymous)
    _, array = fetch(anonymous, CLAIMREVIEW)

    assert reviews_in(feed) == array
    assert len(array) > 1
    assert all(len(element["item"]) == 1 for element in feed["dataFeedElement"])


def test_a_speaker_with_a_wikidata_id_is_linked_to_it_in_every_claim_review(
    anonymous, editor, reviewer
):
    known = ClaimFactory(speaker=SpeakerFactory(name="Ada Lovelace", wikidata_id="Q7259"))
    unknown = ClaimFactory(speaker=SpeakerFactory(name="A passer-by"))
    for claim in (known, unknown):
        publish(claim, editor=editor, reviewer=reviewer)

    _, feed = fetch(anonymous)
    _, array = fetch(anonymous, CLAIMREVIEW)

    for reviews in (reviews_in(feed), array):
        authors = [review["itemReviewed"]["author"] for review in reviews]
        assert authors == [
            {
                "@type": "Person",
                "name": "Ada Lovelace",
                "sameAs": "https://www.wikidata.org/wiki/Q7259",
            },
            {"@type": "Person", "name": "A passer-by"},
        ]


def test_an_empty_feed_is_a_valid_data_feed(anonymous, draft_claim):
    _, feed = fetch(anonymous)

    assert feed == {"@context": "https://schema.org", "@type": "DataFeed", "dataFeedElement": []}


def test_the_feed_is_named_in_the_api_schema(anonymous):
    schema = anonymous.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")

    operation = schema.json()["paths"]["/api/v1/claims/feed.{extension}"]["get"]
    content = operation["responses"]["200"]["content"]["application/ld+json"]["schema"]
    assert content["properties"]["@type"]["enum"] == ["DataFeed"]
