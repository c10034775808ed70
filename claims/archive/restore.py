"""A lossless archive of the whole database, and its restore into an empty one.

The archive is JSON Lines. Line 1 is the header: the format name and version,
the latest applied migration of each archived app, and the archived tables in
order with their row counts. Every other line is one row,
``{"fields": {…}, "model": "app.model", "pk": …}`` (Django's own serialization
shape), tables in dependency order, rows by primary key, keys sorted. Nothing
about the export itself (its date, the host) is written, so the same data always
gives the same bytes, and a restored database exports to the very file it came
from.

Rows that ``migrate`` makes with ids of its own in every database (content types
and permissions) are not archived; rows pointing at them name them by natural
key. Rows that ``migrate`` or ``setup_roles`` make before anyone can import (the
default rating scale, the role groups) are replaced by the archive's on import.
API tokens and sessions are secrets and are left out; password hashes are kept
so that people can sign in after a restore.

The restore reads each row with Django's "python" deserializer and inserts it
"raw", as loaddata does (though a batch of rows per statement): the models' own
save() (Claim's version check, Source's re-hashing, VerdictEntry's immutability,
Appearance's first-mark juggling) and the TrackedQuerySet refusals are bypassed,
auto_now values are kept, and the receivers that would react to a save
(simple_history's, claims' re-anchoring) skip raw saves, so the restore writes
no history of its own. Everything happens in one transaction.
"""

import base64
import datetime
import gzip
import os
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

import orjson
from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.core.serializers import python as python_serializer
from django.db import DEFAULT_DB_ALIAS, DatabaseError, IntegrityError, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_save, pre_save
from django.utils.duration import duration_string

FORMAT = "factcheck-archive"
VERSION = 1

# Each table's foreign keys point at tables above it, with two exceptions the
# restore relies on deferred foreign-key checks for: Speaker.parent (a speaker
# may belong to one with a higher id) and Claim.published_entry (claims come
# before their verdict entries, which point back at them). Both databases check
# foreign keys at commit (Django declares them DEFERRABLE INITIALLY DEFERRED), so
# the order only has to be right by the end of the transaction, and
# claim_published_has_entry, a row check, sees published_entry already set.
MODELS = (
    "auth.group",
    "auth.group_permissions",
    "auth.user",
    "auth.user_groups",
    "auth.user_user_permissions",
    "sources.outlet",
    "sources.source",
    "claims.speaker",
    "claims.tag",
    "claims.rating",
    "claims.claim",
    "claims.claim_tags",
    "claims.appearance",
    "claims.evidence",
    "claims.verdictentry",
    "claims.verdictentryevidence",
    "sources.historicaloutlet",
    "sources.historicalsource",
    "claims.historicalspeaker",
    "claims.historicaltag",
    "claims.historicalrating",
    "claims.historicalclaim",
    "claims.historicalclaim_tags",
    "claims.historicalappearance",
    "claims.historicalevidence",
    "claims.historicalverdictentry",
    "admin.logentry",
)

# Made before anyone can import (the scale by migration claims 0002, the groups
# by setup_roles), so an empty database may hold them; the archive's rows replace
# them. Listed in the order they are cleared.
REPLACED_ON_IMPORT = ("auth.group_permissions", "auth.group", "claims.rating")

# Every other model, and why it is not in the archive.
LEFT_OUT = {
    "authtoken.token": "API tokens are secrets: issue new ones after a restore",
    "authtoken.tokenproxy": "the admin's view of authtoken.token",
    "sessions.session": "sign-in sessions: everyone signs in again after a restore",
    "contenttypes.contenttype": "made by migrate, with ids of its own in each database; "
    "the archive names content types by app label and model",
    "auth.permission": "made by migrate, with ids of its own in each database; "
    "the archive names permissions by codename, app label and model",
}

# Rows fetched per query on export, and inserted per statement on import.
# Sources carry whole documents, and each historical source a copy of one, so
# fewer of them are held at a time.
CHUNK_SIZE = 1000
CHUNK_SIZES = {"sources.source": 100, "sources.historicalsource": 100}

GZIP_MAGIC = b"\x1f\x8b"


class ArchiveError(Exception):
    """The archive cannot be written or restored; nothing was changed."""

    def __init__(self, message: str, *, line: int | None = None, last_line: int | None = None):
        self.line = line
        if line is not None and last_line is not None and last_line != line:
            message = f"Lines {line}–{last_line}: {message}"
        elif line is not None:
            message = f"Line {line}: {message}"
        super().__init__(message)


