import datetime
import re

from django.db.models import F, Value
from django.db.models.functions import Coalesce
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated

from claims.api.inputs import ClaimInputSerializer, TransitionInputSerializer
from claims.api.schema import ClaimDetailSerializer, ClaimSerializer
from claims.models import Claim
from claims.read.builders import CLAIM_COLUMNS, CLAIM_TIMESTAMPS, ClaimBuilder
from claims.read.filters import ClaimFilter
from claims.read.links import group_verdicts, links_of
from claims.read.reviews import reviews_of
from claims.read.search import RankWindow, full_text_available, relevance
from claims.read.visibility import claims_visible_to, public_claims, sees_unpublished
from claims.services import claim_create, claim_delete, claim_transition, claim_update
from factcheck.api.errors import PreconditionFailed
from factcheck.api.etags import if_match_tags
from factcheck.api.queries import PageQuery, id_in
from factcheck.api.views import ResourceViewSet
from factcheck.dates import parse_day

AS_OF = OpenApiParameter(
    "as_of",
    OpenApiTypes.DATE,
    description="Show the verdict in force on this date (YYYY-MM-DD) instead of the latest.",
)
_VERSION_ETAG = re.compile(r'^"v([0-9]{1,9})"$')


def expected_version(request) -> int | None:
    """The claim version an optional If-Match names, for the workflow services."""
    tags = if_match_tags(request)
    if tags is None or "*" in tags:
        return None
    for tag in tags:
        match = _VERSION_ETAG.match(tag)
        if match:
            return int(match[1])
    raise PreconditionFailed(f"If-Match: {request.headers['If-Match']} names no claim version.")


# A page of claims by id, with the columns ClaimBuilder reads: as the newsroom
# sees them (True) and as the public does.
_PAGE_ROWS = {
    True: PageQuery(
        lambda ids: Claim.objects.filter(id_in("id", ids)).values(
            *CLAIM_COLUMNS, **CLAIM_TIMESTAMPS
        )
    ),
    False: PageQuery(
        lambda ids: (
            public_claims().filter(id_in("id", ids)).values(*CLAIM_COLUMNS, **CLAIM_TIMESTAMPS)
        )
    ),
}


