"""CLEF 2020 CheckThat! Task 2 (verified claim retrieval) through the similar-claim service.

    DATABASE_URL=postgres://factcheck:factcheck@127.0.0.1:5432/factcheck_bench_checkthat \\
        .venv/bin/python bench/matching_checkthat.py \\
        --data ../shared/benchdata/checkthat2020-task2 --split dev \\
        [--method hybrid|lexical|dense|all] [--output run.tsv] [--limit-queries N]

Reads ``DIR/verified_claims.docs.tsv`` (the 10,375 fact-checked claims: id, vclaim,
title), ``DIR/<split>/tweets.queries.tsv`` and, when present,
``DIR/<split>/tweet-vclaim-pairs.qrels`` (TREC qrels: query 0 vclaim relevance).

Runs against the database in ``DATABASE_URL`` (created on a PostgreSQL server when
missing, then migrated). The verified claims are loaded as claims when they are not
there yet: the claim's text is the vclaim, its label "CheckThat! vclaim <id>: <title>"
(cut to 200 characters), its tag ``checkthat2020``; the benchmark's own ids are read
back from the labels, so a second run reuses them (and a vclaim whose text changed is
corrected). Their embeddings are computed by ``claims.services.matching.embed_claims``
(with a progress bar; about 30 claims a second here, so some six minutes the first
time; none the second). Benchmark data goes in without audit history, as
bench/synthetic.py's COPY does.

Each tweet goes, as it is (URLs, @handles, pic.twitter.com and all), through
``claims.read.similar.similar_claims(text, user=Newsroom(), limit=5, method=…)``,
what the API's ``GET /api/v1/claims/similar/`` calls; only the benchmark's claims
count in its ranking (any other claim in the database is skipped, as the task ranks
its own claims only). Printed per method: MAP@5 as the task's scorer computes it
(trectools ``get_map(depth=5)``: for each query of the qrels, the precision at each
rank ≤ 5 holding a relevant claim, summed and divided by the query's relevant claims;
the mean over the qrels' queries, 0 for a query with none found), recall@5, and
queries a second (with p50/p95 of one query in ms).

``--output FILE`` writes the ranking as a TREC run, ``query_id Q0 vclaim_id rank score
tag``, the top 5 per query, with the benchmark's ids. The scorer orders a query's
lines by score, not rank, so a score equal to the one above it is written 0.000001
lower, to keep the service's order (ties are rare: scores have 4 decimals).
"""

import argparse
import csv
import datetime
import math
import os
import platform
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

LABEL = "CheckThat! vclaim "
LABEL_ID = re.compile(r"^CheckThat! vclaim (\d+)")
TAG = "checkthat2020"
METHODS = ("hybrid", "lexical", "dense")
DEPTH = 5
BATCH = 2000

csv.field_size_limit(sys.maxsize)


