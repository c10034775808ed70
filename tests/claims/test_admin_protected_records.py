"""Records that claims rely on cannot be deleted from the admin, and say why."""

import pytest
from django.urls import reverse

from claims.models import Claim, Evidence, Rating
from tests.factories import ClaimFactory, EvidenceFactory, VerdictEntryFactory
from tests.helpers import admin_url, claim_form_data, inline_data


def speaker_with_a_claim():
    return ClaimFactory().speaker


def rating_in_use():
    return ClaimFactory(verdict=Rating.objects.get(slug="false")).verdict


def claim_with_a_verdict():
    return VerdictEntryFactory().claim


@pytest.mark.parametrize("protected", [speaker_with_a_claim, rating_in_use, claim_with_a_verdict])
def test_deleting_a_record_that_claims_use_explains_why_it_cannot_be(staff_client, protected):
    obj = protected()

    response = staff_client.post(
        admin_url(type(obj), "delete", obj.pk), {"post": "yes"}, follow=True
    )

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert type(obj).objects.filter(pk=obj.pk).exists()


def test_evidence_a_verdict_rests_on_cannot_be_deleted_from_the_claim_page(staff_client):
    claim = ClaimFactory()
    evidence = EvidenceFactory(claim=claim)
    VerdictEntryFactory(claim=claim, rating=Rating.objects.get(slug="false")).evidence.add(evidence)
    claim.refresh_from_db()
    row = {
        "id": evidence.pk,
        "claim": claim.pk,
        "source": evidence.source_id,
        "stance": evidence.stance,
        "DELETE": True,
    }
    data = claim_form_data(claim) | inline_data("evidence", [row], initial=1)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_the_unverified_rating_cannot_be_deleted_or_reslugged(staff_client):
    unverified = Rating.objects.get(slug=Rating.UNVERIFIED)
    change_url = reverse("admin:claims_rating_change", args=[unverified.pk])

    page = staff_client.get(change_url)
    staff_client.post(
        reverse("admin:claims_rating_changelist"),
        {"action": "delete_selected", "_selected_action": [unverified.pk], "post": "yes"},
    )

    assert 'name="slug"' not in page.content.decode()
    assert (
        staff_client.get(reverse("admin:claims_rating_delete", args=[unverified.pk])).status_code
        == 403
    )
    assert Rating.objects.filter(slug=Rating.UNVERIFIED).exists()
