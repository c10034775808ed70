"""The jobs' API routes, included in the API's namespace by factcheck/api/urls.py."""

from django.urls import path

from jobs.api.views import JobResultView, JobView

urlpatterns = [
    path("jobs/<uuid:pk>/", JobView.as_view(), name="job-detail"),
    path("jobs/<uuid:pk>/result/", JobResultView.as_view(), name="job-result"),
]
