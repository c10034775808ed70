"""Moments reach the database in UTC, so an offset PostgreSQL cannot read (beyond
±15:59) is no server error anywhere, and a value the database cannot hold is a 400."""

from datetime import datetime, timedelta, timezone

import pytest
from django.db import connection

from claims.models import Claim
from factcheck.pgtypes import in_utc
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

FAR_EAST = timezone(timedelta(hours=16))
LISTS = ["claims/claim", "claims/appearance", "claims/evidence", "sources/source"]


def test_a_moment_with_a_large_offset_is_sent_as_the_same_moment_in_utc():
    moment = datetime(2020, 1, 8, 12, 0, tzinfo=FAR_EAST)

    assert in_utc(moment) == moment
    assert in_utc(moment).utcoffset() == timedelta(0)


def test_a_filter_on_a_moment_sixteen_hours_east_of_utc_finds_what_it_should():
    claim = ClaimFactory()
    after = claim.created_at.astimezone(FAR_EAST) - timedelta(minutes=1)

    assert list(Claim.objects.filter(created_at__gte=after)) == [claim]
    assert not Claim.objects.filter(created_at__gte=after + timedelta(minutes=2)).exists()


@pytest.mark.parametrize("changelist", LISTS)
def test_an_admin_list_filtered_sixteen_hours_east_of_utc_is_no_server_error(
    admin_client, changelist
):
    response = admin_client.get(
        f"/admin/{changelist}/", {"created_at__gte": "2020-01-01T00:00:00+16:00"}
    )

    assert response.status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite stores moments as text")
def test_a_moment_with_no_utc_year_is_a_400_that_says_why(admin_client):
    response = admin_client.get(
        "/admin/claims/claim/", {"created_at__gte": "0001-01-01T00:00:00+15:00"}
    )

    assert response.status_code == 400
    assert "outside what the database can store" in response.content.decode()
