import datetime

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

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


@pytest.fixture(autouse=True)
def fresh_throttles():
    # Request counts live in the cache; each test starts with none.
    cache.clear()
    yield
    cache.clear()


def token_client(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def anonymous(db):
    return APIClient()


@pytest.fixture
def researcher_client(researcher):
    return token_client(researcher)


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return token_client(reviewer)


@pytest.fixture
def superuser_client(staff_user):
    return token_client(staff_user)


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
