"""A long text's suggestions, computed by a background job (about 30 sentences a
second: a 500,000-character source takes a few minutes)."""

from django.db import transaction
from django_tasks import task

from claims.suggestions.segment import sentences
from claims.suggestions.services import is_computed, needs_job, suggestions_refresh
from jobs.models import Job
from jobs.services import JobRun, job_start, run_job
from sources.models import Source

KIND = "suggestions.compute"


def pending_job(source: Source) -> Job | None:
    """The queued or running job computing the source's current text, if any."""
    return (
        Job.objects.filter(
            kind=KIND,
            params__source_id=source.pk,
            params__text_hash=source.content_hash,
            status__in=[Job.Status.QUEUED, Job.Status.RUNNING],
        )
        .order_by("-pk")
        .first()
    )


def start_suggestions(*, source: Source, requested_by=None) -> Job:
    job = pending_job(source)
    if job is not None:
        return job
    return job_start(
        compute_suggestions,
        kind=KIND,
        label=f"suggestions for “{source.title[:150]}”",
        params={"source_id": source.pk, "text_hash": source.content_hash},
        requested_by=requested_by,
    )


def schedule_suggestions(source: Source) -> Job | None:
    """Compute the source's suggestions now (a short text, once the save commits) or
    in a job (a long one)."""
    if needs_job(source):
        return start_suggestions(source=source)
    transaction.on_commit(lambda: _refresh_if_current(source.pk, source.content_hash))
    return None


def _refresh_if_current(source_id: int, text_hash: str) -> None:
    source = Source.objects.filter(pk=source_id, content_hash=text_hash).first()
    if source is not None and not is_computed(source):
        suggestions_refresh(source=source)


@task()
def compute_suggestions(job_id: str) -> None:
    run_job(job_id, _compute)


def _compute(run: JobRun) -> None:
    source = Source.objects.filter(pk=run.params["source_id"]).first()
    if source is None or source.content_hash != run.params["text_hash"]:
        run.summary("The text changed since; its own job scores the new one.")
        return
    total = len(sentences(source.text, source.language))
    run.progress(0, total=total, stage="Scoring sentences")
    count = suggestions_refresh(source=source, progress=lambda done: run.progress(done))
    run.summary(f"{count} sentences scored")
