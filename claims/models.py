from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Length, Lower
from simple_history.models import HistoricalRecords

from sources.anchoring import AnchorError, resolve_anchor
from sources.models import Source, TimeStampedModel

LANGUAGE_HELP = "BCP 47 tag, e.g. en, fr."


class ConcurrentEditError(Exception):
    """The record changed since the editor loaded it; saving would lose that change."""


class Speaker(TimeStampedModel):
    """Who made a claim: a person, an organisation or an unnamed group."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        GOVERNMENT = "government", "Government"
        MILITARY = "military", "Military"
        AGENCY = "agency", "Agency"
        MEDIA = "media", "Media"
        ORGANISATION = "organisation", "Organisation"
        UNNAMED_GROUP = "unnamed_group", "Unnamed group"

    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    aliases = models.TextField(
        blank=True, help_text="Other names the speaker goes by, one per line."
    )
    description = models.TextField(blank=True)
    wikidata_id = models.CharField(
        "Wikidata ID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata ID looks like Q22686.")],
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        help_text="The organisation the speaker belongs to (the Pentagon → U.S. government).",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["wikidata_id"],
                condition=~Q(wikidata_id=""),
                name="speaker_wikidata_id_unique_when_present",
                violation_error_message="Another speaker already has this Wikidata ID.",
            ),
            models.CheckConstraint(
                condition=Q(wikidata_id="") | Q(wikidata_id__startswith="Q"),
                name="speaker_wikidata_id_format",
            ),
            models.CheckConstraint(condition=~Q(name=""), name="speaker_name_not_empty"),
            models.CheckConstraint(
                condition=~Q(parent=F("id")),
                name="speaker_not_own_parent",
                violation_error_message="A speaker cannot be its own parent organisation.",
            ),
        ]
        indexes = [
            # Speaker search and autocomplete match on the name.
            models.Index(Lower("name"), name="speaker_name_lower_idx"),
            # Claim filters by speaker kind join through here.
            models.Index(fields=["kind"], name="speaker_kind_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def clean(self) -> None:
        super().clean()
        ancestor, seen = self.parent, set()
        while ancestor is not None and ancestor.pk not in seen:
            if self.pk is not None and ancestor.pk == self.pk:
                raise ValidationError({"parent": "This would make the speaker a member of itself."})
            seen.add(ancestor.pk)
            ancestor = ancestor.parent


class Tag(TimeStampedModel):
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                name="tag_name_unique_ci",
                violation_error_message="A tag with this name already exists.",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class RatingManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Rating(TimeStampedModel):
    """One step of the verdict scale, configured by editors."""

    UNVERIFIED = "unverified"

    slug = models.SlugField(max_length=50, unique=True)
    label = models.CharField(max_length=100)
    value = models.SmallIntegerField(
        null=True,
        blank=True,
        help_text="Position on the truth scale, for ClaimReview ratingValue (higher is "
        "truer). Empty for ratings off the scale, such as Unverified.",
    )
    colour = models.CharField(
        max_length=7,
        default="#888888",
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", "Give a colour as #rrggbb.")],
    )
    description = models.TextField(blank=True)
    needs_evidence = models.BooleanField(
        default=True, help_text="A verdict with this rating must rest on evidence."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order on the scale.")

    history = HistoricalRecords()
    objects = RatingManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(label=""), name="rating_label_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    def natural_key(self):
        return (self.slug,)


def unverified_rating_id() -> int | None:
    """The default verdict of a new claim: the scale's Unverified step."""
    return Rating.objects.filter(slug=Rating.UNVERIFIED).values_list("id", flat=True).first()


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(review_state=Claim.ReviewState.PUBLISHED)

    def by_speaker(self, speaker):
        return self.filter(speaker=speaker)

    def with_related(self):
        return self.select_related("speaker", "verdict").prefetch_related("tags")


