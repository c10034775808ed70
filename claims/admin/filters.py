"""List filters of the claim list that are not plain fields of the claim."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.db.models import Exists, OuterRef

from claims.models import Appearance, Evidence, Speaker
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
        if self.value() is None:
            return queryset
        # Only an outlet offered above: anything else ("abc", an id too large for
        # the column) would otherwise reach the database.
        outlets = {str(pk): pk for pk, _ in self.lookup_choices}
        if self.value() not in outlets:
            raise IncorrectLookupParameters(f"No outlet {self.value()!r}.")
        appearances = Appearance.objects.filter(
            claim=OuterRef("pk"), source__outlet=outlets[self.value()]
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
