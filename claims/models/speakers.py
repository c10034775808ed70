from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords

from factcheck.history import TrackedQuerySet
from sources.models import TimeStampedModel


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
    objects = TrackedQuerySet.as_manager()

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
    objects = TrackedQuerySet.as_manager()

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
