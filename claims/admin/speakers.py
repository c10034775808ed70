from django.contrib import admin

from claims.models import Speaker, Tag
from factcheck.admin_tools import (
    AUDIT_FIELDS,
    RECORD_FIELDSET,
    FactcheckAdmin,
    RelatedWithRowsFilter,
    related_count,
)


@admin.register(Speaker)
class SpeakerAdmin(FactcheckAdmin):
    list_display = ("name", "kind", "parent", "wikidata_id", "claim_count")
    list_select_related = ("parent",)
    list_filter = ("kind", ("parent", RelatedWithRowsFilter))
    search_fields = ("name", "aliases", "wikidata_id")
    autocomplete_fields = ("parent",)
    readonly_fields = AUDIT_FIELDS
    fieldsets = (
        (None, {"fields": ("name", "kind", "parent", "aliases", "wikidata_id", "description")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=related_count(Speaker, "claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, speaker):
        return speaker.claim_count


@admin.register(Tag)
class TagAdmin(FactcheckAdmin):
    list_display = ("name", "slug", "claim_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = AUDIT_FIELDS
    fieldsets = ((None, {"fields": ("name", "slug")}), RECORD_FIELDSET)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=related_count(Tag, "claims"))

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, tag):
        return tag.claim_count
