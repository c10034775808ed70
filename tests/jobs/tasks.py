"""Tasks the job tests run: each does its work through jobs.services.run_job, as the
product's own tasks do."""

import time
from pathlib import Path

from django_tasks import task

from jobs.services import JobFailure, JobRun, run_job


def _count(run: JobRun) -> None:
    total = run.params["total"]
    run.progress(0, total=total, stage="Counting")
    for _ in range(total):
        run.advance(1)
    run.store("count.txt", f"counted to {total}\n".encode(), "text/plain")


@task()
def count(job_id: str) -> None:
    """Counts to params["total"], and stores what it counted as its result."""
    run_job(job_id, _count)


def _explode(run: JobRun) -> None:
    run.progress(stage="Reading claims")
    raise ZeroDivisionError("division by zero")


@task()
def explode(job_id: str) -> None:
    """Fails as a bug would."""
    run_job(job_id, _explode)


def _refuse(run: JobRun) -> None:
    raise JobFailure("The selected claims were deleted before the report was made.")


@task()
def refuse(job_id: str) -> None:
    """Fails for a reason its requester can act on."""
    run_job(job_id, _refuse)


def _stall_on_first_try(run: JobRun) -> None:
    if run.job.attempts == 1:
        Path(run.params["started"]).write_text("started")
        time.sleep(120)  # until its worker is killed
    run.store("done.txt", b"done on a later try\n", "text/plain")


@task()
def stall_on_first_try(job_id: str) -> None:
    """Hangs on its first attempt (writing params["started"] when it begins), succeeds on
    the next."""
    run_job(job_id, _stall_on_first_try)
