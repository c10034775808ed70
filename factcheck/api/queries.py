"""Query pieces the resource builders share."""

from django.contrib.postgres.fields import ArrayField
from django.db import connection
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

    def as_sql(self, compiler, connection, **extra_context):
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
