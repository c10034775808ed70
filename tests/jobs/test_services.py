"""Jobs: started, queued once their transaction commits, run by a worker to succeeded
or failed, and taken back when their worker dies."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from jobs.models import Job
from jobs.services import job_run_inline, job_start, prune_jobs, reap_stale_jobs, run_job
from tests.jobs import tasks

pytestmark = pytest.mark.django_db

Status = Job.Status


def start(task=tasks.count, **params) -> Job:
    return job_start(task, kind="test", label="count", params={"total": 3, **params})


def started_and_queued(django_capture_on_commit_callbacks, task=tasks.count, **params) -> Job:
    with django_capture_on_commit_callbacks(execute=True):
        job = start(task, **params)
    job.refresh_from_db()
    return job


def stale(job: Job, *, attempts: int) -> Job:
    """``job`` as if a worker had started attempt ``attempts`` and died long ago."""
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    Job.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=attempts, started_at=long_ago, heartbeat_at=long_ago
    )
    # Its worker had claimed the task, too.
    DBTaskResult.objects.filter(id=job.task_id or None).update(status="RUNNING")
    job.refresh_from_db()
    return job


def test_a_job_is_queued_only_once_the_transaction_that_started_it_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        job = start()
        assert not DBTaskResult.objects.exists()

    for callback in callbacks:
        callback()
    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert str(DBTaskResult.objects.get().id) == job.task_id


def test_the_database_worker_runs_a_queued_job_to_success_with_its_result(
    django_capture_on_commit_callbacks, task_worker
):
    job = started_and_queued(django_capture_on_commit_callbacks, total=4)

    task_worker()

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert (job.done, job.total) == (4, 4)
    assert job.error == ""
    assert job.started_at <= job.finished_at
    assert job.result.read() == b"counted to 4\n"
    assert job.result_type == "text/plain"
    assert DBTaskResult.objects.get(id=job.task_id).status == "SUCCESSFUL"


def test_a_job_that_raises_is_failed_with_a_message_a_person_understands(
    django_capture_on_commit_callbacks, task_worker
):
    job = started_and_queued(django_capture_on_commit_callbacks, tasks.explode)

    task_worker()

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.finished_at is not None
    assert job.error.startswith("Something went wrong making this count (reading claims)")
    assert "ZeroDivisionError" in job.error
    assert "tell an administrator" in job.error
    # The task framework keeps the traceback for whoever reads the worker's records.
    assert "ZeroDivisionError" in DBTaskResult.objects.get(id=job.task_id).traceback


def test_a_job_that_cannot_be_done_says_why_in_its_own_words(
    django_capture_on_commit_callbacks, task_worker
):
    job = started_and_queued(django_capture_on_commit_callbacks, tasks.refuse)

    task_worker()

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error == "The selected claims were deleted before the report was made."


def test_a_job_that_could_not_be_queued_is_failed_and_says_so(
    django_capture_on_commit_callbacks, monkeypatch
):
    def queue_down(*args, **kwargs):
        raise ConnectionError("Connection refused")

    monkeypatch.setattr(type(tasks.count), "enqueue", queue_down)

    job = started_and_queued(django_capture_on_commit_callbacks)

    assert job.status == Status.FAILED
    assert "could not be queued" in job.error
    assert "ConnectionError" in job.error


def test_a_job_runs_once_however_often_its_task_is_called():
    job = start()
    run_job(str(job.pk), tasks._count)
    job.refresh_from_db()
    finished_at = job.finished_at

    run_job(str(job.pk), tasks._explode)  # a duplicate delivery of the same job

    job.refresh_from_db()
    assert job.status == Status.SUCCEEDED
    assert job.finished_at == finished_at
    assert job.attempts == 1


def test_a_job_run_inline_is_never_queued():
    job = job_start(tasks.count, kind="test", label="count", params={"total": 2}, queue=False)

    job = job_run_inline(job)

    assert job.status == Status.SUCCEEDED
    assert job.task_id == ""
    assert not DBTaskResult.objects.exists()


def test_a_dead_workers_job_is_queued_again_while_it_has_tries_left(
    settings, django_capture_on_commit_callbacks, task_worker
):
    settings.JOB_MAX_ATTEMPTS = 2
    job = stale(started_and_queued(django_capture_on_commit_callbacks), attempts=1)
    first_task = job.task_id

    with django_capture_on_commit_callbacks(execute=True):
        assert reap_stale_jobs() == 1

    job.refresh_from_db()
    assert job.status == Status.QUEUED
    assert job.stage.startswith("Queued again: its worker stopped answering")
    # The dead attempt's own record is closed; a new task carries the next try.
    assert DBTaskResult.objects.get(id=first_task).status == "FAILED"
    assert job.task_id not in ("", first_task)

    task_worker()
    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.SUCCEEDED, 2)


def test_a_dead_workers_job_is_failed_after_its_last_try(settings):
    settings.JOB_MAX_ATTEMPTS = 2
    job = stale(start(), attempts=2)

    assert reap_stale_jobs() == 1

    job.refresh_from_db()
    assert job.status == Status.FAILED
    assert job.error.startswith("Its worker stopped answering (last heard from at ")
    assert "on each of 2 tries" in job.error
    assert job.finished_at is not None


def test_a_running_job_with_a_recent_heartbeat_is_left_alone():
    job = start()
    Job.objects.filter(pk=job.pk).update(
        status=Status.RUNNING, attempts=1, heartbeat_at=timezone.now()
    )

    assert reap_stale_jobs() == 0
    job.refresh_from_db()
    assert job.status == Status.RUNNING


def test_an_attempt_that_was_taken_back_cannot_overwrite_the_next(settings):
    settings.JOB_MAX_ATTEMPTS = 3

    def slow_first_attempt(run):
        # While this attempt works, its job is taken back and started again.
        stale(run.job.__class__.objects.get(pk=run.job.pk), attempts=run.job.attempts)
        reap_stale_jobs()
        Job.objects.filter(pk=run.job.pk).update(status=Status.RUNNING, attempts=2)
        run.store("late.txt", b"late", "text/plain")

    job = start()
    run_job(str(job.pk), slow_first_attempt)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.RUNNING, 2)
    assert not job.result  # the late attempt's file was discarded


def test_a_finished_job_and_its_file_are_pruned_after_the_days_kept(settings):
    old, recent = start(), start()
    for job in (old, recent):
        run_job(str(job.pk), tasks._count)
    old.refresh_from_db()
    Job.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=settings.JOB_KEEP_DAYS + 1)
    )

    assert prune_jobs() == 1

    assert list(Job.objects.all()) == [recent]
    assert not old.result.storage.exists(old.result.name)


def test_prune_jobs_deletes_old_jobs_and_the_queues_old_records(
    settings, django_capture_on_commit_callbacks, task_worker
):
    job = started_and_queued(django_capture_on_commit_callbacks)
    task_worker()
    long_ago = timezone.now() - datetime.timedelta(days=30)
    Job.objects.filter(pk=job.pk).update(finished_at=long_ago)
    DBTaskResult.objects.update(finished_at=long_ago)
    output = io.StringIO()

    call_command("prune_jobs", "--days", "7", stdout=output)

    assert "Deleted 1 job(s) finished over 7 day(s) ago." in output.getvalue()
    assert not Job.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_prune_jobs_refuses_a_day_count_below_one():
    with pytest.raises(CommandError, match="--days must be at least 1"):
        call_command("prune_jobs", "--days", "0")
