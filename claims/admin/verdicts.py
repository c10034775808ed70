from django.contrib import admin

from claims.admin.ratings import verdict_badge
from claims.models import VerdictEntry, VerdictEntryEvidence
from claims.read.verdicts import entries_visible_to
from factcheck.admin_tools import BigTableAdmin, clipped


class VerdictEvidenceInline(admin.TabularInline):
    model = VerdictEntryEvidence
    verbose_name_plural = "evidence the verdict rests on"
    fields = ("evidence",)
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("evidence__source", "evidence__claim")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(VerdictEntry)
class VerdictEntryAdmin(BigTableAdmin):
    """The verdict timeline, read-only: entries are recorded from the claim's page."""

    inlines = (VerdictEvidenceInline,)
    list_display = ("claim_column", "rating_badge", "holds_from", "recorded_by", "recorded_at")
    list_select_related = ("claim", "rating", "recorded_by")
    list_filter = ("rating", "holds_from", "recorded_at")
    search_fields = ("claim__label", "rationale")
    ordering = ("-pk",)
    sortable_by = ()
    fields = ("claim", "rating", "rationale", "holds_from", "recorded_by", "recorded_at")
    readonly_fields = fields

    @admin.display(description="claim")
    def claim_column(self, entry):
        return clipped(entry.claim)

    def get_queryset(self, request):
        # The entries of claims the viewer may see; the public's up to the approved one.
        return entries_visible_to(super().get_queryset(request), request.user)

    @admin.display(description="verdict")
    def rating_badge(self, entry):
        return verdict_badge(entry.rating)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
