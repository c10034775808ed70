"""The report says what is true of it: the newsroom's stamp counts what is not
public, and a PDF of six published claims fits in four pages."""

import datetime
import io
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from pypdf import PdfReader

from claims.exports.report import render_report_html, render_report_pdf
from claims.models import Claim, Evidence, Rating
from claims.read.visibility import claims_visible_to
from claims.services import claim_transition, verdict_record
from factcheck.api.links import Links
from sources.models import Source
from tests.exports.test_report import text_of

pytestmark = pytest.mark.django_db

OPTIONS: dict[str, Any] = {"links": Links(), "title": "Claims report", "filters": []}


def newsroom_report(claims) -> str:
    return text_of("".join(render_report_html(claims, public=False, **OPTIONS)))


@pytest.fixture
def six_published(seed, editor, reviewer):
    """The seed's five published claims and one more, published through the workflow."""
    claim = Claim.objects.get(label="Operation Martyr Soleimani")
    item = Evidence.objects.create(
        claim=claim,
        source=Source.objects.get(title__startswith="Pentagon briefing"),
        stance=Evidence.Stance.SUPPORTS,
        note="The Pentagon confirmed the strike came from Iran.",
    )
    claim = verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug="true"),
        rationale="Iran claimed the strike as a response to the killing.",
        evidence=[item],
        holds_from=datetime.date(2020, 1, 8),
        by=editor,
    ).claim
    claim = claim_transition(claim=claim, to=Claim.ReviewState.IN_REVIEW, by=editor)
    claim_transition(claim=claim, to=Claim.ReviewState.PUBLISHED, by=reviewer)
    published = Claim.objects.published()
    assert published.count() == 6
    return published


def test_a_newsroom_report_of_published_claims_does_not_say_it_holds_private_ones(six_published):
    text = newsroom_report(six_published)

    assert "not public" not in text
    assert "every claim in it is public" in text
    assert "Do not distribute" not in text


def test_a_newsroom_report_counts_the_claims_that_are_not_public(seed):
    text = newsroom_report(Claim.objects.all())

    hidden = Claim.objects.exclude(review_state=Claim.ReviewState.PUBLISHED).count()
    total = Claim.objects.count()
    assert f"{hidden} of its {total} claims are not public" in text
    assert "Do not distribute it outside the newsroom." in text


def test_a_newsroom_report_says_when_a_public_claim_shows_a_verdict_awaiting_review(seed, editor):
    claim = Claim.objects.get(label="no casualties")
    verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug="false"),
        rationale="A newer verdict nobody has approved yet.",
        evidence=[claim.evidence.first()],
        by=editor,
    )

    text = newsroom_report(Claim.objects.filter(pk=claim.pk))

    assert "1 public claim shows a newer verdict awaiting review" in text
    assert "not public" not in text


def test_the_public_report_has_no_newsroom_stamp(seed):
    claims = claims_visible_to(AnonymousUser())
    html = "".join(render_report_html(claims, public=True, **OPTIONS))

    assert "Published fact-checks only." in text_of(html)
    assert "Newsroom report" not in html


@pytest.mark.parametrize("public", [True, False])
def test_a_pdf_of_six_published_claims_takes_at_most_four_pages(six_published, public):
    claims = claims_visible_to(AnonymousUser()) if public else six_published
    pdf = render_report_pdf(claims, public=public, **OPTIONS)

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= 4, pages
