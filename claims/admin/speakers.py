from django.contrib import admin

from claims.admin.anchors import take_saved
from claims.models import Speaker, Tag
from claims.read.visibility import visible_condition
from claims.services import (
    SPEAKER_EDITABLE_FIELDS,
    TAG_EDITABLE_FIELDS,
    speaker_create,
    speaker_update,
    tag_create,
    tag_delete,
    tag_update,
)
from factcheck.admin_tools import (
    AUDIT_FIELDS,
    RECORD_FIELDSET,
    FactcheckAdmin,
    RelatedWithRowsFilter,
    related_count,
)


def form_data(form, editable, *, changed_only: bool) -> dict:
    """The form's values of ``editable`` fields: all of them, or those the editor changed."""
    names = form.changed_data if changed_only else form.cleaned_data
    return {name: form.cleaned_data[name] for name in names if name in editable}


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
        # The claims the viewer may see (a researcher: public ones).
        visible = visible_condition(request.user, "claims__")
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=related_count(Speaker, "claims", condition=visible))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, speaker):
        return speaker.claim_count

    def save_model(self, request, obj, form, change):
        data = form_data(form, SPEAKER_EDITABLE_FIELDS, changed_only=change)
        if not change:
            take_saved(obj, speaker_create(data=data, by=request.user))
            return
        stored = Speaker.objects.get(pk=obj.pk)  # the service compares with what is stored
        speaker_update(speaker=stored, data=data, by=request.user)


@admin.register(Tag)
class TagAdmin(FactcheckAdmin):
    list_display = ("name", "slug", "claim_count")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = AUDIT_FIELDS
    fieldsets = ((None, {"fields": ("name", "slug")}), RECORD_FIELDSET)

    def get_queryset(self, request):
        visible = visible_condition(request.user, "claims__")
        return (
            super()
            .get_queryset(request)
            .annotate(claim_count=related_count(Tag, "claims", condition=visible))
        )

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, tag):
        return tag.claim_count

    def save_model(self, request, obj, form, change):
        data = form_data(form, TAG_EDITABLE_FIELDS, changed_only=change)
        if not change:
            take_saved(obj, tag_create(data=data, by=request.user))
            return
        tag_update(tag=Tag.objects.get(pk=obj.pk), data=data, by=request.user)

    def delete_model(self, request, obj):
        tag_delete(tag=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        # One by one, through the service: each raises the version of its claims.
        for tag in queryset:
            tag_delete(tag=tag, by=request.user)
