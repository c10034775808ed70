"""Similar-claim matching at scale: ``similar/`` against the claims list, embedding
throughput, the worker's memory.

    DATABASE_URL=postgres://factcheck:factcheck@127.0.0.1:5432/factcheck_bench_matching \\
        DEBUG=true .venv/bin/python bench/matching.py [--claims 1000000] [--requests 200]
        [--pool 10000] [--reuse]

Fills the database (created on the server when missing, then migrated) with
bench/synthetic.py's newsroom of ``--claims`` claims (speakers, sources, appearances,
verdicts; about 13 in 21 public), then gives the claims realistic texts and
embeddings: embedding a million texts would take some nine hours here, so
``--pool`` distinct claim texts (capped at ``--claims``) are generated from templates
of fact-checked statements (an actor, a figure, a place, a year), each embedded once
by the product's model (``factcheck.embedding.encode_passages``, cached in the temp
folder by the texts' hash), and claim number i (by id) gets text i mod pool with its
embedding, stored by COPY as ``ClaimEmbedding`` rows (the text hash is the one
``embed_claims`` checks, so they count as current). There are exactly ``pool``
distinct texts and embeddings however many claims: each text stands for
claims/pool claims, as a catalogue where every claim was checked many times would.
The script prints both counts. With ``--reuse`` a database already holding that
many claims, every one embedded, is kept.

Then, in a fresh process (so that its memory is a server worker's, not the
filler's), through Django's WSGI handler in-process (bench/wsgi.py: the whole
middleware and DRF stack) as an anonymous client (public claims only):

1. ``GET /api/v1/claims/similar/?text=…`` for ``--requests`` texts drawn from the
   same templates with another seed (so most are not a stored text, but share its
   words and figures), alternating with ``GET /api/v1/claims/`` (the first page of
   the claims list), after the first request of each (which loads the process's
   vector index: timed apart) and 5 unmeasured pairs; p50 and p95 of each, and
   similar ÷ the list's p50 (target ≤ 2 at p95);
2. ``embed_claims`` over 1,000 claims (``force``: recomputed, stored; no suggestions),
   claims/s;
3. the process's peak resident memory (``ru_maxrss``) and its RSS at the end.
"""

import argparse
import datetime
import hashlib
import math
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

CACHE = Path(tempfile.gettempdir()) / "factcheck-bench-matching"
WARM_UP = 5
SIMILAR_PATH = "/api/v1/claims/similar/"
LIST_PATH = "/api/v1/claims/"
TARGET = 2.0
EMBED_SAMPLE = 1000

