"""GET /api/v1/external-reviews/ (other organisations' reviews of the claims a viewer
may see) and POST /api/v1/external-reviews/import/ (a ClaimReview file or web
address, as a job: Editors and Reviewers)."""

from django.db.models import F
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import APIView

from claims.api.schema import ExternalReviewSerializer
from claims.interchange.jobs import start_review_import
from claims.models import Claim, ExternalReview, Rating
from claims.read.reviews import REVIEW_COLUMNS, build_reviews, reviews_visible_to
from factcheck.api.filters import (
    MomentFilter,
    SlugsFilter,
    StrictBooleanFilter,
    StrictFilterSet,
    ids_filter,
)
from factcheck.api.links import Links
from factcheck.api.parsers import JSONParser
from factcheck.api.schema import address_or_file_request
from factcheck.api.views import (
    ReadOnlyResourceViewSet,
    refuse_unknown_fields,
    resource_schema,
)
from jobs.api.serializers import JobSerializer
from jobs.api.views import job_accepted
from sources.intake.inputs import ImportInputError, address_or_file
from sources.models import Outlet


class ExternalReviewFilter(StrictFilterSet):
    publisher = ids_filter(Outlet.objects.all(), "Publisher (outlet) id.")
    rating = SlugsFilter(
        queryset=Rating.objects.all(),
        to_field_name="slug",
        label="Our rating's slug (repeat for several).",
        method="filter_rating",
    )
    unmapped = StrictBooleanFilter(
        field_name="rating", lookup_expr="isnull", label="true: reviews whose rating is unmapped."
    )
    claim = ids_filter(Claim.objects.all(), "Claim id.")
    reviewed_after = MomentFilter(field_name="reviewed_at", lookup_expr="gte")
    reviewed_before = MomentFilter(field_name="reviewed_at", lookup_expr="lte", end_of_day=True)

    class Meta:
        model = ExternalReview
        fields: list[str] = []

    def filter_rating(self, queryset, name, ratings):
        ratings = list(ratings)
        return queryset.filter(rating__in=ratings) if ratings else queryset


@resource_schema(ExternalReviewSerializer)
class ExternalReviewViewSet(ReadOnlyResourceViewSet):
    """Other fact-checkers' reviews of our claims (imported ClaimReview)."""

    filterset_class = ExternalReviewFilter
    columns = REVIEW_COLUMNS
    orderings = {"reviewed_at": F("reviewed_at"), "id": F("id"), "updated_at": F("updated_at")}
    default_ordering = "-reviewed_at"

    def get_queryset(self):
        return reviews_visible_to(self.request.user)

    def build(self, rows):
        return build_reviews(rows, self.links)


IMPORT_REQUEST = address_or_file_request(
    url_help="A feed or page to import.", file_help="Or a file of ClaimReview."
)


class ExternalReviewImportView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]
    request_body_required = True  # a url or a file (factcheck.api.schema)

    @extend_schema(
        operation_id="external_reviews_import",
        request=IMPORT_REQUEST,
        responses={
            202: OpenApiResponse(JobSerializer, description="The import's job."),
            400: OpenApiResponse(description="No address or file, or one that is refused."),
            403: OpenApiResponse(description="Only Editors and Reviewers import reviews."),
        },
    )
    def post(self, request):
        """Import ClaimReview (JSON-LD, a DataFeed, a Fact Check Tools API answer, or a
        page that embeds it) from a web address or a file: a job. Claims it creates
        are drafts."""
        if not request.user.has_perm("claims.add_claim"):
            raise PermissionDenied("Only Editors and Reviewers may import reviews.")
        refuse_unknown_fields(request.data, {"url", "file"})
        try:
            url, upload = address_or_file(request.data)
        except ImportInputError as error:
            raise ValidationError({error.field: [str(error)]}) from None
        job = start_review_import(
            user=request.user,
            links=Links(request),
            url=url,
            name=upload.name if upload else "",
            content=upload.read() if upload else b"",
        )
        return job_accepted(job, request)
