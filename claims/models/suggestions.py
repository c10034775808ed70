"""Suggestions: sentences of a source scored as check-worthy, with the speaker and
attribution the article presents (claims.suggestions computes them)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from claims.models.speakers import Speaker
from factcheck.history import TrackedQuerySet
from sources.models import Source, TimeStampedModel


class Suggestion(TimeStampedModel):
    """One check-worthy sentence of a source, as last computed for its text.

    A dismissal is kept when the text is saved again: the sentence is known by its
    quote and the text around it (``context_key``), so it stays dismissed wherever
    it moved. Open suggestions are replaced each time the text changes.
    """

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DISMISSED = "dismissed", "Dismissed"

    # The claim's own kinds: an accepted suggestion becomes a claim of its kind.
    Attribution = Claim.Attribution

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="suggestions")
    start = models.PositiveIntegerField(help_text="Code-point offset in the source's text.")
    end = models.PositiveIntegerField(help_text="End offset, exclusive.")
    quote = models.TextField()
    # The sentence and the words around it, normalised: what identifies a decision
    # across re-saves of the text.
    context_key = models.CharField(max_length=64)
    score = models.FloatField()
    reasons = models.JSONField(default=list, blank=True)
    speaker = models.ForeignKey(
        Speaker, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    speaker_name = models.CharField(max_length=200, blank=True)
    speaker_kind = models.CharField(max_length=20, choices=Speaker.Kind.choices, blank=True)
    attribution = models.CharField(max_length=20, choices=Attribution.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    text_hash = models.CharField(max_length=64, help_text="content_hash of the text scored.")

    # Decisions (accept, dismiss) are audited. Recomputing the open suggestions writes
    # the scorer's output in bulk through the plain manager (claims.suggestions.services).
    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["source", "start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=F("start")), name="suggestion_span_order"),
            models.CheckConstraint(
                condition=Q(score__gte=0) & Q(score__lte=1), name="suggestion_score_range"
            ),
            models.CheckConstraint(
                condition=Q(status="open") | Q(decided_at__isnull=False),
                name="suggestion_decided_has_time",
            ),
            models.UniqueConstraint(
                fields=["source", "context_key"], name="suggestion_unique_sentence"
            ),
        ]
        indexes = [
            # The annotate page and the API list a source's open suggestions by position.
            models.Index(fields=["source", "status", "start"], name="suggestion_source_open_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.quote[:60]} ({self.score:.2f})"
