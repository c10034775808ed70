"""The claims resources under /api/v1/, in the API's namespace (factcheck/api/urls.py)."""

from django.urls import path, re_path

from claims.api.views import (
    AppearanceViewSet,
    ClaimViewSet,
    EvidenceViewSet,
    HistoryViewSet,
    RatingViewSet,
    SpeakerViewSet,
    TagViewSet,
    VerdictEntryViewSet,
)
from claims.api.views.links import ClaimLinkViewSet
from claims.api.views.reviews import ExternalReviewImportView, ExternalReviewViewSet
from claims.api.views.similar import ClaimSimilarView, SimilarClaimsView
from claims.api.views.suggestions import (
    SourceSuggestionsView,
    SuggestionAcceptView,
    SuggestionDismissView,
)
from factcheck.api.routers import ID_PATTERN, AppRouter

CLAIM = rf"claims/(?P<claim_pk>{ID_PATTERN})"

router = AppRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register(f"{CLAIM}/appearances", AppearanceViewSet, basename="appearance")
router.register(f"{CLAIM}/evidence", EvidenceViewSet, basename="evidence")
router.register(f"{CLAIM}/verdicts", VerdictEntryViewSet, basename="verdict")
router.register(f"{CLAIM}/history", HistoryViewSet, basename="history")
router.register(f"{CLAIM}/links", ClaimLinkViewSet, basename="claim-link")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("tags", TagViewSet, basename="tag")
router.register("ratings", RatingViewSet, basename="rating")
router.register("external-reviews", ExternalReviewViewSet, basename="external-review")

SUGGESTION = "sources/<id:pk>/suggestions/<id:sid>"
urlpatterns = [
    path(
        "sources/<id:pk>/suggestions/",
        SourceSuggestionsView.as_view(),
        name="source-suggestions",
    ),
    path(f"{SUGGESTION}/dismiss/", SuggestionDismissView.as_view(), name="suggestion-dismiss"),
    path(f"{SUGGESTION}/accept/", SuggestionAcceptView.as_view(), name="suggestion-accept"),
    # Before the router's claims/<pk>/, which would take "similar" for an id.
    path("claims/similar/", SimilarClaimsView.as_view(), name="claim-similar"),
    re_path(f"^{CLAIM}/similar/$", ClaimSimilarView.as_view(), name="claim-similar-to"),
    path(
        "external-reviews/import/",
        ExternalReviewImportView.as_view(),
        name="external-review-import",
    ),
    *router.urls,
]
