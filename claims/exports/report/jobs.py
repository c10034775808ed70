"""A PDF report as a background job, for the API, the admin and ``export_claims``.

Up to settings.REPORT_PDF_SYNC_MAX_CLAIMS claims a PDF is made at once; a larger
one (up to settings.REPORT_PDF_MAX_CLAIMS) is a job. The job records who asked
and what they selected (the claims list's filters, or the ids picked in the
admin), and when it runs it selects the claims again as that viewer sees them
then: the public and researchers get public claims only, with approved verdicts,
whoever later holds the job's id.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import QueryDict
from django.utils import timezone
from django_tasks import task

from claims.exports.report.pdf import ReportTooLarge, pdf_claim_count, render_report_pdf
from claims.read.selection import Newsroom, SelectionError, select_claims
from claims.read.visibility import claims_visible_to, sees_unpublished
from factcheck.api.links import Links
from jobs.models import Job
from jobs.services import JobFailure, JobRun, job_start, run_job

KIND = "report.pdf"
REPORT_PARAMS = frozenset({"title"})  # read by reports besides the claims list's filters


def runs_as_job(count: int) -> bool:
    """Whether a PDF of ``count`` claims is made by a job rather than at once."""
    return count > settings.REPORT_PDF_SYNC_MAX_CLAIMS


def start_pdf_report(
    *,
    user,
    count: int,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    query: QueryDict | None = None,
    claim_ids: list[int] | None = None,
    queue: bool = True,
) -> Job:
    """A job making the PDF report of the claims ``query`` (the claims list's
    parameters) or ``claim_ids`` select, as ``user`` sees them."""
    if (query is None) == (claim_ids is None):
        raise ValueError("A report job takes either query or claim_ids.")
    if isinstance(user, Newsroom):
        viewer = "newsroom"
    elif user.is_authenticated:
        viewer = "user"
    else:
        viewer = "public"
    params = {
        "viewer": viewer,
        "query": None if query is None else [[name, query.getlist(name)] for name in query],
        "claim_ids": claim_ids,
        "title": title,
        "filters": [list(pair) for pair in filters],
        "links_root": links.root,
    }
    return job_start(
        make_pdf_report,
        kind=KIND,
        label=f"PDF report of {count:,} claim{'s' if count != 1 else ''}",
        params=params,
        requested_by=user if viewer == "user" else None,
        total=count,
        queue=queue,
    )


@task()
def make_pdf_report(job_id: str) -> None:
    run_job(job_id, _make)


def _make(run: JobRun) -> None:
    params = run.params
    viewer = _viewer(run)
    if params["claim_ids"] is not None:
        claims = claims_visible_to(viewer).filter(pk__in=params["claim_ids"]).order_by("id")
        public, as_of = not sees_unpublished(viewer), None
    else:
        query = QueryDict(mutable=True)
        for name, values in params["query"]:
            query.setlist(name, values)
        try:
            selection = select_claims(query, user=viewer, extra_params=REPORT_PARAMS)
        except SelectionError as error:
            raise JobFailure(f"The report's filters are refused: {error}") from None
        claims, public, as_of = selection.claims, selection.public, selection.as_of
    try:
        total = pdf_claim_count(claims)
    except ReportTooLarge as error:  # more claims match than when it was asked for
        raise JobFailure(str(error)) from None
    run.progress(0, total=total)
    pdf = render_report_pdf(
        claims,
        public=public,
        links=Links(root=params["links_root"]),
        title=params["title"],
        filters=[(name, value) for name, value in params["filters"]],
        as_of=as_of,
        progress=run.advance,
        stage=lambda stage: run.progress(stage=stage),
    )
    run.progress(stage="Saving the PDF")
    run.store(f"claim-report-{timezone.localdate().isoformat()}.pdf", pdf, "application/pdf")


def _viewer(run: JobRun):
    """Who the report is made for: the newsroom (a command), the public, or the account
    that asked, with its rights now."""
    viewer = run.params["viewer"]
    if viewer == "newsroom":
        return Newsroom()
    if viewer == "public":
        return AnonymousUser()
    return run.requester()
