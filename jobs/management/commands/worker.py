"""python manage.py worker: a task worker for the configured backend (TASKS_BACKEND)."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from jobs.services import reap_stale_jobs


class Command(BaseCommand):
    help = (
        "Run a task worker for TASKS_BACKEND: the database backend's db_worker, or an RQ "
        "worker on REDIS_URL. It first takes back the jobs of workers that died. Run as "
        "many as you like, on as many machines; Ctrl-C stops one after its current job."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Run the jobs queued now, then stop."
        )

    def handle(self, *args, batch: bool = False, **options):
        taken = reap_stale_jobs()
        if taken:
            self.stderr.write(f"Took back {taken} job(s) whose worker had stopped.")
        verbosity = str(options.get("verbosity", 1))
        if settings.TASKS_BACKEND == "rq":
            self.stderr.write(f"Task worker (RQ on {_without_password(settings.REDIS_URL)})")
            arguments = [settings.JOB_QUEUE, "--job-class", "django_tasks_rq.Job"]
            call_command("rqworker", *arguments, *(["--burst"] if batch else []), "-v", verbosity)
        else:
            self.stderr.write("Task worker (the database backend)")
            arguments = ["--queue-name", settings.JOB_QUEUE, "--no-reload", "--interval", "1"]
            call_command("db_worker", *arguments, *(["--batch"] if batch else []), "-v", verbosity)


def _without_password(url: str) -> str:
    scheme, _, rest = url.partition("://")
    _credentials, at, host = rest.rpartition("@")
    return f"{scheme}://{'…@' if at else ''}{host}"
