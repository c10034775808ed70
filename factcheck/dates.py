"""Dates as people write them in query parameters and command options."""

import datetime

from django.utils.dateparse import parse_date

DATE_HELP = "Give a date as YYYY-MM-DD."


def parse_day(value: str | None) -> datetime.date | None:
    """The date ``value`` writes as YYYY-MM-DD (white space around it ignored, as
    the list filters ignore it), None when there is no value; ValueError saying
    how to write one when it is not a date, or not a day of the calendar."""
    if value is None:
        return None
    try:
        day = parse_date(value.strip())
    except ValueError:  # well formed, but no such day (2024-02-30)
        day = None
    if day is None:
        raise ValueError(DATE_HELP)
    return day
