"""Other organisations' reviews of claims (imported ClaimReview), and the map from
the ratings they publish to ours."""

import re
import unicodedata

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from claims.models.ratings import Rating
from factcheck.history import TrackedQuerySet
from sources.models import Outlet, TimeStampedModel


def rating_key(text: str) -> str:
    """How a published rating is compared: case, accents' composition, spacing and the
    punctuation around it do not count ("Pants on Fire!" is "pants on fire")."""
    text = unicodedata.normalize("NFC", text).casefold()
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip(" .!?¡¿…:;,\"'“”‘’«»")


class ExternalReview(TimeStampedModel):
    """A review of a claim published by another organisation (its ClaimReview)."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="external_reviews")
    publisher = models.ForeignKey(Outlet, on_delete=models.PROTECT, related_name="external_reviews")
    url = models.URLField("review URL", max_length=2000)
    title = models.CharField(max_length=500, blank=True)
    reviewed_at = models.DateTimeField("review date", null=True, blank=True)
    claim_text = models.TextField(blank=True, help_text="The claim as the review states it.")
    textual_rating = models.CharField(
        max_length=200, blank=True, help_text="The rating exactly as published."
    )
    rating = models.ForeignKey(
        Rating,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="external_reviews",
        help_text="The rating on our scale it maps to; empty: unmapped.",
    )
    rating_value = models.FloatField(null=True, blank=True)
    best_rating = models.FloatField(null=True, blank=True)
    worst_rating = models.FloatField(null=True, blank=True)
    language = models.CharField(max_length=16, blank=True)

    class ClaimMatch(models.TextChoices):
        NEW = "new", "A new claim"
        SAME_TEXT = "same_text", "The claim of the same text and speaker"
        SIMILAR = "similar", "A claim of other words the matcher found"

    claim_match = models.CharField(
        max_length=12,
        choices=ClaimMatch.choices,
        blank=True,
        help_text="How the import chose the claim this review is about.",
    )
    claim_match_score = models.FloatField(
        null=True, blank=True, help_text="The matcher's score when it chose a similar claim."
    )

    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["-reviewed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"],
                name="external_review_url_unique",
                violation_error_message="A review with this URL is already imported.",
            ),
            models.CheckConstraint(condition=~Q(url=""), name="external_review_url_not_empty"),
        ]
        indexes = [
            # GET /api/v1/external-reviews/?publisher=…, newest first.
            models.Index(fields=["publisher", "-reviewed_at"], name="ext_review_publisher_idx"),
            models.Index(fields=["-reviewed_at"], name="ext_review_reviewed_idx"),
            # ?rating=…, and the unmapped labels the admin lists by frequency.
            models.Index(fields=["rating"], name="ext_review_rating_idx"),
            models.Index(
                fields=["textual_rating"],
                condition=Q(rating__isnull=True),
                name="ext_review_unmapped_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.publisher_id and self.publisher}: {self.textual_rating or 'no rating'}"


class RatingMapping(TimeStampedModel):
    """A rating others publish ("Pants on Fire", in English) and the rating on our
    scale it means. Mapping a label maps every review that carries it."""

    textual_rating = models.CharField(
        max_length=200, help_text="As published; compared without case or punctuation."
    )
    language = models.CharField(
        max_length=16, blank=True, help_text="BCP 47 primary tag; empty: any language."
    )
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="mappings")
    key = models.CharField(max_length=200, editable=False)

    history = HistoricalRecords()

    objects = TrackedQuerySet.as_manager()

    class Meta:
        ordering = ["key", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "language"],
                name="rating_mapping_unique",
                violation_error_message="This rating is already mapped for this language.",
            ),
            models.CheckConstraint(condition=~Q(key=""), name="rating_mapping_key_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.textual_rating} ({self.language or 'any language'}) → {self.rating}"

    def save(self, *args, **kwargs) -> None:
        self.key = rating_key(self.textual_rating)
        self.language = self.language.strip().lower()
        super().save(*args, **kwargs)
