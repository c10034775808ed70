"""The admin's Jobs page: recent jobs with their progress, each with its result once
it is made. Nothing here is edited: jobs change only as they run.

Everyone who may open the page sees the jobs they started; superusers see all.
"""

import contextlib

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.urls import reverse
from django.utils.html import format_html
from django_rq.models import Dashboard
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import reap_stale_jobs

# The task framework's own records are an implementation detail; the Jobs page shows
# the same work in words. django-rq's queue dashboard stays for superusers where the
# queue is RQ (elsewhere it would only fail to reach Redis).
_hidden = [DBTaskResult] + ([] if settings.TASKS_BACKEND == "rq" else [Dashboard])
for model in _hidden:
    with contextlib.suppress(NotRegistered):
        admin.site.unregister(model)


def job_link(job: Job) -> str:
    """The job's admin page, for messages that say a job was started."""
    url = reverse("admin:jobs_job_change", args=[job.pk])
    return format_html('<a href="{}">{}</a>', url, job.label)


class MineFilter(admin.SimpleListFilter):
    """The signed-in user's own jobs (what the work queue counts; for a superuser, who
    sees everyone's, a narrower list)."""

    title = "requested by"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("1", "me")]

    def queryset(self, request, queryset):
        return queryset.filter(requested_by=request.user) if self.value() == "1" else queryset


class OpenFilter(admin.SimpleListFilter):
    title = "finished"
    parameter_name = "open"

    def lookups(self, request, model_admin):
        return [("1", "Not yet (queued or running)")]

    def queryset(self, request, queryset):
        return queryset.exclude(status__in=Job.FINISHED) if self.value() == "1" else queryset


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "label",
        "status",
        "progress_bar",
        "requested_by",
        "created_at",
        "result_column",
    ]
    list_filter = [MineFilter, OpenFilter, "status", "kind", "created_at"]
    search_fields = ["label", "=id"]
    date_hierarchy = "created_at"
    list_select_related = ["requested_by"]
    list_per_page = 50
    readonly_fields = (
        "label",
        "status",
        "stage",
        "progress_bar",
        "error",
        "result_column",
        "requested_by",
        "created_at",
        "started_at",
        "finished_at",
        "attempts",
        "id",
        "kind",
    )
    fields = readonly_fields
    change_form_template = "admin/jobs/job/change_form.html"

    def get_queryset(self, request):
        reap_stale_jobs()
        jobs = super().get_queryset(request)
        return jobs if request.user.is_superuser else jobs.filter(requested_by=request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.display(description="Progress")
    def progress_bar(self, job: Job) -> str:
        if job.total:
            percent = round(100 * job.done / job.total)
            return format_html(
                '<progress max="{}" value="{}" title="{}%"></progress> {} of {}',
                job.total,
                job.done,
                percent,
                f"{job.done:,}",
                f"{job.total:,}",
            )
        return "–" if job.done == 0 else f"{job.done:,}"

    @admin.display(description="Result")
    def result_column(self, job: Job) -> str:
        if job.has_result:
            url = reverse("api-v1:job-result", args=[job.pk])
            return format_html('<a href="{}">{}</a>', url, job.result_name)
        if job.status == Job.Status.SUCCEEDED and (job.admin_link or job.result_link):
            return format_html('<a href="{}">Open it</a>', job.admin_link or job.result_link)
        if job.error:
            return job.error[:120] + ("…" if len(job.error) > 120 else "")
        return "–"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        # The page reloads itself until the job ends.
        context = {"refresh": job is not None and not job.finished, **(extra_context or {})}
        return super().change_view(request, object_id, form_url, extra_context=context)
