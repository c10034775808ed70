"""A claim is public while it has an approved verdict (claims/read/visibility.py).

Until now the public saw claims in the states published and retracted, so a
published claim whose new verdict awaited review vanished from public lists.
Claims reopened after a retraction lose their approved entry (the retraction
stands until they are published again); a retracted claim without one gets its
latest entry. The two partial indexes of public claims change predicate with it.
"""

from django.db import migrations, models

SEARCH_INDEX = "claim_public_search_idx"


def forwards(apps, schema_editor):
    Claim = apps.get_model("claims", "Claim")
    VerdictEntry = apps.get_model("claims", "VerdictEntry")
    Claim.objects.filter(
        published_entry__isnull=False, review_state__in=["draft", "in_research", "in_review"]
    ).exclude(retraction_reason="").update(published_entry=None, published_at=None)
    for claim in Claim.objects.filter(review_state="retracted", published_entry__isnull=True):
        latest = (
            VerdictEntry.objects.filter(claim=claim)
            .order_by("holds_from", "recorded_at", "id")
            .last()
        )
        if latest is not None:
            Claim.objects.filter(pk=claim.pk).update(published_entry=latest)
    if schema_editor.connection.vendor == "postgresql":
        # Claim search (q=) as anonymous clients and researchers run it.
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {SEARCH_INDEX} ON claims_claim USING gin (search_document) "
            "WHERE published_entry_id IS NOT NULL"
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {SEARCH_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX {SEARCH_INDEX} ON claims_claim USING gin (search_document) "
            "WHERE review_state IN ('published', 'retracted')"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0010_claim_public_updated_idx"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards, elidable=False),
        migrations.RemoveIndex(model_name="claim", name="claim_public_updated_idx"),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                condition=models.Q(published_entry__isnull=False),
                fields=["updated_at", "id"],
                name="claim_public_updated_idx",
            ),
        ),
    ]
