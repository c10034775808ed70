"""List filters of the claim list that are not plain fields of the claim."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, OuterRef

from claims.models import Appearance, Claim, Evidence, Rating, Speaker
from claims.read.queue import CLAIM_QUEUES, queue_claims
from claims.read.verdicts import verdict_condition
from claims.read.visibility import PUBLIC_STATES, review_state_condition, sees_unpublished
from sources.models import Outlet


class SpeakerKindFilter(admin.SimpleListFilter):
    title = "speaker kind"
    parameter_name = "speaker_kind"

    def lookups(self, request, model_admin):
        return Speaker.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(speaker__kind=self.value())
        return queryset


class OutletFilter(admin.SimpleListFilter):
    """Claims appearing in a source of the outlet; an EXISTS, so each claim is listed once."""

    title = "outlet"
    parameter_name = "outlet"

    def lookups(self, request, model_admin):
        return Outlet.objects.values_list("pk", "name")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        # Only an outlet offered above: anything else ("abc", an id too large for
        # the column) would otherwise reach the database.
        outlets = {str(pk): pk for pk, _ in self.lookup_choices}
        if value not in outlets:
            raise IncorrectLookupParameters(f"No outlet {value!r}.")
        # lookup_choices holds the ids lookups() gave; the stubs say they are str.
        appearances = Appearance.objects.filter(
            claim=OuterRef("pk"),
            source__outlet=outlets[value],  # type: ignore[misc]
        )
        return queryset.filter(Exists(appearances))


class HasEvidenceFilter(admin.SimpleListFilter):
    title = "evidence"
    parameter_name = "has_evidence"

    def lookups(self, request, model_admin):
        return (("yes", "Has evidence"), ("no", "No evidence yet"))

    def queryset(self, request, queryset):
        has_evidence = Exists(Evidence.objects.filter(claim=OuterRef("pk")))
        if self.value() == "yes":
            return queryset.filter(has_evidence)
        if self.value() == "no":
            return queryset.filter(~has_evidence)
        return queryset


class SeenReviewStateFilter(admin.SimpleListFilter):
    """The review state as the viewer sees it (claims/read/visibility.py): for a
    researcher, a published claim whose new verdict awaits review is published."""

    title = "review state"
    parameter_name = "review_state__exact"  # the address Django's own filter had

    def lookups(self, request, model_admin):
        if sees_unpublished(request.user):
            return Claim.ReviewState.choices
        return [(state.value, state.label) for state in PUBLIC_STATES]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        if self.value() not in Claim.ReviewState.values:
            raise IncorrectLookupParameters(f"No review state {self.value()!r}.")
        public = not sees_unpublished(request.user)
        return queryset.filter(review_state_condition([self.value()], public=public))


class SeenVerdictFilter(admin.SimpleListFilter):
    """The verdict as the viewer sees it: for a researcher, the one reviewers approved."""

    title = "verdict"
    parameter_name = "verdict__id__exact"  # the address Django's own filter had

    def lookups(self, request, model_admin):
        return Rating.objects.order_by("position", "id").values_list("pk", "label")

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        ratings = {str(pk): pk for pk, _ in self.lookup_choices}
        if value not in ratings:
            raise IncorrectLookupParameters(f"No rating {value!r}.")
        public = not sees_unpublished(request.user)
        return queryset.filter(verdict_condition([ratings[value]], public=public))


class WorkQueueFilter(admin.SimpleListFilter):
    """The parts of the signed-in user's work queue (the admin's front page links here),
    chosen by the same reads that count them (claims/read/queue.py)."""

    title = "work queue"
    parameter_name = "queue"

    def lookups(self, request, model_admin):
        return list(CLAIM_QUEUES.items())

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if value not in CLAIM_QUEUES:
            raise IncorrectLookupParameters(f"No work queue “{value}”.")
        return queue_claims(queryset, value, request.user)
