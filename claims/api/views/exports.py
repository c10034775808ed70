"""Export files and claim reports over the API:

    /api/v1/claims/export.csv | .jsonl | .jsonld   (jsonld: ClaimReview)
    /api/v1/claims/feed.json                       (ClaimReview in a schema.org DataFeed)
    /api/v1/annotations/export.jsonld              (W3C Web Annotation)
    /api/v1/claims/report.html | .pdf

Each takes the claims list's filters (and ``as_of``), sees what the client may
see (anonymous clients and researchers: public claims only) and streams the
file as it is written, so memory stays flat whatever the number of rows. The
PDF report is the exception: it is laid out whole; over
settings.REPORT_PDF_SYNC_MAX_CLAIMS claims it is made by a background job (202, with
the job's address in Location), and over settings.REPORT_PDF_MAX_CLAIMS it is refused.
"""

from django.db import DataError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from claims.api.views.claims import AS_OF
from claims.exports import FORMATS
from claims.exports.http import PdfUnavailable, file_response
from claims.exports.report import ReportTooLarge, pdf_claim_count, require_pdf_support
from claims.exports.report.jobs import REPORT_PARAMS, runs_as_job, start_pdf_report
from claims.models import Claim
from claims.read.filters import ClaimFilter
from claims.read.selection import SelectionError, select_claims
from factcheck.api.links import Links
from jobs.api.serializers import JobSerializer
from jobs.api.views import job_accepted

TITLE = OpenApiParameter("title", OpenApiTypes.STR, description="The report's title.")
DEFAULT_TITLE = "Claim report"


class ReportUnavailable(APIException):
    status_code = 503
    default_code = "report_unavailable"


def _extension(formats: dict) -> OpenApiParameter:
    return OpenApiParameter(
        "extension", OpenApiTypes.STR, OpenApiParameter.PATH, enum=sorted(formats)
    )


def _file(description: str, media_type: str, schema=OpenApiTypes.BINARY) -> dict:
    return {(200, media_type): OpenApiResponse(schema, description=description)}


def _json_ld_list(required: list[str]) -> dict:
    """A JSON-LD file of node objects, each with its own @context."""
    return {
        "type": "array",
        "items": {
            "type": "object",
            "required": required,
            "properties": {name: {} for name in required},
            "additionalProperties": True,
        },
    }


CLAIM_REVIEWS = _json_ld_list(
    ["@context", "@type", "url", "claimReviewed", "author", "reviewRating", "itemReviewed"]
)
CLAIM_REVIEW_FEED = {
    "type": "object",
    "required": ["@context", "@type", "dataFeedElement"],
    "properties": {
        "@context": {"type": "string", "enum": ["https://schema.org"]},
        "@type": {"type": "string", "enum": ["DataFeed"]},
        "dateModified": {"type": "string", "format": "date-time"},
        "dataFeedElement": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["@type", "dateCreated", "item"],
                "properties": {
                    "@type": {"type": "string", "enum": ["DataFeedItem"]},
                    "dateCreated": {"type": "string", "format": "date-time"},
                    "dateModified": {"type": "string", "format": "date-time"},
                    "item": {**CLAIM_REVIEWS, "minItems": 1, "maxItems": 1},
                },
            },
        },
    },
}
ANNOTATIONS = _json_ld_list(["@context", "id", "type", "motivation", "body", "target"])


def _probe(claims) -> None:
    """Run the selection's query once before the first byte of a file is sent.

    A streamed file's status is sent with its first bytes: a query the database
    refused after that cut the file short under a 200, which a client takes for
    the whole export. The filters read every value strictly (factcheck.dates), so
    this is the net for what the database alone refuses: a 400, not a short file.
    """
    try:
        claims.exists()
    except DataError:
        raise ValidationError(
            {"non_field_errors": ["The database cannot apply these filters; check their values."]}
        ) from None


