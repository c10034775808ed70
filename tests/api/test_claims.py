"""Claims as researchers read them, and as editors and reviewers change them."""

import datetime

import pytest

from claims.models import Claim, VerdictEntry
from claims.services import verdict_record
from tests.factories import ClaimFactory, EvidenceFactory, SpeakerFactory, TagFactory
from tests.helpers import JAN, publish, rating, token_client

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


def detail(client, claim, query=""):
    response = client.get(f"/api/v1/claims/{claim.pk}/{query}")
    assert response.status_code == 200, response.content
    return response.json()


# Reading -------------------------------------------------------------------------------------


def test_a_claim_embeds_what_a_researcher_needs(anonymous, published_claim):
    claim = detail(anonymous, published_claim)

    assert claim["id"] == published_claim.pk
    assert claim["url"] == f"http://testserver/api/v1/claims/{published_claim.pk}/"
    assert claim["speaker"] == {
        "id": published_claim.speaker_id,
        "url": f"http://testserver/api/v1/speakers/{published_claim.speaker_id}/",
        "name": published_claim.speaker.name,
        "kind": "person",
    }
    assert claim["verdict"] == {"slug": "false", "label": "False", "value": 1}
    assert claim["review_state"] == "published"
    assert claim["tags"] == ["iran"]
    appearance = claim["appearances"][0]
    assert appearance["source"]["canonical_url"].startswith("https://news.example.org/")
    assert appearance["exact"] == "no casualties"
    assert (appearance["start"], appearance["end"]) == (19, 32)
    assert claim["evidence"][0]["stance"] == "refutes"
    assert claim["verdict_timeline"][0]["rating"]["slug"] == "false"
    assert claim["history_url"].endswith(f"/claims/{published_claim.pk}/history/")


def test_every_embedded_object_has_an_id_and_an_absolute_url(anonymous, published_claim):
    claim = detail(anonymous, published_claim)

    for item in [claim, claim["speaker"], *claim["appearances"], *claim["evidence"]]:
        assert isinstance(item["id"], int)
        assert item["url"].startswith("http://testserver/api/v1/")
        assert anonymous.get(item["url"]).status_code == 200


def test_the_public_sees_the_published_verdict_not_the_one_awaiting_review(
    anonymous, editor, reviewer, published_claim
):
    retracted = token_client(reviewer).post(
        f"/api/v1/claims/{published_claim.pk}/transition/",
        {"to": "retracted", "reason": "Wrong speaker."},
        format="json",
    )
    assert retracted.status_code == 200
    published_claim.refresh_from_db()
    # A new verdict recorded on the retracted claim has not been reviewed.
    verdict_record(
        claim=published_claim,
        rating=rating("true"),
        rationale="Reconsidered.",
        evidence=[published_claim.evidence.first()],
        by=editor,
    )

    public = detail(anonymous, published_claim)
    newsroom = detail(token_client(editor), published_claim)

    assert public["verdict"]["slug"] == "false"
    assert public["rationale"] == "Rated false on the evidence."
    assert [entry["rating"]["slug"] for entry in public["verdict_timeline"]] == ["false"]
    assert newsroom["verdict"]["slug"] == "true"
    assert [entry["rating"]["slug"] for entry in newsroom["verdict_timeline"]] == ["false", "true"]


def test_the_public_timeline_endpoint_stops_at_the_published_entry(
    anonymous, editor, reviewer, published_claim
):
    token_client(reviewer).post(
        f"/api/v1/claims/{published_claim.pk}/transition/",
        {"to": "retracted", "reason": "Wrong speaker."},
        format="json",
    )
    published_claim.refresh_from_db()
    verdict_record(claim=published_claim, rating=rating("unverified"), rationale="Hm.", by=editor)

    public = anonymous.get(f"/api/v1/claims/{published_claim.pk}/verdicts/").json()["results"]
    newsroom = token_client(editor).get(f"/api/v1/claims/{published_claim.pk}/verdicts/")

    assert len(public) == 1
    assert public[0]["recorded_by"] is None
    assert len(newsroom.json()["results"]) == 2
    assert newsroom.json()["results"][0]["recorded_by"] == "erin-editor"


