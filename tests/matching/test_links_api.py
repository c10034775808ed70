"""The links API: GET and POST /api/v1/claims/{id}/links/, and a claim's detail
showing its same-claim group with the verdicts its viewer sees."""

import pytest

from claims.models import ClaimLink
from claims.services.links import claim_link_set, claim_link_suggest
from tests.factories import ClaimFactory
from tests.helpers import publish

pytestmark = pytest.mark.django_db
Kind = ClaimLink.Kind


def links_url(claim) -> str:
    return f"/api/v1/claims/{claim.pk}/links/"


def test_an_editor_confirms_two_claims_are_the_same(editor_client, editor, draft_claim):
    other = ClaimFactory(label="said again")

    response = editor_client.post(
        links_url(draft_claim), {"other": other.pk, "kind": "same", "note": "same figures"}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["note"], body["decided_by"]) == (
        "same",
        "same figures",
        editor.username,
    )
    assert body["claim"]["id"] == other.pk
    assert body["claim"]["label"] == "said again"
    assert response["Location"] == body["url"]
    link = ClaimLink.objects.get()
    assert link.history.get().history_user == editor


def test_deciding_a_suggested_pair_answers_200_with_the_decision(editor_client, draft_claim):
    other = ClaimFactory()
    claim_link_suggest(claim=draft_claim, other=other, score=0.81, reasons=["meaning: 0.81"])

    response = editor_client.post(links_url(other), {"other": draft_claim.pk, "kind": "dismissed"})

    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["score"]) == ("dismissed", 0.81)
    assert ClaimLink.objects.get().kind == Kind.DISMISSED


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"other": "self", "kind": "same"}, "other", "cannot be linked to itself"),
        ({"other": 999999, "kind": "same"}, "other", "There is no claim 999999"),
        ({"other": "other", "kind": "duplicate"}, "kind", "not a valid choice"),
        ({"other": "other", "kind": "suggested"}, "kind", "not a valid choice"),
        ({"kind": "same"}, "other", "required"),
        ({"other": "12", "kind": "same"}, "other", "whole number"),
        ({"other": "other", "kind": "same", "note": "x" * 2001}, "note", "2,000 characters"),
    ],
)
def test_a_bad_link_is_a_400_that_says_what_is_wrong(
    editor_client, draft_claim, body, field, message
):
    other = ClaimFactory()
    names = {"self": draft_claim.pk, "other": other.pk}
    body = {**body, **({"other": names[body["other"]]} if body.get("other") in names else {})}

    response = editor_client.post(links_url(draft_claim), body)

    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"][field])
    assert not ClaimLink.objects.exists()


def test_researchers_and_the_public_cannot_link(
    researcher_client, anonymous, published_claim, editor, reviewer
):
    other = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
    body = {"other": other.pk, "kind": "same"}

    assert researcher_client.post(links_url(published_claim), body).status_code == 403
    assert anonymous.post(links_url(published_claim), body).status_code == 401
    assert not ClaimLink.objects.exists()


def test_the_links_of_a_claim_the_viewer_may_not_see_do_not_exist(
    anonymous, editor_client, draft_claim
):
    assert anonymous.get(links_url(draft_claim)).status_code == 404
    other = ClaimFactory()
    assert (
        editor_client.post(links_url(draft_claim), {"other": other.pk, "kind": "same"}).status_code
        == 201
    )
    assert anonymous.post(
        links_url(draft_claim), {"other": other.pk, "kind": "related"}
    ).status_code in (401, 404)


def test_the_public_reads_links_to_public_claims_only(
    anonymous, published_claim, draft_claim, editor, reviewer
):
    public_twin = publish(ClaimFactory(), editor=editor, reviewer=reviewer, slug="true")
    claim_link_set(claim=published_claim, other=public_twin, kind=Kind.SAME, by=editor)
    claim_link_set(claim=published_claim, other=draft_claim, kind=Kind.SAME, by=editor)

    results = anonymous.get(links_url(published_claim)).json()["results"]

    assert [link["claim"]["id"] for link in results] == [public_twin.pk]
    assert results[0]["claim"]["verdict"]["slug"] == "true"
    assert results[0]["decided_by"] is None


def test_a_claims_detail_shows_its_group_with_the_verdicts_its_viewer_sees(
    anonymous, editor_client, published_claim, draft_claim, editor, reviewer
):
    twin = publish(ClaimFactory(label="twin"), editor=editor, reviewer=reviewer, slug="true")
    claim_link_set(claim=published_claim, other=draft_claim, kind=Kind.SAME, by=editor)
    claim_link_set(claim=draft_claim, other=twin, kind=Kind.SAME, by=editor)

    public = anonymous.get(f"/api/v1/claims/{published_claim.pk}/").json()
    newsroom = editor_client.get(f"/api/v1/claims/{published_claim.pk}/").json()

    assert [(c["id"], c["label"], c["verdict"]["slug"]) for c in public["group"]] == [
        (twin.pk, "twin", "true")
    ]
    assert public["group"][0]["url"].endswith(f"/api/v1/claims/{twin.pk}/")
    assert [c["id"] for c in newsroom["group"]] == sorted([draft_claim.pk, twin.pk])
    assert [link["claim"]["id"] for link in newsroom["links"]] == [draft_claim.pk]
    assert public["links"] == []


def test_a_claims_detail_takes_as_many_queries_with_a_large_group(
    anonymous, published_claim, editor, reviewer, django_assert_max_num_queries
):
    url = f"/api/v1/claims/{published_claim.pk}/"
    twin = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
    claim_link_set(claim=published_claim, other=twin, kind=Kind.SAME, by=editor)
    anonymous.get(url)  # the token table, the session: whatever a first request loads
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert len(anonymous.get(url).json()["group"]) == 1
    for _ in range(3):  # a star: each linked to the first claim
        claim = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
        claim_link_set(claim=published_claim, other=claim, kind=Kind.SAME, by=editor)

    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(anonymous.get(url).json()["group"]) == 4


def test_a_get_of_a_claim_can_be_put_back_with_its_group_and_links(
    editor_client, draft_claim, editor
):
    claim_link_set(claim=draft_claim, other=ClaimFactory(), kind=Kind.SAME, by=editor)
    url = f"/api/v1/claims/{draft_claim.pk}/"
    got = editor_client.get(url)
    body = {key: value for key, value in got.json().items() if key != "external_reviews"}

    put = editor_client.put(url, {**body, "external_reviews": []}, HTTP_IF_MATCH=got["ETag"])
    assert put.status_code == 200, put.json()

    changed = editor_client.patch(url, {"group": []}, HTTP_IF_MATCH=put["ETag"])
    assert changed.status_code == 400
    assert "links/" in changed.json()["errors"]["group"][0]
