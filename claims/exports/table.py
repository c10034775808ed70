"""Claims as CSV: one row per claim, one definition of the columns.

Each column is a query expression, so the database does the joins and the
aggregation (tags, source URLs, evidence count). On PostgreSQL the rows are
written by the database itself, ``COPY (query) TO STDOUT (FORMAT csv)``, and
streamed through as they arrive, so no row passes through Python (for plain
rows, COPY is about ten times faster than a cursor feeding Python's csv
writer; bench/exports.py measures this query). Elsewhere (SQLite) the same query is read with an
iterator and written by the csv module, formatted as PostgreSQL formats it, so
both paths give the same file. Text cells a spreadsheet would run as a formula
get a ``'`` in front on either path (claims/exports/cells.py).
"""

import csv
import datetime
import io
from collections.abc import Callable, Iterator

from django.core.exceptions import EmptyResultSet
from django.db import connection, connections
from django.db.models import (
    BigIntegerField,
    CharField,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Subquery,
    TextField,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Concat, NullIf

from claims.exports.cells import Neutralised, neutralise
from claims.models import Appearance, Claim, Evidence
from claims.read.verdicts import verdict_fields
from claims.read.visibility import seen_review_state_expression
from factcheck.api.links import Links
from factcheck.api.queries import Rfc3339
from sources.models import Source

# Excel reads a CSV file as UTF-8 only when it starts with a byte-order mark;
# pandas and csv (encoding="utf-8-sig") skip it.
BOM = "\ufeff"
# Several values in one cell (tags, source URLs) are separated by a space:
# neither tag slugs nor normalised URLs contain one.
SEPARATOR = " "
# Rows are sent in chunks of about this many bytes, not one write per row.
CHUNK_BYTES = 64 * 1024
# The columns of text an editor or a source wrote (or named): those a spreadsheet
# could take for a formula (claims/exports/cells.py). The others are numbers, dates,
# enum values and the product's own addresses.
TEXT_COLUMNS = frozenset(
    {
        "label",
        "text",
        "speaker",
        "verdict",
        "verdict_label",
        "rationale",
        "tags",
        "first_appearance_url",
        "source_urls",
    }
)


class Joined(Subquery):
    """The values of a one-column subquery, in its order, joined by SEPARATOR;
    NULL when there are none."""

    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra):
        # ARRAY(subquery) keeps the subquery's order, which string_agg over a
        # subquery does not promise.
        return self.as_sql(
            compiler,
            connection,
            template=f"NULLIF(array_to_string(ARRAY(%(subquery)s), '{SEPARATOR}'), '')",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template=f"(SELECT group_concat(v, '{SEPARATOR}') FROM (%(subquery)s))",
            **extra,
        )


class IsoDate(Func):
    """A date as YYYY-MM-DD text, whatever the server's DateStyle."""

    output_field = CharField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM-DD')")

    # Django calls it as (compiler, connection); as_postgresql passes the template.
    def as_sql(self, compiler, connection, **extra):  # type: ignore[override]
        if "template" in extra:
            return super().as_sql(compiler, connection, **extra)
        # SQLite stores dates as this text already.
        return compiler.compile(self.source_expressions[0])


def _blank_as_null(expression):
    """Text that may be blank, as NULL when blank: COPY writes an empty string as ""
    and NULL as nothing, and the csv module writes both as nothing."""
    return NullIf(expression, Value(""), output_field=TextField())


def columns(*, public: bool, links: Links, as_of: datetime.date | None) -> list[tuple[str, object]]:
    """(header, expression) for every CSV column, for one viewer."""
    verdict = verdict_fields(public=public, as_of=as_of)
    appears_in = Appearance.objects.filter(claim=OuterRef(OuterRef("pk")), source=OuterRef("pk"))
    return [
        ("id", F("id")),
        (
            "url",
            Concat(
                Value(links.prefix("claims")),
                Cast("id", CharField()),
                Value("/"),
                output_field=CharField(),
            ),
        ),
        ("label", _blank_as_null(F("label"))),
        ("text", _blank_as_null(F("text"))),
        ("speaker", _blank_as_null(F("speaker__name"))),
        ("speaker_kind", F("speaker__kind")),
        ("attribution", F("attribution")),
        ("stated_on", IsoDate("stated_on")),
        ("verdict", verdict["slug"]),
        ("verdict_label", verdict["label"]),
        ("verdict_value", verdict["value"]),
        ("review_state", seen_review_state_expression(public=public)),
        ("rationale", _blank_as_null(verdict["rationale"])),
        (
            "tags",
            Joined(
                Claim.tags.through.objects.filter(claim_id=OuterRef("pk"))
                .order_by("tag__slug")
                .values(v=F("tag__slug"))
            ),
        ),
        (
            "first_appearance_url",
            _blank_as_null(
                Subquery(
                    Appearance.objects.filter(claim=OuterRef("pk"), is_first=True)
                    .order_by("id")
                    .values("source__url")[:1]
                )
            ),
        ),
        (
            "source_urls",
            Joined(
                Source.objects.filter(Exists(appears_in))
                .exclude(url="")
                .order_by("url")
                .values(v=F("url"))
            ),
        ),
        (
            "evidence_count",
            Coalesce(
                Subquery(
                    Evidence.objects.filter(claim=OuterRef("pk"))
                    .order_by()
                    .values("claim")
                    .annotate(n=Count("id"))
                    .values("n"),
                    output_field=BigIntegerField(),
                ),
                Value(0),
                output_field=IntegerField(),
            ),
        ),
        ("updated_at", Rfc3339("updated_at")),
    ]