def test_as_of_shows_the_verdict_in_force_on_that_day(editor, reviewer, anonymous):
    claim = ClaimFactory(review_state=State.IN_REVIEW)
    evidence = EvidenceFactory(claim=claim)
    for slug, day in (("unsupported", JAN[8]), ("false", JAN[16])):
        verdict_record(
            claim=claim,
            rating=rating(slug),
            rationale=slug,
            evidence=[evidence],
            holds_from=day,
            by=editor,
        )
    claim.refresh_from_db()
    publish(claim, editor=editor, reviewer=reviewer, slug="false", holds_from=JAN[16])
    claim.refresh_from_db()

    for day, expected in ((JAN[1], None), (JAN[8], "unsupported"), (JAN[20], "false")):
        shown = detail(anonymous, claim, f"?as_of={day:%Y-%m-%d}")["verdict"]
        in_force = claim.verdict_as_of(day, public=True)

        assert (shown and shown["slug"]) == expected
        assert (in_force and in_force.rating.slug) == expected


def test_as_of_applies_to_lists_too(anonymous, published_claim):
    listed = anonymous.get("/api/v1/claims/?as_of=2020-01-01").json()["results"]

    assert listed[0]["verdict"] is None


def test_a_bad_as_of_is_a_400_naming_it(anonymous, published_claim):
    response = anonymous.get(f"/api/v1/claims/{published_claim.pk}/?as_of=yesterday")

    assert response.status_code == 400
    assert "as_of" in response.json()["errors"]


def test_the_history_is_newest_first_with_what_changed(editor_client, published_claim):
    entries = editor_client.get(f"/api/v1/claims/{published_claim.pk}/history/").json()["results"]

    assert entries[0]["change"] == "changed"
    assert entries[0]["changes"] == [
        {"field": "review_state", "old": "in_review", "new": "published"}
    ]
    assert entries[0]["user"] == "rita-reviewer"
    assert entries[-1]["change"] == "created"
    moments = [entry["changed_at"] for entry in entries]
    assert moments == sorted(moments, reverse=True)
    assert any({"field": "tags", "old": [], "new": ["iran"]} in e["changes"] for e in entries)


def test_the_public_history_shows_public_versions_only(anonymous, published_claim):
    entries = anonymous.get(f"/api/v1/claims/{published_claim.pk}/history/").json()["results"]

    assert [entry["review_state"] for entry in entries] == ["published"]
    assert entries[0]["user"] is None
    assert "verdict" not in {change["field"] for change in entries[0]["changes"]}


# Writing -------------------------------------------------------------------------------------


