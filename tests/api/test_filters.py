"""Each filter of the claims and sources lists, and the search."""

import datetime

import pytest
from django.http import QueryDict
from django.utils import timezone

from claims.models import Claim
from claims.read.filters import ClaimFilter
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    OutletFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
)
from tests.helpers import publish

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


def ids(client, url) -> set[int]:
    response = client.get(url)
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["results"]}


@pytest.fixture
def claims(editor, reviewer):
    """Three public claims that differ in every filtered attribute."""
    pentagon = SpeakerFactory(name="The Pentagon", kind="military", aliases="DoD")
    trump = SpeakerFactory(name="Donald Trump", kind="person")
    cbs, fox = OutletFactory(name="CBS News"), OutletFactory(name="Fox News")
    iran, strike = TagFactory(slug="iran"), TagFactory(slug="strike")

    missiles = ClaimFactory(
        label="more than a dozen ballistic missiles",
        text="Iran launched a dozen missiles.",
        speaker=pentagon,
        stated_on=datetime.date(2020, 1, 8),
        language="en",
    )
    missiles.tags.add(iran)
    AppearanceFactory(claim=missiles, source=SourceFactory(outlet=cbs))
    publish(missiles, editor=editor, reviewer=reviewer, slug="true")

    casualties = ClaimFactory(
        label="no casualties",
        text="No Americans were harmed in the attack.",
        speaker=trump,
        stated_on=datetime.date(2020, 1, 8),
        language="en",
    )
    casualties.tags.add(iran, strike)
    AppearanceFactory(claim=casualties, source=SourceFactory(outlet=fox))
    publish(casualties, editor=editor, reviewer=reviewer, slug="false")

    sovereignty = ClaimFactory(
        label="attaque contre la souveraineté",
        text="Une attaque contre l'Irak.",
        speaker=None,
        stated_on=datetime.date(2020, 1, 5),
        language="fr",
        review_state=State.PUBLISHED,
    )
    return {
        "missiles": missiles,
        "casualties": casualties,
        "sovereignty": sovereignty,
        "pentagon": pentagon,
        "trump": trump,
        "cbs": cbs,
        "fox": fox,
    }


def test_claims_filter_by_review_state(editor_client, claims, draft_claim):
    assert ids(editor_client, "/api/v1/claims/?review_state=draft") == {draft_claim.pk}
    assert draft_claim.pk not in ids(editor_client, "/api/v1/claims/?review_state=published")


def test_claims_filter_by_verdict_with_repeated_values(anonymous, claims):
    everything = "/api/v1/claims/?verdict=true&verdict=false"

    assert ids(anonymous, "/api/v1/claims/?verdict=false") == {claims["casualties"].pk}
    assert ids(anonymous, everything) == {claims["casualties"].pk, claims["missiles"].pk}


def test_claims_filter_by_speaker_and_speaker_kind(anonymous, claims):
    pentagon = claims["pentagon"].pk

    assert ids(anonymous, f"/api/v1/claims/?speaker={pentagon}") == {claims["missiles"].pk}
    assert ids(anonymous, "/api/v1/claims/?speaker_kind=person") == {claims["casualties"].pk}


def test_claims_filter_by_outlet_and_source(anonymous, claims):
    source = claims["missiles"].appearances.get().source_id

    assert ids(anonymous, f"/api/v1/claims/?outlet={claims['fox'].pk}") == {claims["casualties"].pk}
    assert ids(anonymous, f"/api/v1/claims/?source={source}") == {claims["missiles"].pk}


def test_claims_filter_by_tag_without_repeating_a_claim(anonymous, claims):
    both = ids(anonymous, "/api/v1/claims/?tag=iran&tag=strike")
    listed = anonymous.get("/api/v1/claims/?tag=iran&tag=strike").json()["results"]

    assert ids(anonymous, "/api/v1/claims/?tag=strike") == {claims["casualties"].pk}
    assert both == {claims["casualties"].pk, claims["missiles"].pk}
    assert len(listed) == 2


def test_claims_filter_by_language(anonymous, claims):
    assert ids(anonymous, "/api/v1/claims/?language=fr") == {claims["sovereignty"].pk}


def test_claims_filter_by_stated_on_range(anonymous, claims):
    url = "/api/v1/claims/?stated_on_after=2020-01-06&stated_on_before=2020-01-08"

    assert ids(anonymous, url) == {claims["missiles"].pk, claims["casualties"].pk}
    assert ids(anonymous, "/api/v1/claims/?stated_on_before=2020-01-05") == {
        claims["sovereignty"].pk
    }


def test_claims_filter_by_updated_since_for_incremental_sync(anonymous, claims):
    checkpoint = timezone.now()
    claim = claims["missiles"]
    claim.refresh_from_db()
    claim.speaker_role = "spokesperson"
    claim.save()

    since = checkpoint.strftime("%Y-%m-%dT%H:%M:%S.%fZ")

    assert ids(anonymous, f"/api/v1/claims/?updated_since={since}") == {claim.pk}


def test_claims_filter_by_whether_they_have_evidence(anonymous, claims):
    without = {claims["sovereignty"].pk}

    assert ids(anonymous, "/api/v1/claims/?has_evidence=false") == without
    assert ids(anonymous, "/api/v1/claims/?has_evidence=true").isdisjoint(without)


