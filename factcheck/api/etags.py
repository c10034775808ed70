"""ETags and If-Match: no lost updates.

A detail response carries an ETag naming the version of the record it shows.
A write must send it back in If-Match: without one the answer is 428, with a
stale one 412. The comparison happens after the record's row is locked
(SELECT … FOR UPDATE) in the request's transaction, so of two writers holding
the same ETag the second waits for the first to commit, then sees the new
version and is refused: the database, not the application, orders them.
"""

import datetime

from factcheck.api.errors import PreconditionFailed, PreconditionRequired

_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


def version_etag(version: int) -> str:
    """For records with a version column (claims): raised by every save."""
    return f'"v{version}"'


def timestamp_etag(updated_at: datetime.datetime) -> str:
    """For records without one: their last-saved time, to the microsecond."""
    return f'"t{(updated_at - _EPOCH) // datetime.timedelta(microseconds=1):x}"'


def if_match_tags(request) -> list[str] | None:
    """The entity tags of the If-Match header; None when it is absent."""
    header = request.headers.get("If-Match")
    if header is None or not header.strip():
        return None
    tags = []
    for tag in header.split(","):
        tag = tag.strip()
        # Proxies that compress responses turn strong ETags weak (W/"…"); the
        # version named is still the one the client read, so accept the weak form.
        tags.append(tag.removeprefix("W/"))
    return tags


def require_if_match(request) -> list[str]:
    """The If-Match tags; a write without them is refused (428)."""
    tags = if_match_tags(request)
    if tags is None:
        raise PreconditionRequired()
    return tags


def check_if_match(request, current_etag: str) -> None:
    """Refuse a write whose If-Match does not name the current version."""
    tags = require_if_match(request)
    if "*" not in tags and current_etag not in tags:
        raise PreconditionFailed(
            f"The resource changed since you read it: its ETag is now {current_etag}, "
            f"you sent If-Match: {request.headers['If-Match']}. GET it again and "
            "reapply your change."
        )