def test_an_editor_creates_a_claim_as_a_draft(editor_client):
    speaker, tag = SpeakerFactory(), TagFactory(slug="strike")

    response = editor_client.post(
        "/api/v1/claims/",
        {
            "label": "imminent attack",
            "text": "An attack was imminent.",
            "speaker": speaker.pk,
            "tags": ["strike"],
            "stated_on": "2020-01-03",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    claim = Claim.objects.get(pk=response.json()["id"])
    assert claim.review_state == State.DRAFT
    assert list(claim.tags.all()) == [tag]
    assert response["Location"] == response.json()["url"]
    assert response["ETag"] == '"v1"'


def test_a_get_response_can_be_sent_back_with_put(editor_client, published_claim):
    response = editor_client.get(f"/api/v1/claims/{published_claim.pk}/")
    body = response.json() | {"label": "no casualties (corrected)"}

    updated = editor_client.put(body["url"], body, format="json", HTTP_IF_MATCH=response["ETag"])

    assert updated.status_code == 200, updated.content
    assert updated.json()["label"] == "no casualties (corrected)"
    assert updated.json()["speaker"] == body["speaker"]


def test_writes_through_a_token_record_the_acting_user_in_the_history(editor_client, editor):
    claim = editor_client.post("/api/v1/claims/", {"label": "a", "text": "b"}, format="json")
    editor_client.patch(claim.json()["url"], {"label": "b"}, format="json", HTTP_IF_MATCH='"v1"')

    records = Claim.objects.get(pk=claim.json()["id"]).history.all()

    assert {record.history_user for record in records} == {editor}


def test_model_rules_hold_through_the_api(editor_client):
    response = editor_client.post(
        "/api/v1/claims/", {"label": "", "text": "b", "language": "x" * 17}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"label", "language"}


# The workflow --------------------------------------------------------------------------------


def test_publishing_takes_a_second_reviewer(reviewer, second_reviewer, claim_in_review):
    claim = claim_in_review
    claim.refresh_from_db()
    evidence = EvidenceFactory(claim=claim)
    token_client(reviewer).post(
        f"/api/v1/claims/{claim.pk}/verdicts/",
        {"rating": "false", "rationale": "Refuted.", "evidence": [evidence.pk]},
        format="json",
    )
    url = f"/api/v1/claims/{claim.pk}/transition/"

    own = token_client(reviewer).post(url, {"to": "published"}, format="json")
    other = token_client(second_reviewer).post(url, {"to": "published"}, format="json")

    assert own.status_code == 403
    assert "four-eyes" in own.json()["message"]
    assert other.status_code == 200
    assert other.json()["review_state"] == "published"
    assert other["ETag"] == f'"v{other.json()["version"]}"'


def test_a_transition_the_rules_forbid_is_a_400_with_the_field(editor_client, draft_claim):
    response = editor_client.post(
        f"/api/v1/claims/{draft_claim.pk}/transition/", {"to": "published"}, format="json"
    )

    assert response.status_code == 400
    assert "cannot go from Draft to Published" in response.json()["errors"]["to"][0]


def test_retracting_needs_a_reason(reviewer_client, published_claim):
    response = reviewer_client.post(
        f"/api/v1/claims/{published_claim.pk}/transition/", {"to": "retracted"}, format="json"
    )

    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


def test_a_transition_with_a_stale_if_match_is_412(reviewer_client, published_claim):
    response = reviewer_client.post(
        f"/api/v1/claims/{published_claim.pk}/transition/",
        {"to": "retracted", "reason": "Wrong."},
        format="json",
        HTTP_IF_MATCH=f'"v{published_claim.version - 1}"',
    )

    assert response.status_code == 412
    assert "changed by someone else" in response.json()["message"]
    published_claim.refresh_from_db()
    assert published_claim.review_state == State.PUBLISHED


def test_recording_a_verdict_appends_to_the_timeline(editor_client, published_claim):
    evidence = published_claim.evidence.first()

    response = editor_client.post(
        f"/api/v1/claims/{published_claim.pk}/verdicts/",
        {
            "rating": "unsupported",
            "rationale": "Weaker than thought.",
            "evidence": [evidence.pk],
            "holds_from": "2020-01-20",
        },
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["rating"]["slug"] == "unsupported"
    assert response.json()["holds_from"] == "2020-01-20"
    assert response.json()["evidence"] == [evidence.pk]
    published_claim.refresh_from_db()
    assert published_claim.verdict_entries.count() == 2
    # A changed verdict goes back to review.
    assert published_claim.review_state == State.IN_REVIEW


def test_a_verdict_that_needs_evidence_is_refused_without_it(editor_client, published_claim):
    response = editor_client.post(
        f"/api/v1/claims/{published_claim.pk}/verdicts/",
        {"rating": "false", "rationale": "No."},
        format="json",
    )

    assert response.status_code == 400
    assert "evidence" in response.json()["errors"]
    assert VerdictEntry.objects.filter(claim=published_claim).count() == 1


def test_a_verdict_cannot_hold_from_a_future_date(editor_client, draft_claim):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)

    response = editor_client.post(
        f"/api/v1/claims/{draft_claim.pk}/verdicts/",
        {"rating": "unverified", "rationale": "Later.", "holds_from": f"{tomorrow}"},
        format="json",
    )

    assert response.status_code == 400
    assert "holds_from" in response.json()["errors"]
