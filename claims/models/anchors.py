from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length
from simple_history.models import HistoricalRecords

from claims.models.claims import Claim
from factcheck.history import TrackedQuerySet
from factcheck.limits import validate_reason_length
from sources.anchoring import AnchorError, resolve_anchor
from sources.models import Source, TimeStampedModel


class AnchorStatus(models.TextChoices):
    ANCHORED = "anchored", "Anchored"
    ORPHANED = "orphaned", "Orphaned"


class ShownAnchorStatus(models.TextChoices):
    """What the admin, the API and the exports say of a quote: the stored status,
    except that an appearance or evidence item without a quote (a source known by
    its address only) is "by address only", never "anchored"."""

    ANCHORED = "anchored", "Anchored"
    ORPHANED = "orphaned", "Orphaned"
    ADDRESS_ONLY = "address_only", "By address only"


def shown_anchor_status(stored: str, start: int | None) -> str:
    """The ShownAnchorStatus of a quote stored with status ``stored`` at ``start``."""
    if stored == AnchorStatus.ORPHANED:
        return ShownAnchorStatus.ORPHANED
    return ShownAnchorStatus.ANCHORED if start is not None else ShownAnchorStatus.ADDRESS_ONLY


class AnchoredQuote(TimeStampedModel):
    """A span of a source's text, as W3C Web Annotation selectors.

    TextQuoteSelector: exact, prefix, suffix. TextPositionSelector: start, end
    (end exclusive), counted in Unicode code points of ``source.text``. The
    anchor is empty for a source that has no stored text.

    When the source's text changes, claims.services.reanchor looks for every
    quote again. One it cannot find, or finds in several places, is *orphaned*:
    it keeps its old quote, context and offsets (which no longer point at the
    quote in the new text) until an editor anchors it again, on the source's
    annotate page or by editing the quote.
    """

    Status = AnchorStatus

    exact = models.TextField("quote", blank=True, help_text="The exact words of the source.")
    prefix = models.TextField(blank=True, help_text="The text just before the quote.")
    suffix = models.TextField(blank=True, help_text="The text just after the quote.")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the first character (code points)."
    )
    end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset just past the last character (code points)."
    )
    anchor_status = models.CharField(
        max_length=10,
        choices=AnchorStatus.choices,
        default=AnchorStatus.ANCHORED,
        editable=False,
        help_text="Orphaned: the quote is no longer found, or found in several places, in the "
        "source's current text.",
    )
    orphaned_reason = models.TextField(blank=True, editable=False)
    note = models.TextField(blank=True, validators=[validate_reason_length])

    # A source with stored text must be anchored into (appearances), or may be
    # (evidence).
    anchor_required_when_text = True

    if TYPE_CHECKING:
        # Appearance and Evidence each declare these, with their own related names.
        claim: Claim
        claim_id: int
        source: Source
        source_id: int

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(exact="", prefix="", suffix="", start__isnull=True, end__isnull=True)
                    | (
                        ~Q(exact="")
                        & Q(start__isnull=False, end__isnull=False)
                        & Q(end=F("start") + Length("exact"))
                    )
                ),
                name="%(class)s_anchor_valid",
                violation_error_message="The quote and its offsets do not describe one span.",
            ),
            models.CheckConstraint(
                condition=Q(anchor_status=AnchorStatus.ANCHORED) | Q(start__isnull=False),
                name="%(class)s_orphan_keeps_its_quote",
                violation_error_message="Only a quote that was anchored can be orphaned.",
            ),
        ]
        indexes = [
            # The orphans to fix: per source (its admin and annotate pages) and in all.
            models.Index(
                fields=["source"],
                condition=Q(anchor_status=AnchorStatus.ORPHANED),
                name="%(class)s_orphans_idx",
            ),
        ]

    @property
    def is_anchored(self) -> bool:
        return self.start is not None

    @property
    def is_orphaned(self) -> bool:
        return self.anchor_status == AnchorStatus.ORPHANED

    @property
    def shown_status(self) -> str:
        return shown_anchor_status(self.anchor_status, self.start)

    def get_shown_status_display(self) -> str:
        return ShownAnchorStatus(self.shown_status).label

    def validate_constraints(self, exclude=None):
        # Forms leave anchor_status out (code sets it, editors do not), and Django
        # skips the constraints on fields left out; these must still be checked.
        super().validate_constraints(exclude=set(exclude or ()) - {"anchor_status"})

    def clean(self) -> None:
        """Fill in whichever half of the anchor is missing, or refuse it.

        An orphan is left as it is: its stored quote and offsets describe the
        text as it was, and resolving them against the new text could pin the
        quote to a wrong place without anyone noticing. Whoever anchors it again
        sets ``anchor_status`` back to anchored first (AnchoredQuoteForm does
        when an editor changes the quote or offsets; so does anchor_repair).
        """
        super().clean()
        if self.source_id is None or self.is_orphaned:
            return
        text = self.source.text
        if not self.exact and self.start is None and self.end is None:
            self.prefix = self.suffix = ""
            if text and self.anchor_required_when_text:
                raise ValidationError(
                    {"exact": "Give the quote as it appears in the source, or its offsets."}
                )
            return
        try:
            anchor = resolve_anchor(
                text,
                exact=self.exact,
                prefix=self.prefix,
                suffix=self.suffix,
                start=self.start,
                end=self.end,
            )
        except AnchorError as error:
            raise ValidationError({error.field: error.message}) from None
        self.exact, self.prefix, self.suffix = anchor.exact, anchor.prefix, anchor.suffix
        self.start, self.end = anchor.start, anchor.end
        self.orphaned_reason = ""


