"""The report laid out on A4 pages by WeasyPrint, and the one check that
WeasyPrint and the Pango library it loads are there."""

import datetime
from collections.abc import Callable

from django.conf import settings

from claims.exports.report.html import render_report_html
from claims.exports.report.reading import unsliced
from factcheck.api.links import Links

_INSTALL_HELP = (
    "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; then install "
    "the Python packages with .venv/bin/pip install -r requirements.txt (WeasyPrint is "
    "pinned there)."
)


class ReportTooLarge(Exception):
    """The claims are more than a PDF report may hold (settings.REPORT_PDF_MAX_CLAIMS)."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs cannot be loaded here."""


def pdf_support_problem() -> str | None:
    """None when PDF reports can be made here; otherwise what is missing and how to
    install it."""
    try:
        import weasyprint  # noqa: F401
    except ImportError as error:
        return (
            f"PDF reports need the Python package WeasyPrint, which could not be imported "
            f"({error}). Install it with .venv/bin/pip install -r requirements.txt."
        )
    except OSError as error:
        # cffi raises OSError when Pango (WeasyPrint's text layout library) is not
        # installed; its message names the library it looked for.
        return (
            f"PDF reports need the Pango text layout library, which WeasyPrint could not "
            f"load ({error}). {_INSTALL_HELP}"
        )
    return None


def require_pdf_support() -> None:
    """PdfUnavailable, saying what to install, when PDF reports cannot be made here."""
    problem = pdf_support_problem()
    if problem is not None:
        raise PdfUnavailable(problem)


def pdf_claim_count(claims) -> int:
    """How many claims a PDF report of ``claims`` holds; ReportTooLarge, with the limit
    (settings.REPORT_PDF_MAX_CLAIMS), when they are more than a PDF may hold."""
    limit = settings.REPORT_PDF_MAX_CLAIMS
    # Counting at most limit + 1 rows costs the same for ten thousand claims or a million.
    count = unsliced(claims).order_by().values("pk")[: limit + 1].count()
    if count > limit:
        raise ReportTooLarge(
            f"A PDF report holds at most {limit:,} claims and these filters match more. "
            "Narrow the filters (a speaker, a verdict, a date range or a tag), or use the "
            "HTML report, which has no such limit."
        )
    return count


def render_report_pdf(
    claims,
    *,
    public: bool,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    as_of: datetime.date | None = None,
    generated_at: datetime.datetime | None = None,
    progress: Callable[[int], None] | None = None,
    stage: Callable[[str], None] | None = None,
) -> bytes:
    """The HTML report laid out on A4 pages by WeasyPrint.

    PdfUnavailable when it cannot be made here. A PDF is built in memory as a
    whole (unlike the streamed HTML), so the number of claims is capped
    (ReportTooLarge) before any other work is done. ``progress`` is told of the
    claims as they are read, ``stage`` of each step ("Laying out pages").
    """
    require_pdf_support()
    pdf_claim_count(claims)
    import weasyprint
    from weasyprint.urls import URLFetcher

    if stage is not None:
        stage("Reading claims")
    html = "".join(
        render_report_html(
            claims,
            public=public,
            links=links,
            title=title,
            filters=filters,
            as_of=as_of,
            generated_at=generated_at,
            progress=progress,
        )
    )
    if stage is not None:
        stage("Laying out pages")
    # The report needs no outside resource; refusing every fetch keeps rendering
    # offline and stops a crafted address in the data from reaching the network.
    no_fetching = URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf()
