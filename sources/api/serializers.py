"""Input serializers validate request bodies; output serializers describe the
dicts the builders return, for the OpenAPI schema only."""

from rest_framework import serializers

from factcheck.api import fields
from factcheck.api.fields import StrictModelSerializer
from sources.models import Outlet, Source

# Output (schema) -----------------------------------------------------------------------------


class OutletSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()


class OutletSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="This outlet in the API.")
    name = serializers.CharField()
    homepage = serializers.CharField()
    kind = serializers.ChoiceField(choices=Outlet.Kind.choices)
    reliability_note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="This source in the API.")
    canonical_url = serializers.CharField(help_text="The document's address; may be empty.")
    title = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    outlet = OutletSummarySerializer()


class SourceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField(help_text="This source in the API.")
    canonical_url = serializers.CharField(
        help_text="The document's own address, normalised; empty when it has none."
    )
    title = serializers.CharField()
    outlet = OutletSummarySerializer()
    authors = serializers.CharField(help_text="Names separated by commas, as credited.")
    published_at = serializers.DateTimeField(allow_null=True)
    retrieved_at = serializers.DateTimeField(allow_null=True)
    language = serializers.CharField()
    kind = serializers.ChoiceField(choices=Source.Kind.choices)
    text = serializers.CharField(
        help_text="The full text as stored; anchors count its Unicode code points."
    )
    content_hash = serializers.CharField(help_text="SHA-256 of the text.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


# Input ---------------------------------------------------------------------------------------


class OutletInputSerializer(StrictModelSerializer):
    class Meta:
        model = Outlet
        fields = ["name", "homepage", "kind", "reliability_note"]
        # Uniqueness is checked by the model's constraints in full_clean().
        validators: list[object] = []


class SourceInputSerializer(StrictModelSerializer):
    canonical_url = fields.URLField(
        source="url",
        max_length=2000,
        required=False,
        allow_blank=True,
        help_text="The document's address (http or https); stored normalised.",
    )

    class Meta:
        model = Source
        fields = [
            "canonical_url",
            "title",
            "outlet",
            "authors",
            "published_at",
            "retrieved_at",
            "language",
            "kind",
            "text",
        ]
        validators: list[object] = []
