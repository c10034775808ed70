"""Input serializers: they validate request bodies. Their fields are the models'
editable fields (claims.services); a body sending another is refused unless it
repeats what a GET showed (factcheck.api.views.ResourceViewSet.writable_body).
The review state and the verdict change only through the transition and
verdicts endpoints."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from claims.models import Appearance, Claim, Evidence, Rating, Speaker, Tag
from claims.services import (
    APPEARANCE_EDITABLE_FIELDS,
    CLAIM_EDITABLE_FIELDS,
    EVIDENCE_EDITABLE_FIELDS,
    SPEAKER_EDITABLE_FIELDS,
    TAG_EDITABLE_FIELDS,
)
from factcheck.api import fields
from factcheck.api.fields import StrictModelSerializer
from factcheck.limits import REASON_ERRORS, REASON_MAX_LENGTH
from sources.models import Source

# A field named like an attribute of DRF's Field (source, parent) does not replace it:
# the serializer's metaclass moves declared fields out of the class. The stubs cannot
# tell, hence the type: ignore[assignment] on those fields.


class RelatedIdField(fields.PrimaryKeyRelatedField):
    """A related record's id; the {"id": …} object a response shows (a claim's
    speaker, an appearance's source) is accepted too, so that a GET response can
    be sent back in a PUT."""

    def to_internal_value(self, data):
        if isinstance(data, dict) and "id" in data:
            data = data["id"]
        return super().to_internal_value(data)


# What str.splitlines() splits on: a line break in any of these would read back as two.
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


class LinesField(serializers.ListField):
    """A list of strings stored one per line."""

    child = fields.CharField(max_length=200)

    def to_internal_value(self, data):
        lines = super().to_internal_value(data)
        if any(character in LINE_BREAKS for line in lines for character in line):
            raise serializers.ValidationError("An alias cannot contain a line break.")
        return "\n".join(line.strip() for line in lines if line.strip())

    def to_representation(self, value):
        return [line.strip() for line in value.splitlines() if line.strip()]


class ClaimInputSerializer(StrictModelSerializer):
    speaker = RelatedIdField(
        queryset=Speaker.objects.all(),
        allow_null=True,
        required=False,
        help_text="Speaker id; null for an unattributed claim.",
    )
    tags = fields.SlugRelatedField(
        slug_field="slug", queryset=Tag.objects.all(), many=True, required=False
    )

    class Meta:
        model = Claim
        fields = CLAIM_EDITABLE_FIELDS
        validators: list[object] = []


class _AnchorInputSerializer(StrictModelSerializer):
    """Give the quote (with prefix/suffix if it occurs more than once) or the start
    and end offsets; the other half is filled in. On update, sending any of these
    five replaces the whole anchor."""

    source = RelatedIdField(queryset=Source.objects.all())  # type: ignore[assignment]

    class Meta:
        # The model's constraints are checked by full_clean().
        validators: list[object] = []
        extra_kwargs = {
            "start": {"min_value": 0, "max_value": 2**31 - 1},
            "end": {"min_value": 0, "max_value": 2**31 - 1},
        }


class AppearanceInputSerializer(_AnchorInputSerializer):
    class Meta(_AnchorInputSerializer.Meta):
        model = Appearance
        fields = APPEARANCE_EDITABLE_FIELDS


class EvidenceInputSerializer(_AnchorInputSerializer):
    class Meta(_AnchorInputSerializer.Meta):
        model = Evidence
        fields = EVIDENCE_EDITABLE_FIELDS


class VerdictInputSerializer(fields.StrictSerializer):
    rating = fields.SlugRelatedField(
        slug_field="slug", queryset=Rating.objects.all(), help_text="A rating slug, e.g. false."
    )
    rationale = fields.CharField(max_length=REASON_MAX_LENGTH, error_messages=REASON_ERRORS)
    evidence = fields.PrimaryKeyRelatedField(
        queryset=Evidence.objects.all(),
        many=True,
        required=False,
        help_text="Ids of this claim's evidence that the verdict rests on.",
    )
    holds_from = fields.DateField(
        required=False, help_text="The date from which it holds; today when left out."
    )


class TransitionInputSerializer(fields.StrictSerializer):
    to = fields.ChoiceField(choices=Claim.ReviewState.choices)
    reason = fields.CharField(
        max_length=REASON_MAX_LENGTH,
        error_messages=REASON_ERRORS,
        required=False,
        allow_blank=True,
        default="",
        help_text="Required to retract.",
    )


@extend_schema_field(
    {
        "type": "array",
        "items": {
            "type": "string",
            "maxLength": 200,
            # Not blank, no line break or null character. (?!\n): in Python's regular
            # expressions $ also matches before a final \n.
            "pattern": "^[^{0}]*[^\\s{0}][^{0}]*(?!\\n)$".format(
                LINE_BREAKS.encode("unicode_escape").decode() + "\\x00"
            ),
        },
    }
)
class _AliasesField(LinesField):
    pass


class SpeakerInputSerializer(StrictModelSerializer):
    aliases = _AliasesField(required=False, help_text="Other names the speaker goes by.")
    parent = fields.PrimaryKeyRelatedField(  # type: ignore[assignment]
        queryset=Speaker.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Speaker
        fields = SPEAKER_EDITABLE_FIELDS
        validators: list[object] = []


class TagInputSerializer(StrictModelSerializer):
    class Meta:
        model = Tag
        fields = TAG_EDITABLE_FIELDS
        validators: list[object] = []
