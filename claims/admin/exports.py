"""The claims changelist's export actions: each format, and the reports, for the
selected claims, as the viewer sees them (a researcher: public claims with their
approved verdicts)."""

from django.contrib import admin, messages

from claims.exports import FORMATS
from claims.exports.http import PdfUnavailable, file_response
from claims.exports.report import ReportTooLarge
from claims.read.visibility import sees_unpublished
from factcheck.api.links import Links


def _export_action(name: str):
    export = FORMATS[name]

    def action(modeladmin, request, queryset):
        count = queryset.count()
        try:
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


EXPORT_ACTIONS = tuple(_export_action(name) for name in FORMATS)
