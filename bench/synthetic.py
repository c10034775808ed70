"""Fill a PostgreSQL database with a large synthetic newsroom, for the benchmarks.

    DATABASE_URL=postgres://… python bench/synthetic.py --claims 1000000

Claims with speakers, tags, sources whose text holds each claim's sentence,
an anchored appearance per claim, evidence for a third of them and a verdict
entry for every public (published or retracted) one. Rows go in with COPY inside
one transaction (the application's TrackedQuerySet refuses bulk writes, on
purpose: this is test data, written without audit history). Existing claims and
sources are removed first, so run it against a database kept for benchmarks
only. A million claims take about two and a half minutes (bench/README.md).
"""

import argparse
import datetime
import hashlib
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

setup_django()

from django.db import connection, transaction  # noqa: E402

# Words that researchers search for, mixed into a larger made-up vocabulary so
# that a search matches a realistic share of the claims.
NEWS_WORDS = [
    "missile",
    "attack",
    "embassy",
    "casualties",
    "troops",
    "strike",
    "drone",
    "general",
    "retaliation",
    "base",
    "sanctions",
    "ceasefire",
    "election",
    "vaccine",
    "inflation",
    "border",
    "refugees",
    "pipeline",
    "nuclear",
    "deal",
    "minister",
    "president",
    "parliament",
    "protest",
    "militia",
    "airport",
    "deterrence",
    "war",
    "peace",
]
# About three in five claims are public (published or retracted), as in a newsroom
# with a backlog; the rest are invisible to anonymous clients.
STATES = ["published"] * 12 + ["retracted"] + ["in_research"] * 5 + ["draft"] * 2 + ["in_review"]
PUBLIC_STATES = ("published", "retracted")
ATTRIBUTIONS = ["direct_quote", "paraphrase", "reported", "anonymous"]
SPEAKER_KINDS = ["person", "government", "military", "agency", "media", "organisation"]
CLAIMS_PER_SOURCE = 10
TABLES = [
    "claims_verdictentryevidence",
    "claims_verdictentry",
    "claims_evidence",
    "claims_appearance",
    "claims_claim_tags",
    "claims_claim",
    "claims_tag",
    "claims_speaker",
    "sources_source",
    "sources_outlet",
]


def vocabulary(rng: random.Random) -> list[str]:
    syllables = ["ka", "lo", "mi", "ren", "tas", "vel", "dor", "ish", "pun", "zer", "an", "ot"]
    made_up = {"".join(rng.choices(syllables, k=rng.randint(2, 4))) for _ in range(4000)}
    return NEWS_WORDS * 20 + sorted(made_up)


class Progress:
    def __init__(self, label: str, total: int):
        self.label, self.total, self.done, self.started = label, total, 0, time.monotonic()

    def step(self, count: int = 1) -> None:
        self.done += count
        if self.done % 100_000 == 0 or self.done == self.total:
            rate = self.done / max(time.monotonic() - self.started, 1e-9)
            print(f"  {self.label}: {self.done:,}/{self.total:,} ({rate:,.0f} rows/s)", flush=True)


