from typing import cast

from django import forms
from django.contrib import admin
from django.db.models import BooleanField, ExpressionWrapper, Q

from factcheck.admin_tools import (
    AUDIT_FIELDS,
    RECORD_FIELDSET,
    BigTableAdmin,
    FactcheckAdmin,
    related_count,
)
from sources.anchoring import as_stored
from sources.models import Outlet, Source


@admin.register(Outlet)
class OutletAdmin(FactcheckAdmin):
    list_display = ("name", "kind", "homepage", "source_count", "updated_at")
    list_filter = ("kind",)
    search_fields = ("name", "homepage")
    readonly_fields = AUDIT_FIELDS
    fieldsets = (
        (None, {"fields": ("name", "kind", "homepage", "reliability_note")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(source_count=related_count(Outlet, "sources"))

    @admin.display(description="sources", ordering="source_count")
    def source_count(self, outlet):
        return outlet.source_count


class HasTextFilter(admin.SimpleListFilter):
    title = "stored text"
    parameter_name = "has_text"

    def lookups(self, request, model_admin):
        return (("yes", "Has text"), ("no", "Metadata only"))

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.with_text()
        if self.value() == "no":
            return queryset.filter(text="")
        return queryset


class SourceForm(forms.ModelForm):
    """Saves the text as it was unless the editor changed it.

    Browsers send a textarea's line breaks as CRLF, and form fields strip edge
    white space: either would change a stored text (its hash, and the offsets
    anchors count) on every save of the page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "text" in self.fields:
            cast(forms.CharField, self.fields["text"]).strip = False

    def clean_text(self):
        return as_stored(self.cleaned_data["text"], text=self.instance.text)


@admin.register(Source)
class SourceAdmin(BigTableAdmin):
    form = SourceForm
    list_display = (
        "title",
        "outlet",
        "kind",
        "published_at",
        "language",
        "has_text",
        "claim_count",
    )
    list_select_related = ("outlet",)
    list_filter = ("outlet", "kind", "language", HasTextFilter, "published_at")
    # Sorting by a column without an index sorts the whole table for every page.
    sortable_by = ("published_at",)
    search_fields = ("title", "url", "authors", "outlet__name")
    autocomplete_fields = ("outlet",)
    readonly_fields = (*AUDIT_FIELDS, "content_hash")
    fieldsets = (
        (None, {"fields": ("title", "url", "outlet", "kind", "authors", "language")}),
        ("Dates", {"fields": ("published_at", "retrieved_at")}),
        ("Text", {"fields": ("text", "content_hash")}),
        RECORD_FIELDSET,
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                has_text=ExpressionWrapper(~Q(text=""), output_field=BooleanField()),
                # "appearances" is the relation that claims registers on Source.
                claim_count=related_count(Source, "appearances__claim"),
            )
        )

    def get_search_results(self, request, queryset, search_term):
        # Lists and autocomplete show titles, never the text, which can run to
        # hundreds of kilobytes per source.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.defer("text"), may_have_duplicates

    @admin.display(description="text", boolean=True)
    def has_text(self, source):
        return source.has_text

    @admin.display(description="claims")
    def claim_count(self, source):
        return source.claim_count
