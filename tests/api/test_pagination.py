"""Cursor pagination: stable while records are added, capped page sizes."""

import pytest

from claims.models import Claim
from factcheck.api.pagination import KeysetPagination
from tests.factories import ClaimFactory, SourceFactory, TagFactory
from tests.helpers import walk

pytestmark = pytest.mark.django_db

PUBLISHED = Claim.ReviewState.PUBLISHED


def test_pages_follow_each_other_without_gaps_or_repeats(anonymous):
    claims = ClaimFactory.create_batch(7, review_state=PUBLISHED)

    listed = walk(anonymous, "/api/v1/claims/?page_size=3&ordering=id")

    assert [claim["id"] for claim in listed] == [claim.pk for claim in claims]


def test_records_added_between_pages_neither_repeat_nor_skip_rows(anonymous):
    before = ClaimFactory.create_batch(6, review_state=PUBLISHED)
    first = anonymous.get("/api/v1/claims/?page_size=2").json()  # newest changes first

    ClaimFactory.create_batch(3, review_state=PUBLISHED)  # newer: they go before the cursor
    rest = walk(anonymous, first["next"])

    seen = [claim["id"] for claim in first["results"] + rest]
    assert seen == [claim.pk for claim in reversed(before)]


def test_records_added_with_the_same_sort_value_do_not_shift_later_pages(anonymous):
    sources = [SourceFactory(published_at=None) for _ in range(4)]
    first = anonymous.get("/api/v1/sources/?page_size=2&ordering=published_at").json()

    added = SourceFactory(published_at=None)  # ties with every undated source
    rest = walk(anonymous, first["next"])

    seen = [source["id"] for source in first["results"] + rest]
    assert seen == [source.pk for source in sources] + [added.pk]


def test_the_previous_link_leads_back(anonymous):
    ClaimFactory.create_batch(5, review_state=PUBLISHED)
    first = anonymous.get("/api/v1/claims/?page_size=2&ordering=id").json()
    second = anonymous.get(first["next"]).json()

    back = anonymous.get(second["previous"]).json()

    assert back["results"] == first["results"]
    assert first["previous"] is None


def test_a_page_size_over_the_limit_is_capped_not_refused(anonymous, monkeypatch):
    assert KeysetPagination.max_page_size == 500
    monkeypatch.setattr(KeysetPagination, "max_page_size", 3)
    tags = TagFactory.create_batch(5)

    page = anonymous.get("/api/v1/tags/?page_size=100000&ordering=id")

    assert page.status_code == 200
    assert [tag["id"] for tag in page.json()["results"]] == [tag.pk for tag in tags[:3]]
    assert page.json()["next"] is not None


def test_the_default_page_size_is_50(anonymous):
    TagFactory.create_batch(51)

    assert len(anonymous.get("/api/v1/tags/").json()["results"]) == 50


@pytest.mark.parametrize("cursor", ["nonsense", "eyJvIjoiaWQifQ", "%00"])
def test_a_tampered_cursor_is_a_400(anonymous, cursor):
    response = anonymous.get(f"/api/v1/claims/?cursor={cursor}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["cursor"]


def test_a_cursor_is_bound_to_its_ordering(anonymous):
    ClaimFactory.create_batch(3, review_state=PUBLISHED)
    next_link = anonymous.get("/api/v1/claims/?page_size=1&ordering=id").json()["next"]

    response = anonymous.get(next_link.replace("ordering=id", "ordering=-id"))

    assert response.status_code == 400
    assert "ordering=id" in response.json()["errors"]["cursor"][0]
