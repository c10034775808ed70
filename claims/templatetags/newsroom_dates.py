"""Dates in the newsroom's time zone, the zone named (factcheck.dates), for templates.

{% load newsroom_dates %}
{{ source.published_at|newsroom_moment }}        7 January 2020, 20:00 EST
{{ source.published_at|newsroom_moment:"short" }}  7 Jan 2020, 20:00 EST
"""

from django import template

from factcheck.dates import format_moment

register = template.Library()


@register.filter
def newsroom_moment(moment, style: str = "") -> str:
    return format_moment(moment, short=style == "short")
