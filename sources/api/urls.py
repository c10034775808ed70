"""The sources resources under /api/v1/, in the API's namespace (factcheck/api/urls.py)."""

from django.urls import path

from factcheck.api.routers import AppRouter
from sources.api.imports import SourceImportView
from sources.api.views import OutletViewSet, SourceViewSet

router = AppRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("outlets", OutletViewSet, basename="outlet")

urlpatterns = [
    # Before the router's routes, where "import" would be read as a source's id.
    path("sources/import/", SourceImportView.as_view(), name="source-import"),
    *router.urls,
]
