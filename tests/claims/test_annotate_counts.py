"""The annotate page lists the source's claims whether or not they are quoted."""

import pytest
from django.urls import reverse

from sources.models import Source

pytestmark = pytest.mark.django_db


def annotate_page(client, source: Source) -> str:
    response = client.get(reverse("admin:sources_source_annotate", args=[source.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_source_without_text_counts_the_claims_that_appear_in_it(seed, editor_admin):
    address = Source.objects.get(title__startswith="President Trump’s address")

    html = annotate_page(editor_admin, address)

    assert "Claims in this source (1)" in html
    assert "no casualties" in html
    assert "Appearance by address only" in html


def test_evidence_known_by_address_only_counts_its_claim(seed, editor_admin):
    pentagon = Source.objects.get(title__startswith="Pentagon: 11 U.S. service members")

    html = annotate_page(editor_admin, pentagon)

    assert "Claims in this source (1)" in html
    assert "Evidence (refutes) by address only" in html


def test_an_article_counts_each_quoted_claim_once(seed, editor_admin):
    slate = Source.objects.get(title__startswith="Iran Launches Missile Attack")
    claims = slate.appearances.values("claim").distinct().count()

    html = annotate_page(editor_admin, slate)

    assert f"Claims in this source ({claims})" in html
    assert "by address only" not in html
