"""The sources resources under /api/v1/, in the API's namespace (factcheck/api/urls.py)."""

from factcheck.api.routers import AppRouter
from sources.api.views import OutletViewSet, SourceViewSet

router = AppRouter()
router.register("sources", SourceViewSet, basename="source")
router.register("outlets", OutletViewSet, basename="outlet")

urlpatterns = router.urls
