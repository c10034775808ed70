"""Restoring an archive into an empty database, in one transaction."""

import zlib
from collections.abc import Iterator
from typing import BinaryIO

import orjson
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_save, pre_save

from claims.archive.rows import (
    FORMAT,
    PROGRESS_EVERY,
    VERSION,
    ArchiveError,
    ProgressFor,
    model_for,
    named_fields,
    natural_keys,
)
from claims.archive.tables import CHUNK_SIZE, CHUNK_SIZES, MODELS, REPLACED_ON_IMPORT


def _numbered_lines(stream: BinaryIO) -> Iterator[tuple[int, bytes]]:
    number = 0
    try:
        for number, line in enumerate(stream, start=1):
            if not line.endswith(b"\n"):
                raise ArchiveError("the line is cut off: the file is truncated.", line=number)
            yield number, line
    except (EOFError, OSError, zlib.error) as error:
        raise ArchiveError(
            f"the file cannot be read from here on ({error}): it is truncated or damaged.",
            line=number + 1,
        ) from None


def _parse(number: int, line: bytes):
    try:
        return orjson.loads(line)
    except orjson.JSONDecodeError as error:
        raise ArchiveError(f"not a JSON object ({error}).", line=number) from None


def _read_header(lines) -> dict:
    first = next(lines, None)
    if first is None:
        raise ArchiveError("The file is empty: it is not an archive.")
    header = _parse(*first)
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise ArchiveError(f"not a {FORMAT} file (no format name on the first line).", line=1)
    if header.get("version") != VERSION:
        raise ArchiveError(
            f"archive format version {header.get('version')!r}; this code reads version "
            f"{VERSION} only.",
            line=1,
        )
    models = header.get("models")
    listed = [entry.get("model") for entry in models] if isinstance(models, list) else None
    if (
        not isinstance(models, list)
        or listed != list(MODELS)
        or not all(isinstance(entry.get("count"), int) and entry["count"] >= 0 for entry in models)
    ):
        raise ArchiveError(
            f"the header does not list version {VERSION}'s tables with their counts.", line=1
        )
    if not isinstance(header.get("migrations"), dict):
        raise ArchiveError("the header does not name the migrations it was written at.", line=1)
    return header


def _refuse_unapplied_migrations(header: dict, using: str) -> None:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    missing = [
        f"{app_label}.{name}"
        for app_label, name in header["migrations"].items()
        if (app_label, name) not in applied
    ]
    if missing:
        raise ArchiveError(
            f"The archive was written by a database migrated to {', '.join(missing)}, which "
            "this database has not applied. Restore it with the code that wrote it (or newer) "
            "after running migrate."
        )


def _refuse_unless_empty(using: str) -> None:
    held = []
    for label in MODELS:
        if label not in REPLACED_ON_IMPORT:
            count = model_for(label)._base_manager.using(using).count()
            if count:
                held.append(f"{count:,} {label}")
    if held:
        raise ArchiveError(
            f"This database already holds data ({', '.join(held)}). An archive is restored "
            "only into an empty database: create a new one, run migrate (and setup_roles, if "
            "you like), then import."
        )


def _clear_replaced(using: str) -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        for label in REPLACED_ON_IMPORT:
            # SQL, not QuerySet.delete(): deleting a rating through the model writes a
            # "deleted" history row, and the archive brings the scale's own history.
            table = connection.ops.quote_name(model_for(label)._meta.db_table)
            cursor.execute(f"DELETE FROM {table}")


def _decode_row(label: str, named: dict, ids: dict, number: int, line: bytes, using: str):
    record = _parse(number, line)
    if not (
        isinstance(record, dict)
        and record.keys() == {"model", "pk", "fields"}
        and isinstance(record["fields"], dict)
    ):
        raise ArchiveError('not a row: expected "model", "pk" and "fields".', line=number)
    if record["model"] != label:
        raise ArchiveError(
            f"a {record['model']} row where the header announces {label} rows.", line=number
        )
    fields = record["fields"]
    for name, related in named.items():
        key = fields.get(name)
        if key is not None:
            try:
                fields[name] = ids[related][tuple(key)]
            except (KeyError, TypeError):
                raise ArchiveError(
                    f"this database has no {related._meta.label_lower} {key!r} (run migrate).",
                    line=number,
                ) from None
    try:
        return next(iter(python_serializer.Deserializer([record], using=using))).object
    except Exception as error:  # the serializer raises whatever the field raised
        raise ArchiveError(f"cannot read this {label} row: {error}", line=number) from None


