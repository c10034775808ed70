"""The map from other fact-checkers' ratings to ours: the mappings, and the page of
the published ratings no mapping covers yet. Every change goes through
claims.services.ratings_map, which remaps the imported reviews."""

import copy
from urllib.parse import urlencode

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims.admin.anchors import take_saved
from claims.admin.speakers import form_data
from claims.models import RatingMapping
from claims.services.ratings_map import (
    RATING_MAPPING_EDITABLE_FIELDS,
    UnmappedRating,
    rating_mapping_check,
    rating_mapping_create,
    rating_mapping_update,
    rating_mappings_delete,
    unmapped_ratings,
)
from factcheck.admin_tools import AUDIT_FIELDS, RECORD_FIELDSET, FactcheckAdmin


def prefill(row: UnmappedRating) -> dict[str, str]:
    """The add form's initial values (its query string) for mapping ``row``."""
    return {"textual_rating": row.textual_rating, "language": row.language}


class RatingMappingForm(forms.ModelForm):
    class Meta:
        model = RatingMapping
        fields = RATING_MAPPING_EDITABLE_FIELDS

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            # The service's check, on a copy: the form's instance gets its values later.
            candidate = copy.copy(self.instance)
            for name, value in self.cleaned_data.items():
                if name in RATING_MAPPING_EDITABLE_FIELDS:  # a list's form has its id too
                    setattr(candidate, name, value)
            try:
                rating_mapping_check(candidate)
            except ValidationError as error:
                self.add_error(None, error)
        return cleaned


@admin.register(RatingMapping)
class RatingMappingAdmin(FactcheckAdmin):
    form = RatingMappingForm
    list_display = ("textual_rating", "language_column", "rating")
    list_editable = ("rating",)
    list_select_related = ("rating",)
    list_filter = ("language", "rating")
    search_fields = ("textual_rating", "key")
    readonly_fields = AUDIT_FIELDS
    fieldsets = ((None, {"fields": RATING_MAPPING_EDITABLE_FIELDS}), RECORD_FIELDSET)

    @admin.display(description="language", ordering="language")
    def language_column(self, mapping):
        return mapping.language or "any"

    def get_changelist_form(self, request, **kwargs):
        return super().get_changelist_form(request, form=RatingMappingForm, **kwargs)

    def save_model(self, request, obj, form, change):
        data = form_data(form, RATING_MAPPING_EDITABLE_FIELDS, changed_only=change)
        if not change:
            take_saved(obj, rating_mapping_create(data=data, by=request.user))
            return
        stored = RatingMapping.objects.get(pk=obj.pk)  # the service compares with it
        rating_mapping_update(mapping=stored, data=data, by=request.user)

    def delete_model(self, request, obj):
        rating_mappings_delete(mappings=[obj], by=request.user)

    def delete_queryset(self, request, queryset):
        rating_mappings_delete(mappings=queryset, by=request.user)

    def get_urls(self):
        unmapped = path(
            "unmapped/",
            self.admin_site.admin_view(self.unmapped_view),
            name="claims_ratingmapping_unmapped",
        )
        return [unmapped, *super().get_urls()]

    def unmapped_view(self, request):
        """The published ratings of the reviews no mapping or number maps, most
        frequent first, each with a link to map it."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        add = reverse("admin:claims_ratingmapping_add")
        can_add = self.has_add_permission(request)
        rows = [
            {
                "rating": row,
                "add_url": f"{add}?{urlencode(prefill(row))}" if can_add else "",
            }
            for row in unmapped_ratings()
        ]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Unmapped ratings",
            "subtitle": None,
            "rows": rows,
        }
        return TemplateResponse(request, "admin/claims/ratingmapping/unmapped.html", context)
