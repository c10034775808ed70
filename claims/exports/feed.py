"""Our published fact-checks as one schema.org DataFeed of ClaimReviews (the feed
Google's Fact Check tools and other fact-checkers read):

    {"@context": "https://schema.org", "@type": "DataFeed", "dateModified": …,
     "dataFeedElement": [{"@type": "DataFeedItem", "dateCreated": …, "dateModified": …,
                          "item": [<ClaimReview>]}, …]}

One item per published claim, by id; its ClaimReview is the one the ClaimReview export
writes (claims.exports.claimreview.claim_review). ``dateCreated`` is when the claim was
first published, an item's ``dateModified`` its last change and the feed's the latest
of them (left out of an empty feed). Written an item at a time, like every export.
"""

import datetime
from collections.abc import Callable, Iterator

import orjson
from django.db.models import Max

from claims.exports.claimreview import CONTEXT, review_batches
from claims.exports.streams import JSON_OPTIONS, json_array
from claims.read.visibility import reviewed
from factcheck.api.links import Links


def feed_item(row: dict, review: dict) -> dict:
    item = {"@type": "DataFeedItem", "dateCreated": row["published"]}
    if row["updated"] is not None:
        item["dateModified"] = row["updated"]
    return item | {"item": [review]}


def write_feed(
    claims,
    *,
    public: bool,
    links: Links,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The DataFeed of the published claims among ``claims`` (``public`` and ``as_of``
    change nothing: a ClaimReview is what was published)."""
    head: dict = {"@context": CONTEXT, "@type": "DataFeed"}
    latest = reviewed(claims).aggregate(latest=Max("updated_at"))["latest"]
    if latest is not None:
        head["dateModified"] = latest
    batches = (
        ([feed_item(row, review) for row, review in batch], len(batch))
        for batch in review_batches(claims, links=links)
    )
    # The head without its closing brace, then the array of items, then the brace.
    yield orjson.dumps(head, option=JSON_OPTIONS)[:-1] + b',"dataFeedElement":'
    yield from json_array(batches, progress)
    yield b"}\n"
