"""The review workflow on the claim page: claims.services behind its transition and verdict
pages, for editors and reviewers."""

import pytest
from django.urls import reverse

from claims.models import Claim, Rating
from claims.services import claim_transition
from tests.factories import ClaimFactory, EvidenceFactory, VerdictEntryFactory
from tests.helpers import admin_url, claim_form_data


def transition_url(claim):
    return reverse("admin:claims_claim_transition", args=[claim.pk])


def verdict_url(claim):
    return reverse("admin:claims_claim_verdict", args=[claim.pk])


def verdict_data(claim, **fields) -> dict:
    return {
        "rating": Rating.objects.get(slug="false").pk,
        "rationale": "Contradicted by the Pentagon's own figures.",
        "holds_from": "2020-01-16",
        "version": claim.version,
    } | fields


def test_the_claim_page_offers_the_workflow_pages(staff_client):
    claim = ClaimFactory()

    page = staff_client.get(admin_url(Claim, "change", claim.pk)).content.decode()

    assert transition_url(claim) in page
    assert verdict_url(claim) in page


@pytest.mark.parametrize("url", [transition_url, verdict_url], ids=["transition", "verdict"])
def test_the_workflow_pages_render(staff_client, url):
    claim = ClaimFactory()
    EvidenceFactory(claim=claim)

    response = staff_client.get(url(claim))

    assert response.status_code == 200


def test_the_claim_form_cannot_set_the_review_state_or_verdict(staff_client):
    claim = ClaimFactory()
    data = claim_form_data(claim, review_state="published", verdict=Rating.objects.first().pk)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.DRAFT
    assert claim.verdict.slug == Rating.UNVERIFIED


def test_an_editor_moves_a_claim_on_and_history_names_them(client, editor):
    claim = ClaimFactory()
    client.force_login(editor)

    response = client.post(
        transition_url(claim), {"to": "in_research", "reason": "", "version": claim.version}
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.IN_RESEARCH
    assert claim.history.latest().history_user == editor


def test_an_editor_is_told_that_publishing_takes_a_reviewer(client, editor, reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    client.force_login(editor)

    response = client.post(transition_url(claim), {"to": "published", "version": claim.version})

    assert response.status_code == 200
    assert "that takes the reviewer role" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.IN_REVIEW


def test_publishing_from_the_admin_needs_a_second_reviewer(client, reviewer, second_reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    client.force_login(reviewer)

    refused = client.post(transition_url(claim), {"to": "published", "version": claim.version})
    client.force_login(second_reviewer)
    published = client.post(transition_url(claim), {"to": "published", "version": claim.version})

    assert "another reviewer must publish it" in refused.content.decode()
    assert published.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PUBLISHED


def test_a_retraction_without_a_reason_is_shown_at_the_reason(client, reviewer, second_reviewer):
    claim = ClaimFactory(review_state=Claim.ReviewState.IN_REVIEW)
    VerdictEntryFactory(claim=claim, recorded_by=reviewer)
    claim_transition(claim=claim, to="published", by=second_reviewer)
    claim.refresh_from_db()
    client.force_login(reviewer)

    response = client.post(
        transition_url(claim), {"to": "retracted", "reason": " ", "version": claim.version}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["Say why the claim is being retracted."]


def test_a_transition_from_a_stale_page_is_refused(staff_client):
    claim = ClaimFactory()
    loaded_version = claim.version
    claim.save()

    response = staff_client.post(
        transition_url(claim), {"to": "in_research", "version": loaded_version}
    )

    assert response.status_code == 200
    assert "This claim was changed by someone else" in response.content.decode()
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.DRAFT


def test_a_verdict_that_needs_evidence_is_refused_without_it(staff_client):
    claim = ClaimFactory()

    response = staff_client.post(verdict_url(claim), verdict_data(claim))

    assert response.status_code == 200
    assert "must rest on at least one evidence item" in "".join(
        response.context["form"].errors["evidence"]
    )
    assert not claim.verdict_entries.exists()


def test_a_verdict_without_a_rationale_is_shown_at_the_rationale(staff_client):
    claim = ClaimFactory()
    data = verdict_data(claim, rating=Rating.objects.get(slug=Rating.UNVERIFIED).pk, rationale="")

    response = staff_client.post(verdict_url(claim), data)

    assert response.status_code == 200
    assert response.context["form"].errors["rationale"] == ["Give the rationale for this verdict."]


def test_a_recorded_verdict_becomes_the_claims_verdict_and_joins_its_timeline(
    staff_client, staff_user
):
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)

    response = staff_client.post(verdict_url(claim), verdict_data(claim, evidence=[evidence.pk]))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.verdict.slug == "false"
    entry = claim.verdict_entries.get()
    assert (entry.recorded_by, list(entry.evidence.all())) == (staff_user, [evidence])
    page = staff_client.get(admin_url(Claim, "change", claim.pk)).content.decode()
    assert "<tr><td>2020-01-16</td>" in page
