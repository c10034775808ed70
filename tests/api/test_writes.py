"""Writes through the API: fields a client cannot write are refused by name,
unless they repeat what a GET showed; a claim's ETag changes with its parts."""

import pytest

from claims.models import Claim, Evidence
from tests.factories import AppearanceFactory, ClaimFactory, EvidenceFactory, TagFactory

pytestmark = pytest.mark.django_db


def claim_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/"


# A claim's ETag follows its parts ------------------------------------------------------------


def test_editing_an_appearance_changes_its_claims_etag_and_the_old_one_gets_412(editor_client):
    appearance = AppearanceFactory(note="")
    url = f"{claim_url(appearance.claim)}appearances/{appearance.pk}/"
    old = editor_client.get(claim_url(appearance.claim))["ETag"]

    edited = editor_client.patch(
        url, {"note": "seen twice"}, format="json", HTTP_IF_MATCH=editor_client.get(url)["ETag"]
    )
    stale = editor_client.patch(
        claim_url(appearance.claim), {"label": "mine"}, format="json", HTTP_IF_MATCH=old
    )

    assert edited.status_code == 200, edited.content
    assert editor_client.get(claim_url(appearance.claim))["ETag"] != old
    assert stale.status_code == 412


def test_editing_an_evidence_item_changes_its_claims_etag_and_the_old_one_gets_412(
    editor_client,
):
    evidence = EvidenceFactory(stance=Evidence.Stance.REFUTES)
    url = f"{claim_url(evidence.claim)}evidence/{evidence.pk}/"
    old = editor_client.get(claim_url(evidence.claim))["ETag"]

    edited = editor_client.patch(
        url, {"stance": "context"}, format="json", HTTP_IF_MATCH=editor_client.get(url)["ETag"]
    )
    stale = editor_client.patch(
        claim_url(evidence.claim), {"label": "mine"}, format="json", HTTP_IF_MATCH=old
    )

    assert edited.status_code == 200, edited.content
    assert editor_client.get(claim_url(evidence.claim))["ETag"] != old
    assert stale.status_code == 412


def test_adding_an_appearance_changes_its_claims_etag(editor_client):
    claim = ClaimFactory()
    old = editor_client.get(claim_url(claim))["ETag"]

    added = editor_client.post(
        f"{claim_url(claim)}appearances/",
        {"source": AppearanceFactory().source_id, "exact": "no casualties"},
        format="json",
    )

    assert added.status_code == 201, added.content
    assert editor_client.get(claim_url(claim))["ETag"] != old


def test_editing_a_tag_changes_its_claims_etag_and_the_old_one_gets_412(superuser_client):
    claim, tag = ClaimFactory(), TagFactory(slug="iran")
    claim.tags.add(tag)
    tag_url = f"/api/v1/tags/{tag.pk}/"
    old = superuser_client.get(claim_url(claim))["ETag"]

    edited = superuser_client.patch(
        tag_url,
        {"slug": "iran-2020"},
        format="json",
        HTTP_IF_MATCH=superuser_client.get(tag_url)["ETag"],
    )
    stale = superuser_client.patch(
        claim_url(claim), {"label": "mine"}, format="json", HTTP_IF_MATCH=old
    )

    assert edited.status_code == 200, edited.content
    shown = superuser_client.get(claim_url(claim))
    assert shown["ETag"] != old
    assert shown.json()["tags"] == ["iran-2020"]
    assert stale.status_code == 412


# Fields a client cannot write ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("review_state", "retracted", "transition/"),
        ("verdict", {"slug": "true", "label": "True", "value": 5}, "verdicts/"),
        ("version", 42, "set by the server"),
    ],
)
def test_a_patch_changing_a_server_owned_field_is_a_400_naming_it_and_changes_nothing(
    editor_client, published_claim, field, value, where
):
    url = claim_url(published_claim)
    before = editor_client.get(url)

    response = editor_client.patch(
        url, {"label": "mine", field: value}, format="json", HTTP_IF_MATCH=before["ETag"]
    )

    assert response.status_code == 400
    body = response.json()
    assert set(body["errors"]) == {field}
    assert where in body["errors"][field][0]
    after = editor_client.get(url)
    assert after["ETag"] == before["ETag"]
    assert after.json() == before.json()


def test_the_400_says_which_endpoint_changes_the_review_state(editor_client, draft_claim):
    url = claim_url(draft_claim)

    response = editor_client.patch(
        url, {"review_state": "in_review"}, format="json", HTTP_IF_MATCH='"v1"'
    )

    assert response.json()["errors"]["review_state"] == [
        f"review_state changes only through POST {url}transition/."
    ]


def test_a_patch_naming_an_unknown_field_is_a_400_naming_it_and_changes_nothing(
    editor_client, draft_claim
):
    url = claim_url(draft_claim)

    response = editor_client.patch(
        url, {"label": "mine", "labl": "typo"}, format="json", HTTP_IF_MATCH='"v1"'
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"labl"}
    assert "Unknown field" in response.json()["message"]
    before = draft_claim.label
    draft_claim.refresh_from_db()
    assert (draft_claim.label, draft_claim.version) == (before, 1)


def test_creating_a_claim_with_a_server_owned_field_is_a_400(editor_client):
    response = editor_client.post(
        "/api/v1/claims/",
        {"label": "a", "text": "b", "review_state": "published"},
        format="json",
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"review_state"}
    assert not Claim.objects.exists()


# A GET response sent back ------------------------------------------------------------------------


def test_a_claims_get_response_put_back_unchanged_succeeds_and_keeps_the_version(
    editor_client, published_claim
):
    url = claim_url(published_claim)
    response = editor_client.get(url)

    put = editor_client.put(url, response.json(), format="json", HTTP_IF_MATCH=response["ETag"])

    assert put.status_code == 200, put.content
    assert put.json() == response.json()
    assert put["ETag"] == response["ETag"]


def test_an_appearances_get_response_put_back_unchanged_succeeds(editor_client):
    appearance = AppearanceFactory()
    url = f"{claim_url(appearance.claim)}appearances/{appearance.pk}/"
    response = editor_client.get(url)

    put = editor_client.put(url, response.json(), format="json", HTTP_IF_MATCH=response["ETag"])

    assert put.status_code == 200, put.content
    assert put.json() == response.json()


def test_an_evidence_items_get_response_put_back_with_a_change_succeeds(editor_client):
    evidence = EvidenceFactory(note="")
    url = f"{claim_url(evidence.claim)}evidence/{evidence.pk}/"
    response = editor_client.get(url)
    body = response.json() | {"note": "from the transcript"}

    put = editor_client.put(url, body, format="json", HTTP_IF_MATCH=response["ETag"])

    assert put.status_code == 200, put.content
    assert put.json()["note"] == "from the transcript"
    assert put.json()["source"] == response.json()["source"]
