"""Sources, outlets, speakers, tags, ratings, and a claim's appearances and
evidence: read as researchers see them, written through the model's rules."""

import pytest

from claims.models import AnchorStatus, Appearance, Evidence, Speaker
from sources.models import Source
from tests.factories import (
    AppearanceFactory,
    OutletFactory,
    SourceFactory,
    SpeakerFactory,
)
from tests.helpers import etag

pytestmark = pytest.mark.django_db


def test_a_source_shows_its_document_address_and_text(anonymous):
    source = SourceFactory(url="https://www.cbsnews.com/news/a/?utm_source=x", title="Strike")

    body = anonymous.get(f"/api/v1/sources/{source.pk}/").json()

    assert body["url"] == f"http://testserver/api/v1/sources/{source.pk}/"
    assert body["canonical_url"] == "https://www.cbsnews.com/news/a/"
    assert body["outlet"]["name"] == source.outlet.name
    assert body["text"] == source.text
    assert body["content_hash"] == source.content_hash


def test_an_editor_adds_a_source_with_its_url_normalised(editor_client):
    outlet = OutletFactory()

    response = editor_client.post(
        "/api/v1/sources/",
        {
            "title": "Statement",
            "outlet": outlet.pk,
            "kind": "statement",
            "canonical_url": "HTTPS://Example.org/statement#top",
            "published_at": "2020-01-08T09:00:00Z",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["canonical_url"] == "https://example.org/statement"
    assert Source.objects.get(pk=response.json()["id"]).history.get().history_user is not None


def test_a_source_url_error_is_named_as_the_api_names_the_field(editor_client):
    outlet = OutletFactory()

    response = editor_client.post(
        "/api/v1/sources/",
        {"title": "x", "outlet": outlet.pk, "canonical_url": "ftp://example.org/x"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["canonical_url"]


def test_a_speaker_has_aliases_as_a_list(editor_client):
    response = editor_client.post(
        "/api/v1/speakers/",
        {"name": "U.S. Department of Defense", "kind": "military", "aliases": ["Pentagon", "DoD"]},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["aliases"] == ["Pentagon", "DoD"]
    assert Speaker.objects.get(pk=response.json()["id"]).aliases == "Pentagon\nDoD"


def test_a_speaker_cannot_be_its_own_member(editor_client):
    parent = SpeakerFactory()
    child = SpeakerFactory(parent=parent)
    url = f"/api/v1/speakers/{parent.pk}/"

    response = editor_client.patch(
        url, {"parent": child.pk}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )

    assert response.status_code == 400
    assert "parent" in response.json()["errors"]


def test_ratings_list_the_scale_in_order(anonymous):
    ratings = anonymous.get("/api/v1/ratings/").json()["results"]

    assert [rating["slug"] for rating in ratings][:2] == ["true", "mostly-true"]
    assert {"slug", "label", "value", "colour"} <= set(ratings[0])


# Appearances and evidence --------------------------------------------------------------------


def test_an_appearance_is_anchored_by_its_quote(editor_client, draft_claim):
    source = SourceFactory()

    response = editor_client.post(
        f"/api/v1/claims/{draft_claim.pk}/appearances/",
        {"source": source.pk, "exact": 'said "no casualties"'},  # straight quotes typed
        format="json",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["exact"] == "said “no casualties”"
    assert source.text[body["start"] : body["end"]] == body["exact"]
    assert body["anchor_status"] == "anchored"


def test_a_quote_not_in_the_source_is_a_400_on_the_quote(editor_client, draft_claim):
    response = editor_client.post(
        f"/api/v1/claims/{draft_claim.pk}/appearances/",
        {"source": SourceFactory().pk, "exact": "many casualties"},
        format="json",
    )

    assert response.status_code == 400
    assert "is not in the source text" in response.json()["errors"]["exact"][0]


def test_sending_offsets_re_anchors_the_quote(editor_client, draft_claim):
    appearance = draft_claim.appearances.get()
    url = f"/api/v1/claims/{draft_claim.pk}/appearances/{appearance.pk}/"

    response = editor_client.patch(
        url, {"start": 0, "end": 12}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )

    assert response.status_code == 200, response.content
    assert response.json()["exact"] == "The minister"


def test_an_orphaned_quote_is_anchored_again_by_a_new_quote(editor_client, draft_claim):
    appearance = draft_claim.appearances.get()
    appearance.anchor_status = AnchorStatus.ORPHANED
    appearance.orphaned_reason = "The text changed."
    appearance.save()
    url = f"/api/v1/claims/{draft_claim.pk}/appearances/{appearance.pk}/"
    assert editor_client.get(url).json()["anchor_status"] == "orphaned"

    response = editor_client.patch(
        url, {"exact": "Officials disagreed"}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )

    assert response.status_code == 200, response.content
    assert response.json()["anchor_status"] == "anchored"
    assert response.json()["orphaned_reason"] == ""


def test_marking_another_appearance_first_moves_the_mark(editor_client, draft_claim):
    first = draft_claim.appearances.get()
    second = AppearanceFactory(claim=draft_claim, exact="Officials disagreed")
    url = f"/api/v1/claims/{draft_claim.pk}/appearances/{second.pk}/"

    editor_client.patch(
        url, {"is_first": True}, format="json", HTTP_IF_MATCH=etag(editor_client, url)
    )

    first.refresh_from_db()
    assert not first.is_first
    assert Appearance.objects.get(pk=second.pk).is_first


def test_evidence_is_recorded_with_its_stance(editor_client, draft_claim):
    response = editor_client.post(
        f"/api/v1/claims/{draft_claim.pk}/evidence/",
        {"source": SourceFactory(text="").pk, "stance": "supports", "note": "Pentagon briefing"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["stance"] == "supports"
    assert response.json()["start"] is None
    assert Evidence.objects.filter(claim=draft_claim, stance="supports").exists()


def test_a_claims_children_are_only_found_under_it(editor_client, draft_claim, published_claim):
    appearance = draft_claim.appearances.get()

    response = editor_client.get(
        f"/api/v1/claims/{published_claim.pk}/appearances/{appearance.pk}/"
    )

    assert response.status_code == 404


def test_deleting_an_appearance_needs_its_etag(editor_client, draft_claim):
    appearance = draft_claim.appearances.get()
    url = f"/api/v1/claims/{draft_claim.pk}/appearances/{appearance.pk}/"

    assert editor_client.delete(url).status_code == 428
    assert editor_client.delete(url, HTTP_IF_MATCH=etag(editor_client, url)).status_code == 204
    assert not Appearance.objects.filter(pk=appearance.pk).exists()
