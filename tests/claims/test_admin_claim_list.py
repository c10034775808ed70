"""The claims changelist: its filters, its search, the verdict's colour, and how it counts."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.models import Claim, Rating, Speaker
from factcheck.admin_tools import EstimatedCountPaginator
from sources.models import Outlet
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    OutletFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
)
from tests.helpers import admin_url, counts_over


@pytest.fixture
def two_claims(db):
    """One claim that every filter below picks, and one that none picks."""
    outlet = OutletFactory(name="Reuters")
    tag = TagFactory(name="Iran")
    picked = ClaimFactory(
        label="picked claim",
        review_state=Claim.ReviewState.IN_RESEARCH,
        verdict=Rating.objects.get(slug="false"),
        speaker=SpeakerFactory(kind=Speaker.Kind.GOVERNMENT),
        stated_on=datetime.date(2020, 1, 8),
    )
    picked.tags.add(tag)
    # Two appearances in the same outlet: the outlet filter must still list it once.
    AppearanceFactory(claim=picked, source=SourceFactory(outlet=outlet))
    AppearanceFactory(claim=picked, source=SourceFactory(outlet=outlet))
    EvidenceFactory(claim=picked)
    other = ClaimFactory(label="other claim", stated_on=datetime.date(2019, 1, 1))
    with connection.cursor() as cursor:
        # Raw SQL: saving would stamp it now, and tracked querysets refuse update().
        cursor.execute(
            "UPDATE claims_claim SET updated_at = %s WHERE id = %s",
            [timezone.now() - datetime.timedelta(days=400), other.pk],
        )
    return picked, other


@pytest.mark.parametrize(
    "filter_params",
    [
        lambda picked: {"review_state__exact": "in_research"},
        lambda picked: {"verdict__id__exact": picked.verdict_id},
        lambda picked: {"speaker__id__exact": picked.speaker_id},
        lambda picked: {"speaker_kind": "government"},
        lambda picked: {"outlet": Outlet.objects.get(name="Reuters").pk},
        lambda picked: {"tags__id__exact": picked.tags.get().pk},
        lambda picked: {"stated_on__gte": "2020-01-01", "stated_on__lt": "2020-02-01"},
        lambda picked: {"updated_at__gte": str(timezone.now() - datetime.timedelta(days=7))},
        lambda picked: {"has_evidence": "yes"},
        lambda picked: {"q": "picked"},
    ],
    ids=[
        "review state",
        "verdict",
        "speaker",
        "speaker kind",
        "outlet",
        "tag",
        "stated on",
        "updated at",
        "has evidence",
        "search",
    ],
)
def test_each_claim_filter_lists_just_the_matching_claim_once(
    staff_client, two_claims, filter_params
):
    picked, _ = two_claims

    response = staff_client.get(admin_url(Claim, "changelist"), filter_params(picked))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [picked]
    assert response.context["cl"].result_count == 1


def test_claims_without_evidence_can_be_listed(staff_client, two_claims):
    _, other = two_claims

    response = staff_client.get(admin_url(Claim, "changelist"), {"has_evidence": "no"})

    assert list(response.context["cl"].result_list) == [other]


def test_the_speaker_filter_offers_only_speakers_with_claims(staff_client, two_claims):
    picked, _ = two_claims
    idle = SpeakerFactory(name="Speaker without claims")

    response = staff_client.get(admin_url(Claim, "changelist"))

    page = response.content.decode()
    assert picked.speaker.name in page
    assert idle.name not in page


@pytest.mark.parametrize("outlet", ["reuters", "99999999999999999999"])
def test_a_malformed_outlet_filter_is_not_an_error_page(staff_client, two_claims, outlet):
    response = staff_client.get(admin_url(Claim, "changelist"), {"outlet": outlet})

    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_verdict_is_shown_in_its_colour(staff_client, two_claims):
    response = staff_client.get(admin_url(Claim, "changelist"))

    badge = '<rect width="1" height="1" fill="#c62828"/></svg>False</span>'
    assert badge in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_the_unfiltered_claim_list_does_not_count_the_claims_table(staff_client, monkeypatch):
    for _ in range(5):
        ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_below", 1)

    with CaptureQueriesContext(connection) as queries:
        response = staff_client.get(admin_url(Claim, "changelist"))

    assert counts_over(queries, "claims_claim") == []
    assert response.context["cl"].result_count == 5


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_filtered_claim_list_is_counted_exactly(staff_client, monkeypatch):
    for _ in range(5):
        ClaimFactory()
    ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    monkeypatch.setattr(EstimatedCountPaginator, "exact_count_below", 1)

    response = staff_client.get(
        admin_url(Claim, "changelist"), {"review_state__exact": "in_review"}
    )

    assert response.context["cl"].result_count == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="planner estimates are PostgreSQL's")
def test_a_small_table_is_counted_exactly_even_when_its_statistics_lag(staff_client):
    ClaimFactory()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")
    ClaimFactory()

    response = staff_client.get(admin_url(Claim, "changelist"))

    assert response.context["cl"].result_count == 2


def test_claims_can_be_found_by_a_speaker_alias(staff_client):
    speaker = SpeakerFactory(name="Donald J. Trump", aliases="Trump\nPOTUS")
    claim = ClaimFactory(speaker=speaker)
    ClaimFactory()

    response = staff_client.get(admin_url(Claim, "changelist"), {"q": "potus"})

    assert list(response.context["cl"].result_list) == [claim]
