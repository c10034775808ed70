"""The report laid out on A4 pages by WeasyPrint, and the one check that
WeasyPrint and the Pango library it loads are there."""

import datetime

from django.conf import settings

from claims.exports.report.html import render_report_html
from claims.exports.report.reading import unsliced
from factcheck.api.links import Links

DEFAULT_PDF_MAX_CLAIMS = 250

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


def render_report_pdf(
    claims,
    *,
    public: bool,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    as_of: datetime.date | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The HTML report laid out on A4 pages by WeasyPrint.

    PdfUnavailable when it cannot be made here. A PDF is built in memory as a
    whole (unlike the streamed HTML), so the number of claims is capped
    (ReportTooLarge) before any other work is done.
    """
    require_pdf_support()
    limit = getattr(settings, "REPORT_PDF_MAX_CLAIMS", DEFAULT_PDF_MAX_CLAIMS)
    # Counting at most limit + 1 rows costs the same for ten thousand claims or a million.
    if unsliced(claims).order_by().values("pk")[: limit + 1].count() > limit:
        raise ReportTooLarge(
            f"A PDF report holds at most {limit} claims and these filters match more. "
            "Narrow the filters (a speaker, a verdict, a date range or a tag), or use the "
            "HTML report, which has no such limit."
        )
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = "".join(
        render_report_html(
            claims,
            public=public,
            links=links,
            title=title,
            filters=filters,
            as_of=as_of,
            generated_at=generated_at,
        )
    )
    # The report needs no outside resource; refusing every fetch keeps rendering
    # offline and stops a crafted address in the data from reaching the network.
    no_fetching = URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf()