class Appearance(AnchoredQuote):
    """A claim appears in a source."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="appearances")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="appearances")
    is_first = models.BooleanField(
        "first appearance",
        default=False,
        help_text="The earliest known appearance of the claim. Marking one moves the mark.",
    )

    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    class Meta(AnchoredQuote.Meta):
        ordering = ["claim_id", "-is_first", "start", "id"]
        constraints = [
            *AnchoredQuote.Meta.constraints,
            models.UniqueConstraint(
                fields=["claim"],
                condition=Q(is_first=True),
                name="appearance_one_first_per_claim",
                violation_error_message="A claim has only one first appearance.",
            ),
            models.UniqueConstraint(
                # An orphan's offsets are those of the old text; another appearance
                # of the claim may be re-anchored onto them.
                fields=["claim", "source", "start"],
                condition=Q(anchor_status=AnchorStatus.ANCHORED),
                name="appearance_unique_span",
                violation_error_message="This claim is already anchored at this place.",
            ),
            models.UniqueConstraint(
                fields=["claim", "source"],
                condition=Q(start__isnull=True),
                name="appearance_unique_unanchored",
                violation_error_message="This claim already appears in this source.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.claim} in {self.source}"

    def get_constraints(self):
        # save() moves the "first" mark away from the previous first appearance,
        # so marking another one first is not an error to refuse at validation.
        return [
            (model, [c for c in constraints if c.name != "appearance_one_first_per_claim"])
            for model, constraints in super().get_constraints()
        ]

    def save(self, *args, **kwargs) -> None:
        with transaction.atomic(using=kwargs.get("using")):
            # Lock the claim so that two editors moving the mark take turns.
            Claim.objects.select_for_update().filter(pk=self.claim_id).exists()
            others = Appearance.objects.filter(claim_id=self.claim_id, is_first=True).exclude(
                pk=self.pk
            )
            if self.is_first:
                for other in others:
                    other.is_first = False
                    # Model.save, not ours: the mark must not bounce back to it.
                    super(Appearance, other).save(update_fields=["is_first", "updated_at"])
            elif not others.exists():
                self.is_first = True
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        """Delete, handing the first mark on if this was the first appearance.

        Decided from the database, not from this copy, which may be stale.
        """
        with transaction.atomic(using=kwargs.get("using")):
            Claim.objects.select_for_update().filter(pk=self.claim_id).exists()
            result = super().delete(*args, **kwargs)
            remaining = Appearance.objects.filter(claim_id=self.claim_id)
            if not remaining.filter(is_first=True).exists():
                successor = remaining.order_by(
                    F("source__published_at").asc(nulls_last=True), "id"
                ).first()
                if successor is not None:
                    successor.is_first = True
                    successor.save()
            return result


class Evidence(AnchoredQuote):
    """A source that bears on a claim, optionally with the quote that does."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        REFUTES = "refutes", "Refutes"
        CONTEXT = "context", "Adds context"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(max_length=20, choices=Stance.choices)

    anchor_required_when_text = False

    history = HistoricalRecords()
    objects = TrackedQuerySet.as_manager()

    class Meta(AnchoredQuote.Meta):
        ordering = ["claim_id", "id"]
        verbose_name_plural = "evidence"
        indexes = [
            *AnchoredQuote.Meta.indexes,
            # "Claims with evidence refuting them" and per-stance counts.
            models.Index(fields=["claim", "stance"], name="evidence_claim_stance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source} for {self.claim}"