class Progress:
    """Rows per table as they go: redrawn in place on a terminal, else a line per table."""

    EVERY = 1000

    def __init__(self, stream, *, live: bool):
        self.stream, self.live, self._drawn = stream, live, 0

    @classmethod
    def for_command(cls, stream, verbosity: int) -> "Progress | None":
        live = stream.isatty()
        return cls(stream, live=live) if verbosity >= 2 or (verbosity >= 1 and live) else None

    def advance(self, label: str, done: int, total: int) -> None:
        if self.live:
            self._show(f"{label}: {done:,} of {total:,}", ending="")

    def finish(self, label: str, count: int) -> None:
        self._show(f"{label}: {count:,}", ending="\n")

    def _show(self, text: str, *, ending: str) -> None:
        # Pad over what the previous redraw left on the line.
        line = "\r" + text.ljust(self._drawn) if self.live else text
        self._drawn = 0 if ending else len(text)
        # style_func=str: progress is not an error, whatever colour stderr is given.
        self.stream.write(line, style_func=str, ending=ending)


def _model(label: str):
    return apps.get_model(label)


def _fields(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def _named_fields(model) -> dict[str, type]:
    """Foreign keys to rows that have other ids in another database, by field name."""
    return {
        field.name: field.related_model
        for field in _fields(model)
        if field.is_relation and field.related_model in (ContentType, Permission)
    }


def _natural_keys(using: str) -> dict[type, dict[int, tuple]]:
    return {
        ContentType: {
            ct.pk: ct.natural_key() for ct in ContentType.objects.using(using).order_by("pk")
        },
        Permission: {
            permission.pk: permission.natural_key()
            for permission in Permission.objects.using(using).select_related("content_type")
        },
    }


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
    out: BinaryIO, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
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
        counts = {label: _model(label)._base_manager.using(using).count() for label in MODELS}
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
        names = _natural_keys(using)
        for label in MODELS:
            model = _model(label)
            fields, named = _fields(model), _named_fields(model)
            # For each column, by field name: the natural keys to name its rows by, if any.
            columns = [(field.name, names.get(named.get(field.name))) for field in fields]
            rows = model._base_manager.using(using).order_by("pk")
            rows = rows.values_list("pk", *(field.attname for field in fields))
            done = 0
            for pk, *row in rows.iterator(chunk_size=CHUNK_SIZES.get(label, CHUNK_SIZE)):
                values = {
                    name: _encode(value) if keys is None or value is None else keys[value]
                    for (name, keys), value in zip(columns, row, strict=True)
                }
                out.write(_dumps({"model": label, "pk": pk, "fields": values}))
                done += 1
                if progress is not None and done % Progress.EVERY == 0:
                    progress.advance(label, done, counts[label])
            if done != counts[label]:
                # Only possible when a caller's transaction reads without a snapshot.
                raise ArchiveError(
                    f"{label} changed while it was being exported ({counts[label]} rows "
                    f"counted, {done} written); export again."
                )
            if progress is not None:
                progress.finish(label, done)
    return counts


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
    if listed != list(MODELS) or not all(
        isinstance(entry.get("count"), int) and entry["count"] >= 0 for entry in models
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
            count = _model(label)._base_manager.using(using).count()
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
            table = connection.ops.quote_name(_model(label)._meta.db_table)
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
    stream: BinaryIO, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
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
            for model, keys in _natural_keys(using).items()
        }
        number = 1
        for label in MODELS:
            model = _model(label)
            named = _named_fields(model)
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
                if progress is not None and done % Progress.EVERY == 0:
                    progress.advance(label, done, counts[label])
            if progress is not None:
                progress.finish(label, counts[label])
        extra = next(lines, None)
        if extra is not None:
            raise ArchiveError("more rows than the header announces.", line=extra[0])
        tables = [_model(label)._meta.db_table for label in MODELS]
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
                no_style(), [_model(label) for label in MODELS]
            ):
                cursor.execute(sql)
    return counts


@contextmanager
def archive_writer(path: str | Path) -> Iterator[BinaryIO]:
    """A file to export to: gzip when the name ends in .gz.

    Written beside its final name and moved there only when complete, so a failed
    export never leaves a file that looks like a whole archive.
    """
    path = Path(path)
    partial = path.with_name(path.name + ".partial")
    try:
        with open(partial, "wb") as raw:
            if path.suffix == ".gz":
                # mtime=0 and no file name in the gzip header: the same data gives
                # the same bytes, whenever and under whatever name it is written.
                with gzip.GzipFile(
                    filename="", mode="wb", fileobj=raw, compresslevel=6, mtime=0
                ) as compressed:
                    yield compressed
            else:
                yield raw
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


@contextmanager
def archive_reader(raw: BinaryIO) -> Iterator[BinaryIO]:
    """The archive in ``raw`` (a buffered binary stream), decompressed if it is gzip.

    Recognised by its first bytes rather than its name, so a renamed file or
    standard input reads too.
    """
    if raw.peek(2)[:2] == GZIP_MAGIC:
        with gzip.GzipFile(fileobj=raw, mode="rb") as decompressed:
            yield decompressed
    else:
        yield raw
