"""What the similar-claim matcher stores: each claim's sentence embedding, and the
links between claims that state the same thing (or were judged not to)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from factcheck.history import TrackedQuerySet
from factcheck.limits import validate_reason_length
from sources.models import TimeStampedModel


class ClaimEmbedding(models.Model):
    """A claim's text as a sentence embedding (claims/services/matching.py writes it).

    ``vector`` is the embedding as float16 (768 bytes for 384 dimensions); ``code``
    is its sign bits (48 bytes), which the in-process index (claims/read/vectors.py)
    holds for every claim to find candidates by Hamming distance.
    """

    claim = models.OneToOneField(
        Claim, on_delete=models.CASCADE, primary_key=True, related_name="embedding"
    )
    model = models.CharField(max_length=60, help_text="The embedding model and its version.")
    text_hash = models.CharField(
        max_length=64, help_text="SHA-256 of the text embedded: unchanged text is not redone."
    )
    vector = models.BinaryField()
    code = models.BinaryField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            # The in-process index catches up with what changed since it last looked.
            models.Index(fields=["updated_at"], name="claim_embedding_updated_idx"),
        ]

    def __str__(self) -> str:
        return f"embedding of claim {self.claim_id} ({self.model})"


class ClaimLink(TimeStampedModel):
    """Two claims and what is known of them together: the matcher suggests a pair, an
    editor confirms it (the same claim), relates it, or dismisses it (never suggested
    again). Each pair is stored once, the lower claim id first."""

    class Kind(models.TextChoices):
        SUGGESTED = "suggested", "Possible duplicate"
        SAME = "same", "Same claim as"
        RELATED = "related", "Related"
        DISMISSED = "dismissed", "Dismissed"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_as_first")
    other = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="links_as_second")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.SUGGESTED)
    score = models.FloatField(
        null=True, blank=True, help_text="The matcher's score for the pair, 0 to 1."
    )
    reasons = models.JSONField(default=list, blank=True, help_text="Why the matcher paired them.")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True, validators=[validate_reason_length])

    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(claim__lt=F("other")),
                name="claim_link_ordered_pair",
                violation_error_message="A claim cannot be linked to itself.",
            ),
            models.UniqueConstraint(
                fields=["claim", "other"],
                name="claim_link_unique_pair",
                violation_error_message="These two claims are already linked.",
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=1),
                name="claim_link_score_range",
            ),
            models.CheckConstraint(
                condition=Q(kind="suggested") | Q(decided_at__isnull=False),
                name="claim_link_decided_has_time",
                violation_error_message="A decided link records when it was decided.",
            ),
        ]
        indexes = [
            # A claim's links from the other side (the pair's first side is the
            # unique constraint's index).
            models.Index(fields=["other", "kind"], name="claim_link_other_idx"),
            # "Possible duplicates": open suggestions, newest first.
            models.Index(
                fields=["-created_at"],
                condition=Q(kind="suggested"),
                name="claim_link_suggested_idx",
            ),
            # Groups: the confirmed links only.
            models.Index(
                fields=["claim", "other"], condition=Q(kind="same"), name="claim_link_same_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim_id} {self.get_kind_display().lower()} {self.other_id}"