@extend_schema_view(
    list=extend_schema(responses=ClaimSerializer, parameters=[AS_OF]),
    retrieve=extend_schema(responses=ClaimDetailSerializer, parameters=[AS_OF]),
    create=extend_schema(request=ClaimInputSerializer, responses={201: ClaimDetailSerializer}),
    update=extend_schema(request=ClaimInputSerializer, responses=ClaimDetailSerializer),
    partial_update=extend_schema(request=ClaimInputSerializer, responses=ClaimDetailSerializer),
)
class ClaimViewSet(ResourceViewSet):
    """Checkable statements with their speaker, verdict, appearances and evidence.

    Anonymous clients and researchers see public claims only, with their approved
    verdicts (claims/read/visibility.py).
    """

    serializer_class = ClaimInputSerializer
    filterset_class = ClaimFilter
    columns = CLAIM_COLUMNS
    expressions = CLAIM_TIMESTAMPS
    etag_field = "version"
    extra_query_params = frozenset({"as_of"})
    orderings = {
        "updated_at": F("updated_at"),
        "created_at": F("created_at"),
        "stated_on": Coalesce(F("stated_on"), Value(datetime.date.min)),
        "label": F("label"),
        "id": F("id"),
    }
    default_ordering = "-updated_at"
    server_owned = {
        **ResourceViewSet.server_owned,
        "version": None,
        "review_state": "POST {path}transition/",
        "retraction_reason": "POST {path}transition/",
        "verdict": "POST {path}verdicts/",
        "rationale": "POST {path}verdicts/",
        "verdict_timeline": "POST {path}verdicts/",
        "verdict_timeline_url": None,
        "history_url": None,
        "appearances": "{path}appearances/",
        "evidence": "{path}evidence/",
        "group": "POST {path}links/",
        "links": "POST {path}links/",
    }

    def get_queryset(self):
        return claims_visible_to(self.request.user)

    # Writes: claims.services, which check the version If-Match names under the
    # claim's row lock (a stale one is 412).

    def perform_create(self, data):
        return claim_create(data=data, by=self.request.user)

    def perform_update(self, visible, data):
        return claim_update(
            claim=visible,
            data=data,
            by=self.request.user,
            expected_version=expected_version(self.request),
        )

    def perform_destroy(self, visible):
        claim_delete(
            claim=visible, by=self.request.user, expected_version=expected_version(self.request)
        )

    def search_terms(self) -> str:
        """The ranked search's q= (PostgreSQL only), or an empty string."""
        return self.request.query_params.get("q", "").strip() if full_text_available() else ""

    def searching(self) -> bool:
        return bool(self.search_terms())

    def get_orderings(self):
        if not self.searching():
            return self.orderings
        if not hasattr(self, "_search_orderings"):  # asked several times a request
            self._search_orderings = {
                **self.orderings,
                "relevance": relevance(self.search_terms(), self.request),
            }
        return self._search_orderings

    def get_default_ordering(self):
        return "-relevance" if self.searching() else self.default_ordering

    def narrowing(self, ordering: str) -> RankWindow | None:
        """Relevance ranks a window of the newest matches (claims/read/search.py)."""
        if ordering != "relevance" or not self.searching():
            return None
        return RankWindow(visible=self.get_queryset())

    def as_of(self) -> datetime.date | None:
        try:
            return parse_day(self.request.query_params.get("as_of"))
        except ValueError as error:
            raise ValidationError({"as_of": [str(error)]}) from None

    def filter_queryset(self, queryset):
        # With no filter parameter the filter set changes nothing, but building and
        # validating its form of sixteen fields took a fifth of a 50-claim page's time.
        if self.request.query_params.keys().isdisjoint(self.filterset_class.base_filters):
            return queryset
        return super().filter_queryset(queryset)

    def list(self, request, *args, **kwargs):
        # Two steps. The page's ids, in order, come from the claims table alone,
        # whatever the filters, ordering and cursor; then the claims of those ids
        # with their joined columns, by a query compiled once (PageQuery). In one
        # step, a search would join the speaker and verdicts of every match before
        # ranking them, and each request would compile the joined query anew (a
        # tenth of a 50-claim page's time).
        queryset = self.filter_queryset(self.get_queryset())
        page_ids = self.paginate_queryset(queryset.values("id"))
        assert page_ids is not None  # KeysetPagination pages every list
        ids = [row["id"] for row in page_ids]
        # Visibility again: a claim unpublished in between is left out, not shown.
        page = _PAGE_ROWS[sees_unpublished(request.user)].rows(ids)
        by_id = {row["id"]: row for row in page}
        rows = [by_id[pk] for pk in ids if pk in by_id]
        return self.get_paginated_response(self.build(rows))

    def build(self, rows):
        public = not sees_unpublished(self.request.user)
        claims = ClaimBuilder(self.links, public=public, as_of=self.as_of()).build(rows)
        if self.action != "list":
            # A claim's own page shows what other organisations said of it.
            reviews = reviews_of([claim["id"] for claim in claims], self.links)
            for claim in claims:
                claim["external_reviews"] = reviews[claim["id"]]
                # Its same-claim group and its links (claims/read/links.py).
                user, links = self.request.user, self.links
                claim["group"] = group_verdicts(claim["id"], user=user, links=links)
                claim["links"] = links_of(claim["id"], user=user, links=links)
        return claims

    @extend_schema(request=TransitionInputSerializer, responses=ClaimDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def transition(self, request, pk=None):
        """Move the claim to another review state: the same rules as the admin.
        Publishing takes a reviewer other than the one who recorded the verdict."""
        claim = self.get_object()
        serializer = TransitionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        claim_transition(
            claim=claim,
            to=serializer.validated_data["to"],
            reason=serializer.validated_data["reason"],
            by=request.user,
            expected_version=expected_version(request),
        )
        return self.detail_response(claim.pk)
