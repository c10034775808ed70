from claims.api.views.catalogue import RatingViewSet, SpeakerViewSet, TagViewSet
from claims.api.views.claims import ClaimViewSet
from claims.api.views.nested import (
    AppearanceViewSet,
    EvidenceViewSet,
    HistoryViewSet,
    VerdictEntryViewSet,
)

__all__ = [
    "AppearanceViewSet",
    "ClaimViewSet",
    "EvidenceViewSet",
    "HistoryViewSet",
    "RatingViewSet",
    "SpeakerViewSet",
    "TagViewSet",
    "VerdictEntryViewSet",
]
