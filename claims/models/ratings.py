from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from factcheck.history import TrackedQuerySet
from sources.models import TimeStampedModel

# The django-stubs plugin types a manager made by from_queryset() only at module level.
_TrackedManager = models.Manager.from_queryset(TrackedQuerySet)


class RatingManager(_TrackedManager):
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
