"""Pieces the export writers share: batches from an iterator, JSON arrays
written an object at a time."""

from collections.abc import Callable, Iterable, Iterator

import orjson

# Claims read and built per batch: each batch costs a fixed number of queries,
# and memory holds one batch, however many claims there are.
BATCH = 500
JSON_OPTIONS = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def batched(items: Iterable, size: int = BATCH) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def json_array(
    batches: Iterable[tuple[list[dict], int]], progress: Callable[[int], None] | None
) -> Iterator[bytes]:
    """A JSON array of the objects in ``batches`` (objects, claims covered), one
    object a line, written batch by batch."""
    yield b"["
    first = True
    for objects, claims in batches:
        if objects:
            lead = b"\n" if first else b",\n"
            first = False
            yield lead + b",\n".join(orjson.dumps(obj, option=JSON_OPTIONS) for obj in objects)
        if progress:
            progress(claims)
    yield b"\n]\n" if not first else b"]\n"


def rows_iterator(queryset):
    """Rows read through a server-side cursor on PostgreSQL, in chunks elsewhere."""
    return queryset.iterator(chunk_size=BATCH)
