"""python manage.py prune_jobs [--days N]"""

from django.conf import settings
from django.core.management.base import BaseCommand

from jobs.services import prune_jobs


class Command(BaseCommand):
    help = "Delete the jobs that finished more than JOB_KEEP_DAYS days ago, with their files."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=settings.JOB_KEEP_DAYS)

    def handle(self, *args, days: int, **options):
        self.stdout.write(f"Deleted {prune_jobs(days):,} job(s) finished over {days} day(s) ago.")