class Claim(TimeStampedModel):
    """One checkable statement, attributed to a speaker."""

    class Attribution(models.TextChoices):
        DIRECT_QUOTE = "direct_quote", "Direct quote"
        PARAPHRASE = "paraphrase", "Paraphrase"
        REPORTED = "reported", "Reported by a third party"
        ANONYMOUS = "anonymous", "Anonymous"

    class ReviewState(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_RESEARCH = "in_research", "In research"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"
        RETRACTED = "retracted", "Retracted"

    text = models.TextField(help_text="The statement as made, or closely paraphrased.")
    label = models.CharField(max_length=200, help_text="A short handle: “imminent attack”.")
    speaker = models.ForeignKey(
        Speaker,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        db_index=False,
        related_name="claims",
        help_text="Leave empty for an unattributed claim.",
    )
    attribution = models.CharField(
        max_length=20, choices=Attribution.choices, default=Attribution.DIRECT_QUOTE
    )
    speaker_role = models.CharField(
        max_length=200, blank=True, help_text="The speaker's role when the claim was made."
    )
    stated_on = models.DateField(null=True, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="claims")
    language = models.CharField(max_length=16, default="en", help_text=LANGUAGE_HELP)
    verdict = models.ForeignKey(
        Rating,
        on_delete=models.PROTECT,
        default=unverified_rating_id,
        db_index=False,
        related_name="claims",
        help_text="The current verdict.",
    )
    review_state = models.CharField(
        max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    rationale = models.TextField(blank=True, help_text="Why the verdict is what it is.")
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save; guards against lost updates."
    )

    history = HistoricalRecords(m2m_fields=[tags])
    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="claim_text_not_empty"),
            models.CheckConstraint(condition=~Q(label=""), name="claim_label_not_empty"),
            models.CheckConstraint(condition=Q(version__gte=1), name="claim_version_positive"),
        ]
        indexes = [
            # Claims by speaker (speaker pages, the speaker filter).
            models.Index(fields=["speaker", "-stated_on"], name="claim_speaker_stated_idx"),
            # The verdict filter and verdict distributions.
            models.Index(fields=["verdict", "review_state"], name="claim_verdict_state_idx"),
            # The review-state filter, newest changes first (editors' queues).
            models.Index(fields=["review_state", "-updated_at"], name="claim_state_updated_idx"),
            # Date-range filters on when the claim was made.
            models.Index(fields=["stated_on"], name="claim_stated_on_idx"),
            # Incremental sync: everything changed since a moment, in a stable order.
            models.Index(fields=["updated_at", "id"], name="claim_updated_at_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        """Save, refusing to overwrite a change made since this copy was loaded.

        The row lock makes the version check and the write one step, so two
        editors holding the same version cannot both save.
        """
        if self._state.adding:
            super().save(*args, **kwargs)
            return
        with transaction.atomic(using=kwargs.get("using")):
            stored = (
                Claim.objects.select_for_update()
                .filter(pk=self.pk)
                .values_list("version", flat=True)
                .first()
            )
            if stored is not None and stored != self.version:
                raise ConcurrentEditError(
                    f"This claim was changed by someone else (version {stored}, you edited "
                    f"version {self.version}). Reload it and apply your change again."
                )
            self.version += 1
            super().save(*args, **kwargs)

    @property
    def first_appearance(self):
        return next((a for a in self.appearances.all() if a.is_first), None)


class AnchoredQuote(TimeStampedModel):
    """A span of a source's text, as W3C Web Annotation selectors.

    TextQuoteSelector: exact, prefix, suffix. TextPositionSelector: start, end
    (end exclusive), counted in Unicode code points of ``source.text``. The
    anchor is empty for a source that has no stored text.
    """

    exact = models.TextField("quote", blank=True, help_text="The exact words of the source.")
    prefix = models.TextField(blank=True, help_text="The text just before the quote.")
    suffix = models.TextField(blank=True, help_text="The text just after the quote.")
    start = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset of the first character (code points)."
    )
    end = models.PositiveIntegerField(
        null=True, blank=True, help_text="Offset just past the last character (code points)."
    )
    note = models.TextField(blank=True)

    # A source with stored text must be anchored into (appearances), or may be
    # (evidence).
    anchor_required_when_text = True

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
        ]

    @property
    def is_anchored(self) -> bool:
        return self.start is not None

    def clean(self) -> None:
        """Fill in whichever half of the anchor is missing, or refuse it."""
        super().clean()
        if self.source_id is None:
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
                fields=["claim", "source", "start"],
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
        with transaction.atomic(using=kwargs.get("using")):
            result = super().delete(*args, **kwargs)
            if self.is_first:
                successor = (
                    Appearance.objects.filter(claim_id=self.claim_id)
                    .order_by(F("source__published_at").asc(nulls_last=True), "id")
                    .first()
                )
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

    class Meta(AnchoredQuote.Meta):
        ordering = ["claim_id", "id"]
        verbose_name_plural = "evidence"
        indexes = [
            # "Claims with evidence refuting them" and per-stance counts.
            models.Index(fields=["claim", "stance"], name="evidence_claim_stance_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_stance_display()}: {self.source} for {self.claim}"
