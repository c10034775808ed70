"""Real task workers, in processes of their own as in production: the RQ worker on a real
Redis, and a worker killed in the middle of a job.

Each test runs a driver process (below) on a database the processes share: it starts
the job, starts and stops the workers, and prints what it saw.
"""

import json

import pytest

from tests.helpers import run_python

# A Redis database number of its own, emptied by the test.
RQ_REDIS_URL = "redis://127.0.0.1:6379/13"

RQ_DRIVER = """
import json, subprocess, sys
import django
django.setup()
import django_rq
from jobs.models import Job
from jobs.services import job_start
from tests.jobs import tasks

django_rq.get_connection("default").flushdb()
job = job_start(tasks.count, kind="test", label="count", params={"total": 5})
queued = Job.objects.get(pk=job.pk)
try:
    subprocess.run(
        [sys.executable, "manage.py", "worker", "--batch"], check=True, timeout=60,
        capture_output=True,
    )
    job.refresh_from_db()
    print(json.dumps({
        "queued_task": bool(queued.task_id),
        "status": job.status,
        "progress": [job.done, job.total],
        "result": job.result.read().decode() if job.result else None,
    }))
finally:
    Job.objects.filter(pk=job.pk).delete()
"""

KILL_DRIVER = """
import json, subprocess, sys, time
from pathlib import Path
import django
django.setup()
from django.conf import settings
from django_tasks_db.models import DBTaskResult
from jobs.models import Job
from jobs.services import job_start, reap_stale_jobs
from tests.jobs import tasks

started = Path(sys.argv[1])
job = job_start(
    tasks.stall_on_first_try, kind="test", label="stall", params={"started": str(started)}
)
worker = subprocess.Popen(
    [sys.executable, "manage.py", "worker"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
)
seen = {}

def status():
    reap_stale_jobs()  # as every reader of a job does
    job.refresh_from_db()
    return job.status

try:
    deadline = time.monotonic() + 60
    while not started.exists():
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.1)
    time.sleep(settings.JOB_STALE_SECONDS + 1)
    seen["alive, past the stale time"] = status()  # its heartbeat keeps it running
    worker.kill()  # SIGKILL: no goodbye, no clean-up
    worker.wait()
    seen["just killed"] = status()
    time.sleep(settings.JOB_STALE_SECONDS + 1)
    seen["once stale"] = status()
    seen["stage"] = job.stage
    subprocess.run([sys.executable, "manage.py", "worker", "--batch"], check=True, timeout=60,
                   capture_output=True)
    seen["after a new worker"] = status()
    seen["attempts"] = job.attempts
    seen["result"] = job.result.read().decode() if job.result else None
finally:
    worker.kill()
    Job.objects.filter(pk=job.pk).delete()
    DBTaskResult.objects.filter(task_path__startswith="tests.jobs.").delete()
print(json.dumps(seen))
"""


def drive(script: str, database_url: str, *args: str, **env: str) -> dict:
    result = run_python("-c", script, *args, timeout=120, DATABASE_URL=database_url, **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_rq_backend_runs_a_job_on_a_real_redis_server(shared_database_url, tmp_path):
    seen = drive(
        RQ_DRIVER,
        shared_database_url,
        TASKS_BACKEND="rq",
        REDIS_URL=RQ_REDIS_URL,
        MEDIA_ROOT=str(tmp_path),
    )

    assert seen == {
        "queued_task": True,
        "status": "succeeded",
        "progress": [5, 5],
        "result": "counted to 5\n",
    }


def test_a_killed_workers_job_does_not_stay_running_but_is_retried(shared_database_url, tmp_path):
    seen = drive(
        KILL_DRIVER,
        shared_database_url,
        str(tmp_path / "started"),
        JOB_HEARTBEAT_SECONDS="1",
        JOB_STALE_SECONDS="3",
        JOB_MAX_ATTEMPTS="2",
        MEDIA_ROOT=str(tmp_path),
    )

    assert seen["alive, past the stale time"] == "running"
    assert seen["just killed"] == "running"  # nobody can tell yet
    assert seen["once stale"] == "queued"
    assert seen["stage"].startswith("Queued again: its worker stopped answering")
    assert seen["after a new worker"] == "succeeded"
    assert seen["attempts"] == 2
    assert seen["result"] == "done on a later try\n"


@pytest.mark.parametrize("value", ["celery", "redis"])
def test_an_unknown_tasks_backend_is_refused_at_start_with_a_message(value):
    result = run_python("manage.py", "check", TASKS_BACKEND=value)

    assert result.returncode != 0
    assert f"TASKS_BACKEND must be database or rq, not '{value}'" in result.stderr