# The templates' vocabulary: who says it, what is counted, where, when.
ACTORS = [
    "the health ministry",
    "the interior ministry",
    "the World Bank",
    "the IMF",
    "UNICEF",
    "the WHO",
    "Eurostat",
    "the statistics office",
    "the central bank",
    "the prime minister",
    "the president",
    "the opposition leader",
    "the mayor",
    "the army",
    "the police",
    "a government spokesperson",
    "the electoral commission",
    "the finance minister",
    "the UN refugee agency",
    "Amnesty International",
    "the labour ministry",
    "the coast guard",
    "the energy regulator",
    "the national weather service",
    "the football federation",
]
PLACES = [
    "France",
    "Germany",
    "Spain",
    "Italy",
    "Poland",
    "the United States",
    "Canada",
    "Mexico",
    "Brazil",
    "Argentina",
    "Colombia",
    "Nigeria",
    "Kenya",
    "South Africa",
    "Egypt",
    "India",
    "Pakistan",
    "Indonesia",
    "the Philippines",
    "Japan",
    "Australia",
    "Turkey",
    "Ukraine",
    "Russia",
    "Iran",
    "Iraq",
    "Syria",
    "Lebanon",
    "Gaza",
    "Sudan",
    "Ethiopia",
    "Chile",
    "Peru",
    "Greece",
    "Sweden",
    "the United Kingdom",
    "Ireland",
    "Portugal",
    "Romania",
    "Hungary",
    "London",
    "Paris",
    "Berlin",
    "Madrid",
    "New York",
    "Chicago",
    "Lagos",
    "Nairobi",
    "Mumbai",
    "Jakarta",
]
COUNTED = [
    ("people", "were killed in floods"),
    ("people", "were displaced by the fighting"),
    ("children", "were vaccinated against measles"),
    ("migrants", "crossed the border"),
    ("homes", "were destroyed by the earthquake"),
    ("jobs", "were created"),
    ("patients", "were waiting for surgery"),
    ("soldiers", "were wounded"),
    ("voters", "cast a ballot"),
    ("cases of cholera", "were recorded"),
    ("protesters", "were arrested"),
    ("hectares of forest", "burned"),
    ("teachers", "went on strike"),
    ("refugees", "arrived by sea"),
    ("civilians", "were killed in air strikes"),
    ("new cars", "were sold"),
]
RATES = [
    "unemployment",
    "inflation",
    "the poverty rate",
    "the murder rate",
    "turnout",
    "the budget deficit",
    "public debt",
    "the birth rate",
    "youth unemployment",
    "the price of bread",
    "electricity prices",
    "rents",
    "fuel prices",
    "crime",
    "the minimum wage",
    "economic growth",
    "coal use",
    "child mortality",
]
MOVES = ["rose", "fell", "climbed", "dropped", "jumped", "reached a record", "stood at"]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
TEMPLATES = [
    "{n_big} {things} {happened} in {place} in {year}, according to {actor}.",
    "{Actor} says {n_big} {things} {happened} in {place} in {month} {year}.",
    "In {place}, {rate} {move} {pct}% in {year}.",
    "{Rate} in {place} {move} {pct}% in {month} {year}, {actor} said.",
    "{place_cap} spent {n_small} billion dollars on {spend} in {year}.",
    "{Actor} claims {place} has {n_big} {things_have}.",
    "Only {n_small}% of {people} in {place} {fact}.",
    "{place_cap} received {n_small} billion euros in aid from the EU between {year} and {year2}.",
]
SPEND = [
    "defence",
    "health care",
    "schools",
    "fossil fuel subsidies",
    "roads",
    "pensions",
    "foreign aid",
    "police",
    "renewable energy",
    "prisons",
]
HAVE = [
    "unfilled teaching posts",
    "people without electricity",
    "illegal guns in circulation",
    "uninsured residents",
    "empty homes",
    "doctors",
    "political prisoners",
]
PEOPLE = ["adults", "children", "women", "households", "pensioners", "young people"]
FACTS = [
    "have access to clean water",
    "voted in the last election",
    "own a car",
    "are vaccinated against COVID-19",
    "have a university degree",
    "pay income tax",
    "live below the poverty line",
    "use public transport every day",
]


def texts(count: int, seed: int) -> list[str]:
    """``count`` distinct claim texts of the templates (the same for the same seed)."""
    rng = random.Random(seed)
    found: dict[str, None] = {}
    while len(found) < count:
        year = rng.randint(2000, 2025)
        actor, place = rng.choice(ACTORS), rng.choice(PLACES)
        things, happened = rng.choice(COUNTED)
        rate = rng.choice(RATES)
        number = rng.choice(
            [
                f"{rng.randint(2, 999):,}",
                f"{rng.randint(1, 99) * 1000:,}",
                f"{rng.randint(1, 20)} million",
                f"{rng.randint(11, 999) / 10:g} million",
            ]
        )
        text = rng.choice(TEMPLATES).format(
            n_big=number,
            things=things,
            happened=happened,
            place=place,
            year=year,
            year2=year + rng.randint(1, 5),
            actor=actor,
            Actor=actor[0].upper() + actor[1:],
            month=rng.choice(MONTHS),
            rate=rate,
            Rate=rate[0].upper() + rate[1:],
            move=rng.choice(MOVES),
            pct=f"{rng.randint(5, 600) / 10:g}",
            n_small=f"{rng.randint(2, 400) / 10:g}",
            place_cap=place[0].upper() + place[1:],
            spend=rng.choice(SPEND),
            things_have=rng.choice(HAVE),
            people=rng.choice(PEOPLE),
            fact=rng.choice(FACTS),
        )
        found[text[0].upper() + text[1:]] = None
    return list(found)


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def ensure_database() -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(os.environ["DATABASE_URL"])
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


