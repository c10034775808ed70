"""The map from the ratings other fact-checkers publish to ours, and its writes.

A published rating is looked up by its key (``rating_key``: no case, spacing or
surrounding punctuation) and its language (the BCP 47 primary tag, "fr" for "fr-CA"):

1. a ``RatingMapping`` of that key for the review's language;
2. else one of that key for any language (language "");
3. else, for a review whose language is unknown, the rating every mapping of that key
   agrees on (if they disagree the label stays unmapped);
4. else, when the review gives numbers (ratingValue and bestRating; worstRating is 1
   when missing) with bestRating > worstRating and the value between them, the value
   placed proportionally on our numeric scale (the ratings with a value, 1..5 by
   default), and the nearest of our ratings taken; halfway between two, the less true.
   This assumes that higher is truer, as schema.org's bestRating says. A publisher
   whose scale runs the other way (more Pinocchios: worse) is mapped by its labels,
   which come first;
5. else the review is unmapped (``None``): the admin lists its label for an editor
   to map.

The labels seeded for common publishers, and the rule they follow, are in
``claims.interchange.ratings``. Each write of a mapping remaps every review
(``remap_reviews``) in the same transaction, so a review's rating is always what the
current map says.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from claims.models import ExternalReview, Rating, RatingMapping, rating_key
from claims.services.editing import changes, refuse_uneditable

RATING_MAPPING_EDITABLE_FIELDS = ("textual_rating", "language", "rating")


def primary_language(language: str) -> str:
    """The BCP 47 primary tag a mapping is kept under: "pt-BR" → "pt"."""
    return language.strip().lower().replace("_", "-").split("-")[0]


@dataclass(frozen=True)
class Step:
    """One rating of our numeric scale."""

    rating_id: int
    value: float


def numeric_scale() -> list[Step]:
    """Our ratings with a value, least true first (by value, then position)."""
    rows = Rating.objects.order_by("value", "position", "id").values_list("id", "value")
    return [Step(pk, value) for pk, value in rows if value is not None]


def proportional(
    scale: list[Step], value: float | None, best: float | None, worst: float | None
) -> int | None:
    """The id of the rating of ``scale`` nearest to ``value`` on the publisher's scale
    from ``worst`` (1 when missing) to ``best``, higher being truer; None when the
    numbers do not place it (no value or best, best not above worst, value outside)."""
    if value is None or best is None or not scale:
        return None
    value, best = float(value), float(best)
    worst = 1.0 if worst is None else float(worst)
    if not best > worst or not worst <= value <= best:
        return None
    low, high = scale[0].value, scale[-1].value
    target = low + (value - worst) / (best - worst) * (high - low)
    # min() keeps the first of equals: on a tie, the less true (the scale is ascending).
    return min(scale, key=lambda step: abs(step.value - target)).rating_id


def _by_label(candidates: Mapping[str, int], language: str) -> int | None:
    """Of the mappings of one key (language → rating id), the one that applies."""
    if language in candidates:
        return candidates[language]
    if "" in candidates:
        return candidates[""]
    if not language and len(set(candidates.values())) == 1:
        return next(iter(candidates.values()))
    return None


def map_rating(
    textual_rating: str,
    language: str,
    value: float | None = None,
    best: float | None = None,
    worst: float | None = None,
) -> Rating | None:
    """The rating on our scale that a published rating means, or None (unmapped).
    (For many reviews, load a RatingMap once and ask it.)"""
    return RatingMap().rating(textual_rating, language, value, best, worst)


class RatingMap:
    """The whole map in memory (with our scale), for mapping many reviews with three
    queries in all."""

    def __init__(self) -> None:
        self.labels: dict[str, dict[str, int]] = {}
        for key, language, rating_id in RatingMapping.objects.values_list(
            "key", "language", "rating_id"
        ):
            self.labels.setdefault(key, {})[language] = rating_id
        self.scale = numeric_scale()
        self.ratings = Rating.objects.in_bulk()

    def rating(
        self,
        textual_rating: str,
        language: str,
        value: float | None,
        best: float | None,
        worst: float | None,
    ) -> Rating | None:
        rating_id = self.rating_id(textual_rating, language, value, best, worst)
        return None if rating_id is None else self.ratings[rating_id]

    def rating_id(
        self,
        textual_rating: str,
        language: str,
        value: float | None,
        best: float | None,
        worst: float | None,
    ) -> int | None:
        candidates = self.labels.get(rating_key(textual_rating or ""))
        if candidates:
            rating_id = _by_label(candidates, primary_language(language or ""))
            if rating_id is not None:
                return rating_id
        return proportional(self.scale, value, best, worst)


FIELDS = ("textual_rating", "language", "rating_value", "best_rating", "worst_rating")


def remap_reviews() -> int:
    """Map every external review again from the current map; the number whose rating
    changed.

    One UPDATE per distinct (label, language, numbers, rating) that changes. The
    change and its author are in the mapping's history: the reviews get no history
    row of their own (as claims_touch does for claims), hence the plain manager: the
    reviews' TrackedQuerySet refuses update().
    """
    ratings = RatingMap()
    changed = 0
    with transaction.atomic():
        groups = ExternalReview.objects.values(*FIELDS, "rating_id").distinct().order_by()
        for group in groups:
            current = group.pop("rating_id")
            rating_id = ratings.rating_id(*(group[name] for name in FIELDS))
            if rating_id == current:
                continue
            stored = Q(rating__isnull=True) if current is None else Q(rating_id=current)
            changed += ExternalReview._base_manager.filter(stored, **group).update(
                rating_id=rating_id, updated_at=timezone.now()
            )
    return changed


def rating_mapping_check(mapping: RatingMapping) -> None:
    """Normalise ``mapping`` (its key and language, as saved) and check every model
    rule, its uniqueness among them (ValidationError)."""
    mapping.language = primary_language(mapping.language)
    mapping.key = rating_key(mapping.textual_rating)
    if not mapping.key:
        raise ValidationError({"textual_rating": "Give the rating as it is published."})
    mapping.full_clean()


def _save(mapping: RatingMapping, data: Mapping[str, Any], *, by) -> RatingMapping:
    for name, value in data.items():
        setattr(mapping, name, value)
    rating_mapping_check(mapping)
    if by is not None:
        mapping._history_user = by
    mapping.save()
    remap_reviews()
    return mapping


def rating_mapping_create(*, data: Mapping[str, Any], by=None) -> RatingMapping:
    """A new mapping; the reviews it now maps are remapped."""
    refuse_uneditable(data, RATING_MAPPING_EDITABLE_FIELDS)
    with transaction.atomic():
        return _save(RatingMapping(), data, by=by)


def rating_mapping_update(
    *, mapping: RatingMapping, data: Mapping[str, Any], by=None
) -> RatingMapping:
    """Change a mapping; the reviews are remapped when anything changed."""
    refuse_uneditable(data, RATING_MAPPING_EDITABLE_FIELDS)
    with transaction.atomic():
        changed = changes(mapping, data)
        if changed:
            _save(mapping, changed, by=by)
    return mapping


def rating_mappings_delete(*, mappings: Iterable[RatingMapping], by=None) -> int:
    """Delete mappings (one or many); the reviews they mapped are remapped (by what
    is left: another language's mapping, their numbers, or none). The number deleted."""
    deleted = 0
    with transaction.atomic():
        for mapping in mappings:
            if by is not None:
                mapping._history_user = by
            mapping.delete()
            deleted += 1
        remap_reviews()
    return deleted


def rating_mappings_seed(rows: Iterable[tuple[str, str, str]], *, apps=None) -> int:
    """Create the mappings ``rows`` (label, language, our rating's slug) that are not
    there yet: a label already mapped keeps its rating, a slug not on our scale is
    skipped. With ``apps`` (a data migration's), its historical models are used,
    which have no custom save: the key is set here. The number created."""
    mapping_model = apps.get_model("claims", "RatingMapping") if apps else RatingMapping
    rating_model = apps.get_model("claims", "Rating") if apps else Rating
    ratings = dict(rating_model.objects.values_list("slug", "id"))
    created = 0
    with transaction.atomic():
        for label, language, slug in rows:
            if slug not in ratings:
                continue
            _, made = mapping_model.objects.get_or_create(
                key=rating_key(label),
                language=primary_language(language),
                defaults={"textual_rating": label, "rating_id": ratings[slug]},
            )
            created += made
        if apps is None and created:
            remap_reviews()
    return created


@dataclass(frozen=True)
class UnmappedRating:
    """A published rating no mapping or number maps, as the admin lists it."""

    textual_rating: str  # its most frequent spelling
    language: str
    count: int  # of reviews


def unmapped_ratings() -> list[UnmappedRating]:
    """The labels of the unmapped reviews, one per (key, language) as the map compares
    them, most frequent first (a review without a label is left out: only a number
    could map it)."""
    groups: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for label, language, count in (
        ExternalReview.objects.filter(rating__isnull=True)
        .exclude(textual_rating="")
        .order_by()
        .values("textual_rating", "language")
        .annotate(count=Count("id"))
        .values_list("textual_rating", "language", "count")
    ):
        key = (rating_key(label), primary_language(language))
        if key[0]:
            groups.setdefault(key, []).append((count, label))
    unmapped = [
        UnmappedRating(
            textual_rating=max(spellings)[1],
            language=language,
            count=sum(count for count, _ in spellings),
        )
        for (_, language), spellings in groups.items()
    ]
    return sorted(
        unmapped, key=lambda row: (-row.count, rating_key(row.textual_rating), row.language)
    )
