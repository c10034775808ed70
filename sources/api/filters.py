import django_filters
from rest_framework.exceptions import ValidationError

from factcheck.api.filters import (
    LanguageFilter,
    MomentFilter,
    StrictFilterSet,
    choices_filter,
    ids_or_names_filter,
)
from sources.models import Outlet, Source, normalize_url


class OutletFilter(StrictFilterSet):
    kind = choices_filter(Outlet.Kind.choices)

    class Meta:
        model = Outlet
        fields: list[str] = []


class SourceFilter(StrictFilterSet):
    outlet = ids_or_names_filter(
        Outlet.objects.all(), "Outlet id, or name (exact, without regard to case).", noun="outlet"
    )
    kind = choices_filter(Source.Kind.choices)
    language = LanguageFilter()
    published_after = MomentFilter(field_name="published_at", lookup_expr="gte")
    published_before = MomentFilter(field_name="published_at", lookup_expr="lte", end_of_day=True)
    updated_since = MomentFilter(field_name="updated_at", lookup_expr="gte")
    url = django_filters.CharFilter(
        method="filter_url",
        label="The document's address; matched after normalising it as stored.",
    )

    class Meta:
        model = Source
        fields: list[str] = []

    def filter_url(self, queryset, name, value):
        try:
            return queryset.filter(url=normalize_url(value))
        except ValueError:
            raise ValidationError({"url": ["This is not a URL."]}) from None
