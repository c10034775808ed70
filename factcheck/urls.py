from django.contrib import admin
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Fact-check tracker"
admin.site.site_title = "Fact-check tracker"
admin.site.index_title = "Claims, sources and verdicts"
# "View site": what the newsroom publishes, the API, read through its docs.
admin.site.site_url = "/api/docs/"


class FaviconView(RedirectView):
    """Browsers ask for /favicon.ico whatever a page links; the icon is a static file
    (looked up per request: the hashed name exists once collectstatic has run)."""

    def get_redirect_url(self, *args, **kwargs):
        return static("factcheck/favicon.svg")


# The database out of reach in a middleware is a 503, not a 500 (factcheck/middleware.py);
# /healthz and /readyz are answered there too, before any route.
handler500 = "factcheck.middleware.server_error"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    # The browsable API's sign-in (Django's login view: django-axes locks it out too).
    path("api-auth/", include("rest_framework.urls")),
    path("favicon.ico", FaviconView.as_view()),
    path("", include("factcheck.api.urls")),
]
