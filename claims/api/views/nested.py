"""Resources under a claim: /claims/{claim_pk}/appearances|evidence|verdicts|history/.

Each exists only as far as its claim does: for a claim the client may not see,
every route answers 404.
"""

from typing import TYPE_CHECKING

from django.db.models import F, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status

from claims.api.inputs import (
    AppearanceInputSerializer,
    EvidenceInputSerializer,
    VerdictInputSerializer,
)
from claims.api.schema import (
    AppearanceSerializer,
    EvidenceSerializer,
    HistoryEntrySerializer,
    VerdictEntrySerializer,
)
from claims.api.views.claims import expected_version
from claims.models import Appearance, Claim, Evidence, VerdictEntry
from claims.read.builders import (
    ANCHOR_TIMESTAMPS,
    APPEARANCE_COLUMNS,
    ENTRY_TIMESTAMPS,
    EVIDENCE_COLUMNS,
    VERDICT_ENTRY_COLUMNS,
    build_appearances,
    build_evidence,
    build_verdict_entries,
)
from claims.read.history import HISTORY_COLUMNS, HistoricalClaim, build_history, history_of
from claims.read.verdicts import public_entries
from claims.read.visibility import claims_visible_to, sees_unpublished
from claims.services import (
    appearance_create,
    appearance_delete,
    appearance_update,
    evidence_create,
    evidence_delete,
    evidence_update,
    verdict_record,
)
from factcheck.api.views import ReadOnlyResourceViewSet, ResourceViewSet, resource_schema

if TYPE_CHECKING:  # a mixin for the resource view sets
    _ViewSet = ReadOnlyResourceViewSet
else:
    _ViewSet = object


class ClaimChildMixin(_ViewSet):
    filterset_class = None

    if TYPE_CHECKING:

        def children(self, claim: Claim) -> QuerySet: ...  # each view set's own

    def get_claim(self):
        if not hasattr(self, "_claim"):
            visible = claims_visible_to(self.request.user)
            self._claim = get_object_or_404(visible, pk=self.kwargs["claim_pk"])
        return self._claim

    @property
    def public(self) -> bool:
        return not sees_unpublished(self.request.user)

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation: no claim
            # The stubs allow a Manager here, whose descriptor refuses a view instance.
            return self.queryset  # type: ignore[arg-type]
        return self.children(self.get_claim())


class AnchoredChildViewSet(ClaimChildMixin, ResourceViewSet):
    """Appearances and evidence: each write goes through its service, which also
    raises the claim's version (its ETag)."""

    expressions = ANCHOR_TIMESTAMPS
    orderings = {"id": F("id")}
    default_ordering = "id"
    server_owned = {
        **ResourceViewSet.server_owned,
        "anchor_status": "a change of the quote or its offsets, which anchors it again",
        "orphaned_reason": "a change of the quote or its offsets, which anchors it again",
    }


@resource_schema(AppearanceSerializer, AppearanceInputSerializer)
class AppearanceViewSet(AnchoredChildViewSet):
    """Where the claim appears: a source and the anchored quote in its text."""

    queryset = Appearance.objects.none()
    serializer_class = AppearanceInputSerializer
    columns = (*APPEARANCE_COLUMNS, "updated_at")  # updated_at: for the ETag

    def children(self, claim):
        return Appearance.objects.filter(claim=claim)

    def perform_create(self, data):
        return appearance_create(claim=self.get_claim(), by=self.request.user, **data)

    def perform_update(self, visible, data):
        appearance = self.lock_for_write(visible)
        return appearance_update(appearance=appearance, data=data, by=self.request.user)

    def perform_destroy(self, visible):
        appearance_delete(appearance=self.lock_for_write(visible), by=self.request.user)

    def build(self, rows):
        return build_appearances(rows, self.links)


@resource_schema(EvidenceSerializer, EvidenceInputSerializer)
class EvidenceViewSet(AnchoredChildViewSet):
    """Sources that bear on the claim, with their stance and optional quote."""

    queryset = Evidence.objects.none()
    serializer_class = EvidenceInputSerializer
    columns = (*EVIDENCE_COLUMNS, "updated_at")  # updated_at: for the ETag

    def children(self, claim):
        return Evidence.objects.filter(claim=claim)

    def perform_create(self, data):
        return evidence_create(claim=self.get_claim(), by=self.request.user, **data)

    def perform_update(self, visible, data):
        evidence = self.lock_for_write(visible)
        return evidence_update(evidence=evidence, data=data, by=self.request.user)

    def perform_destroy(self, visible):
        evidence_delete(evidence=self.lock_for_write(visible), by=self.request.user)

    def build(self, rows):
        return build_evidence(rows, self.links)


@extend_schema_view(
    list=extend_schema(responses=VerdictEntrySerializer),
    retrieve=extend_schema(responses=VerdictEntrySerializer),
    create=extend_schema(request=VerdictInputSerializer, responses={201: VerdictEntrySerializer}),
)
class VerdictEntryViewSet(ClaimChildMixin, ReadOnlyResourceViewSet):
    """The claim's verdict timeline (append-only), in the order recorded.

    The public sees the entries up to the one reviewers approved. Recording a
    verdict on a published claim sends it back to review.
    """

    queryset = VerdictEntry.objects.none()
    serializer_class = VerdictInputSerializer
    columns = VERDICT_ENTRY_COLUMNS
    expressions = ENTRY_TIMESTAMPS
    orderings = {"recorded_at": F("recorded_at"), "holds_from": F("holds_from")}
    default_ordering = "recorded_at"

    def children(self, claim):
        entries = VerdictEntry.objects.filter(claim=claim)
        return public_entries(entries) if self.public else entries

    def build(self, rows):
        return build_verdict_entries(rows, self.links, public=self.public)

    def create(self, request, *args, **kwargs):
        serializer = VerdictInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        entry = verdict_record(
            claim=self.get_claim(),
            by=request.user,
            expected_version=expected_version(request),
            **serializer.validated_data,
        )
        return self.detail_response(entry.pk, status.HTTP_201_CREATED)


@resource_schema(HistoryEntrySerializer)
class HistoryViewSet(ClaimChildMixin, ReadOnlyResourceViewSet):
    """Every change to the claim, newest first, with what changed."""

    queryset = HistoricalClaim.objects.none()
    columns = HISTORY_COLUMNS
    pagination_pk = "history_id"
    orderings = {"changed_at": F("history_date")}
    default_ordering = "-changed_at"

    def children(self, claim):
        return history_of(claim.pk, public=self.public)

    def build(self, rows):
        return build_history(rows, self.links, records=self.get_queryset(), public=self.public)
