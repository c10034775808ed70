"""Reasons, rationales and notes: up to 2,000 characters, one message everywhere.

The history's change reason was varchar(100), so a long retraction reason was a
500 on PostgreSQL (SQLite enforces no varchar length: run this file on both).
"""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.models import Claim
from claims.services import claim_transition
from claims.services.links import claim_link_set
from factcheck.limits import REASON_MAX_LENGTH, REASON_TOO_LONG
from tests.factories import ClaimFactory
from tests.helpers import claims_action

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
LONGEST = "A" * (REASON_MAX_LENGTH - 1) + "."
TOO_LONG = LONGEST + "!"


def retract(client, claim, reason):
    return client.post(
        f"/api/v1/claims/{claim.pk}/transition/",
        {"to": "retracted", "reason": reason},
        format="json",
    )


def test_the_limit_is_the_documented_two_thousand_characters():
    assert REASON_MAX_LENGTH == 2000
    assert "2,000 characters" in REASON_TOO_LONG


def test_a_public_retraction_reason_of_2000_characters_is_saved_with_its_history(
    reviewer_client, published_claim
):
    response = retract(reviewer_client, published_claim, LONGEST)

    assert response.status_code == 200
    published_claim.refresh_from_db()
    assert published_claim.retraction_reason == LONGEST
    assert published_claim.history.first().history_change_reason == LONGEST


def test_a_retraction_reason_of_2001_characters_is_a_400_saying_the_limit(
    reviewer_client, published_claim
):
    response = retract(reviewer_client, published_claim, TOO_LONG)

    assert response.status_code == 400
    assert response.json()["errors"] == {"reason": [REASON_TOO_LONG]}
    published_claim.refresh_from_db()
    assert published_claim.review_state == State.PUBLISHED


def test_a_long_transition_reason_is_kept_in_the_history(editor):
    claim = ClaimFactory(review_state=State.DRAFT)

    claim_transition(claim=claim, to=State.IN_RESEARCH, by=editor, reason=LONGEST)

    assert claim.history.first().history_change_reason == LONGEST


def test_the_service_refuses_a_reason_over_the_limit_on_the_reason_field(editor):
    claim = ClaimFactory(review_state=State.DRAFT)

    with pytest.raises(ValidationError) as refused:
        claim_transition(claim=claim, to=State.IN_RESEARCH, by=editor, reason=TOO_LONG)

    assert refused.value.message_dict == {"reason": [REASON_TOO_LONG]}


def test_a_verdict_rationale_over_the_limit_is_a_400_with_the_message(
    editor_client, claim_in_review
):
    response = editor_client.post(
        f"/api/v1/claims/{claim_in_review.pk}/verdicts/",
        {"rating": "unverified", "rationale": TOO_LONG},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"rationale": [REASON_TOO_LONG]}


def test_a_verdict_rationale_of_2000_characters_is_recorded(editor_client, claim_in_review):
    response = editor_client.post(
        f"/api/v1/claims/{claim_in_review.pk}/verdicts/",
        {"rating": "unverified", "rationale": LONGEST},
        format="json",
    )

    assert response.status_code == 201
    claim_in_review.refresh_from_db()
    assert claim_in_review.rationale == LONGEST


def test_a_link_note_of_2000_characters_is_kept_and_2001_refused(editor):
    first, second = ClaimFactory(), ClaimFactory()

    link = claim_link_set(claim=first, other=second, kind="related", by=editor, note=LONGEST)
    with pytest.raises(ValidationError) as refused:
        claim_link_set(claim=first, other=second, kind="related", by=editor, note=TOO_LONG)

    assert link.note == LONGEST
    assert refused.value.message_dict == {"note": [REASON_TOO_LONG]}


def test_the_api_says_the_same_for_a_link_note(editor_client):
    first, second = ClaimFactory(), ClaimFactory()

    response = editor_client.post(
        f"/api/v1/claims/{first.pk}/links/",
        {"other": second.pk, "kind": "related", "note": TOO_LONG},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["errors"] == {"note": [REASON_TOO_LONG]}


def test_the_admin_transition_form_shows_the_message(client, reviewer, published_claim):
    client.force_login(reviewer)

    page = client.post(
        reverse("admin:claims_claim_transition", args=[published_claim.pk]),
        {"to": "retracted", "reason": TOO_LONG, "version": published_claim.version},
    )

    assert page.status_code == 200
    assert REASON_TOO_LONG in page.content.decode()
    published_claim.refresh_from_db()
    assert published_claim.review_state == State.PUBLISHED


def test_the_admin_bulk_retraction_shows_the_message(client, reviewer, published_claim):
    client.force_login(reviewer)

    page = claims_action(
        client, "retract_selected", [published_claim], apply="Retract", reason=TOO_LONG
    )

    assert REASON_TOO_LONG in page.content.decode()
    published_claim.refresh_from_db()
    assert published_claim.review_state == State.PUBLISHED


def test_the_command_refuses_a_long_reason_with_the_message(reviewer):
    claim = ClaimFactory(review_state=State.DRAFT)

    with pytest.raises(CommandError, match=REASON_TOO_LONG):
        call_command(
            "transition_claims",
            str(claim.pk),
            user=reviewer.username,
            to=State.IN_RESEARCH,
            reason=TOO_LONG,
        )

    claim.refresh_from_db()
    assert claim.review_state == State.DRAFT
