"""The API's addresses: /api/v1/ resources, /api/schema/ and /api/docs/.

The apps own their routes and are included by name, so that this package
imports no app: claims/urls.py (the export files and reports, named outside the
API's namespace: claims-export, …), claims/api/urls.py and sources/api/urls.py and
jobs/api/urls.py (the resources, in the namespace: api-v1:claim-list, …).
"""

from django.db.transaction import non_atomic_requests
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.urlpatterns import format_suffix_patterns

from factcheck.api.errors import api_not_found
from factcheck.api.links import API_NAMESPACE
from factcheck.api.routers import ApiRootView

resources = [
    path("", include("claims.api.urls")),
    path("", include("sources.api.urls")),
    path("", include("jobs.api.urls")),
]
root = format_suffix_patterns([path("", ApiRootView.as_view(resources=resources), name="api-root")])

urlpatterns = [
    path("api/v1/", include("claims.urls")),
    path("api/v1/", include((resources + root, API_NAMESPACE))),
    # The schema and the docs touch no data: no transaction for them.
    path("api/schema/", non_atomic_requests(SpectacularAPIView.as_view()), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file of its own
    # (/api/docs/?script), not inline: the Content-Security-Policy allows no inline script.
    path(
        "api/docs/",
        non_atomic_requests(SpectacularSwaggerSplitView.as_view(url_name="api-schema")),
        name="api-docs",
    ),
    # Anything else under /api/ is a JSON 404, not Django's HTML page.
    re_path(r"^api(?:/[\s\S]*)?$", api_not_found),
]
