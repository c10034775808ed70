import datetime

import pytest

from claims.models import Claim, Rating
from claims.services import claim_transition, verdict_record
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    TagFactory,
)

State = Claim.ReviewState
JAN = {day: datetime.date(2020, 1, day) for day in range(1, 32)}


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


def publish(claim: Claim, *, editor, reviewer, slug: str = "false", holds_from=None) -> Claim:
    """Record a verdict (by ``editor``) resting on new evidence and publish it (by ``reviewer``)."""
    if claim.review_state == State.DRAFT:
        claim = claim_transition(claim=claim, to=State.IN_RESEARCH, by=editor)
    if claim.review_state == State.IN_RESEARCH:
        claim = claim_transition(claim=claim, to=State.IN_REVIEW, by=editor)
    evidence = EvidenceFactory(claim=claim)
    verdict_record(
        claim=claim,
        rating=rating(slug),
        rationale=f"Rated {slug} on the evidence.",
        evidence=[evidence],
        holds_from=holds_from or JAN[16],
        by=editor,
    )
    claim.refresh_from_db()
    return claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)


@pytest.fixture
def published_claim(editor, reviewer):
    """A published claim with a tag and an appearance anchored in a source."""
    claim = ClaimFactory(label="no casualties", text="No Americans were harmed.")
    claim.tags.add(TagFactory(slug="iran", name="Iran"))
    AppearanceFactory(claim=claim, source=SourceFactory(title="Strike report"))
    return publish(claim, editor=editor, reviewer=reviewer)


@pytest.fixture
def draft_claim(db):
    claim = ClaimFactory(label="a draft about casualties", text="Secret casualties draft.")
    AppearanceFactory(claim=claim)
    EvidenceFactory(claim=claim)
    return claim


@pytest.fixture
def claim_in_review(editor):
    claim = ClaimFactory(
        label="casualties under review",
        text="Casualties still under review.",
        review_state=State.IN_REVIEW,
    )
    AppearanceFactory(claim=claim)
    verdict_record(
        claim=claim,
        rating=rating("unverified"),
        rationale="Not checked yet.",
        by=editor,
    )
    return claim
