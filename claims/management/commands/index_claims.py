"""python manage.py index_claims [--all] [--no-suggest]

Computes the embeddings of the claims whose text changed since they were last
embedded (or that never were), here, with a progress bar, and suggests their likely
duplicates. ``--all`` embeds every claim again (after a change of model).
"""

from typing import TextIO, cast

from django.core.management.base import BaseCommand

from claims.services.matching import embed_claims, stale_claim_ids
from factcheck.progress import Progress


class Command(BaseCommand):
    help = (
        "(Re)build the claims' embeddings for similar-claim matching: those missing or "
        "out of date, or every one with --all. Prints how many were embedded."
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Embed every claim again.")
        parser.add_argument(
            "--no-suggest",
            action="store_true",
            help="Do not look for possible duplicates of the claims embedded.",
        )

    def handle(self, *args, **options):
        ids = stale_claim_ids(force=options["all"])
        progress = Progress(
            len(ids),
            cast(TextIO, self.stderr._out),
            enabled=self.stderr.isatty(),
            label="Claims embedded",
        )
        done = embed_claims(ids, progress=progress, force=True, suggest=not options["no_suggest"])
        progress.close()
        self.stdout.write(f"{done:,} claims embedded")
