import django_filters
from rest_framework.exceptions import ValidationError

from factcheck.api.filters import LanguageFilter, MomentFilter, StrictFilterSet, ids_filter
from sources.models import Outlet, Source, normalize_url


class OutletFilter(StrictFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=Outlet.Kind.choices)

    class Meta:
        model = Outlet
        fields: list[str] = []


class SourceFilter(StrictFilterSet):
    outlet = ids_filter(Outlet.objects.all(), "Outlet id.")
    kind = django_filters.MultipleChoiceFilter(choices=Source.Kind.choices)
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
