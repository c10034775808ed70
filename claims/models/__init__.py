"""The claims domain: speakers, the rating scale, claims, where they appear,
the evidence about them and their verdict timeline."""

from claims.models.anchors import (
    AnchoredQuote,
    AnchorStatus,
    Appearance,
    Evidence,
    ShownAnchorStatus,
    shown_anchor_status,
)
from claims.models.claims import LANGUAGE_HELP, Claim, ClaimQuerySet
from claims.models.demo import DemoAccount
from claims.models.matching import ClaimEmbedding, ClaimLink
from claims.models.ratings import Rating, unverified_rating_id
from claims.models.reviews import ExternalReview, RatingMapping, rating_key
from claims.models.speakers import Speaker, Tag
from claims.models.suggestions import Suggestion
from claims.models.tokens import IssuedToken, TokenEvent, token_label
from claims.models.verdicts import ImmutableRecordError, VerdictEntry, VerdictEntryEvidence
from factcheck.errors import ConcurrentEditError

__all__ = [
    "LANGUAGE_HELP",
    "AnchorStatus",
    "AnchoredQuote",
    "Appearance",
    "Claim",
    "ClaimEmbedding",
    "ClaimLink",
    "ClaimQuerySet",
    "ConcurrentEditError",
    "DemoAccount",
    "Evidence",
    "ExternalReview",
    "ImmutableRecordError",
    "IssuedToken",
    "Rating",
    "RatingMapping",
    "ShownAnchorStatus",
    "Speaker",
    "Suggestion",
    "Tag",
    "TokenEvent",
    "VerdictEntry",
    "VerdictEntryEvidence",
    "rating_key",
    "shown_anchor_status",
    "token_label",
    "unverified_rating_id",
]
