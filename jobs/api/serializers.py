from django.urls import reverse
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from factcheck.api.links import API_NAMESPACE
from jobs.models import Job

PROGRESS = inline_serializer(
    "JobProgress",
    {
        "done": serializers.IntegerField(),
        "total": serializers.IntegerField(allow_null=True, help_text="null: not known yet."),
    },
)


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    error = serializers.SerializerMethodField()
    result_url = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id",
            "url",
            "kind",
            "label",
            "status",
            "stage",
            "progress",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "result_url",
        ]
        read_only_fields = fields

    def _address(self, name: str, job: Job) -> str:
        path = reverse(f"{API_NAMESPACE}:{name}", args=[job.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, job: Job) -> str:
        return self._address("job-detail", job)

    @extend_schema_field(PROGRESS)
    def get_progress(self, job: Job) -> dict:
        return {"done": job.done, "total": job.total}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_error(self, job: Job) -> str | None:
        return job.error or None

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_result_url(self, job: Job) -> str | None:
        if job.has_result:
            return self._address("job-result", job)
        if job.status == Job.Status.SUCCEEDED and job.result_link:
            return job.result_link  # a record the job made (an imported source)
        return None
