"""GET /api/v1/jobs/<id>/ (a job's status and progress) and
GET /api/v1/jobs/<id>/result/ (its file, once it succeeded).

There is no list: a job is visible to whoever holds its id (a random UUID), as a
link to a document is. What the result holds was chosen for its requester when the
job ran.
"""

from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException, NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from factcheck.api.links import API_NAMESPACE
from jobs.api.serializers import JobSerializer
from jobs.models import Job
from jobs.services import reap_stale_jobs

# While a job runs: when to look again (seconds), for clients that follow it.
RETRY_AFTER = {"Retry-After": "2"}


def job_accepted(job: Job, request) -> Response:
    """202 Accepted for a request that started ``job``: the job, at the address in
    Location, and when to look again."""
    location = reverse(f"{API_NAMESPACE}:job-detail", args=[job.pk])
    body = JobSerializer(job, context={"request": request}).data
    return Response(body, status=202, headers={"Location": location, **RETRY_AFTER})


class ResultGone(APIException):
    status_code = 410
    default_code = "result_gone"


def _job(pk) -> Job:
    reap_stale_jobs()  # a dead worker's job is never shown running
    job = Job.objects.filter(pk=pk).first()
    if job is None:
        raise NotFound("There is no job with this id (finished jobs are deleted after a while).")
    return job


class JobView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(operation_id="jobs_retrieve", responses=JobSerializer)
    def get(self, request, pk):
        """A job: its status (queued, running, succeeded, failed), progress, error and,
        once it succeeded, where its result is."""
        job = _job(pk)
        body = JobSerializer(job, context={"request": request}).data
        return Response(body, headers={} if job.finished else RETRY_AFTER)


class JobResultView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="jobs_result",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, "The job's file."),
            404: OpenApiResponse(description="No such job, or it has no result (yet)."),
            410: OpenApiResponse(description="The result was deleted."),
        },
    )
    def get(self, request, pk):
        """The file a job made, once it succeeded."""
        job = _job(pk)
        if not job.has_result:
            raise NotFound(
                f"This job has no result: it is {job.status}."
                + (" Follow the job until it succeeds." if not job.finished else "")
            )
        try:
            file = job.result.open("rb")
        except FileNotFoundError:
            raise ResultGone(
                "This job's result was deleted. Start the job again to make it anew."
            ) from None
        return FileResponse(
            file, content_type=job.result_type, filename=job.result_name, as_attachment=False
        )
