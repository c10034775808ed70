"""The review workflow in the admin: bulk actions, verdict as of a date, history users."""

import datetime

import pytest
from django.urls import reverse

from claims.models import Claim, Rating
from claims.services import verdict_record
from tests.factories import ClaimFactory, EvidenceFactory
from tests.helpers import claims_action

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
CHANGELIST = reverse("admin:claims_claim_changelist")


def with_false_verdict(recorded_by) -> Claim:
    claim = ClaimFactory(review_state=State.IN_REVIEW)
    verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        rationale="Refuted.",
        evidence=[EvidenceFactory(claim=claim)],
        holds_from=datetime.date(2020, 1, 16),
        by=recorded_by,
    )
    return claim


def test_an_editor_sends_claims_to_review_in_bulk_each_with_a_history_row(client, editor):
    claims = [ClaimFactory(review_state=State.IN_RESEARCH) for _ in range(3)]
    client.force_login(editor)

    page = claims_action(client, "send_to_review", claims, follow=True)

    assert "3 claim(s) moved to In review." in page.content.decode()
    for claim in claims:
        claim.refresh_from_db()
        assert claim.review_state == State.IN_REVIEW
        assert claim.history.first().history_user == editor


def test_bulk_publishing_is_not_offered_to_an_editor(client, editor):
    client.force_login(editor)

    page = client.get(CHANGELIST)

    assert "publish_selected" not in page.content.decode()
    assert "send_to_review" in page.content.decode()


def test_bulk_publishing_applies_the_four_eyes_rule_claim_by_claim(client, editor, reviewer):
    by_editor, by_reviewer = with_false_verdict(editor), with_false_verdict(reviewer)
    client.force_login(reviewer)

    page = claims_action(client, "publish_selected", [by_editor, by_reviewer], follow=True)

    text = page.content.decode()
    assert "1 claim(s) moved to Published." in text
    assert "four-eyes rule" in text
    by_editor.refresh_from_db()
    by_reviewer.refresh_from_db()
    assert by_editor.review_state == State.PUBLISHED
    assert by_reviewer.review_state == State.IN_REVIEW


def test_bulk_retraction_asks_for_a_reason_first(client, editor, reviewer, second_reviewer):
    claim = with_false_verdict(editor)
    client.force_login(reviewer)
    claims_action(client, "publish_selected", [claim], follow=True)
    client.force_login(second_reviewer)

    question = claims_action(client, "retract_selected", [claim], follow=True)
    claim.refresh_from_db()
    assert "A retraction is public" in question.content.decode()
    assert claim.review_state == State.PUBLISHED

    claims_action(
        client, "retract_selected", [claim], apply="Retract", reason="Misattributed.", follow=True
    )
    claim.refresh_from_db()
    assert claim.review_state == State.RETRACTED
    assert claim.retraction_reason == "Misattributed."
    assert claim.history.first().history_user == second_reviewer


def test_an_admin_save_records_the_editor_in_history(client, editor):
    claim = ClaimFactory(label="old label")
    client.force_login(editor)
    page = client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    form = page.context["adminform"].form
    data = {
        name: value
        for name, value in {
            **form.initial,
            "label": "new label",
            "loaded_version": claim.version,
        }.items()
        if value is not None and name not in {"tags"}
    }
    for prefix in ("appearances", "evidence"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})

    client.post(reverse("admin:claims_claim_change", args=[claim.pk]), data)

    claim.refresh_from_db()
    assert claim.label == "new label"
    assert claim.history.first().history_user == editor


def test_the_change_page_shows_the_verdict_as_of_a_date(staff_client, editor):
    claim = with_false_verdict(editor)
    url = reverse("admin:claims_claim_change", args=[claim.pk])

    before = staff_client.get(url, {"as_of": "2020-01-10"}).content.decode()
    after = staff_client.get(url, {"as_of": "2020-01-20"}).content.decode()
    wrong = staff_client.get(url, {"as_of": "yesterday"}).content.decode()

    assert "no verdict had been recorded yet" in before
    assert "<strong>False</strong>" in after
    assert "is not a date" in wrong