def _insert_raw(model, objs: list, *, using: str, lines: tuple[int, int]) -> None:
    """Insert ``objs`` as Model.save_base(raw=True) inserts one, in one statement.

    The same raw INSERT (values as given: the model's own save() is not called,
    auto_now and defaults are not applied) and the same signals with raw=True,
    which simple_history's and claims' receivers skip, so no history is written.
    One round trip per batch instead of per row makes the restore several times
    faster; that is the only difference from loaddata's per-row raw save.
    """
    signals = not model._meta.auto_created  # save_base sends none for m2m tables either
    if signals:
        for obj in objs:
            pre_save.send(sender=model, instance=obj, raw=True, using=using, update_fields=None)
    fields = [field for field in model._meta.local_concrete_fields if not field.generated]
    try:
        model._base_manager.using(using)._insert(objs, fields=fields, using=using, raw=True)
    except DatabaseError as error:
        raise ArchiveError(
            f"the database refused one of these {model._meta.label_lower} rows: {error}",
            line=lines[0],
            last_line=lines[1],
        ) from None
    for obj in objs:
        obj._state.adding, obj._state.db = False, using
        if signals:
            post_save.send(
                sender=model, instance=obj, created=True, update_fields=None, raw=True, using=using
            )


def read_archive(
    stream: BinaryIO, *, using: str = DEFAULT_DB_ALIAS, progress: ProgressFor | None = None
) -> dict[str, int]:
    """Restore an archive into an empty database, all or nothing.

    Returns the row count of each table. Raises ArchiveError, having changed
    nothing, for a database that holds data or an archive that is not whole.
    """
    lines = _numbered_lines(stream)
    header = _read_header(lines)
    _refuse_unapplied_migrations(header, using)
    counts = {entry["model"]: entry["count"] for entry in header["models"]}
    connection = connections[using]
    with transaction.atomic(using=using):
        _refuse_unless_empty(using)
        _clear_replaced(using)
        ids = {
            model: {key: pk for pk, key in keys.items()}
            for model, keys in natural_keys(using).items()
        }
        number = 1
        for label in MODELS:
            model = model_for(label)
            bar = progress(label, counts[label]) if progress is not None else None
            named = named_fields(model)
            batch_size = min(
                CHUNK_SIZES.get(label, CHUNK_SIZE),
                # SQLite caps the parameters of a statement (the objects are only counted).
                connection.ops.bulk_batch_size(
                    model._meta.local_concrete_fields, range(CHUNK_SIZE)
                ),
            )
            batch, first = [], number + 1
            for done in range(1, counts[label] + 1):
                number, line = next(lines, (number + 1, None))
                if line is None:
                    missing = sum(counts.values()) - (number - 2)
                    raise ArchiveError(
                        f"the file ends here, {missing:,} rows short of what its header "
                        "announces: it is truncated.",
                        line=number,
                    )
                batch.append(_decode_row(label, named, ids, number, line, using))
                if len(batch) == batch_size or done == counts[label]:
                    _insert_raw(model, batch, using=using, lines=(first, number))
                    batch, first = [], number + 1
                    if connection.queries_logged:
                        # With DEBUG on, Django keeps the SQL of the last 9,000
                        # statements, and a batch's runs to megabytes.
                        connection.queries_log.clear()
                if bar is not None and done % PROGRESS_EVERY == 0:
                    bar(PROGRESS_EVERY)
            if bar is not None:
                bar(counts[label] - bar.done)
                bar.close()
        extra = next(lines, None)
        if extra is not None:
            raise ArchiveError("more rows than the header announces.", line=extra[0])
        tables = [model_for(label)._meta.db_table for label in MODELS]
        try:
            # The foreign keys are checked at commit; check them now, while the
            # error can still be reported and the transaction rolled back.
            connection.check_constraints(table_names=tables)
        except IntegrityError as error:
            raise ArchiveError(f"The archive refers to rows it does not hold: {error}") from None
        # Rows came with their ids; move each id sequence past them so that new
        # rows get fresh ids (PostgreSQL; SQLite's AUTOINCREMENT follows by itself).
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [model_for(label) for label in MODELS]
            ):
                cursor.execute(sql)
    return counts
