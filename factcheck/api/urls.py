"""The API's addresses: /api/v1/ resources, /api/schema/ and /api/docs/."""

from django.db.transaction import non_atomic_requests
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

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
from claims.api.views.exports import AnnotationExportView, ClaimExportView, ClaimReportView
from factcheck.api.errors import api_not_found
from factcheck.api.links import API_NAMESPACE
from sources.api.views import OutletViewSet, SourceViewSet

CLAIM = r"claims/(?P<claim_pk>[0-9]+)"

router = DefaultRouter()
router.register("claims", ClaimViewSet, basename="claim")
router.register(f"{CLAIM}/appearances", AppearanceViewSet, basename="appearance")
router.register(f"{CLAIM}/evidence", EvidenceViewSet, basename="evidence")
router.register(f"{CLAIM}/verdicts", VerdictEntryViewSet, basename="verdict")
router.register(f"{CLAIM}/history", HistoryViewSet, basename="history")
router.register("sources", SourceViewSet, basename="source")
router.register("outlets", OutletViewSet, basename="outlet")
router.register("speakers", SpeakerViewSet, basename="speaker")
router.register("tags", TagViewSet, basename="tag")
router.register("ratings", RatingViewSet, basename="rating")

urlpatterns = [
    # Files: the claims list's filters, streamed (claims/api/views/exports.py).
    re_path(
        r"^api/v1/claims/export\.(?P<extension>csv|jsonl|jsonld)$",
        ClaimExportView.as_view(),
        name="claims-export",
    ),
    re_path(
        r"^api/v1/annotations/export\.(?P<extension>jsonld)$",
        AnnotationExportView.as_view(),
        name="annotations-export",
    ),
    re_path(
        r"^api/v1/claims/report\.(?P<extension>html|pdf)$",
        ClaimReportView.as_view(),
        name="claims-report",
    ),
    path("api/v1/", include((router.urls, API_NAMESPACE))),
    # The schema and the docs touch no data: no transaction for them.
    path("api/schema/", non_atomic_requests(SpectacularAPIView.as_view()), name="api-schema"),
    path(
        "api/docs/",
        non_atomic_requests(SpectacularSwaggerView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # Anything else under /api/ is a JSON 404, not Django's HTML page.
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),
]
