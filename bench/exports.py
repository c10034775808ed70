"""Benchmark the CSV export on a large synthetic dataset, against its targets.

    DATABASE_URL=postgres://…/factcheck_bench DEBUG=true python bench/exports.py \\
        [--claims 1000000] [--reuse] [--repeat 3] [--small 10000]

Seeds the database with bench/synthetic.py (or, with --reuse, keeps it when it
already holds that many claims) and a second database, "<name>_small", with
--small claims. Then, side by side in one run:

1. rows per second of GET /api/v1/claims/export.csv (through Django's WSGI
   handler, as an anonymous client: the public claims), read to
   the end as a client would, against PostgreSQL's own
   ``COPY (hand-written query) TO STDOUT (FORMAT csv)`` of the same columns and
   rows, read the same way with psycopg. Both files are hashed: they must be the
   same bytes (the API's starts with a header line, left out of the hash).
   Target: API ÷ COPY ≥ 0.8.
2. peak memory of the export at full size ÷ at --small claims, each export run
   in a fresh process: the process's peak resident size (what the server needs)
   and the peak of Python's own allocations during the export (tracemalloc).
   Target: ≤ 1.2.

The databases are meant for benchmarks only: seeding empties the claim and
source tables.
"""

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

setup_django()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from bench import wsgi  # noqa: E402
from claims.models import Claim  # noqa: E402

# The export's rule, as it is written in SQL (claims/exports/cells.py).
FORMULA, QUOTED = "^([=+@\t\r'-])", "'\\1"

HOST = wsgi.HOST
EXPORT_PATH = "/api/v1/claims/export.csv"
TARGETS = {"speed": 0.8, "memory": 1.2}

# The export's columns for the public, written by hand: the joins, the verdict the
# public sees (the approved entry's), and the aggregates as correlated subqueries.
# Text cells that a spreadsheet would run as a formula get a "'" in front
# (claims/exports/cells.py): regexp_replace(cell, %(formula)s, %(quoted)s).
HANDWRITTEN = """
SELECT c.id,
       %(claims)s || c.id || '/',
       regexp_replace(NULLIF(c.label, ''), %(formula)s, %(quoted)s),
       regexp_replace(NULLIF(c.text, ''), %(formula)s, %(quoted)s),
       regexp_replace(NULLIF(s.name, ''), %(formula)s, %(quoted)s),
       s.kind,
       c.attribution,
       to_char(c.stated_on, 'YYYY-MM-DD'),
       regexp_replace(pr.slug, %(formula)s, %(quoted)s),
       regexp_replace(pr.label, %(formula)s, %(quoted)s),
       pr.value,
       CASE WHEN c.review_state = 'retracted' THEN 'retracted' ELSE 'published' END,
       regexp_replace(NULLIF(pe.rationale, ''), %(formula)s, %(quoted)s),
       regexp_replace((SELECT string_agg(t.slug, ' ' ORDER BY t.slug)
          FROM claims_claim_tags ct JOIN claims_tag t ON t.id = ct.tag_id
         WHERE ct.claim_id = c.id), %(formula)s, %(quoted)s),
       regexp_replace((SELECT NULLIF(so.url, '')
          FROM claims_appearance a JOIN sources_source so ON so.id = a.source_id
         WHERE a.claim_id = c.id AND a.is_first ORDER BY a.id LIMIT 1), %(formula)s, %(quoted)s),
       regexp_replace((SELECT string_agg(DISTINCT so.url, ' ' ORDER BY so.url)
          FROM claims_appearance a JOIN sources_source so ON so.id = a.source_id
         WHERE a.claim_id = c.id AND so.url <> ''), %(formula)s, %(quoted)s),
       (SELECT count(*) FROM claims_evidence e WHERE e.claim_id = c.id),
       to_char(c.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS')
         || CASE WHEN extract(microseconds FROM c.updated_at AT TIME ZONE 'UTC')::int
                      %% 1000000 = 0 THEN ''
                 ELSE to_char(c.updated_at AT TIME ZONE 'UTC', '.US') END || 'Z'
  FROM claims_claim c
  LEFT JOIN claims_speaker s ON s.id = c.speaker_id
  JOIN claims_verdictentry pe ON pe.id = c.published_entry_id
  JOIN claims_rating pr ON pr.id = pe.rating_id
 WHERE c.published_entry_id IS NOT NULL
 ORDER BY c.id
"""