def read_tsv(path: Path) -> list[list[str]]:
    """The rows of a task file after its header (tab-separated, quoted as CSV)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows)
        return [row for row in rows if row]


def read_qrels(path: Path) -> dict[str, set[str]]:
    relevant: dict[str, set[str]] = {}
    for line in path.read_text().splitlines():
        if line.strip():
            query, _, claim, rel = line.split()[:4]
            if int(rel) > 0:
                relevant.setdefault(query, set()).add(claim)
    return relevant


def average_precision(ranked: list[str], relevant: set[str], depth: int = DEPTH) -> float:
    hits, total = 0, 0.0
    for rank, claim in enumerate(ranked[:depth], start=1):
        if claim in relevant:
            hits += 1
            total += hits / rank
    return total / len(relevant) if relevant else 0.0


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def ensure_database() -> None:
    """Create the PostgreSQL database of DATABASE_URL when the server lacks it."""
    import dj_database_url

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
    if "postgresql" not in config["ENGINE"]:
        return
    import psycopg

    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"],
        password=config["PASSWORD"],
        dbname="postgres",
        autocommit=True,
    ) as conn:
        name = config["NAME"]
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            print(f"Creating the database {name}.", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


# Loading the verified claims ----------------------------------------------------------------


def load_claims(rows: list[list[str]]) -> dict[int, str]:
    """The verified claims in the database, embedded; returns database id → vclaim id."""
    from django.db import transaction

    from claims.models import Claim, Tag
    from claims.models.ratings import unverified_rating_id
    from claims.services.matching import embed_claims
    from factcheck.progress import Progress

    stored = {}
    for pk, label, text in Claim.objects.filter(label__startswith=LABEL).values_list(
        "id", "label", "text"
    ):
        found = LABEL_ID.match(label)
        if found:
            stored[found.group(1)] = (pk, text)
    wanted = {vclaim_id: (text, title) for vclaim_id, text, title in rows}
    missing = [vclaim_id for vclaim_id in wanted if vclaim_id not in stored]
    changed = [v for v, (pk, text) in stored.items() if v in wanted and wanted[v][0] != text]
    if missing or changed:
        tag = Tag.objects.filter(slug=TAG).first()
        if tag is None:
            tag = Tag(name="CheckThat! 2020", slug=TAG)
            tag.save()
        verdict = unverified_rating_id()
        print(f"Loading {len(missing):,} verified claims ({len(changed):,} corrected).", flush=True)
        with transaction.atomic():
            for start in range(0, len(missing), BATCH):
                claims = [
                    Claim(
                        label=f"{LABEL}{v}: {wanted[v][1]}"[:200],
                        text=wanted[v][0],
                        language="en",
                        verdict_id=verdict,
                        attribution=Claim.Attribution.REPORTED,
                    )
                    for v in missing[start : start + BATCH]
                ]
                created = Claim._base_manager.bulk_create(claims)
                Claim.tags.through.objects.bulk_create(
                    [Claim.tags.through(claim_id=c.pk, tag_id=tag.pk) for c in created]
                )
            fixes = []
            for v in changed:
                claim = Claim(pk=stored[v][0], text=wanted[v][0])
                fixes.append(claim)
            Claim._base_manager.bulk_update(fixes, ["text"], batch_size=BATCH)
        return load_claims(rows)
    ids = {pk: v for v, (pk, _) in stored.items() if v in wanted}
    from claims.services.matching import stale_claim_ids

    stale = stale_claim_ids(list(ids))
    if stale:
        progress = Progress(
            len(stale), sys.stderr, enabled=sys.stderr.isatty(), label="Embedding", summary=True
        )
        started = time.perf_counter()
        done = embed_claims(stale, progress=progress, **no_suggestions(embed_claims))
        progress.close()
        seconds = time.perf_counter() - started
        print(f"Embedded {done:,} claims in {seconds:,.0f} s ({done / seconds:.1f}/s).")
    print(f"{len(ids):,} verified claims in the database, every one embedded.", flush=True)
    return ids


def no_suggestions(embed_claims) -> dict:
    """Loading a benchmark is not an editor's work: no Possible duplicates (when
    embed_claims can be told so), which would match every claim against the rest."""
    import inspect

    return {"suggest": False} if "suggest" in inspect.signature(embed_claims).parameters else {}


# Running the tweets -------------------------------------------------------------------------


def run(method: str, tweets: list[tuple[str, str]], vclaim_of: dict[int, str]):
    from claims.read.selection import Newsroom
    from claims.read.similar import SimilarInputError, similar_claims
    from factcheck import embedding

    clear = getattr(embedding._query, "cache_clear", None)
    if clear is not None:
        clear()  # each method pays for embedding its queries
    viewer = Newsroom()
    rankings: dict[str, list[tuple[str, float]]] = {}
    times, refused = [], []
    for query_id, text in tweets:
        started = time.perf_counter()
        try:
            matches = similar_claims(text, user=viewer, limit=DEPTH, method=method)
        except SimilarInputError as error:
            refused.append((query_id, str(error)))
            matches = []
        times.append((time.perf_counter() - started) * 1000)
        rankings[query_id] = [
            (vclaim_of[m.claim.pk], m.score) for m in matches if m.claim.pk in vclaim_of
        ]
    return rankings, times, refused


def write_run(path: Path, rankings: dict[str, list[tuple[str, float]]], tag: str) -> None:
    with path.open("w") as handle:
        for query_id, ranked in rankings.items():
            previous = math.inf
            for rank, (claim, score) in enumerate(ranked, start=1):
                score = min(score, previous - 1e-6)
                previous = score
                handle.write(f"{query_id}\tQ0\t{claim}\t{rank}\t{score:.6f}\t{tag}\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path("../shared/benchdata/checkthat2020-task2")
    )
    parser.add_argument("--split", default="dev")
    parser.add_argument("--method", choices=(*METHODS, "all"), default="hybrid")
    parser.add_argument("--output", type=Path, help="write the TREC run here")
    parser.add_argument("--limit-queries", type=int, help="only the first N tweets")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        parser.error(
            "Set DATABASE_URL, e.g. "
            "postgres://factcheck:factcheck@127.0.0.1:5432/factcheck_bench_checkthat"
        )
    os.environ.setdefault("CACHE_URL", "locmem://")
    ensure_database()
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    claims = read_tsv(args.data / "verified_claims.docs.tsv")
    rows = read_tsv(args.data / args.split / "tweets.queries.tsv")
    tweets = [(row[0], row[1]) for row in rows][: args.limit_queries]
    qrels_path = args.data / args.split / "tweet-vclaim-pairs.qrels"
    qrels = read_qrels(qrels_path) if qrels_path.exists() else None
    vclaim_of = load_claims([row[:3] for row in claims])

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"CheckThat! 2020 Task 2, {args.split}, "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: {len(vclaim_of):,} claims, "
        f"{len(tweets)} tweets as they are; {connection.vendor}, {os.cpu_count()} CPUs ({cpu}); "
        f"similar_claims(user=Newsroom(), limit={DEPTH})"
    )
    for method in METHODS if args.method == "all" else (args.method,):
        started = time.perf_counter()
        rankings, times, refused = run(method, tweets, vclaim_of)
        seconds = time.perf_counter() - started
        line = (
            f"method={method:<8} {len(tweets) / seconds:5.2f} queries/s, one query "
            f"p50 {percentile(times, 0.5):.0f} ms, p95 {percentile(times, 0.95):.0f} ms"
        )
        if qrels is not None:
            judged = [q for q in qrels if q in rankings]
            aps = [average_precision([c for c, _ in rankings[q]], qrels[q]) for q in judged]
            recalls = [len(qrels[q] & {c for c, _ in rankings[q]}) / len(qrels[q]) for q in judged]
            line = (
                f"method={method:<8} MAP@5 {statistics.mean(aps):.4f}  "
                f"recall@5 {statistics.mean(recalls):.4f}  ({len(judged)} judged queries)  "
                + line.split(" ", 1)[1].lstrip()
            )
        print(line, flush=True)
        for query_id, message in refused:
            print(f"  refused {query_id}: {message}")
        if args.output:
            path = args.output
            if args.method == "all":
                path = path.with_name(f"{path.stem}.{method}{path.suffix}")
            write_run(path, rankings, f"factcheck-{method}")
            print(f"  TREC run written to {path}")


if __name__ == "__main__":
    main()
