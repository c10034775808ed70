"""Every export format, in one registry that the API, the admin and the
``export_claims`` command share."""

import datetime
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from claims.exports.annotations import write_annotations
from claims.exports.claimreview import write_claimreview
from claims.exports.feed import write_feed
from claims.exports.jsonl import write_jsonl
from claims.exports.table import write_csv
from claims.read.visibility import reviewed


def _report_html(claims, *, public, links, as_of=None, progress=None, title, filters):
    from claims.exports.report import render_report_html

    for chunk in render_report_html(
        claims, public=public, links=links, title=title, filters=filters, as_of=as_of
    ):
        yield chunk.encode()


def _report_pdf(claims, *, public, links, as_of=None, progress=None, title, filters):
    from claims.exports.report import render_report_pdf

    yield render_report_pdf(
        claims, public=public, links=links, title=title, filters=filters, as_of=as_of
    )


@dataclass(frozen=True)
class ExportFormat:
    name: str  # as the command's --format takes it
    label: str  # for people: the admin's actions
    stem: str  # of the file's name: claims-2026-11-23.csv
    extension: str
    content_type: str
    write: Callable[..., Iterator[bytes]]
    # The claims the file covers, of those selected (for progress counts).
    scope: Callable = lambda claims: claims
    # A report: a title and the filters used go in, and a browser shows it.
    report: bool = False

    def chunks(
        self,
        claims,
        *,
        public: bool,
        links,
        as_of: datetime.date | None = None,
        progress: Callable[[int], None] | None = None,
        title: str = "Claim report",
        filters: Sequence[tuple[str, str]] = (),
    ) -> Iterator[bytes]:
        """The file's bytes for ``claims`` (already selected for the viewer)."""
        options = {"public": public, "links": links, "as_of": as_of, "progress": progress}
        if self.report:
            options |= {"title": title, "filters": list(filters)}
        return self.write(claims, **options)

    def filename(self, day: datetime.date) -> str:
        return f"{self.stem}-{day.isoformat()}.{self.extension}"


FORMATS = {
    fmt.name: fmt
    for fmt in (
        ExportFormat("csv", "CSV", "claims", "csv", "text/csv; charset=utf-8", write_csv),
        ExportFormat("jsonl", "JSON Lines", "claims", "jsonl", "application/x-ndjson", write_jsonl),
        ExportFormat(
            "claimreview",
            "ClaimReview JSON-LD",
            "claimreview",
            "jsonld",
            "application/ld+json",
            write_claimreview,
            scope=reviewed,
        ),
        ExportFormat(
            "feed",
            "ClaimReview DataFeed",
            "claimreview-feed",
            "json",
            "application/ld+json",
            write_feed,
            scope=reviewed,
        ),
        ExportFormat(
            "annotations",
            "Web Annotation JSON-LD",
            "annotations",
            "jsonld",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            write_annotations,
        ),
        ExportFormat(
            "html",
            "HTML report",
            "claim-report",
            "html",
            "text/html; charset=utf-8",
            _report_html,
            report=True,
        ),
        ExportFormat(
            "pdf", "PDF report", "claim-report", "pdf", "application/pdf", _report_pdf, report=True
        ),
    )
}
