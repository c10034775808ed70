import datetime

from django.db.models import F, Value
from django.db.models.functions import Coalesce

from factcheck.api.views import ResourceViewSet, resource_schema
from sources.api.builders import OUTLET_COLUMNS, SOURCE_COLUMNS, build_outlets, build_sources
from sources.api.filters import OutletFilter, SourceFilter
from sources.api.serializers import (
    OutletInputSerializer,
    OutletSerializer,
    SourceInputSerializer,
    SourceSerializer,
)
from sources.models import Outlet, Source

# Sorting puts documents without a publication date after (or before) all others.
_NO_DATE = datetime.datetime(1, 1, 1, tzinfo=datetime.UTC)


@resource_schema(OutletSerializer, OutletInputSerializer)
class OutletViewSet(ResourceViewSet):
    """Who publishes sources: news outlets, governments, agencies…"""

    queryset = Outlet.objects.all()
    serializer_class = OutletInputSerializer
    filterset_class = OutletFilter
    columns = OUTLET_COLUMNS
    orderings = {"id": F("id"), "name": F("name"), "updated_at": F("updated_at")}
    default_ordering = "name"

    def build(self, rows):
        return build_outlets(rows, self.links)


@resource_schema(SourceSerializer, SourceInputSerializer)
class SourceViewSet(ResourceViewSet):
    """Documents: articles, statements, transcripts… with their stored text."""

    queryset = Source.objects.all()
    serializer_class = SourceInputSerializer
    filterset_class = SourceFilter
    columns = SOURCE_COLUMNS
    field_aliases = {"url": "canonical_url"}
    orderings = {
        "published_at": Coalesce(F("published_at"), Value(_NO_DATE)),
        "updated_at": F("updated_at"),
        "created_at": F("created_at"),
        "id": F("id"),
    }
    default_ordering = "-published_at"

    def build(self, rows):
        return build_sources(rows, self.links)
