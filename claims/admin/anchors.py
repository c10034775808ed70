from django.contrib import admin
from django.utils.text import Truncator

from claims.admin.forms import AnchoredQuoteForm, AppearanceInlineFormSet
from claims.models import Appearance, Evidence
from claims.read.visibility import children_visible_to
from factcheck.admin_tools import AUDIT_FIELDS, RECORD_FIELDSET, BigTableAdmin

ANCHOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")


class AnchorStatusMixin:
    @admin.display(description="anchor")
    def anchor_state(self, anchored):
        """Orphans say why; an editor fixes one by editing its quote or offsets here, or
        by selecting it again on the source's annotate page."""
        if anchored.is_orphaned:
            return f"Orphaned: {anchored.orphaned_reason}"
        return anchored.get_anchor_status_display() if anchored.is_anchored else "—"


class AppearanceInline(AnchorStatusMixin, admin.StackedInline):
    model = Appearance
    form = AnchoredQuoteForm
    formset = AppearanceInlineFormSet
    extra = 1
    autocomplete_fields = ("source",)
    fields = (
        "source",
        "exact",
        ("prefix", "suffix"),
        ("start", "end"),
        "anchor_state",
        "is_first",
        "note",
    )
    readonly_fields = ("anchor_state",)

    def get_queryset(self, request):
        # The row headings name the claim and the source.
        return super().get_queryset(request).select_related("claim", "source")


class EvidenceInline(AnchorStatusMixin, admin.StackedInline):
    model = Evidence
    form = AnchoredQuoteForm
    extra = 0
    autocomplete_fields = ("source",)
    fields = (
        "source",
        "stance",
        "exact",
        ("prefix", "suffix"),
        ("start", "end"),
        "anchor_state",
        "note",
    )
    readonly_fields = ("anchor_state",)

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("claim", "source")


class AnchoredQuoteAdmin(AnchorStatusMixin, BigTableAdmin):
    form = AnchoredQuoteForm
    list_select_related = ("claim", "source")
    autocomplete_fields = ("claim", "source")
    search_fields = ("exact", "note", "claim__label", "source__title")
    readonly_fields = (*AUDIT_FIELDS, "anchor_state")
    # Newest first, by the primary key index; no other column has one to sort by.
    ordering = ("-pk",)
    sortable_by = ()

    def get_queryset(self, request):
        # Only those of claims the viewer may see (claims/read/visibility.py).
        return children_visible_to(super().get_queryset(request), request.user)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer("source__text"), may_have_duplicates

    @admin.display(description="quote")
    def quote(self, anchored):
        return Truncator(anchored.exact).chars(80)


@admin.register(Appearance)
class AppearanceAdmin(AnchoredQuoteAdmin):
    list_display = (
        "claim",
        "source",
        "quote",
        "start",
        "end",
        "anchor_status",
        "is_first",
        "updated_at",
    )
    list_filter = ("anchor_status", "is_first", "source__outlet", "created_at")
    fieldsets = (
        (None, {"fields": ("claim", "source", "is_first")}),
        ("Anchor", {"fields": (*ANCHOR_FIELDS, "anchor_state", "note")}),
        RECORD_FIELDSET,
    )

    def delete_queryset(self, request, queryset):
        # One by one: Appearance.delete() hands the first mark on to another
        # appearance of the claim, which a bulk delete would skip.
        for appearance in queryset:
            appearance.delete()


@admin.register(Evidence)
class EvidenceAdmin(AnchoredQuoteAdmin):
    list_display = ("claim", "source", "stance", "quote", "anchor_status", "updated_at")
    list_filter = ("anchor_status", "stance", "source__outlet", "created_at")
    fieldsets = (
        (None, {"fields": ("claim", "source", "stance")}),
        ("Quote", {"fields": (*ANCHOR_FIELDS, "anchor_state", "note")}),
        RECORD_FIELDSET,
    )
