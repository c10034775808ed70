"""Seed the default verdict scale, so that every database starts with one."""

from django.db import migrations

DEFAULT_SCALE = [
    # slug, label, value, colour, needs evidence, description
    ("true", "True", 5, "#1a7f37", True, "Accurate, and nothing significant is missing."),
    ("mostly-true", "Mostly true", 4, "#5a9e2f", True,
     "Accurate, but needs clarification or additional information."),
    ("half-true", "Half true", 3, "#c9a100", True,
     "Partially accurate; leaves out important details or takes things out of context."),
    ("mostly-false", "Mostly false", 2, "#dd7a1f", True,
     "Contains an element of truth but ignores facts that would give a different impression."),
    ("false", "False", 1, "#c62828", True, "Not accurate."),
    ("unsupported", "Unsupported", None, "#7b3fa0", True,
     "The evidence available does not back the claim, and its speaker has offered none."),
    ("unverified", "Unverified", None, "#8a8f98", False, "No verdict yet."),
]


def add_default_scale(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    for position, (slug, label, value, colour, needs_evidence, description) in enumerate(
        DEFAULT_SCALE
    ):
        Rating.objects.get_or_create(
            slug=slug,
            defaults={
                "label": label,
                "value": value,
                "colour": colour,
                "needs_evidence": needs_evidence,
                "description": description,
                "position": position,
            },
        )


def remove_default_scale(apps, schema_editor):
    Rating = apps.get_model("claims", "Rating")
    Rating.objects.filter(slug__in=[row[0] for row in DEFAULT_SCALE], claims=None).delete()


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunPython(add_default_scale, remove_default_scale)]
