"""Dates as people write them in query parameters and command options.

The one strict reading of dates and moments for every filter, cursor and
option: a value is either understood or refused with a ValueError that says how
to write one, never passed on to the database to fail there (PostgreSQL refuses
a time-zone offset beyond ±15:59 that Python accepts, and a streamed export
had already sent its first bytes by then).
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.dateparse import parse_date, parse_datetime

DATE_HELP = "Give a date as YYYY-MM-DD."
MOMENT_HELP = "Give an ISO 8601 date (2020-01-08) or date-time (2020-01-08T09:00:00Z)."
OFFSET_HELP = "A time-zone offset must lie between -15:59 and +15:59."
RANGE_HELP = "This moment is out of range (years 1 to 9999, in UTC)."
# Longer than any way of writing a moment ("2020-01-08T09:00:00.000000+05:30" is 32).
MAX_LENGTH = 64
# PostgreSQL's limit on a time-zone offset (and beyond any real one, +14:00).
MAX_OFFSET = datetime.timedelta(hours=15, minutes=59)
# What the OpenAPI schema says of a date-time, besides its format: an offset within
# ±15:59, and a year from 0002 to 9998 (so that it is a moment of years 1–9999 in
# UTC whatever its offset).
MOMENT_PATTERN = (
    r"^(?!000[01]|9999)[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2}([.,][0-9]+)?)?"
    r"([Zz]|[+-](0[0-9]|1[0-5]):?[0-5][0-9])?$"
)


def parse_day(value: str | None) -> datetime.date | None:
    """The date ``value`` writes as YYYY-MM-DD (white space around it ignored, as
    the list filters ignore it), None when there is no value; ValueError saying
    how to write one when it is not a date, or not a day of the calendar."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(DATE_HELP)
    try:
        day = parse_date(text)
    except ValueError:  # well formed, but no such day (2024-02-30)
        day = None
    if day is None:
        raise ValueError(DATE_HELP)
    return day


def parse_instant(value: str, *, require_offset: bool = False) -> datetime.datetime:
    """The date-time ``value`` writes in ISO 8601, in UTC (one without an offset is
    taken as UTC, unless ``require_offset``); ValueError saying what is wrong when
    it is not one, its offset is beyond ±15:59, or in UTC it falls outside the
    years 1–9999."""
    text = value.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(MOMENT_HELP)
    try:
        # RFC 3339 allows a lower-case t and z.
        moment = parse_datetime(text.upper())
    except ValueError:  # well formed, but no such moment (24:61, month 13, +24:00)
        moment = None
    if moment is None:
        raise ValueError(MOMENT_HELP)
    offset = moment.utcoffset()
    if offset is None:
        if require_offset:
            raise ValueError(MOMENT_HELP)
        return moment.replace(tzinfo=datetime.UTC)
    if abs(offset) > MAX_OFFSET:
        raise ValueError(OFFSET_HELP)
    try:
        return moment.astimezone(datetime.UTC)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before the year 1 in UTC
        raise ValueError(RANGE_HELP) from None


def parse_moment(value: str | None, *, end_of_day: bool = False) -> datetime.datetime | None:
    """An ISO 8601 date-time (``parse_instant``), or a date meaning the start (with
    ``end_of_day``, the end) of that day in UTC; None when there is no value."""
    if value is None:
        return None
    text = value.strip()
    if len(text) > MAX_LENGTH:
        raise ValueError(MOMENT_HELP)
    try:
        day = parse_date(text)
    except ValueError:
        raise ValueError(MOMENT_HELP) from None
    if day is None:
        return parse_instant(text)
    time = datetime.time.max if end_of_day else datetime.time.min
    return datetime.datetime.combine(day, time, tzinfo=datetime.UTC)


# Showing dates -----------------------------------------------------------------------------
# Stored moments are UTC; the newsroom reads them in its own time zone
# (settings.TIME_ZONE, from the environment), always with the zone named, so that
# "7 January 2020, 20:00 EST" cannot be mistaken for a day in another zone.
DAY_FORMAT = "j F Y"
MOMENT_FORMAT = "j F Y, H:i T"
SHORT_MOMENT_FORMAT = "j M Y, H:i T"


def newsroom_time(moment: datetime.datetime | str | None) -> datetime.datetime | None:
    """``moment`` (aware, or RFC 3339 text as PostgreSQL's JSON gives it) in the
    newsroom's time zone; None for None."""
    if moment is None:
        return None
    if isinstance(moment, str):
        moment = parse_instant(moment)
    return timezone.localtime(moment, timezone.get_default_timezone())


def newsroom_day(moment: datetime.datetime | str | None) -> datetime.date | None:
    """The calendar day ``moment`` falls on in the newsroom's time zone."""
    local = newsroom_time(moment)
    return None if local is None else local.date()


def format_moment(moment: datetime.datetime | str | None, *, short: bool = False) -> str:
    """``moment`` in the newsroom's time zone, the zone named: "7 January 2020,
    20:00 EST" ("7 Jan 2020, 20:00 EST" when ``short``); "" for None."""
    local = newsroom_time(moment)
    if local is None:
        return ""
    return date_format(local, SHORT_MOMENT_FORMAT if short else MOMENT_FORMAT)
