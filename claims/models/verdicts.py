import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims.models.anchors import Evidence
from claims.models.claims import Claim
from claims.models.ratings import Rating
from factcheck.history import TrackedQuerySet
from factcheck.limits import validate_reason_length

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser


class ImmutableRecordError(RuntimeError):
    """Verdict entries are a permanent record; a correction is a new entry."""


class VerdictEntryQuerySet(TrackedQuerySet):
    def in_timeline_order(self):
        """Oldest first. Entries holding from the same day are ordered as recorded,
        so a correction recorded later wins."""
        return self.order_by("holds_from", "recorded_at", "id")

    def as_of(self, day: datetime.date):
        """The entries in force on ``day``, the one that holds first."""
        return self.filter(holds_from__lte=day).order_by("-holds_from", "-recorded_at", "-id")

    def delete(self):
        raise ImmutableRecordError("Verdict entries are never deleted.")


class VerdictEntry(models.Model):
    """One step of a claim's verdict timeline. Append-only."""

    if TYPE_CHECKING:
        _history_user: AbstractBaseUser  # read by django-simple-history on save()

    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="verdict_entries")
    rating = models.ForeignKey(Rating, on_delete=models.PROTECT, related_name="verdict_entries")
    rationale = models.TextField(validators=[validate_reason_length])
    evidence = models.ManyToManyField(
        Evidence, through="VerdictEntryEvidence", blank=True, related_name="verdict_entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="verdict_entries",
        help_text="Empty only for records imported without a known author.",
    )
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)
    holds_from = models.DateField(help_text="The date from which this verdict holds.")

    history = HistoricalRecords()
    objects = VerdictEntryQuerySet.as_manager()

    class Meta:
        ordering = ["claim_id", "holds_from", "recorded_at", "id"]
        verbose_name_plural = "verdict entries"
        constraints = [
            models.CheckConstraint(condition=~Q(rationale=""), name="verdict_rationale_required"),
        ]
        indexes = [
            # The timeline of a claim and "verdict as of a date".
            models.Index(
                fields=["claim", "holds_from", "recorded_at"], name="verdict_claim_timeline_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim}: {self.rating} from {self.holds_from:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise ImmutableRecordError(
                "A verdict entry cannot be changed; record a new entry to correct it."
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("Verdict entries are never deleted.")


class VerdictEntryEvidence(models.Model):
    """The evidence a verdict entry rests on; the evidence cannot be deleted under it."""

    entry = models.ForeignKey(VerdictEntry, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT)

    class Meta:
        ordering = ["entry_id", "evidence_id"]
        constraints = [
            models.UniqueConstraint(fields=["entry", "evidence"], name="verdict_evidence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.entry} ← {self.evidence}"
