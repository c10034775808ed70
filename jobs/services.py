"""Starting, running and taking back jobs: the one place a Job row changes.

``job_start`` records a job and, once the caller's transaction commits, queues its
Task (so a worker never looks for a job that is not saved yet). A task runs its job
through ``run_job``, which marks it running, keeps a heartbeat while the work goes
on, and ends it as succeeded or failed with a message a person understands.

A worker that dies (killed, out of memory, its machine gone) stops the heartbeat.
``reap_stale_jobs`` takes such a job back: queued again while it has tries left
(settings.JOB_MAX_ATTEMPTS), failed with a message after that. It runs when a
worker starts, before each job, and before a job is read, so nobody ever sees a
dead worker's job as running for longer than settings.JOB_STALE_SECONDS.

Every change to a running job is conditional on its attempt number, so the
worker of an attempt that was taken back cannot overwrite the next one.
"""

import datetime
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import default_task_backend
from django_tasks.base import Task

from jobs.models import Job

logger = logging.getLogger("jobs")

Status = Job.Status


class JobFailure(Exception):
    """The job cannot be done for a reason its requester can act on; the message is
    shown to them as the job's error."""


class WorkerLost(Exception):
    """Recorded on the task framework's own result of an attempt whose worker died."""


def job_start(
    task: Task,
    *,
    kind: str,
    label: str,
    params: dict,
    requested_by=None,
    total: int | None = None,
    queue: bool = True,
) -> Job:
    """A new queued job that ``task`` (called with the job's id) will run; it is
    queued when the current transaction commits (``queue=False``: not at all, for
    job_run_inline)."""
    job = Job.objects.create(
        kind=kind,
        label=label[:200],
        task_path=task.module_path,
        params=params,
        requested_by=requested_by if getattr(requested_by, "pk", None) else None,
        total=total,
    )
    if queue:
        _enqueue_on_commit(job.pk, job.task_path)
    return job


def run_job(job_id: str, work: Callable[["JobRun"], None]) -> None:
    """Run the queued job ``job_id`` with ``work``, which reports its progress and
    stores its result through the JobRun it is given. A job that is not queued (done
    already, taken back, or unknown) is left alone. What ``work`` raises is recorded
    as the job's error and raised again, for the task framework's own record."""
    reap_stale_jobs()
    job = _begin(job_id)
    if job is None:
        return
    run = JobRun(job)
    heartbeat = _Heartbeat(run)
    heartbeat.start()
    try:
        work(run)
    except (KeyboardInterrupt, SystemExit):
        heartbeat.stop()
        _take_back(run.job, "Its worker was stopped while it ran the job")
        run.discard_result()
        raise
    except BaseException as error:
        heartbeat.stop()
        run.end(Status.FAILED, error=failure_message(error, run.job))
        raise
    else:
        heartbeat.stop()
        run.end(Status.SUCCEEDED)


def failure_message(error: BaseException, job: Job) -> str:
    """What the requester is told about ``error``."""
    if isinstance(error, JobFailure):
        return str(error)
    if isinstance(error, MemoryError):
        return (
            f"The worker ran out of memory making this {job.label}. Ask for fewer items, "
            "or ask an administrator to give the task workers more memory."
        )
    stage = f" ({job.stage.lower()})" if job.stage else ""
    return (
        f"Something went wrong making this {job.label}{stage}: {type(error).__name__}. "
        "The details are in the task worker's log. Try again; if it fails again, tell "
        "an administrator."
    )


