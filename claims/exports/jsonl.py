"""Claims as JSON Lines: one claim a line, the object the API returns for it."""

import datetime
from collections.abc import Callable, Iterator

import orjson

from claims.exports.streams import JSON_OPTIONS, batched, rows_iterator
from claims.read.builders import CLAIM_COLUMNS, CLAIM_TIMESTAMPS, ClaimBuilder
from factcheck.api.links import Links


def write_jsonl(
    claims,
    *,
    public: bool,
    links: Links,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    builder = ClaimBuilder(links, public=public, as_of=as_of)
    rows = claims.order_by("id").values(*CLAIM_COLUMNS, **CLAIM_TIMESTAMPS)
    for batch in batched(rows_iterator(rows)):
        yield b"".join(
            orjson.dumps(claim, option=JSON_OPTIONS) + b"\n" for claim in builder.build(batch)
        )
        if progress:
            progress(len(batch))