def api_export(sink, params: dict | None = None) -> None:
    """GET the CSV export; each chunk goes to ``sink`` as the response streams it."""
    wsgi.get(EXPORT_PATH, params, sink=sink)


def copy_export(sink) -> None:
    """COPY of the hand-written query, read with psycopg as the rows arrive."""
    import psycopg

    connection.ensure_connection()
    raw = connection.connection
    query = psycopg.ClientCursor(raw).mogrify(
        HANDWRITTEN,
        {"claims": f"http://{HOST}/api/v1/claims/", "formula": FORMULA, "quoted": QUOTED},
    )
    with raw.cursor() as cursor:
        # As the export does (claims/exports/table.py): no JIT for this query.
        cursor.execute("SET jit = off")
        with cursor.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
            for row in copy:
                sink(row)
        cursor.execute("RESET jit")


class Tally:
    """Counts rows (lines outside quotes are not needed: every row ends in a newline
    and the hash is what proves the files equal) and hashes the body."""

    def __init__(self, skip_header: bool):
        self.bytes = 0
        self.hash = hashlib.sha256()
        self.skip_header = skip_header

    def __call__(self, chunk) -> None:
        chunk = bytes(chunk)
        if self.skip_header:
            # The API's first chunk is its header line (with the byte-order mark).
            self.skip_header = False
            return
        self.bytes += len(chunk)
        self.hash.update(chunk)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure_speed(repeat: int) -> dict:
    rows = Claim.objects.public().count()
    api_times, copy_times, digests = [], [], set()
    # Unmeasured: loading the middleware, the first query's planning and
    # connection (an anonymous client finds no drafts: an empty file).
    api_export(lambda chunk: None, {"review_state": "draft"})
    for _ in range(repeat):  # alternated, so that background noise falls on both
        api, copy = Tally(skip_header=True), Tally(skip_header=False)
        api_times.append(timed(lambda api=api: api_export(api)))
        copy_times.append(timed(lambda copy=copy: copy_export(copy)))
        digests |= {("api", api.hash.hexdigest()), ("copy", copy.hash.hexdigest())}
        print(
            f"  run: API {rows / api_times[-1]:,.0f} rows/s, COPY {rows / copy_times[-1]:,.0f} "
            f"rows/s ({api.bytes / 1e6:,.0f} MB)",
            flush=True,
        )
    api_best, copy_best = min(api_times), min(copy_times)
    same = len({digest for _, digest in digests}) == 1
    return {
        "rows": rows,
        "api": rows / api_best,
        "copy": rows / copy_best,
        "ratio": copy_best / api_best,
        "identical": same,
    }


def measure_memory_here() -> dict:
    """Run in a fresh process: one export, its peaks."""
    import tracemalloc

    # Everything the request touches is imported and connected before measuring.
    call_command("check", verbosity=0)
    connection.ensure_connection()
    tracemalloc.start()
    tally = Tally(skip_header=True)
    seconds = timed(lambda: api_export(tally))
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {"rss": rss_peak_kb * 1024, "python": python_peak, "bytes": tally.bytes, "s": seconds}


def memory_in_subprocess(database_url: str) -> dict:
    result = subprocess.run(
        [sys.executable, __file__, "--memory-child"],
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def small_database_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + "_small"))


