"""The archive's files: gzip when the name ends in .gz, written whole or not at all."""

import gzip
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, cast

from factcheck.files import atomic_file

GZIP_MAGIC = b"\x1f\x8b"


@contextmanager
def archive_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A file to export to, written whole or not at all (factcheck.files.atomic_file):
    gzip when the name ends in .gz."""
    path = Path(path)
    with atomic_file(path) as raw:
        if path.suffix == ".gz":
            # mtime=0 and no file name in the gzip header: the same data gives
            # the same bytes, whenever and under whatever name it is written.
            with gzip.GzipFile(
                filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
            ) as compressed:
                yield cast(BinaryIO, compressed)  # a binary file; typeshed does not say so
        else:
            yield raw


@contextmanager
def archive_reader(raw: BinaryIO) -> Iterator[BinaryIO]:
    """The archive in ``raw`` (a buffered binary stream), decompressed if it is gzip.

    Recognised by its first bytes rather than its name, so a renamed file or
    standard input reads too.
    """
    if cast(io.BufferedReader, raw).peek(2)[:2] == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=raw, mode="rb") as decompressed:
            yield cast(BinaryIO, decompressed)
    else:
        yield raw
