"""python manage.py import_claimreview PATH_OR_URL …

Imports other fact-checkers' ClaimReview (JSON-LD, a DataFeed, the Fact Check Tools
API's answers, or web pages that embed it) from files or web addresses, here, one
input after another. Prints a line per input; exits with status 1 if any failed.
"""

from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand

from claims.interchange.importing import ImportFailed, import_claimreview, import_claimreview_url
from factcheck.progress import Progress


class Command(BaseCommand):
    help = (
        "Import ClaimReview from files or web addresses. Prints 'imported N reviews (C claims "
        "created, M matched), D already known, U unmapped' or 'failed <input>: <reason>' for "
        "each input; exits with status 1 if any failed. Imported claims are drafts."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="+", metavar="PATH_OR_URL")

    def handle(self, *args, inputs: list[str], **options):
        failed = 0
        for item in inputs:
            progress = Progress(
                None,
                cast(TextIO, self.stderr._out),
                enabled=self.stderr.isatty(),
                label=f"Reviews in {item}",
            )
            try:
                summary = self._import(item, progress)
            except ImportFailed as error:
                failed += 1
                line = f"failed {item}: {error}"
            else:
                line = f"{item}: {summary}" if len(inputs) > 1 else str(summary)
            progress.close()
            self.stdout.write(line)
        if failed:
            raise SystemExit(1)

    def _import(self, item: str, progress: Progress):
        if "://" in item:
            return import_claimreview_url(item, progress=progress)
        try:
            with Path(item).open("rb") as stream:
                return import_claimreview(stream, progress=progress)
        except OSError as error:
            raise ImportFailed(f"cannot read the file: {error.strerror or error}") from None