def test_search_matches_text_label_and_speaker_names(anonymous, claims):
    assert ids(anonymous, "/api/v1/claims/?q=missiles") == {claims["missiles"].pk}
    assert ids(anonymous, "/api/v1/claims/?q=Americans") == {claims["casualties"].pk}
    assert ids(anonymous, "/api/v1/claims/?q=pentagon") == {claims["missiles"].pk}
    assert ids(anonymous, "/api/v1/claims/?q=DoD") == {claims["missiles"].pk}


def test_search_combines_with_filters(anonymous, claims):
    assert ids(anonymous, "/api/v1/claims/?q=attack&language=en") == {claims["casualties"].pk}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("verdict=mostly-made-up", "verdict"),
        ("speaker=999999", "speaker"),
        ("speaker=pentagon", "speaker"),
        ("speaker_kind=alien", "speaker_kind"),
        ("outlet=999999", "outlet"),
        ("source=0", "source"),
        ("tag=no-such-tag", "tag"),
        ("review_state=approved", "review_state"),
        ("language=english!", "language"),
        ("stated_on_after=last-week", "stated_on_after"),
        ("updated_since=2020-13-01", "updated_since"),
        ("has_evidence=maybe", "has_evidence"),
        ("has_evidence=", "has_evidence"),
        ("ordering=verdict", "ordering"),
        ("page_size=many", "page_size"),
        ("speker=1", "speker"),
    ],
)
def test_an_unknown_filter_value_is_a_400_naming_the_parameter(anonymous, query, parameter):
    response = anonymous.get(f"/api/v1/claims/?{query}")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == [parameter]
    assert response.json()["message"].startswith(parameter)


# Sources ---------------------------------------------------------------------------------------


@pytest.fixture
def sources():
    cbs = OutletFactory(name="CBS News")
    utc = datetime.UTC
    return {
        "report": SourceFactory(
            outlet=cbs,
            kind="report",
            url="https://www.cbsnews.com/news/iran-missiles/",
            published_at=datetime.datetime(2020, 1, 8, 9, 0, tzinfo=utc),
        ),
        "statement": SourceFactory(
            kind="statement", published_at=datetime.datetime(2020, 1, 3, 23, 0, tzinfo=utc)
        ),
        "undated": SourceFactory(kind="broadcast", published_at=None),
        "cbs": cbs,
    }


def test_sources_filter_by_outlet_and_kind(anonymous, sources):
    report, cbs = sources["report"].pk, sources["cbs"].pk

    assert ids(anonymous, f"/api/v1/sources/?outlet={cbs}") == {report}
    assert ids(anonymous, "/api/v1/sources/?kind=report&kind=statement") == {
        report,
        sources["statement"].pk,
    }


def test_sources_filter_by_published_range_with_dates_or_moments(anonymous, sources):
    on_the_8th = "/api/v1/sources/?published_after=2020-01-08&published_before=2020-01-08"
    early = "/api/v1/sources/?published_before=2020-01-04T00:00:00Z"

    assert ids(anonymous, on_the_8th) == {sources["report"].pk}
    assert ids(anonymous, early) == {sources["statement"].pk}


def test_sources_filter_by_url_as_normalised(anonymous, sources):
    typed = "HTTPS://WWW.CBSNEWS.COM/news/iran-missiles/?utm_source=twitter%23top"

    assert ids(anonymous, f"/api/v1/sources/?url={typed}") == {sources["report"].pk}


def test_undated_sources_sort_after_dated_ones(anonymous, sources):
    listed = anonymous.get("/api/v1/sources/").json()["results"]

    assert [item["id"] for item in listed] == [
        sources["report"].pk,
        sources["statement"].pk,
        sources["undated"].pk,
    ]


def test_a_drafts_source_does_not_reveal_it_through_filters(anonymous, editor_client, draft_claim):
    source = draft_claim.appearances.get().source_id

    assert ids(editor_client, f"/api/v1/claims/?source={source}") == {draft_claim.pk}

    assert ids(anonymous, f"/api/v1/claims/?source={source}") == set()


def test_editors_list_the_claims_due_for_a_recheck(editor_client):
    today = timezone.localdate()
    due = ClaimFactory(recheck_on=today - datetime.timedelta(days=1))
    later = ClaimFactory(recheck_on=today + datetime.timedelta(days=30))
    never = ClaimFactory(recheck_on=None)

    assert ids(editor_client, "/api/v1/claims/?recheck_due=true") == {due.pk}
    assert ids(editor_client, "/api/v1/claims/?recheck_due=false") == {later.pk, never.pk}
    assert ids(
        editor_client, f"/api/v1/claims/?recheck_on_before={today + datetime.timedelta(days=60)}"
    ) == {due.pk, later.pk}


def test_a_list_is_filtered_by_the_filters_it_was_given_only():
    given = QueryDict("tag=iran&q=missiles")

    filterset = ClaimFilter(data=given, queryset=Claim.objects.all(), given_only=True)

    assert set(filterset.filters) == {"tag", "q"}
    assert set(ClaimFilter(data=given, queryset=Claim.objects.all()).filters) == set(
        ClaimFilter.base_filters
    )


def test_a_bad_value_next_to_a_good_one_is_still_named(anonymous, claims):
    response = anonymous.get("/api/v1/claims/?q=missiles&stated_on_after=yesterday")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"stated_on_after"}


def test_the_browsable_api_offers_every_filter_while_one_is_used(editor, client):
    client.force_login(editor)

    page = client.get("/api/v1/claims/?q=missiles", HTTP_ACCEPT="text/html").content.decode()

    for name in ClaimFilter.base_filters:
        assert f'name="{name}"' in page
