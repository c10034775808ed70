"""One ClaimReview import, from a file or a web address: every review read, its rating
mapped, stored through claims.services.reviews. The command, the API's job and the
admin's Import page all import through ``import_claimreview``."""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import BinaryIO

from django.core.exceptions import ValidationError

from claims.interchange.readers import NotClaimReview, ReviewRecord, Skipped, read_reviews
from claims.services.ratings_map import RatingMap
from claims.services.reviews import external_review_save
from sources.intake.fetch import FetchError, fetch

# What a ClaimReview feed or page is served as.
FEED_TYPES = (
    "application/json",
    "application/ld+json",
    "text/html",
    "application/xhtml+xml",
    "text/plain",
)


class ImportFailed(Exception):
    """The input could not be read at all; the message says why."""


@dataclass
class ImportSummary:
    imported: int = 0
    claims_created: int = 0
    claims_matched: int = 0
    known: int = 0
    unmapped: int = 0
    skipped: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        line = (
            f"imported {self.imported} reviews ({self.claims_created} claims created, "
            f"{self.claims_matched} matched), {self.known} already known, "
            f"{self.unmapped} unmapped"
        )
        if self.skipped:
            shown = "; ".join(self.skipped[:5])
            more = f"; and {len(self.skipped) - 5} more" if len(self.skipped) > 5 else ""
            line += f", {len(self.skipped)} skipped ({shown}{more})"
        return line


def import_claimreview(
    stream: BinaryIO,
    *,
    content_type: str = "",
    url: str = "",
    by=None,
    progress: Callable[[int], None] | None = None,
) -> ImportSummary:
    """Import every ClaimReview in ``stream``; ImportFailed when it holds none."""
    summary = ImportSummary()
    ratings = RatingMap()  # read once: a feed may hold thousands of reviews
    try:
        for item in read_reviews(stream, content_type=content_type, url=url):
            if isinstance(item, Skipped):
                summary.skipped.append(f"{item.where}: {item.reason}")
            else:
                try:
                    _import_one(item, summary, ratings=ratings, by=by)
                except ValidationError as error:  # one bad review never stops the rest
                    summary.skipped.append(f"review {item.url}: {'; '.join(error.messages)}")
            if progress is not None:
                progress(1)
    except NotClaimReview as error:
        raise ImportFailed(str(error)) from None
    return summary


def import_claimreview_url(url: str, *, by=None, progress=None) -> ImportSummary:
    """Fetch ``url`` (past the SSRF guard, within IMPORT_MAX_BYTES) and import it."""
    try:
        fetched = fetch(url, accept=FEED_TYPES)
    except FetchError as error:
        raise ImportFailed(str(error)) from None
    return import_claimreview(
        io.BytesIO(fetched.body),
        content_type=fetched.content_type,
        url=fetched.url,
        by=by,
        progress=progress,
    )


def _import_one(record: ReviewRecord, summary: ImportSummary, *, ratings: RatingMap, by) -> None:
    rating = ratings.rating(
        record.textual_rating,
        record.language,
        record.rating_value,
        record.best_rating,
        record.worst_rating,
    )
    outcome = external_review_save(record, rating=rating, by=by)
    if rating is None:
        summary.unmapped += 1
    if outcome.action == "created":
        summary.imported += 1
        if outcome.claim_created:
            summary.claims_created += 1
        else:
            summary.claims_matched += 1
    else:
        summary.known += 1
