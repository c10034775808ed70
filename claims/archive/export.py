"""Writing the archive: every table in one snapshot, rows by primary key, keys sorted."""

import base64
import datetime
import uuid
from decimal import Decimal
from typing import BinaryIO

import orjson
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils.duration import duration_string

from claims.archive.rows import (
    FORMAT,
    PROGRESS_EVERY,
    VERSION,
    ArchiveError,
    ProgressFor,
    model_for,
    named_fields,
    natural_keys,
    row_fields,
)
from claims.archive.tables import CHUNK_SIZE, CHUNK_SIZES, MODELS, archived_rows


def _latest_migrations(using: str) -> dict[str, str]:
    archived_apps = {label.split(".")[0] for label in MODELS}
    latest: dict[str, str] = {}
    for app_label, name in MigrationRecorder(connections[using]).applied_migrations():
        if app_label in archived_apps and name > latest.get(app_label, ""):
            latest[app_label] = name
    return dict(sorted(latest.items()))


def _encode(value):
    """A column's value as JSON, exactly: the field's to_python reads it back unchanged."""
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    if isinstance(value, datetime.date | datetime.time):
        # With microseconds and offset (DjangoJSONEncoder would cut to milliseconds).
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.timedelta):
        return duration_string(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(value).decode("ascii")
    # Better a failed export than an archive that restores something else.
    raise TypeError(f"The archive cannot hold {type(value).__name__} values yet.")


def _dumps(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS | orjson.OPT_APPEND_NEWLINE)


def write_archive(
    out: BinaryIO, *, using: str = DEFAULT_DB_ALIAS, progress: ProgressFor | None = None
) -> dict[str, int]:
    """Write every archived row to ``out``; returns the row count of each table."""
    connection = connections[using]
    outermost = not connection.in_atomic_block
    with transaction.atomic(using=using):
        if outermost and connection.vendor == "postgresql":
            # One snapshot for every table, so that the header's counts, the rows
            # and the references between them agree while the site keeps writing.
            # (SQLite's transaction already reads one snapshot.)
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        counts = {label: archived_rows(model_for(label), label, using).count() for label in MODELS}
        out.write(
            _dumps(
                {
                    "format": FORMAT,
                    "version": VERSION,
                    "migrations": _latest_migrations(using),
                    "models": [{"model": label, "count": counts[label]} for label in MODELS],
                }
            )
        )
        names = natural_keys(using)
        for label in MODELS:
            model = model_for(label)
            bar = progress(label, counts[label]) if progress is not None else None
            fields, named = row_fields(model), named_fields(model)
            # For each column, by field name: the natural keys to name its rows by, if any.
            # (dict.get(None), for a field that names no such rows, is None.)
            columns = [
                (field.name, names.get(named.get(field.name)))  # type: ignore[arg-type]
                for field in fields
            ]
            rows = archived_rows(model, label, using).order_by("pk")
            rows = rows.values_list("pk", *(field.attname for field in fields))
            done = 0
            for pk, *row in rows.iterator(chunk_size=CHUNK_SIZES.get(label, CHUNK_SIZE)):
                values = {
                    name: _encode(value) if keys is None or value is None else keys[value]
                    for (name, keys), value in zip(columns, row, strict=True)
                }
                out.write(_dumps({"model": label, "pk": pk, "fields": values}))
                done += 1
                if bar is not None and done % PROGRESS_EVERY == 0:
                    bar(PROGRESS_EVERY)
            if done != counts[label]:
                # Only possible when a caller's transaction reads without a snapshot.
                raise ArchiveError(
                    f"{label} changed while it was being exported ({counts[label]} rows "
                    f"counted, {done} written); export again."
                )
            if bar is not None:
                bar(done - bar.done)
                bar.close()
    return counts
