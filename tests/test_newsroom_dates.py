"""Dates are shown in the newsroom's time zone (TIME_ZONE), with the zone named:
Slate's article, posted the U.S. evening of 7 January 2020 (01:00 UTC on the 8th),
reads as 7 January in New York."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from claims.annotate.forms import ClaimFromSelectionForm
from claims.exports.report import render_report_html
from claims.models import Claim
from factcheck.api.links import Links
from factcheck.dates import format_moment, newsroom_day
from sources.models import Source
from tests.exports.test_report import text_of

SLATE_POSTED = datetime.datetime(2020, 1, 8, 1, 0, tzinfo=datetime.UTC)
NEW_YORK = override_settings(TIME_ZONE="America/New_York")


def slate() -> Source:
    return Source.objects.get(title__startswith="Iran Launches Missile Attack")


@NEW_YORK
def test_a_moment_is_shown_in_the_newsroom_zone_with_the_zone_named():
    assert format_moment(SLATE_POSTED) == "7 January 2020, 20:00 EST"
    assert format_moment(SLATE_POSTED, short=True) == "7 Jan 2020, 20:00 EST"
    assert newsroom_day(SLATE_POSTED) == datetime.date(2020, 1, 7)


@NEW_YORK
def test_the_databases_rfc_3339_text_is_read_the_same_way():
    assert format_moment("2020-01-08T01:00:00+00:00") == "7 January 2020, 20:00 EST"
    assert newsroom_day("2020-01-08T01:00:00Z") == datetime.date(2020, 1, 7)


def test_in_utc_the_same_moment_is_the_8th():
    assert format_moment(SLATE_POSTED) == "8 January 2020, 01:00 UTC"
    assert format_moment(None) == ""


@override_settings(TIME_ZONE="Asia/Tehran")
def test_another_newsroom_sees_its_own_zone():
    assert format_moment(SLATE_POSTED) == "8 January 2020, 04:30 +0330"


@pytest.mark.django_db
@NEW_YORK
def test_the_report_dates_slates_article_7_january_in_new_york(seed):
    claims = Claim.objects.filter(label="directly claimed by Iran")
    html = "".join(render_report_html(claims, public=False, links=Links(), title="R", filters=[]))

    text = text_of(html)
    assert "Slate, 7 Jan 2020, 20:00 EST" in text
    assert "8 Jan 2020" not in text


@pytest.mark.django_db
def test_the_report_in_utc_dates_it_the_8th(seed):
    claims = Claim.objects.filter(label="directly claimed by Iran")
    html = "".join(render_report_html(claims, public=False, links=Links(), title="R", filters=[]))

    assert "Slate, 8 Jan 2020, 01:00 UTC" in text_of(html)


@pytest.mark.django_db
@NEW_YORK
def test_the_annotate_page_dates_the_source_in_the_newsroom_zone(seed, editor_admin):
    response = editor_admin.get(reverse("admin:sources_source_annotate", args=[slate().pk]))

    assert "Slate, <time" in response.content.decode()
    assert "7 January 2020, 20:00 EST</time>" in response.content.decode()


@pytest.mark.django_db
@NEW_YORK
def test_the_admins_source_page_names_the_zone_of_its_times(seed, staff_client):
    page = staff_client.get(reverse("admin:sources_source_change", args=[slate().pk]))

    # Its record times (entered 2020-01-09 09:30 UTC), in the newsroom's zone, named.
    assert "2020-01-09 04:30 EST" in page.content.decode()


@pytest.mark.django_db
@NEW_YORK
def test_the_new_claim_form_dates_a_claim_on_the_day_the_newsroom_saw_it_published(seed):
    form = ClaimFromSelectionForm(source=slate(), prefix="claim")

    assert form.fields["stated_on"].initial == datetime.date(2020, 1, 7)
