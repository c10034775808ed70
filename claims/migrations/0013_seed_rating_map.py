"""Seed the map from the ratings other fact-checkers publish to ours
(claims.interchange.ratings.SEED); a label whose rating is not on the scale is skipped."""

from django.db import migrations

from claims.interchange.ratings import SEED, seed_rating_map
from claims.models.reviews import rating_key
from claims.services.ratings_map import primary_language


def add_rating_map(apps, schema_editor):
    seed_rating_map(apps)


def remove_rating_map(apps, schema_editor):
    RatingMapping = apps.get_model("claims", "RatingMapping")
    for label, language, _ in SEED:
        RatingMapping.objects.filter(
            key=rating_key(label), language=primary_language(language)
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_default_rating_scale"),
        ("claims", "0012_external_reviews"),
    ]

    operations = [migrations.RunPython(add_rating_map, remove_rating_map)]
