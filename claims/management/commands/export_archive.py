from django.core.management import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS

from claims.archive import ArchiveError, archive_writer, table_progress, write_archive


class Command(BaseCommand):
    help = (
        "Write the whole database to a lossless archive that import_archive restores into an "
        "empty database with the same ids: users and groups, outlets, sources with their full "
        "text, speakers, tags, the rating scale, claims, appearances, evidence, verdict "
        "timelines, the admin log and every audit-history table. The same data always gives "
        "the same bytes. The file holds every user's password hash: keep it as safe as the "
        "database. API tokens and sessions are secrets and are left out: issue new tokens "
        "after a restore."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            "-o",
            required=True,
            metavar="FILE",
            help="Where to write: a file (gzip-compressed when the name ends in .gz) or '-' "
            "for standard output.",
        )
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="The database to export from."
        )

    def handle(self, *args, output, database, verbosity, **options):
        progress = table_progress(self.stderr, verbosity)
        try:
            if output == "-":
                stream = getattr(self.stdout, "buffer", None)
                if stream is None:
                    raise CommandError("Standard output takes no bytes here; give a file name.")
                counts = write_archive(stream, using=database, progress=progress)
                stream.flush()
            else:
                with archive_writer(output) as stream:
                    counts = write_archive(stream, using=database, progress=progress)
        except ArchiveError as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error}") from None
        if verbosity >= 1:
            # With the archive on standard output, the summary goes beside it.
            report = self.stderr if output == "-" else self.stdout
            report.write(
                f"Archived {sum(counts.values()):,} rows of {len(counts)} tables to "
                f"{'standard output' if output == '-' else output}. It holds password hashes: "
                "keep it safe.",
                style_func=self.style.SUCCESS,
            )
