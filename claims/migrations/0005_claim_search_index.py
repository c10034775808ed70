"""The GIN index behind the API's claim search (q=) on PostgreSQL.

Its expression is the claim document of claims/read/search.py, written as Django
compiles it, so that the planner recognises it; tests/api/test_search.py checks
that the search query uses it. SQLite has no full-text search here and gets no
index. The index is not declared on the model because it exists on one
database only.
"""

from django.db import migrations

INDEX = "claim_search_idx"
DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(label, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'B'))"
)


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        # Claim search: q= matching label (weight A) and text (weight B).
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON claims_claim USING gin ({DOCUMENT})"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0004_published_claims_have_an_entry"),
    ]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
