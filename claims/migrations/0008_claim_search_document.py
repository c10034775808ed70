"""Claim search (q=) reads a stored document, and speaker names get an index.

PostgreSQL only, like 0005 (SQLite has no full-text search here). Measured on a
million claims (bench/api.py):

- Ranking recomputed each match's document from its label and text, and so did
  the index recheck of every candidate: about 25 µs a claim, half a second for
  a two-word query matching a few thousand claims. The document is now a
  stored generated column, ``search_document``, computed by PostgreSQL on every
  write; claim_search_idx indexes the column instead of the expression. The
  column is not a model field (SQLite could not have it); claims/read/search.py
  reads it by name.
- Matching speaker names parsed every speaker on every search (40 ms for 5,000
  speakers); speaker_search_idx indexes that document.

Adding a stored column rewrites claims_claim under an exclusive lock: about a
minute per million claims.
"""

from django.db import migrations

DOCUMENT = (
    "(setweight(to_tsvector('english'::regconfig, COALESCE(label, '')), 'A') || "
    "setweight(to_tsvector('english'::regconfig, COALESCE(text, '')), 'B'))"
)
# As SearchVector("name", "aliases", config="simple") compiles, so that the
# planner recognises it (claims/read/search.py, SPEAKER_DOCUMENT).
SPEAKER_DOCUMENT = (
    "to_tsvector('simple'::regconfig, COALESCE(name, '') || ' ' || COALESCE(aliases, ''))"
)

FORWARD = [
    "DROP INDEX IF EXISTS claim_search_idx",
    f"ALTER TABLE claims_claim ADD COLUMN search_document tsvector "
    f"GENERATED ALWAYS AS ({DOCUMENT}) STORED",
    # Claim search: q= matching label (weight A) and text (weight B).
    "CREATE INDEX claim_search_idx ON claims_claim USING gin (search_document)",
    # Claim search: q= matching a speaker's name or aliases.
    f"CREATE INDEX speaker_search_idx ON claims_speaker USING gin (({SPEAKER_DOCUMENT}))",
    # Statistics on the new column, without which the planner guesses how many
    # claims a word matches until autovacuum next analyses the table.
    "ANALYZE claims_claim",
]
BACKWARD = [
    "DROP INDEX IF EXISTS speaker_search_idx",
    "ALTER TABLE claims_claim DROP COLUMN IF EXISTS search_document",
    f"CREATE INDEX IF NOT EXISTS claim_search_idx ON claims_claim USING gin ({DOCUMENT})",
]


def run(statements):
    def operation(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_claim_published_at"),
    ]

    operations = [migrations.RunPython(run(FORWARD), run(BACKWARD), elidable=False)]