# Filling -------------------------------------------------------------------------------------


def pool_embeddings(pool: list[str]):
    """The pool's embeddings by the product's model, cached by the texts' hash."""
    import numpy as np

    from factcheck import embedding

    digest = hashlib.sha256("\n".join([embedding.MODEL_NAME, *pool]).encode()).hexdigest()[:16]
    path = CACHE / f"pool-{len(pool)}-{digest}.npy"
    if path.exists():
        print(f"Pool embeddings from {path}.", flush=True)
        return np.load(path)
    started = time.perf_counter()
    rows = []
    for start in range(0, len(pool), 64):
        rows.append(embedding.encode_passages(pool[start : start + 64]))
        done = min(start + 64, len(pool))
        print(f"\rEmbedding the pool: {done:,}/{len(pool):,}", end="", file=sys.stderr)
    print(file=sys.stderr)
    vectors = np.vstack(rows)
    seconds = time.perf_counter() - started
    print(
        f"Embedded {len(pool):,} pool texts in {seconds:,.0f} s ({len(pool) / seconds:.1f}/s).",
        flush=True,
    )
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


def fill(claims: int, pool_size: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.synthetic import generate
    from claims.services.matching import text_hash
    from factcheck import embedding

    started = time.monotonic()
    generate(claims, seed=2020)
    print(f"Seeded {claims:,} claims in {time.monotonic() - started:,.0f} s.", flush=True)
    pool = texts(min(claims, pool_size), seed=17)
    vectors = pool_embeddings(pool)
    stored = [embedding.to_stored(vector) for vector in vectors]
    hashes = [text_hash(text) for text in pool]
    now = timezone.now()
    started = time.monotonic()
    raw = connection.connection
    with transaction.atomic(), raw.cursor() as cursor:
        cursor.execute("SELECT id FROM claims_claim ORDER BY id")
        ids = [row[0] for row in cursor.fetchall()]
        cursor.execute("CREATE TEMPORARY TABLE bench_text (id bigint, text text) ON COMMIT DROP")
        with cursor.copy("COPY bench_text (id, text) FROM STDIN") as copy:
            for i, pk in enumerate(ids):
                copy.write_row((pk, pool[i % len(pool)]))
        cursor.execute(
            "UPDATE claims_claim SET text = bench_text.text FROM bench_text "
            "WHERE claims_claim.id = bench_text.id"
        )
        cursor.execute("TRUNCATE claims_claimembedding")
        with cursor.copy(
            "COPY claims_claimembedding (claim_id, model, text_hash, vector, code, updated_at) "
            "FROM STDIN"
        ) as copy:
            for i, pk in enumerate(ids):
                vector, code = stored[i % len(pool)]
                copy.write_row((pk, embedding.MODEL_NAME, hashes[i % len(pool)], vector, code, now))
    print(f"Texts and embeddings stored in {time.monotonic() - started:,.0f} s.", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE claims_claim")
        cursor.execute("VACUUM ANALYZE claims_claimembedding")


def counts() -> tuple[int, int, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM claims_claim), (SELECT count(*) FROM "
            "claims_claimembedding), (SELECT count(DISTINCT text_hash) FROM claims_claimembedding)"
        )
        return cursor.fetchone()


# Measuring (in a process of its own) --------------------------------------------------------


def measure(requests: int) -> None:
    from bench import wsgi
    from claims.models import Claim
    from claims.services.matching import embed_claims

    queries = texts(requests + WARM_UP + 1, seed=99)
    load = os.getloadavg()[0]
    first_similar = timed(lambda: wsgi.get(SIMILAR_PATH, {"text": queries[0]}))
    first_list = timed(lambda: wsgi.get(LIST_PATH))
    for text in queries[1 : WARM_UP + 1]:
        wsgi.get(SIMILAR_PATH, {"text": text})
        wsgi.get(LIST_PATH)
    similar, listed = [], []
    for text in queries[WARM_UP + 1 :]:
        similar.append(timed(lambda text=text: wsgi.get(SIMILAR_PATH, {"text": text})))
        listed.append(timed(lambda: wsgi.get(LIST_PATH)))
    load_after = os.getloadavg()[0]

    ids = list(Claim.objects.order_by("id").values_list("id", flat=True)[:EMBED_SAMPLE])
    kwargs = {"force": True, "suggest": False}
    started = time.perf_counter()
    done = embed_claims(ids, **kwargs)
    embed_seconds = time.perf_counter() - started

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rss = next(
        int(line.split()[1]) / 1024
        for line in Path("/proc/self/status").read_text().splitlines()
        if line.startswith("VmRSS:")
    )
    s50, s95 = percentile(similar, 0.5), percentile(similar, 0.95)
    l50, l95 = percentile(listed, 0.5), percentile(listed, 0.95)
    print(
        f"Anonymous client, in-process through Django's WSGI handler; {len(similar)} requests "
        f"each, alternating, after {WARM_UP} unmeasured pairs; ms. Load average (1 min) "
        f"before and after: {load:.2f}, {load_after:.2f}."
    )
    print(
        f"first similar/ request (loads the model and the vector index): {first_similar:,.0f} ms; "
        f"first claims list: {first_list:,.0f} ms"
    )
    header = f"{'measure':<34} {'p50':>8} {'p95':>8}   {'÷ list p50':>10} {'p95 ÷':>6}  target"
    print(header)
    print("-" * len(header))
    verdict = "PASS" if s95 / l50 <= TARGET else "MISS"
    print(
        f"{'GET /api/v1/claims/similar/?text=':<34} {s50:8.1f} {s95:8.1f}   "
        f"{s50 / l50:10.2f} {s95 / l50:6.2f}  p95 ≤ {TARGET:g}× {verdict}"
    )
    print(f"{'GET /api/v1/claims/ (first page)':<34} {l50:8.1f} {l95:8.1f}")
    print(
        f"embed_claims over {done:,} claims: {embed_seconds:,.1f} s, "
        f"{done / embed_seconds:.1f} claims/s"
    )
    print(f"worker memory: peak RSS {peak:,.0f} MB, RSS at the end {rss:,.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pool", type=int, default=10_000, help="distinct texts and embeddings")
    parser.add_argument("--reuse", action="store_true", help="keep a database already filled")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        parser.error("Set DATABASE_URL to a PostgreSQL database kept for benchmarks.")
    os.environ.setdefault("CACHE_URL", "locmem://")
    if args.measure:
        setup_django()
        measure(args.requests)
        return
    ensure_database()
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    present, embedded, distinct = counts()
    if args.reuse and present == args.claims and embedded == present:
        print(f"Reusing the {present:,} claims in the database (--reuse).", flush=True)
    else:
        fill(args.claims, args.pool)
        present, embedded, distinct = counts()
    version = connection.cursor().connection.info.server_version
    print(
        f"Similar-claim matching at scale, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} "
        f"UTC: {present:,} claims, {embedded:,} embeddings of which {distinct:,} distinct "
        f"(one per distinct text); PostgreSQL {version // 10000}.{version % 10000}, "
        f"{os.cpu_count()} CPUs"
    )
    connection.close()
    subprocess.run(
        [sys.executable, __file__, "--measure", "--requests", str(args.requests)], check=True
    )


if __name__ == "__main__":
    main()