class ExportView(GenericAPIView):
    """A file of the claims matching the list filters."""

    permission_classes = [AllowAny]  # what each client sees is limited by select_claims
    filter_backends = [DjangoFilterBackend]  # documents the filters; select_claims applies them
    filterset_class = ClaimFilter
    queryset = Claim.objects.none()
    pagination_class = None
    formats: dict[str, str] = {}  # extension in the URL → export format

    def perform_content_negotiation(self, request, force=False):
        # Whatever the client accepts, errors are JSON and files are their format.
        return super().perform_content_negotiation(request, force=True)

    def get(self, request, extension: str):
        export = FORMATS[self.formats[extension]]
        extra = REPORT_PARAMS if export.report else frozenset()
        try:
            selection = select_claims(request.query_params, user=request.user, extra_params=extra)
        except SelectionError as error:
            raise ValidationError(error.errors) from None
        title = request.query_params.get("title", "").strip()[:200] or DEFAULT_TITLE
        _probe(selection.claims)
        try:
            if export.name == "pdf":
                require_pdf_support()
                count = pdf_claim_count(selection.claims)
                if runs_as_job(count):
                    return self._job_started(request, selection, count, title)
            return file_response(
                export,
                selection.claims,
                public=selection.public,
                links=Links(request),
                as_of=selection.as_of,
                title=title,
                filters=selection.filters,
            )
        except PdfUnavailable as error:
            raise ReportUnavailable(str(error)) from None
        except ReportTooLarge as error:
            raise ValidationError({"non_field_errors": [str(error)]}) from None

    def _job_started(self, request, selection, count: int, title: str) -> Response:
        """202: the job making the report, at the address in Location."""
        job = start_pdf_report(
            user=request.user,
            count=count,
            links=Links(request),
            title=title,
            filters=selection.filters,
            query=request.query_params,
        )
        return job_accepted(job, request)


class ClaimExportView(ExportView):
    formats = {"csv": "csv", "jsonl": "jsonl", "jsonld": "claimreview"}

    @extend_schema(
        operation_id="claims_export",
        parameters=[AS_OF, _extension(formats)],
        responses={
            **_file("CSV, one row per claim (UTF-8 with a byte-order mark).", "text/csv"),
            **_file(
                "JSON Lines: each line a claim as the claims list shows it.", "application/x-ndjson"
            ),
            **_file(
                "ClaimReview JSON-LD for the published claims.",
                "application/ld+json",
                CLAIM_REVIEWS,
            ),
        },
    )
    def get(self, request, extension: str):
        """Export the claims matching the filters: .csv, .jsonl, or .jsonld (ClaimReview,
        published claims only)."""
        return super().get(request, extension)


class ClaimFeedView(ExportView):
    formats = {"json": "feed"}

    @extend_schema(
        operation_id="claims_feed",
        parameters=[AS_OF, _extension(formats)],
        responses=_file(
            "The published claims matching the filters as a schema.org DataFeed: one "
            "DataFeedItem per claim, holding its ClaimReview.",
            "application/ld+json",
            CLAIM_REVIEW_FEED,
        ),
    )
    def get(self, request, extension: str):
        """Our published fact-checks as a schema.org DataFeed of ClaimReview items, for
        Google's fact-check tools and other fact-checkers (the list filters apply)."""
        return super().get(request, extension)


class AnnotationExportView(ExportView):
    formats = {"jsonld": "annotations"}

    @extend_schema(
        operation_id="annotations_export",
        parameters=[AS_OF, _extension(formats)],
        responses=_file(
            "W3C Web Annotations for the claims' appearances and evidence quotes.",
            "application/ld+json",
            ANNOTATIONS,
        ),
    )
    def get(self, request, extension: str):
        """The appearances and evidence quotes of the claims matching the filters, as
        W3C Web Annotations."""
        return super().get(request, extension)


class ClaimReportView(ExportView):
    formats = {"html": "html", "pdf": "pdf"}

    @extend_schema(
        operation_id="claims_report",
        parameters=[AS_OF, TITLE, _extension(formats)],
        responses={
            **_file("The claim report as a web page.", "text/html"),
            **_file(
                "The same report as PDF, made at once for up to REPORT_PDF_SYNC_MAX_CLAIMS "
                "claims (25 by default).",
                "application/pdf",
            ),
            202: OpenApiResponse(
                JobSerializer,
                description="A larger PDF report is made by a background job: follow the "
                "job at the address in Location until it succeeds, then fetch its "
                "result_url.",
            ),
            400: OpenApiResponse(
                description="Unknown or malformed filters, or more claims than a PDF report "
                "holds (REPORT_PDF_MAX_CLAIMS, 5,000 by default)."
            ),
            503: OpenApiResponse(description="PDF reports are not available on this server."),
        },
    )
    def get(self, request, extension: str):
        """A report on the claims matching the filters: verdict distribution, speaker
        scorecards, each claim with its quote, evidence and verdict timeline. A PDF of
        many claims is made by a background job (202)."""
        return super().get(request, extension)
