"""Published fact-checks as schema.org ClaimReview JSON-LD.

One ClaimReview per published claim, with the verdict reviewers approved
(whoever asks: this is what the organisation has published), in the shape
Google's fact-check documentation asks for: claimReviewed, url, author,
datePublished, reviewRating (alternateName required; ratingValue, bestRating
and worstRating from the rating scale) and itemReviewed, a Claim with its
author (with ``sameAs`` its Wikidata page, when the speaker has one), datePublished,
firstAppearance and other appearances.
"""

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from django.conf import settings
from django.db.models import F, Max, Min
from django.db.models.functions import Coalesce

from claims.exports.streams import batched, json_array, rows_iterator
from claims.models import Appearance, Claim, Rating, Speaker
from claims.read.visibility import reviewed
from factcheck.api.links import Links
from factcheck.api.queries import Rfc3339, id_in

CONTEXT = "https://schema.org"
WIKIDATA = "https://www.wikidata.org/wiki/"


def review_url(claim_id: int, links: Links) -> str:
    """Where the fact-check is published: settings.CLAIMREVIEW_URL ("…/{id}") when
    the newsroom publishes articles elsewhere, else the claim's API address."""
    template = getattr(settings, "CLAIMREVIEW_URL", "")
    if template:
        return template.format(id=claim_id)
    return f"{links.prefix('claims')}{claim_id}/"


def _day(value) -> str | None:
    """The date part of a moment (RFC 3339 text on PostgreSQL, a datetime elsewhere)."""
    if value is None:
        return None
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).date().isoformat()
    return value[:10]


def _person_or_organisation(name: str, kind: str, wikidata_id: str | None = None) -> dict:
    kind_type = "Person" if kind == Speaker.Kind.PERSON else "Organization"
    author = {"@type": kind_type, "name": name}
    if wikidata_id:
        author["sameAs"] = f"{WIKIDATA}{wikidata_id}"
    return author


def _rating(row: dict, scale: dict) -> dict:
    rating: dict[str, Any] = {
        "@type": "Rating",
        "alternateName": row["rating_label"],
        "name": row["rating_label"],
    }
    if row["rating_value"] is not None and scale["best"] is not None:
        rating |= {
            "ratingValue": row["rating_value"],
            "bestRating": scale["best"],
            "worstRating": scale["worst"],
        }
    return rating


def claim_review(row: dict, appearances: list[str], *, links: Links, scale: dict) -> dict:
    item: dict[str, Any] = {"@type": "Claim"}
    if row["speaker__name"] is not None:
        # The outlet's own reporting is the outlet's: an Organization, whatever kind
        # the speaker was given.
        outlet = row.get("attribution") == Claim.Attribution.OUTLET
        item["author"] = _person_or_organisation(
            row["speaker__name"],
            Speaker.Kind.MEDIA if outlet else row["speaker__kind"],
            row.get("speaker__wikidata_id"),
        )
    if row["stated_on"] is not None:
        item["datePublished"] = row["stated_on"].isoformat()
    if appearances:
        item["firstAppearance"] = {"@type": "CreativeWork", "url": appearances[0]}
        if len(appearances) > 1:
            item["appearance"] = [{"@type": "CreativeWork", "url": url} for url in appearances[1:]]
    publisher = settings.FACTCHECK_PUBLISHER
    return {
        "@context": CONTEXT,
        "@type": "ClaimReview",
        "url": review_url(row["id"], links),
        "claimReviewed": row["text"],
        "inLanguage": row["language"],
        "author": {
            "@type": "Organization",
            "name": publisher["name"],
            "url": publisher["url"] or links.site,
        },
        "datePublished": _day(row["published"]),
        "reviewRating": _rating(row, scale),
        "itemReviewed": item,
    }


def _appearance_urls(claim_ids: list[int]) -> dict[int, list[str]]:
    """Each claim's source URLs, the first appearance first, each URL once (sources
    recorded without an address are left out)."""
    urls: defaultdict[int, list[str]] = defaultdict(list)
    for claim_id, url in (
        Appearance.objects.filter(id_in("claim_id", claim_ids))
        .exclude(source__url="")
        .order_by("claim_id", "-is_first", "id")
        .values_list("claim_id", "source__url")
    ):
        if url not in urls[claim_id]:
            urls[claim_id].append(url)
    return urls


def review_scale() -> dict:
    """Our numeric scale's ends, for every reviewRating's bestRating and worstRating."""
    return Rating.objects.filter(value__isnull=False).aggregate(
        best=Max("value"), worst=Min("value")
    )


def review_batches(claims, *, links: Links) -> Iterator[list[tuple[dict, dict]]]:
    """The published claims among ``claims`` by id, a batch at a time: each claim's row
    (with its ``updated`` time) and its ClaimReview."""
    scale = review_scale()
    rows = (
        reviewed(claims)
        .order_by("id")
        .values(
            "id",
            "text",
            "language",
            "stated_on",
            "attribution",
            "speaker__name",
            "speaker__kind",
            "speaker__wikidata_id",
            rating_label=F("published_entry__rating__label"),
            rating_value=F("published_entry__rating__value"),
            published=Coalesce(Rfc3339("published_at"), Rfc3339("published_entry__recorded_at")),
            updated=Rfc3339("updated_at"),
        )
    )
    for batch in batched(rows_iterator(rows)):
        appearances = _appearance_urls([row["id"] for row in batch])
        yield [
            (row, claim_review(row, appearances[row["id"]], links=links, scale=scale))
            for row in batch
        ]


def write_claimreview(
    claims,
    *,
    public: bool,
    links: Links,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """A JSON array of ClaimReview objects for the published claims among ``claims``.
    (``public`` and ``as_of`` change nothing: a ClaimReview is what was published.)"""
    batches = (
        ([review for _, review in batch], len(batch))
        for batch in review_batches(claims, links=links)
    )
    return json_array(batches, progress)
