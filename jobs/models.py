"""A background job: what it is, how far it got, how it ended, and its result."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    FINISHED = (Status.SUCCEEDED, Status.FAILED)

    # Random: whoever holds the id may follow the job, so it must not be guessable.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64, help_text="What the job makes, e.g. report.pdf.")
    label = models.CharField(max_length=200, help_text="What the job makes, for people.")
    # The Task (its module path) that runs the job: a retried job is queued again with it.
    task_path = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=100, blank=True, help_text="What the job is doing now.")
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    result = models.FileField(upload_to="jobs/", max_length=300, blank=True)
    result_name = models.CharField(max_length=200, blank=True)
    result_type = models.CharField(max_length=100, blank=True)
    # What the job made when it is a record rather than a file: its API address, and
    # where the newsroom works on it in the admin (an imported source's annotate page).
    result_link = models.URLField(max_length=500, blank=True)
    admin_link = models.CharField(max_length=500, blank=True)
    # The task framework's id for the current attempt (its TaskResult).
    task_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # The admin's Jobs page: the newest first, and a user's own.
            models.Index(fields=["-created_at"], name="job_created_idx"),
            models.Index(fields=["requested_by", "-created_at"], name="job_requester_created_idx"),
            # Finding the running jobs whose worker went quiet.
            models.Index(
                fields=["heartbeat_at"],
                condition=Q(status="running"),
                name="job_running_heartbeat_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running", "succeeded", "failed"]),
                name="job_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=models.F("total")),
                name="job_done_within_total",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["succeeded", "failed"], finished_at__isnull=False)
                | Q(status__in=["queued", "running"], finished_at__isnull=True),
                name="job_finished_when_ended",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error=""),
                name="job_failure_has_error",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label} ({self.get_status_display().lower()})"

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def has_result(self) -> bool:
        """A file to serve at the job's result address."""
        return self.status == self.Status.SUCCEEDED and bool(self.result)
