from django.db.models import F
from django_filters import rest_framework as filters

from claims.api.catalogue import (
    RATING_COLUMNS,
    SPEAKER_COLUMNS,
    TAG_COLUMNS,
    build_ratings,
    build_speakers,
    build_tags,
)
from claims.api.inputs import SpeakerInputSerializer, TagInputSerializer
from claims.api.schema import RatingSerializer, SpeakerSerializer, TagSerializer
from claims.models import Rating, Speaker, Tag
from claims.services import speaker_create, speaker_update, tag_create, tag_delete, tag_update
from factcheck.api.filters import StrictFilterSet
from factcheck.api.views import ReadOnlyResourceViewSet, ResourceViewSet, resource_schema


class SpeakerFilter(StrictFilterSet):
    kind = filters.MultipleChoiceFilter(choices=Speaker.Kind.choices)
    name = filters.CharFilter(lookup_expr="icontains", label="Part of the name, any case.")

    class Meta:
        model = Speaker
        fields: list[str] = []


@resource_schema(SpeakerSerializer, SpeakerInputSerializer)
class SpeakerViewSet(ResourceViewSet):
    """Who made claims: people, governments, agencies, unnamed groups."""

    queryset = Speaker.objects.all()
    serializer_class = SpeakerInputSerializer
    filterset_class = SpeakerFilter
    columns = SPEAKER_COLUMNS
    orderings = {"name": F("name"), "id": F("id"), "updated_at": F("updated_at")}
    default_ordering = "name"

    def build(self, rows):
        return build_speakers(rows, self.links)

    def perform_create(self, data):
        return speaker_create(data=data, by=self.request.user)

    def perform_update(self, visible, data):
        speaker = self.lock_for_write(visible)
        return speaker_update(speaker=speaker, data=data, by=self.request.user)


@resource_schema(TagSerializer, TagInputSerializer)
class TagViewSet(ResourceViewSet):
    queryset = Tag.objects.all()
    serializer_class = TagInputSerializer
    filterset_class = None
    columns = TAG_COLUMNS
    orderings = {"name": F("name"), "slug": F("slug"), "id": F("id")}
    default_ordering = "name"

    def build(self, rows):
        return build_tags(rows, self.links)

    def perform_create(self, data):
        return tag_create(data=data, by=self.request.user)

    def perform_update(self, visible, data):
        return tag_update(tag=self.lock_for_write(visible), data=data, by=self.request.user)

    def perform_destroy(self, visible):
        tag_delete(tag=self.lock_for_write(visible), by=self.request.user)


@resource_schema(RatingSerializer)
class RatingViewSet(ReadOnlyResourceViewSet):
    """The verdict scale. Superusers configure it in the admin."""

    queryset = Rating.objects.all()
    filterset_class = None
    columns = RATING_COLUMNS
    orderings = {"position": F("position"), "id": F("id")}
    default_ordering = "position"

    def build(self, rows):
        return build_ratings(rows, self.links)