def ensure_dataset(database_url: str, claims: int, reuse: bool) -> None:
    """Seed ``database_url`` with ``claims`` claims in a child process (each database
    is its own Django process here), creating and migrating it when needed."""
    subprocess.run(
        [sys.executable, __file__, "--seed-child", str(claims)] + (["--reuse"] if reuse else []),
        env={**os.environ, "DATABASE_URL": database_url},
        check=True,
    )


def seed_here(claims: int, reuse: bool) -> None:
    import psycopg

    params = connection.get_connection_params()
    name = connection.settings_dict["NAME"]
    admin = {key: params[key] for key in ("host", "port", "user", "password") if key in params}
    with psycopg.connect(dbname="postgres", autocommit=True, **admin) as server:
        if not server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            print(f"Creating the database {name}.", flush=True)
            server.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    present = Claim.objects.count()
    if reuse and present == claims:
        print(f"{name}: reusing its {present:,} claims (--reuse).", flush=True)
        return
    from bench.synthetic import generate

    print(f"{name}: seeding {claims:,} claims (replacing {present:,}).", flush=True)
    started = time.monotonic()
    generate(claims, seed=2020)
    print(f"{name}: seeded in {time.monotonic() - started:,.0f} s.", flush=True)


def report(args, speed: dict, full: dict, small: dict) -> None:
    mb = 1024 * 1024
    rss_ratio = full["rss"] / small["rss"]
    python_ratio = full["python"] / small["python"]
    print()
    print(f"CSV export on PostgreSQL — {args.claims:,} claims ({speed['rows']:,} public rows)")
    print(f"{'figure':<46}{'value':>16}{'target':>10}  result")
    speed_ok = speed["ratio"] >= TARGETS["speed"]
    print(f"{'API export.csv, rows/s (best of runs)':<46}{speed['api']:>16,.0f}")
    print(f"{'COPY of the hand-written query, rows/s':<46}{speed['copy']:>16,.0f}")
    print(
        f"{'API ÷ COPY':<46}{speed['ratio']:>16.2f}{'≥ 0.8':>10}  {'PASS' if speed_ok else 'MISS'}"
    )
    print(f"{'same bytes as COPY':<46}{'yes' if speed['identical'] else 'NO':>16}")
    print(f"{f'peak RSS, export of {args.claims:,} claims (MB)':<46}{full['rss'] / mb:>16,.1f}")
    print(f"{f'peak RSS, export of {args.small:,} claims (MB)':<46}{small['rss'] / mb:>16,.1f}")
    memory_ok = rss_ratio <= TARGETS["memory"]
    print(
        f"{'peak RSS, full ÷ small':<46}{rss_ratio:>16.2f}{'≤ 1.2':>10}  "
        f"{'PASS' if memory_ok else 'MISS'}"
    )
    print(
        f"{'Python allocations peak, full ÷ small':<46}{python_ratio:>16.2f}"
        f"   ({full['python'] / mb:,.2f} MB vs {small['python'] / mb:,.2f} MB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="Dataset size in claims.")
    parser.add_argument("--small", type=int, default=10_000, help="The small dataset's size.")
    parser.add_argument("--reuse", action="store_true", help="Keep datasets of the right size.")
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each export.")
    parser.add_argument("--memory-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--seed-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("Run this against PostgreSQL: set DATABASE_URL=postgres://…")
    if args.memory_child:
        print(json.dumps(measure_memory_here()))
        return
    if args.seed_child is not None:
        seed_here(args.seed_child, args.reuse)
        return

    url = os.environ["DATABASE_URL"]
    small_url = small_database_url(url)
    ensure_dataset(url, args.claims, args.reuse)
    ensure_dataset(small_url, args.small, args.reuse)
    print("Timing the export against COPY…", flush=True)
    speed = measure_speed(args.repeat)
    print("Measuring peak memory, each export in a fresh process…", flush=True)
    full = memory_in_subprocess(url)
    small = memory_in_subprocess(small_url)
    report(args, speed, full, small)


if __name__ == "__main__":
    main()
