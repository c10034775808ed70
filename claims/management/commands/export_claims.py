"""python manage.py export_claims --format csv [filters] --output claims.csv

A PDF report of more than REPORT_PDF_SYNC_MAX_CLAIMS claims is the same background
job the API and the admin start: the command waits for a task worker to make it,
showing its progress, or makes it here with --inline.
"""

import shutil
import time
from typing import TextIO, cast

from django.contrib.auth.models import AnonymousUser
from django.core.management.base import BaseCommand, CommandError
from django.http import QueryDict

from claims.exports import FORMATS
from claims.exports.report import (
    PdfUnavailable,
    ReportTooLarge,
    pdf_claim_count,
    require_pdf_support,
)
from claims.exports.report.jobs import runs_as_job, start_pdf_report
from claims.read.filters import ClaimFilter
from claims.read.selection import Newsroom, SelectionError, select_claims
from factcheck.api.links import Links
from factcheck.files import atomic_file
from factcheck.progress import Progress
from jobs.models import Job
from jobs.services import job_run_inline, reap_stale_jobs


class Command(BaseCommand):
    help = (
        "Export claims as CSV, JSON Lines, ClaimReview JSON-LD, Web Annotation JSON-LD, "
        "or a claim report (HTML or PDF). Takes the API's claims-list filters, e.g. "
        "--review_state published --tag soleimani-strike --stated_on_after 2020-01-01. "
        "Exports every claim (as the newsroom sees them) unless --public is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument(
            "--output", default="-", help="File to write (default: standard output)."
        )
        parser.add_argument(
            "--public",
            action="store_true",
            help="Only what the public sees: public claims (published, retracted), with the "
            "verdicts reviewers approved.",
        )
        parser.add_argument("--as_of", help="Verdicts in force on this date (YYYY-MM-DD).")
        parser.add_argument("--title", default="Claim report", help="A report's title.")
        parser.add_argument(
            "--inline",
            action="store_true",
            help="Make a large PDF report in this process rather than waiting for a task "
            "worker to make it.",
        )
        filters = parser.add_argument_group("filters (as in GET /api/v1/claims/; repeatable)")
        for name, filter_ in ClaimFilter.base_filters.items():
            filters.add_argument(
                f"--{name}", action="append", metavar="VALUE", help=filter_.label or None
            )

    def handle(self, *args, **options):
        export = FORMATS[options["format"]]
        params = QueryDict(mutable=True)
        for name in ClaimFilter.base_filters:
            for value in options.get(name) or ():
                params.appendlist(name, value)
        if options["as_of"]:
            params["as_of"] = options["as_of"]
        user = AnonymousUser() if options["public"] else Newsroom()
        try:
            selection = select_claims(params, user=user)
        except SelectionError as error:
            raise CommandError(
                "; ".join(f"--{name}: {' '.join(msgs)}" for name, msgs in error.errors.items())
            ) from None
        total = export.scope(selection.claims).count()
        progress = Progress(
            total,
            cast(TextIO, self.stderr._out),  # the stream OutputWrapper writes to
            enabled=self.stderr.isatty() and options["output"] != "-" and not export.report,
            label="Exporting claims",
        )
        chunks = export.chunks(
            selection.claims,
            public=selection.public,
            links=Links(),
            as_of=selection.as_of,
            progress=progress,
            title=options["title"],
            filters=selection.filters,
        )
        if export.name == "pdf":
            self._check_pdf()
            try:
                count = pdf_claim_count(selection.claims)
            except ReportTooLarge as error:
                raise CommandError(str(error)) from None
            if runs_as_job(count):
                job = start_pdf_report(
                    user=user,
                    count=count,
                    links=Links(),
                    title=options["title"],
                    filters=selection.filters,
                    query=params,
                    queue=not options["inline"],
                )
                self._write_job_result(job, options["output"], inline=options["inline"])
                return
        written = self._write(chunks, options["output"])
        progress.close()
        if options["output"] != "-":
            self.stderr.write(
                f"Wrote {total:,} claim(s) as {export.label} to {options['output']} "
                f"({written:,} bytes)."
            )

    def _write_job_result(self, job: Job, output: str, *, inline: bool) -> None:
        if output == "-":
            raise CommandError(
                f"A {job.label} is made by a background job: give --output FILE for it."
            )
        self.stderr.write(f"{job.label}: job {job.pk}")
        job = job_run_inline(job) if inline else self._wait(job)
        if job.status == Job.Status.FAILED:
            raise CommandError(job.error)
        try:
            with job.result.open("rb") as result, atomic_file(output) as file:
                shutil.copyfileobj(result, file)
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}") from None
        self.stderr.write(f"Wrote the {job.label} to {output} ({job.result.size:,} bytes).")

    # How often the job is looked at while waiting, and when to say nobody takes it.
    POLL_SECONDS = 0.5
    WORKER_HINT_AFTER = 10.0

    def _wait(self, job: Job) -> Job:
        """The job once it ended, with a progress bar while a worker makes it."""
        stream = cast(TextIO, self.stderr._out)
        progress = Progress(
            job.total or 0, stream, enabled=self.stderr.isatty(), label="Making the PDF report"
        )
        started, hinted = time.monotonic(), False
        try:
            while not job.finished:
                time.sleep(self.POLL_SECONDS)
                reap_stale_jobs()  # a worker that died is not waited for forever
                job.refresh_from_db()
                progress(job.done - progress.done)
                waited = time.monotonic() - started
                queued = job.status == Job.Status.QUEUED
                if queued and waited > self.WORKER_HINT_AFTER and not hinted:
                    hinted = True
                    self.stderr.write(
                        "\nNo task worker has taken the job yet: start one with scripts/worker "
                        "(or run this command with --inline)."
                    )
        except KeyboardInterrupt:
            raise CommandError(
                f"Stopped waiting. The job goes on; follow it at /api/v1/jobs/{job.pk}/."
            ) from None
        progress.close()
        return job

    def _check_pdf(self) -> None:
        try:
            require_pdf_support()
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None

    def _write_stdout(self, chunks) -> int:
        stream = cast(TextIO, self.stdout._out)  # the stream OutputWrapper writes to
        binary = getattr(stream, "buffer", None)  # a real standard output takes bytes
        written = 0
        for chunk in chunks:
            if binary is not None:
                binary.write(chunk)
            else:
                try:
                    stream.write(chunk.decode())
                except UnicodeDecodeError:
                    raise CommandError("This format is binary: give --output FILE.") from None
            written += len(chunk)
        (binary or stream).flush()
        return written

    def _write(self, chunks, output: str) -> int:
        written = 0
        try:
            if output == "-":
                return self._write_stdout(chunks)
            with atomic_file(output) as file:
                for chunk in chunks:
                    file.write(chunk)
                    written += len(chunk)
            return written
        except ReportTooLarge as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror or error}") from None
