"""Query pieces the resource builders share."""

from typing import Any, Literal

from django.contrib.postgres.fields import ArrayField
from django.db import connection, connections, router
from django.db.models import BigIntegerField, BooleanField, DateTimeField, F, Func, Q
from django.db.models.expressions import RawSQL


class _EqualsAny(Func):
    """``field = ANY(array)``"""

    arg_joiner = " = ANY("
    template = "%(expressions)s)"
    output_field = BooleanField()


def id_in(field: str, ids: list[int]):
    """A filter for ``field IN ids``.

    On PostgreSQL the ids travel as one array parameter (``field = ANY(%s)``):
    with the usual IN, each of a 500-row page's ids is a parameter that Django
    prepares and psycopg splices into the query one by one, which costs more
    than running the query.
    """
    if connection.vendor == "postgresql":
        # RawSQL hands the list to psycopg as it is (one array); a Value would
        # prepare every element on the way.
        array = RawSQL("%s", (list(ids),), output_field=ArrayField(BigIntegerField()))
        return _EqualsAny(F(field), array)
    return Q(**{f"{field}__in": ids})


class PageQuery:
    """A values() query over a page's ids, compiled to SQL once per process.

    ``queryset_for(ids)`` makes the query, filtered with id_in. On PostgreSQL
    the ids travel as one array parameter, so the SQL is the same for every
    page; compiling it anew each time cost 1 to 2 ms a query, as much as running
    it (a third of a 50-claim page's time went to compiling its six queries).
    Elsewhere IN takes a parameter per id, and so does a query with a column
    that Django converts after loading (none of the API's on PostgreSQL): those
    are compiled each time.
    """

    def __init__(self, queryset_for):
        self.queryset_for = queryset_for
        self._compiled: tuple[str, list[Any], int] | Literal[False] | None = None
        self._names: list[str] | None = None
        self._model: Any = None

    def rows(self, ids: list[int]) -> list[dict]:
        if self._compiled is None:
            self._compiled = self._compile()
        if not self._compiled:
            return list(self.queryset_for(ids))
        sql, params, position = self._compiled
        params = params.copy()
        params[position] = list(ids)
        # Where the queryset would read (a read replica's requests read there).
        with connections[router.db_for_read(self._model)].cursor() as cursor:
            cursor.execute(sql, params)
            if self._names is None:  # psycopg builds the description anew on each call
                self._names = [column.name for column in cursor.description]
            return [dict(zip(self._names, row, strict=True)) for row in cursor.fetchall()]

    def _compile(self) -> tuple[str, list[Any], int] | Literal[False]:
        """The SQL, its parameters and where the ids go in them; False where the
        query cannot be reused as it is."""
        if connection.vendor != "postgresql":
            return False
        marker = [object()]  # id_in copies the list, not its items
        queryset = self.queryset_for(marker)
        self._model = queryset.model
        compiler = queryset.query.get_compiler(connection=connection)
        sql, params = compiler.as_sql()
        if compiler.get_converters([column for column, _, _ in compiler.select]):
            return False
        return sql, list(params), params.index(marker)


class Rfc3339(Func):
    """A timestamp column, as PostgreSQL formats it in RFC 3339 text (UTC, "Z").

    Turning timestamps into Python datetimes is the largest single cost of a big
    page: Django's time-zone-aware loader parses each one in Python. Text that
    PostgreSQL formats exactly as orjson writes datetimes (microseconds only when
    there are some) costs nothing to load and is rendered as it is. SQLite
    stores text already; there the column is loaded as a datetime as usual.
    """

    # What the column is; on PostgreSQL the value arrives as its text (the
    # backend applies no converter to it).
    output_field = DateTimeField()

    def __init__(self, field: str):
        super().__init__(F(field))

    # Django calls it as (compiler, connection); Func's function/template/arg_joiner
    # parameters do not apply to a bare column.
    def as_sql(self, compiler, connection, **extra_context):  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        utc = f"({sql} AT TIME ZONE 'UTC')"
        text = (
            f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
            f"extract(microseconds FROM {utc})::int %% 1000000 = 0 THEN '' "
            f"ELSE to_char({utc}, '.US') END || 'Z'"
        )
        return text, (*params, *params, *params)
