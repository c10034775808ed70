"""Output serializers: they describe, for the OpenAPI schema, the dicts that
claims.read.builders and claims.api.catalogue return. They are never run on a
response; the schemathesis test checks that real responses match them."""

from rest_framework import serializers

from claims.models import Claim, ClaimLink, Evidence, ShownAnchorStatus, Speaker
from sources.api.serializers import SourceSummarySerializer

# A field named like an attribute of DRF's Field (label, source, parent) does not replace
# it: the serializer's metaclass moves declared fields out of the class. The stubs cannot
# tell, hence the type: ignore[assignment] on those fields.


class RatingSummarySerializer(serializers.Serializer):
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.IntegerField(
        allow_null=True, help_text="Higher is truer; null off the scale."
    )


class SpeakerSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Speaker.Kind.choices)


class _AnchorSerializer(serializers.Serializer):
    """W3C Web Annotation selectors: TextQuoteSelector and TextPositionSelector."""

    exact = serializers.CharField(help_text="The quote, exactly as in the source text.")
    prefix = serializers.CharField(help_text="Up to 32 characters just before it.")
    suffix = serializers.CharField(help_text="Up to 32 characters just after it.")
    start = serializers.IntegerField(
        allow_null=True, help_text="Offset of the first character, in code points."
    )
    end = serializers.IntegerField(allow_null=True, help_text="Offset just past the last one.")
    anchor_status = serializers.ChoiceField(
        choices=ShownAnchorStatus.choices,
        help_text="Orphaned: the source text changed and the quote is no longer found in it "
        "(or found in several places); quote and offsets then describe the old text. "
        "Address only: no quote, the source is known by its address (or metadata) only.",
    )
    orphaned_reason = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class AppearanceSerializer(_AnchorSerializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    source = SourceSummarySerializer()  # type: ignore[assignment]
    is_first = serializers.BooleanField(help_text="The earliest known appearance of the claim.")


class EvidenceSerializer(_AnchorSerializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    source = SourceSummarySerializer()  # type: ignore[assignment]
    stance = serializers.ChoiceField(choices=Evidence.Stance.choices)


class VerdictEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    rating = RatingSummarySerializer()
    rationale = serializers.CharField()
    holds_from = serializers.DateField(help_text="The date from which this verdict holds.")
    recorded_at = serializers.DateTimeField()
    recorded_by = serializers.CharField(
        allow_null=True, help_text="Username; shown to the newsroom only (null otherwise)."
    )
    evidence = serializers.ListField(
        child=serializers.IntegerField(), help_text="Ids of the claim's evidence it rests on."
    )


class ClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    label = serializers.CharField()  # type: ignore[assignment]
    text = serializers.CharField()
    speaker = SpeakerSummarySerializer(allow_null=True)
    attribution = serializers.ChoiceField(choices=Claim.Attribution.choices)
    speaker_role = serializers.CharField()
    stated_on = serializers.DateField(allow_null=True)
    language = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), help_text="Tag slugs.")
    review_state = serializers.ChoiceField(choices=Claim.ReviewState.choices)
    verdict = RatingSummarySerializer(
        allow_null=True,
        help_text="The verdict: for the public the one reviewers approved; with as_of, the "
        "one in force that day (null before the first).",
    )
    rationale = serializers.CharField(help_text="Why the verdict is what it is.")
    retraction_reason = serializers.CharField(help_text="Why a retracted claim was retracted.")
    recheck_on = serializers.DateField(allow_null=True)
    appearances = AppearanceSerializer(many=True)
    evidence = EvidenceSerializer(many=True)
    verdict_timeline = VerdictEntrySerializer(
        many=True, help_text="Oldest first; for the public, up to the approved verdict."
    )
    verdict_timeline_url = serializers.URLField()
    history_url = serializers.URLField()
    version = serializers.IntegerField(help_text="Raised by every change; the ETag names it.")
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class _LinkedNameSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()


class _LinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()


class _ReviewRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]


class ExternalReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    review_url = serializers.URLField(help_text="Where the other organisation published it.")
    claim = _LinkSerializer()
    publisher = _LinkedNameSerializer()
    title = serializers.CharField()
    reviewed_at = serializers.DateTimeField(allow_null=True)
    claim_reviewed = serializers.CharField(help_text="The claim as the review states it.")
    textual_rating = serializers.CharField(help_text="The rating exactly as published.")
    rating = _ReviewRatingSerializer(
        allow_null=True, help_text="The rating on our scale it maps to; null: unmapped."
    )
    rating_value = serializers.FloatField(allow_null=True)
    best_rating = serializers.FloatField(allow_null=True)
    worst_rating = serializers.FloatField(allow_null=True)
    language = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class LinkedClaimSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    label = serializers.CharField()  # type: ignore[assignment]
    verdict = RatingSummarySerializer(allow_null=True, help_text="As this viewer sees it.")
    url = serializers.URLField()


class ClaimLinkSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    claim = LinkedClaimSerializer(help_text="The claim at the link's other end.")
    kind = serializers.ChoiceField(choices=ClaimLink.Kind.choices)
    score = serializers.FloatField(allow_null=True, help_text="The matcher's, 0 to 1.")
    reasons = serializers.ListField(child=serializers.CharField())
    note = serializers.CharField(help_text="The newsroom's; empty for the public.")
    decided_by = serializers.CharField(allow_null=True, help_text="Null for the public.")
    decided_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class ClaimDetailSerializer(ClaimSerializer):
    external_reviews = ExternalReviewSerializer(
        many=True, help_text="Other organisations' reviews of this claim, newest first."
    )
    group = LinkedClaimSerializer(
        many=True, help_text="The other claims an editor found to be the same claim, by id."
    )
    links = ClaimLinkSerializer(many=True, help_text="This claim's links, newest first.")


class HistoryChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    old = serializers.JSONField(allow_null=True)
    new = serializers.JSONField(allow_null=True)


class HistoryEntrySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    changed_at = serializers.DateTimeField()
    change = serializers.ChoiceField(choices=["created", "changed", "deleted"])
    reason = serializers.CharField()
    user = serializers.CharField(allow_null=True, help_text="Shown to the newsroom only.")
    review_state = serializers.ChoiceField(choices=Claim.ReviewState.choices)
    changes = HistoryChangeSerializer(many=True)


class SpeakerParentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()


class SpeakerSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=Speaker.Kind.choices)
    aliases = serializers.ListField(child=serializers.CharField())
    description = serializers.CharField()
    wikidata_id = serializers.CharField()
    parent = SpeakerParentSerializer(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()
    slug = serializers.CharField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


class RatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    slug = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    value = serializers.IntegerField(allow_null=True)
    colour = serializers.CharField()
    description = serializers.CharField()
    needs_evidence = serializers.BooleanField()
    position = serializers.IntegerField()
