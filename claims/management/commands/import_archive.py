import sys

from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from claims.archive import ArchiveError, archive_reader, read_archive, table_progress
from claims.services.matching import start_indexing


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an empty, freshly migrated "
        "database, with the same ids, in one transaction: a damaged or truncated file or an "
        "unknown format changes nothing. The rating scale made by migrate and groups made by "
        "setup_roles are replaced by the archive's. The archive holds password hashes, so "
        "people sign in as before; it holds no API tokens: issue new ones afterwards."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "archive",
            metavar="FILE",
            help="The archive (plain or gzip, recognised by content); '-' reads standard input.",
        )
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS, help="The database to fill.")

    def handle(self, *args, archive, database, verbosity, **options):
        progress = table_progress(self.stderr, verbosity)
        try:
            if archive == "-":
                with archive_reader(sys.stdin.buffer) as stream:
                    counts = read_archive(stream, using=database, progress=progress)
            else:
                with open(archive, "rb") as raw, archive_reader(raw) as stream:
                    counts = read_archive(stream, using=database, progress=progress)
        except ArchiveError as error:
            raise CommandError(f"{error} Nothing was imported.") from None
        except OSError as error:
            raise CommandError(f"Cannot read {archive}: {error}") from None
        if verbosity >= 1:
            self.stdout.write(
                f"Restored {sum(counts.values()):,} rows of {len(counts)} tables from "
                f"{'standard input' if archive == '-' else archive}.",
                style_func=self.style.SUCCESS,
            )
        if database == DEFAULT_DB_ALIAS and counts.get("claims.claim"):
            # Embeddings are not archived: computed again, in the background.
            job = start_indexing(None)
            if verbosity >= 1:
                self.stdout.write(
                    f"Embedding the claims for similar-claim matching in job {job.pk} "
                    "(a task worker runs it; or run manage.py index_claims)."
                )
