"""Export files as HTTP responses, for the API and the admin alike."""

import datetime
from collections.abc import Sequence

from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from claims.exports.formats import ExportFormat
from claims.exports.report import PdfUnavailable, require_pdf_support

__all__ = ["PdfUnavailable", "file_response"]


def file_response(
    export: ExportFormat,
    claims,
    *,
    public: bool,
    links,
    as_of: datetime.date | None = None,
    title: str = "Claim report",
    filters: Sequence[tuple[str, str]] = (),
):
    """The file, streamed as it is written; a PDF report, laid out whole, is sent in one
    piece (ReportTooLarge when there are too many claims for that)."""
    chunks = export.chunks(
        claims, public=public, links=links, as_of=as_of, title=title, filters=filters
    )
    if export.name == "pdf":
        require_pdf_support()  # before any claim is read
        response: HttpResponseBase = HttpResponse(
            b"".join(chunks), content_type=export.content_type
        )
    else:
        response = StreamingHttpResponse(chunks, content_type=export.content_type)
    disposition = "inline" if export.report else "attachment"
    filename = export.filename(timezone.localdate())
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
