"""The public history: public changes only, never an empty entry."""

import pytest

from claims.models import Claim, Rating
from claims.services import claim_update, verdict_record
from tests.factories import EvidenceFactory

pytestmark = pytest.mark.django_db


def history(client, claim) -> list[dict]:
    response = client.get(f"/api/v1/claims/{claim.pk}/history/")
    assert response.status_code == 200
    return response.json()["results"]


def record_new_verdict(claim: Claim, by) -> None:
    """A verdict awaiting review: the public keeps seeing the published one."""
    verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        rationale="A newsroom rationale the public must not see yet.",
        evidence=[EvidenceFactory(claim=claim)],
        by=by,
    )


def test_a_verdict_awaiting_review_leaves_no_entry_in_the_public_history(
    anonymous, editor, published_claim
):
    before = history(anonymous, published_claim)

    record_new_verdict(published_claim, editor)

    assert history(anonymous, published_claim) == before


def test_every_public_entry_lists_what_changed(anonymous, editor, published_claim):
    record_new_verdict(published_claim, editor)
    published_claim.refresh_from_db()
    claim_update(claim=published_claim, data={"label": "no casualties (corrected)"}, by=editor)
    published_claim.refresh_from_db()
    published_claim.save()  # a save that changes nothing

    entries = history(anonymous, published_claim)

    assert all(entry["changes"] for entry in entries)
    assert entries[0]["changes"] == [
        {"field": "label", "old": "no casualties", "new": "no casualties (corrected)"}
    ]
    assert len(entries) == 2  # the claim as first published, and the corrected label


def test_a_hidden_change_is_not_found_at_its_own_address(anonymous, editor, published_claim):
    record_new_verdict(published_claim, editor)
    hidden = published_claim.history.first()

    response = anonymous.get(f"/api/v1/claims/{published_claim.pk}/history/{hidden.history_id}/")

    assert response.status_code == 404


def test_the_newsroom_still_sees_every_change(editor_client, editor, published_claim):
    record_new_verdict(published_claim, editor)

    entries = history(editor_client, published_claim)

    assert len(entries) == published_claim.history.count()
    assert "rationale" in {change["field"] for change in entries[0]["changes"]}