def copy_rows(cursor, table: str, columns: list[str], rows, total: int) -> None:
    progress = Progress(table, total)
    quoted = ", ".join(f'"{column}"' for column in columns)  # "end" is a keyword
    with cursor.copy(f"COPY {table} ({quoted}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            progress.step()


def drop_foreign_keys(cursor) -> list[tuple[str, str, str]]:
    """Drop the foreign keys of the tables being filled, and return them.

    PostgreSQL checks a (deferred) foreign key row by row when the transaction
    commits: ten million lookups, most of the time a million claims took to
    load. Added back afterwards, each is checked in one pass over its table.
    Both happen in the loading transaction, so a failure leaves them as they were.
    """
    cursor.execute(
        "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE contype = 'f' AND conrelid = ANY(%s::regclass[])",
        [TABLES],
    )
    foreign_keys = cursor.fetchall()
    for table, name, _ in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    return foreign_keys


def restore_foreign_keys(cursor, foreign_keys: list[tuple[str, str, str]]) -> None:
    started = time.monotonic()
    for table, name, definition in foreign_keys:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
    print(
        f"Checked {len(foreign_keys)} foreign keys in {time.monotonic() - started:,.0f} s",
        flush=True,
    )


def generate(claims: int, seed: int) -> None:
    rng = random.Random(seed)
    words = vocabulary(rng)
    now = datetime.datetime.now(datetime.UTC)
    sources = max(1, claims // CLAIMS_PER_SOURCE)
    outlets, speakers, tags = max(1, sources // 500), max(1, claims // 200), 50

    with connection.cursor() as django_cursor:
        django_cursor.execute("SELECT slug, id FROM claims_rating")
        rating_ids = dict(django_cursor.fetchall())
    verdicts = [rating_ids[slug] for slug in ("true", "mostly-true", "half-true", "false")]

    sentences = [
        " ".join(rng.choices(words, k=rng.randint(8, 18))).capitalize() + "." for _ in range(claims)
    ]

    raw = connection.connection
    with transaction.atomic(), raw.cursor() as cursor:
        print(f"Emptying {', '.join(TABLES)}")
        cursor.execute(f"TRUNCATE {', '.join(TABLES)} CASCADE")
        foreign_keys = drop_foreign_keys(cursor)

        copy_rows(
            cursor,
            "sources_outlet",
            ["id", "name", "homepage", "kind", "reliability_note", "created_at", "updated_at"],
            (
                (i, f"Outlet {i}", f"https://outlet{i}.example.org/", "news", "", now, now)
                for i in range(1, outlets + 1)
            ),
            outlets,
        )

        def source_rows():
            for i in range(1, sources + 1):
                text = " ".join(sentences[(i - 1) * CLAIMS_PER_SOURCE : i * CLAIMS_PER_SOURCE])
                published = now - datetime.timedelta(days=rng.randint(0, 3650))
                yield (
                    i, f"https://news.example.org/story/{i}", f"Story {i}",
                    rng.randint(1, outlets), "", published, published, "en", "article",
                    text, hashlib.sha256(text.encode()).hexdigest(), now, now, "",
                )  # fmt: skip

        copy_rows(
            cursor,
            "sources_source",
            ["id", "url", "title", "outlet_id", "authors", "published_at", "retrieved_at",
             "language", "kind", "text", "content_hash", "created_at", "updated_at",
             "retrieved_from"],
            source_rows(),
            sources,
        )  # fmt: skip

        copy_rows(
            cursor,
            "claims_speaker",
            ["id", "name", "kind", "aliases", "description", "wikidata_id", "parent_id",
             "created_at", "updated_at"],
            (
                (i, f"{rng.choice(words).capitalize()} Speaker {i}", SPEAKER_KINDS[i % 6],
                 "", "", "", None, now, now)
                for i in range(1, speakers + 1)
            ),
            speakers,
        )  # fmt: skip
        copy_rows(
            cursor,
            "claims_tag",
            ["id", "name", "slug", "created_at", "updated_at"],
            ((i, f"Topic {i}", f"topic-{i}", now, now) for i in range(1, tags + 1)),
            tags,
        )

        states = [rng.choice(STATES) for _ in range(claims)]
        # Public claims went through review, so each has the verdict entry a
        # reviewer approved (retracted ones keep theirs); the others are unrated.
        published = [i for i, state in enumerate(states, start=1) if state in PUBLIC_STATES]
        entry_of = {claim_id: n for n, claim_id in enumerate(published, start=1)}
        verdict_of = [rng.choice(verdicts) for _ in range(claims)]
        updated = [now - datetime.timedelta(seconds=rng.randint(0, 86400 * 365)) for _ in states]

        def claim_rows():
            for i in range(1, claims + 1):
                sentence, state = sentences[i - 1], states[i - 1]
                stated = datetime.date(2015, 1, 1) + datetime.timedelta(days=rng.randint(0, 3650))
                public = i in entry_of
                yield (
                    i, sentence, " ".join(sentence.split()[:3]).rstrip("."),
                    rng.randint(1, speakers), ATTRIBUTIONS[i % 4], "", stated, "en",
                    verdict_of[i - 1] if public else rating_ids["unverified"],
                    state, "Synthetic verdict." if public else "", entry_of.get(i),
                    updated[i - 1] if public else None,
                    "Synthetic retraction." if state == "retracted" else "",
                    None, 1, updated[i - 1], updated[i - 1],
                )  # fmt: skip

        copy_rows(
            cursor,
            "claims_claim",
            ["id", "text", "label", "speaker_id", "attribution", "speaker_role", "stated_on",
             "language", "verdict_id", "review_state", "rationale", "published_entry_id",
             "published_at", "retraction_reason", "recheck_on", "version", "created_at",
             "updated_at"],
            claim_rows(),
            claims,
        )  # fmt: skip

        tags_of = [rng.sample(range(1, tags + 1), k=rng.randint(1, 2)) for _ in range(claims)]
        tag_rows = (
            (claim_id, tag_id)
            for claim_id, chosen in enumerate(tags_of, start=1)
            for tag_id in chosen
        )
        copy_rows(
            cursor,
            "claims_claim_tags",
            ["id", "claim_id", "tag_id"],
            ((row_id, *row) for row_id, row in enumerate(tag_rows, start=1)),
            sum(map(len, tags_of)),
        )

        def appearance_rows():
            offset_in_source = 0
            for i in range(1, claims + 1):
                source_index = (i - 1) // CLAIMS_PER_SOURCE
                if (i - 1) % CLAIMS_PER_SOURCE == 0:
                    offset_in_source = 0
                    text = " ".join(
                        sentences[source_index * CLAIMS_PER_SOURCE : (source_index + 1)
                                  * CLAIMS_PER_SOURCE]
                    )  # fmt: skip
                start, end = offset_in_source, offset_in_source + len(sentences[i - 1])
                offset_in_source = end + 1
                yield (
                    i, sentences[i - 1], text[max(0, start - 32) : start], text[end : end + 32],
                    start, end, "", True, i, min(source_index + 1, sources), now, now,
                    "anchored", "",
                )  # fmt: skip

        copy_rows(
            cursor,
            "claims_appearance",
            ["id", "exact", "prefix", "suffix", "start", "end", "note", "is_first", "claim_id",
             "source_id", "created_at", "updated_at", "anchor_status", "orphaned_reason"],
            appearance_rows(),
            claims,
        )  # fmt: skip

        evidence_claims = range(1, claims + 1, 3)
        copy_rows(
            cursor,
            "claims_evidence",
            ["id", "exact", "prefix", "suffix", "start", "end", "note", "claim_id", "source_id",
             "stance", "created_at", "updated_at", "anchor_status", "orphaned_reason"],
            (
                (n, "", "", "", None, None, "Synthetic evidence.", claim_id,
                 rng.randint(1, sources), rng.choice(["supports", "refutes", "context"]), now, now,
                 "anchored", "")
                for n, claim_id in enumerate(evidence_claims, start=1)
            ),
            len(evidence_claims),
        )  # fmt: skip
        copy_rows(
            cursor,
            "claims_verdictentry",
            ["id", "claim_id", "rating_id", "rationale", "recorded_by_id", "recorded_at",
             "holds_from"],
            (
                (n, claim_id, verdict_of[claim_id - 1], "Synthetic verdict.", None,
                 updated[claim_id - 1], updated[claim_id - 1].date())
                for n, claim_id in enumerate(published, start=1)
            ),
            len(published),
        )  # fmt: skip

        print("Resetting id sequences")
        for table in TABLES:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        restore_foreign_keys(cursor, foreign_keys)
    # Outside the transaction (VACUUM cannot run in one): statistics for the
    # planner, and every row marked visible, as in a database that has been in
    # use a while. Otherwise the first queries after loading pay for that work,
    # and autovacuum would do it later in the middle of a measurement.
    print("Vacuuming and analysing the tables", flush=True)
    with connection.cursor() as cursor:
        for table in TABLES:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    print(f"Done: {claims:,} claims, {sources:,} sources, {speakers:,} speakers.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="How many claims.")
    parser.add_argument("--seed", type=int, default=2020, help="Random seed (repeatable data).")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("Set DATABASE_URL to a PostgreSQL database kept for benchmarks.")
    if args.claims < 1:
        parser.error("--claims must be at least 1.")
    started = time.monotonic()
    generate(args.claims, args.seed)
    print(f"Took {time.monotonic() - started:,.0f} s.")


if __name__ == "__main__":
    main()