class JobRun:
    """A running job, as its work sees it: its parameters, and the means to report
    progress and store a result."""

    # Progress is written at most this often (seconds), besides its first and last.
    WRITE_EVERY = 1.0

    def __init__(self, job: Job):
        self.job = job
        self._written_at = 0.0
        self._summary = ""

    @property
    def params(self) -> dict:
        return self.job.params

    def requester(self):
        """The account that asked for the job, if it may still act; JobFailure when it
        was removed or deactivated since (a job does nothing in its name then)."""
        user = self.job.requested_by
        if user is None or not user.is_active:
            raise JobFailure(
                f"The account that asked for this {self.job.label} was removed or "
                "deactivated, so nothing was done."
            )
        return user

    def progress(
        self, done: int | None = None, *, total: int | None = None, stage: str | None = None
    ) -> None:
        """How far the job got: ``done`` of ``total`` items, and what it does now."""
        job = self.job
        changed_stage = stage is not None and stage != job.stage
        if total is not None:
            job.total = total
        if done is not None:
            job.done = min(done, job.total) if job.total is not None else done
        if stage is not None:
            job.stage = stage[:100]
        now = time.monotonic()
        if changed_stage or job.done == job.total or now - self._written_at >= self.WRITE_EVERY:
            self._written_at = now
            self.update(
                done=job.done, total=job.total, stage=job.stage, heartbeat_at=timezone.now()
            )

    def advance(self, count: int) -> None:
        """``count`` more items done."""
        self.progress(self.job.done + count)

    def store(self, name: str, content: bytes, content_type: str) -> None:
        """The job's result: a file, served at its result_url once the job succeeds."""
        self.discard_result()
        path = f"jobs/{self.job.pk}/{name}"
        self.job.result.name = self.job.result.storage.save(path, ContentFile(content))
        self.job.result_name = name
        self.job.result_type = content_type

    def summary(self, text: str) -> None:
        """What the job did, in a few words ("unchanged 12"): its stage once it succeeded."""
        self._summary = text[:100]

    def made(self, *, result_url: str, admin_link: str = "") -> None:
        """The job's result is a record: its API address (the job's result_url once it
        succeeds) and, if any, its admin page."""
        self.job.result_link = result_url
        self.job.admin_link = admin_link

    def discard_result(self) -> None:
        if self.job.result.name:
            self.job.result.storage.delete(self.job.result.name)
            self.job.result.name = ""

    def update(self, **fields) -> bool:
        """Write ``fields`` if this attempt still owns the job."""
        return bool(
            Job.objects.filter(
                pk=self.job.pk, status=Status.RUNNING, attempts=self.job.attempts
            ).update(**fields)
        )

    def end(self, status: str, *, error: str = "") -> None:
        job = self.job
        now = timezone.now()
        done = job.total if status == Status.SUCCEEDED and job.total is not None else job.done
        ended = self.update(
            status=status,
            error=error,
            stage=self._summary if status == Status.SUCCEEDED else "",
            done=done,
            finished_at=now,
            heartbeat_at=now,
            result=job.result.name or "",
            result_name=job.result_name,
            result_type=job.result_type,
            result_link=job.result_link if status == Status.SUCCEEDED else "",
            admin_link=job.admin_link if status == Status.SUCCEEDED else "",
        )
        if not ended:
            # Taken back while it ran (its heartbeat looked stale): the next attempt counts.
            logger.warning("Job %s attempt %s ended after it was taken back", job.pk, job.attempts)
            self.discard_result()


class _Heartbeat(threading.Thread):
    """Writes the job's heartbeat every settings.JOB_HEARTBEAT_SECONDS while its work
    runs, even through one long call (laying out a PDF). It dies with its process."""

    def __init__(self, job_run: JobRun):
        super().__init__(name=f"job-heartbeat-{job_run.job.pk}", daemon=True)
        self._job_run = job_run
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self._stopped.wait(settings.JOB_HEARTBEAT_SECONDS):
                try:
                    self._job_run.update(heartbeat_at=timezone.now())
                except Exception:
                    logger.exception("Job %s: the heartbeat could not be written", self.name)
        finally:
            connections.close_all()  # this thread's own connections

    def stop(self) -> None:
        self._stopped.set()
        self.join(timeout=10)


def _begin(job_id: str) -> Job | None:
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            logger.warning("Job %s does not exist; nothing to run", job_id)
            return None
        if job.status != Status.QUEUED:
            logger.info("Job %s is %s, not queued; not run again", job_id, job.status)
            return None
        now = timezone.now()
        job.status = Status.RUNNING
        job.attempts += 1
        job.started_at = job.heartbeat_at = now
        job.stage = ""
        job.done = 0
        job.save(
            update_fields=["status", "attempts", "started_at", "heartbeat_at", "stage", "done"]
        )
    return job