def _rows_query(claims, *, public, links, as_of, neutralise_in_sql: bool):
    """The header and the rows' query; with ``neutralise_in_sql``, the query itself
    neutralises the text cells (for COPY), else the Python path does."""
    exprs = [
        (header, Neutralised(expr) if neutralise_in_sql and header in TEXT_COLUMNS else expr)
        for header, expr in columns(public=public, links=links, as_of=as_of)
    ]
    rows = claims.order_by("id").values_list(*(expr for _, expr in exprs))
    return [header for header, _ in exprs], rows


def write_csv(
    claims,
    *,
    public: bool,
    links: Links,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
    use_copy: bool | None = None,
) -> Iterator[bytes]:
    """The CSV file of ``claims``, in chunks. ``progress(n)`` is told of every n rows
    written. ``use_copy`` chooses the path (default: COPY on PostgreSQL)."""
    if use_copy is None:
        use_copy = connection.vendor == "postgresql"
    header, rows = _rows_query(
        claims, public=public, links=links, as_of=as_of, neutralise_in_sql=use_copy
    )
    yield _csv_line(header, bom=True)
    if use_copy:
        chunks = _copy_rows(rows, progress)
    else:
        text = [index for index, name in enumerate(header) if name in TEXT_COLUMNS]
        chunks = _python_rows(rows, progress, text)
    yield from chunks


def _csv_line(values, *, bom: bool = False) -> bytes:
    buffer = io.StringIO()
    if bom:
        buffer.write(BOM)
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode()


def _copy_rows(rows, progress) -> Iterator[bytes]:
    import psycopg

    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # filters no row can match (Django compiles no SQL for them)
        return
    with connections[rows.db].cursor() as wrapper:  # a read replica's, in its requests
        cursor = wrapper.cursor  # psycopg's own
        # COPY takes no bound parameters: the query goes in with its values
        # inlined, quoted by psycopg.
        query = psycopg.ClientCursor(cursor.connection).mogrify(sql, params)
        # Compiling this query with JIT costs PostgreSQL seconds that a scan of
        # index lookups does not win back (measured on 12,000 rows: 2.4 s of 3.6 s).
        cursor.execute("SET jit = off")
        try:
            yield from _stream_copy(cursor, query, progress)
        finally:
            cursor.execute("RESET jit")


def _stream_copy(cursor, query: str, progress) -> Iterator[bytes]:
    buffer, count = bytearray(), 0
    with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for row in copy:  # one message per row
            buffer += row
            count += 1
            if len(buffer) >= CHUNK_BYTES:
                yield bytes(buffer)
                buffer.clear()
                if progress:
                    progress(count)
                    count = 0
    if buffer:
        yield bytes(buffer)
    if progress and count:
        progress(count)


def _cell(value) -> str | int | None:
    if isinstance(value, datetime.datetime):
        # As PostgreSQL formats it (see Rfc3339): UTC, "Z", microseconds if any.
        text = value.astimezone(datetime.UTC).isoformat()
        return text.removesuffix("+00:00") + "Z"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _python_rows(rows, progress, text: list[int]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    count = 0
    for row in rows.iterator(chunk_size=2000):
        cells = [_cell(value) for value in row]
        for index in text:
            cells[index] = neutralise(cells[index])
        writer.writerow(cells)
        count += 1
        if buffer.tell() >= CHUNK_BYTES:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
            if progress:
                progress(count)
                count = 0
    if buffer.tell():
        yield buffer.getvalue().encode()
    if progress and count:
        progress(count)
