"""The claims files under /api/v1/: exports and reports of the claims list's filters,
streamed (claims/api/views/exports.py).

Apart from claims/api/urls.py because their names (claims-export, …) stand outside
the API's resource namespace, and one included module cannot hold both.
"""

from django.urls import re_path

from claims.api.views.exports import (
    AnnotationExportView,
    ClaimExportView,
    ClaimFeedView,
    ClaimReportView,
)

urlpatterns = [
    re_path(
        r"^claims/export\.(?P<extension>csv|jsonl|jsonld)$",
        ClaimExportView.as_view(),
        name="claims-export",
    ),
    re_path(
        r"^claims/feed\.(?P<extension>json)$",
        ClaimFeedView.as_view(),
        name="claims-feed",
    ),
    re_path(
        r"^annotations/export\.(?P<extension>jsonld)$",
        AnnotationExportView.as_view(),
        name="annotations-export",
    ),
    re_path(
        r"^claims/report\.(?P<extension>html|pdf)$",
        ClaimReportView.as_view(),
        name="claims-report",
    ),
]
