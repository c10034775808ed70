"""python manage.py import_sources URL_OR_PATH … [--file LIST] [--outlet NAME]

Imports each article here, one after another (no job): a web address is fetched past
the same guard as in the admin; a path is read as an HTML, PDF or text file. Prints a
line per input and exits with status 1 if any failed.
"""

import sys
from pathlib import Path
from typing import TextIO, cast

from django.core.management.base import BaseCommand, CommandError

from factcheck.progress import Progress
from sources.intake.fetch import InvalidAddress, check_address
from sources.intake.importing import ImportFailed, import_file, import_url
from sources.models import Outlet


class Command(BaseCommand):
    help = (
        "Import articles from web addresses or HTML, PDF and text files. Prints "
        "'created <id> <url>', 'unchanged <id>', 'updated <id> (re-anchored N, orphaned M)' "
        "or 'failed <input>: <reason>' for each; exits with status 1 if any failed."
    )

    def add_arguments(self, parser):
        parser.add_argument("inputs", nargs="*", metavar="URL_OR_PATH")
        parser.add_argument(
            "--file",
            dest="lists",
            action="append",
            default=[],
            metavar="LIST",
            help="A file with one address or path per line (lines starting with # are "
            "skipped; '-' reads standard input).",
        )
        parser.add_argument(
            "--outlet",
            help="The outlet (by name) of files that do not say theirs; created if new.",
        )

    def handle(self, *args, inputs: list[str], lists: list[str], outlet: str | None, **options):
        everything = [*inputs, *(line for name in lists for line in _read_list(name))]
        if not everything:
            raise CommandError("Give at least one address or path (or --file LIST).")
        chosen = _outlet(outlet) if outlet else None
        progress = Progress(
            len(everything),
            cast(TextIO, self.stderr._out),
            enabled=self.stderr.isatty(),
            label="Importing",
        )
        failed = 0
        for item in everything:
            try:
                outcome = self._import(item, chosen)
            except ImportFailed as error:
                failed += 1
                line = f"failed {item}: {error}"
            else:
                line = str(outcome)
            if progress.enabled:
                self.stderr.write("\r\033[K", ending="")
            self.stdout.write(line)
            progress(1)
        progress.close()
        if failed:
            raise SystemExit(1)

    def _import(self, item: str, outlet: Outlet | None):
        if "://" in item:
            try:
                address = check_address(item)
            except InvalidAddress as error:
                raise ImportFailed(str(error)) from None
            return import_url(address, outlet=outlet)
        path = Path(item)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise ImportFailed(f"cannot read the file: {error.strerror or error}") from None
        return import_file(path.name, content, outlet=outlet)


def _read_list(name: str) -> list[str]:
    try:
        text = sys.stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except OSError as error:
        raise CommandError(f"Cannot read {name}: {error.strerror or error}") from None
    lines = (
        line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        for line in text.splitlines()
    )
    return [line for line in lines if line]


def _outlet(name: str) -> Outlet:
    outlet = Outlet.objects.filter(name__iexact=name.strip()).order_by("id").first()
    return outlet or Outlet.objects.create(name=name.strip())
