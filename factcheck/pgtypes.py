"""Moments sent to PostgreSQL in UTC.

PostgreSQL reads a time-zone offset only within ±15:59, while Python's datetime
takes any offset under 24 hours. A moment read from a request with a larger
offset (an admin list's ``?updated_at__gte=…+16:00``, a value some other path
let through) would reach the server as written and be refused, a 500. The
moment is the same in UTC, and a ``timestamptz`` is stored in UTC anyway, so
every aware datetime is converted before it is sent (psycopg's dumpers, text
and binary, for the whole process). A moment that has no UTC year between 1 and
9999 is refused as a DataError, which the request layer answers with a 400.
"""

from datetime import UTC, datetime

import psycopg
from psycopg.types.datetime import DatetimeBinaryDumper, DatetimeDumper


def in_utc(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() == UTC.utcoffset(None):
        return value
    try:
        return value.astimezone(UTC)
    except OverflowError as error:
        raise psycopg.DataError(f"The moment {value.isoformat()} is out of range.") from error


class UTCDatetimeDumper(DatetimeDumper):
    def dump(self, obj: datetime):
        return super().dump(in_utc(obj))


class UTCDatetimeBinaryDumper(DatetimeBinaryDumper):
    def dump(self, obj: datetime):
        return super().dump(in_utc(obj))


def register() -> None:
    """On psycopg's global adapters, which Django's connections extend."""
    psycopg.adapters.register_dumper(datetime, UTCDatetimeDumper)
    psycopg.adapters.register_dumper(datetime, UTCDatetimeBinaryDumper)
