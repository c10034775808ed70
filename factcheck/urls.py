from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

admin.site.site_header = "Fact-check tracker"
admin.site.site_title = "Fact-check tracker"
admin.site.index_title = "Claims, sources and verdicts"

urlpatterns = [
    path("", RedirectView.as_view(url="/admin/", permanent=False)),
    path("admin/", admin.site.urls),
    # The browsable API's sign-in (Django's login view: django-axes locks it out too).
    path("api-auth/", include("rest_framework.urls")),
    path("", include("factcheck.api.urls")),
]
