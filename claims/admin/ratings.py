from django.contrib import admin
from django.utils.html import format_html

from claims.models import Rating
from factcheck.admin_tools import AUDIT_FIELDS, RECORD_FIELDSET, FactcheckAdmin


def verdict_badge(rating: Rating):
    """The verdict's label on its colour. The colour is an SVG fill, not a style
    attribute, which the Content-Security-Policy refuses (badge: factcheck/admin.css)."""
    return format_html(
        '<span class="badge"><svg class="badge-fill" viewBox="0 0 1 1" preserveAspectRatio="none"'
        ' aria-hidden="true"><rect width="1" height="1" fill="{}"/></svg>{}</span>',
        rating.colour,
        rating.label,
    )


@admin.register(Rating)
class RatingAdmin(FactcheckAdmin):
    list_display = ("badge", "slug", "value", "position", "needs_evidence")
    search_fields = ("label", "slug")
    prepopulated_fields = {"slug": ("label",)}
    readonly_fields = AUDIT_FIELDS
    fieldsets = (
        (None, {"fields": ("label", "slug", "value", "position", "colour", "needs_evidence")}),
        (None, {"fields": ("description",)}),
        RECORD_FIELDSET,
    )

    # Unverified is every new claim's verdict: it can be relabelled, not removed
    # or given another slug.
    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.slug == Rating.UNVERIFIED:
            return (*AUDIT_FIELDS, "slug", "needs_evidence")
        return AUDIT_FIELDS

    def get_prepopulated_fields(self, request, obj=None):
        return {} if obj is not None and obj.slug == Rating.UNVERIFIED else {"slug": ("label",)}

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.slug == Rating.UNVERIFIED:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.exclude(slug=Rating.UNVERIFIED))

    @admin.display(description="label", ordering="label")
    def badge(self, rating):
        return verdict_badge(rating)
