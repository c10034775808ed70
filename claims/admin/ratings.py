from django.contrib import admin
from django.utils.html import format_html

from claims.models import Rating
from factcheck.admin_tools import AUDIT_FIELDS, RECORD_FIELDSET, FactcheckAdmin


def verdict_badge(rating: Rating):
    return format_html(
        '<span style="background-color: {}; color: #fff; padding: 1px 8px; '
        'border-radius: 9px; white-space: nowrap;">{}</span>',
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

    @admin.display(description="label", ordering="label")
    def badge(self, rating):
        return verdict_badge(rating)
