"""python manage.py prune_jobs [--days N]"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from jobs.services import prune_jobs


class Command(BaseCommand):
    help = (
        "Delete the jobs that finished more than JOB_KEEP_DAYS days ago, with their files "
        "(and, on the database backend, the task queue's records as old). Run it daily."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.JOB_KEEP_DAYS)

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError("--days must be at least 1.")
        self.stdout.write(f"Deleted {prune_jobs(days):,} job(s) finished over {days} day(s) ago.")
        if settings.TASKS_BACKEND == "database":
            call_command(
                "prune_db_task_results", "--min-age-days", str(days), verbosity=options["verbosity"]
            )
