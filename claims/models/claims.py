import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from claims.models.ratings import Rating, unverified_rating_id
from claims.models.speakers import Speaker, Tag
from factcheck.history import TrackedQuerySet
from factcheck.limits import validate_reason_length
from sources.models import TimeStampedModel

LANGUAGE_HELP = "BCP 47 tag, e.g. en, fr."


# A claim is public while it has a verdict a reviewer approved: from its first
# publication on, through a newer verdict awaiting review (the public keeps the
# approved one) and a retraction, until it is reopened. The partial indexes
# claim_public_updated_idx and claim_public_search_idx (migration 0011) repeat
# this predicate, so that the public's queries can use them.
def public_condition(path: str = "") -> Q:
    """Public claims, or rows whose claim at ``path`` ("claim__") is public."""
    return Q(**{f"{path}published_entry__isnull": False})


PUBLIC = public_condition()


class ClaimQuerySet(TrackedQuerySet):
    def published(self):
        return self.filter(review_state=Claim.ReviewState.PUBLISHED)

    def public(self):
        """What the public and researchers see (claims/read/visibility.py)."""
        return self.filter(PUBLIC)

    def due_for_recheck(self, on: datetime.date | None = None):
        return self.filter(recheck_on__lte=on or timezone.localdate())

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
        # The source asserts it in its own voice, quoting no one: the speaker is
        # the outlet itself, as a Speaker of kind media (Claim.clean, which every
        # service runs, and the claim_outlet_reporting_has_speaker constraint).
        OUTLET = "outlet", "Outlet's own reporting"

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
    rationale = models.TextField(
        blank=True, validators=[validate_reason_length], help_text="Why the verdict is what it is."
    )
    published_entry = models.ForeignKey(
        "claims.VerdictEntry",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="The verdict entry the public sees: the one a reviewer last approved.",
    )
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When a reviewer last approved the verdict the public sees.",
    )
    retraction_reason = models.TextField(
        blank=True, editable=False, validators=[validate_reason_length]
    )
    recheck_on = models.DateField(
        null=True,
        blank=True,
        help_text="For a time-bound claim: when to look at it again.",
    )
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
            models.CheckConstraint(
                condition=~Q(review_state="published") | Q(published_entry__isnull=False),
                name="claim_published_has_entry",
                violation_error_message="A published claim needs an approved verdict entry.",
            ),
            models.CheckConstraint(
                condition=~Q(attribution="outlet") | Q(speaker__isnull=False),
                name="claim_outlet_reporting_has_speaker",
                violation_error_message="The outlet's own reporting names the outlet as its "
                "speaker.",
            ),
        ]
        permissions = [
            ("publish_claim", "Can publish a claim (reviewer)"),
            ("retract_claim", "Can retract a published claim (reviewer)"),
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
            # The public's lists and search windows, newest change first.
            models.Index(
                fields=["updated_at", "id"], condition=PUBLIC, name="claim_public_updated_idx"
            ),
            # "Due for a re-check": only claims that have a date are indexed.
            models.Index(
                fields=["recheck_on"],
                condition=Q(recheck_on__isnull=False),
                name="claim_recheck_on_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def save(self, *args, **kwargs) -> None:
        """Save, raising the version.

        The stale-edit check is not here but in claims.services.editing.claim_lock,
        which every write of a claim takes before it changes anything.
        """
        if not self._state.adding:
            self.version += 1
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "updated_at"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        """The outlet's own reporting is the outlet's: its speaker is the outlet, a
        speaker of kind media (the DB's claim_outlet_reporting_has_speaker keeps
        it from having none)."""
        super().clean()
        if self.attribution != Claim.Attribution.OUTLET:
            return
        speaker = self.speaker if self.speaker_id is not None else None
        if speaker is None:
            raise ValidationError(
                {
                    "speaker": "The outlet's own reporting names the outlet as its speaker: "
                    "choose the outlet (a speaker of kind Media)."
                }
            )
        if speaker.kind != Speaker.Kind.MEDIA:
            raise ValidationError(
                {
                    "speaker": f"“{speaker}” is a speaker of kind {speaker.get_kind_display()}; "
                    "the outlet's own reporting is an outlet's, a speaker of kind Media. "
                    "Choose the outlet, or another attribution kind."
                }
            )

    @property
    def is_public(self) -> bool:
        return self.published_entry_id is not None

    def verdict_as_of(self, day: datetime.date, *, public: bool = False):
        """The verdict entry in force on ``day``, or None before the first one.

        With ``public``, only what a reviewer has approved counts: entries
        recorded after the published one are still awaiting review.
        """
        entries = self.verdict_entries.as_of(day).select_related("rating")
        if public:
            if self.published_entry is None:  # no query when its id is None
                return None
            entries = entries.filter(recorded_at__lte=self.published_entry.recorded_at)
        return entries.first()

    @property
    def first_appearance(self):
        return next((a for a in self.appearances.all() if a.is_first), None)
