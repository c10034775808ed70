"""The one reading of query dates (as_of) that the claims API and the exports share."""

import datetime

import pytest

from factcheck.dates import DATE_HELP, parse_day


def test_a_date_is_read_with_the_white_space_around_it_ignored():
    assert parse_day(" 2020-01-08\n") == datetime.date(2020, 1, 8)


def test_no_value_is_no_date():
    assert parse_day(None) is None


@pytest.mark.parametrize("value", ["", "yesterday", "2020-1-8T00:00", "9999-99-99", "2023-02-29"])
def test_anything_but_a_day_of_the_calendar_says_how_to_write_one(value):
    with pytest.raises(ValueError, match="YYYY-MM-DD") as raised:
        parse_day(value)

    assert str(raised.value) == DATE_HELP


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/claims/", "/api/v1/claims/export.csv"])
def test_the_list_and_the_exports_read_as_of_alike(client, path):
    assert client.get(path, {"as_of": " 2020-01-08 "}).status_code == 200

    refused = client.get(path, {"as_of": "2020-02-30"})

    assert refused.status_code == 400
    assert DATE_HELP in refused.content.decode()
