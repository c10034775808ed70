"""The claim report: HTML streamed in chunks, and the same report as a PDF.

Each claim shows exactly what the API shows the same viewer, because it is built
by the API's ClaimBuilder. The claims are read in id-keyed batches with a fixed
number of queries per batch, so memory stays flat however many there are. The
verdict chart and the speaker scorecards come from one GROUP BY query instead
of a pass over the claims, which is why they can be written before the claims.

Nothing in a report is fetched from elsewhere: the chart is inline SVG drawn
here, the stylesheet is inline, and there is no script. It reads offline and
prints as it looks (A4, page numbers in the footer).

Three parts: ``reading`` (the claims in batches, the tallies, the cited
sources), ``presenting`` (what the templates show: chart, scorecards, claims
with labels and colours) and the two renderings, ``html`` and ``pdf`` (with the
check that WeasyPrint and Pango can be loaded here).
"""

from claims.exports.report.html import render_report_html
from claims.exports.report.pdf import (
    PdfUnavailable,
    ReportTooLarge,
    pdf_claim_count,
    pdf_support_problem,
    render_report_pdf,
    require_pdf_support,
)

__all__ = [
    "PdfUnavailable",
    "ReportTooLarge",
    "pdf_claim_count",
    "pdf_support_problem",
    "render_report_html",
    "render_report_pdf",
    "require_pdf_support",
]