def reap_stale_jobs() -> int:
    """Take back every running job whose heartbeat is older than
    settings.JOB_STALE_SECONDS; the number taken back."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    stale = Job.objects.filter(status=Status.RUNNING, heartbeat_at__lt=cutoff)
    taken = 0
    for job in stale.only("pk", "attempts", "task_path", "task_id", "heartbeat_at", "label"):
        assert job.heartbeat_at is not None  # filtered on it
        seen = job.heartbeat_at.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        taken += _take_back(job, f"Its worker stopped answering (last heard from at {seen})")
    return taken


def _take_back(job: Job, reason: str) -> bool:
    """A running job whose worker is gone: queued again while it has tries left,
    failed with ``reason`` after that. False when another process took it first."""
    retry = job.attempts < settings.JOB_MAX_ATTEMPTS
    now = timezone.now()
    owned = Job.objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)
    with transaction.atomic(using=DEFAULT_DB_ALIAS):
        if retry:
            taken = owned.update(
                status=Status.QUEUED,
                stage=f"Queued again: {reason[0].lower()}{reason[1:]}"[:100],
                started_at=None,
                heartbeat_at=None,
                task_id="",
            )
            if taken:
                _enqueue_on_commit(job.pk, job.task_path)
        else:
            taken = owned.update(
                status=Status.FAILED,
                stage="",
                finished_at=now,
                error=(
                    f"{reason}, on each of {job.attempts} tries, so the job was stopped. "
                    "Start it again; if it stops the same way, tell an administrator (a "
                    "task worker may be running out of memory or time)."
                ),
            )
    if taken:
        logger.warning("Job %s taken back (%s)", job.pk, "queued again" if retry else "failed")
        _close_task_result(job.task_id, reason)
    return bool(taken)


def _close_task_result(task_id: str, reason: str) -> None:
    """The database backend's record of a dead worker's attempt stays RUNNING; mark it
    failed too. (RQ ends its own abandoned jobs.)"""
    if not task_id:
        return
    try:
        result = default_task_backend.get_result(task_id)
    except Exception:
        return
    db_result = getattr(result, "db_result", None)
    if db_result is not None and db_result.status == "RUNNING":
        db_result.set_failed(WorkerLost(reason))


def _enqueue_on_commit(job_id, task_path: str) -> None:
    transaction.on_commit(lambda: _enqueue(job_id, task_path), using=DEFAULT_DB_ALIAS)


def _enqueue(job_id, task_path: str) -> None:
    try:
        task = import_string(task_path)
        if not isinstance(task, Task):
            raise TypeError(f"{task_path} is not a Task")
        result = task.enqueue(str(job_id))
    except Exception as error:
        logger.exception("Job %s could not be queued", job_id)
        Job.objects.filter(pk=job_id, status=Status.QUEUED).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            error=(
                f"The job could not be queued: the task queue did not answer "
                f"({type(error).__name__}). Try again in a moment; if it goes on, tell an "
                "administrator that the job queue is down."
            ),
        )
        return
    Job.objects.filter(pk=job_id).update(task_id=str(result.id))


def job_run_inline(job: Job) -> Job:
    """Run a job started with ``queue=False`` in this process, now, instead of by a
    worker (export_claims --inline); the job as it ended, failed or not."""
    task = import_string(job.task_path)
    try:
        task.call(str(job.pk))
    except Exception:
        logger.debug("Job %s failed inline", job.pk, exc_info=True)
    job.refresh_from_db()
    return job


def prune_jobs(days: int | None = None) -> int:
    """Delete the jobs that finished more than ``days`` (settings.JOB_KEEP_DAYS) ago,
    with their result files; how many were deleted."""
    keep = settings.JOB_KEEP_DAYS if days is None else days
    cutoff = timezone.now() - datetime.timedelta(days=keep)
    old = Job.objects.filter(status__in=Job.FINISHED, finished_at__lt=cutoff)
    deleted = 0
    for job in old.only("pk", "result").iterator():
        if job.result.name:
            job.result.storage.delete(job.result.name)
        deleted += Job.objects.filter(pk=job.pk).delete()[0]
    return deleted
