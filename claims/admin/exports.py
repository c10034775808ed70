"""The claims changelist's export actions: each format, and the reports, for the
selected claims, as the viewer sees them (a researcher: public claims with their
approved verdicts). A PDF report of more than settings.REPORT_PDF_SYNC_MAX_CLAIMS
claims is made by a background job; the action says so and links to it."""

from django.contrib import admin, messages
from django.utils.html import format_html

from claims.exports import FORMATS
from claims.exports.http import PdfUnavailable, file_response
from claims.exports.report import ReportTooLarge, pdf_claim_count, require_pdf_support
from claims.exports.report.jobs import runs_as_job, start_pdf_report
from claims.read.visibility import sees_unpublished
from factcheck.api.links import Links
from jobs.admin import job_link


def _export_action(name: str):
    export = FORMATS[name]

    def action(modeladmin, request, queryset):
        count = queryset.count()
        try:
            if export.name == "pdf":
                require_pdf_support()
                pdf_claim_count(queryset)
                if runs_as_job(count):
                    return _start_pdf_job(modeladmin, request, queryset, count)
            return file_response(
                export,
                queryset.order_by("id"),
                # The verdicts this viewer sees; get_queryset chose the claims.
                public=not sees_unpublished(request.user),
                links=Links(request),
                title="Claim report",
                filters=[("selected in the admin", f"{count} claim(s)")],
            )
        except (PdfUnavailable, ReportTooLarge) as error:
            modeladmin.message_user(request, str(error), messages.ERROR)
            return None

    action.__name__ = f"export_{name}"
    description = (
        f"Report on selected claims ({export.extension.upper()})"
        if export.report
        else f"Export selected as {export.label}"
    )
    return admin.action(description=description, permissions=["view"])(action)


def _start_pdf_job(modeladmin, request, queryset, count: int) -> None:
    job = start_pdf_report(
        user=request.user,
        count=count,
        links=Links(request),
        title="Claim report",
        filters=[("selected in the admin", f"{count} claim(s)")],
        claim_ids=list(queryset.order_by("id").values_list("pk", flat=True)),
    )
    modeladmin.message_user(
        request,
        format_html(
            "The PDF report of {} claims is being made by a background job: {}. Its page "
            "shows how far it got, and the report once it is ready.",
            f"{count:,}",
            job_link(job),
        ),
        messages.SUCCESS,
    )


EXPORT_ACTIONS = tuple(_export_action(name) for name in FORMATS)
