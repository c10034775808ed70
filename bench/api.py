"""Benchmark the claims API on a large synthetic dataset, against its targets.

    DATABASE_URL=postgres://…/factcheck_bench DEBUG=true python bench/api.py \\
        [--claims 1000000] [--reuse] [--repeat 100]

Seeds the database with bench/synthetic.py (or, with --reuse, keeps it if it
already holds that many claims), then times, in this process and through the
whole Django stack (WSGI handler, middleware, DRF) as an anonymous client, the
way researchers use the API:

1. the claims list at page_size=50 and 500, against bench/handwritten.py (the
   same page, byte for byte, from hand-written SQL and orjson);
2. the page 10,000 pages deep in the cursor pagination, against the first page;
3. full-text search (q=) with several terms, each with its ranking query alone,
   and the plans of that query.

The database is meant for benchmarks only: seeding empties the claim and source
tables. See bench/README.md for what each figure means.
"""

import argparse
import base64
import datetime
import math
import os
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

setup_django()

import orjson  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench import handwritten, wsgi  # noqa: E402
from bench.synthetic import NEWS_WORDS, generate  # noqa: E402
from claims.models import Claim, Speaker  # noqa: E402
from claims.read.search import RankWindow, relevance, search_claims  # noqa: E402
from claims.read.visibility import claims_visible_to  # noqa: E402
from factcheck.api.pagination import SORT, KeysetPagination  # noqa: E402

HOST = wsgi.HOST
ROOT = f"http://{HOST}/api/v1/"
CLAIMS_PATH = "/api/v1/claims/"
PAGE_SIZES = (50, 500)
DEEP_PAGES, DEEP_PAGE_SIZE = 10_000, 50
# Words from the generator's news vocabulary, alone and combined the ways a
# web-search-style query allows: all words, a "phrase", an -exclusion.
SEARCHES = ["missile", "casualties", "embassy attack", '"nuclear deal"', "sanctions -war"]
assert all(word.strip('"-') in NEWS_WORDS for term in SEARCHES for word in term.split())
WARM_UP = 5
TARGETS = {"list": 1.5, "deep": 1.2, "search_ms": 50.0}


def api_get(path: str, params: dict) -> bytes:
    return wsgi.get(path, params)


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample at least ``share`` of them do not exceed."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(samples: list[float]) -> tuple[float, float]:
    return percentile(samples, 0.50), percentile(samples, 0.95)


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def alternate(first, second, repeat: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call of each, called in turn so that whatever else the
    machine does in the meantime falls on both alike."""
    for _ in range(WARM_UP):
        first()
        second()
    a, b = [], []
    for _ in range(repeat):
        a.append(timed(first))
        b.append(timed(second))
    return a, b


# The dataset ---------------------------------------------------------------------------------


def ensure_dataset(claims: int, reuse: bool) -> None:
    present = Claim.objects.count()
    if reuse and present == claims:
        print(f"Reusing the {present:,} claims in the database (--reuse).", flush=True)
        return
    if reuse:
        print(f"The database holds {present:,} claims, not {claims:,}: seeding.", flush=True)
    else:
        print(f"Seeding {claims:,} claims (replacing {present:,}).", flush=True)
    started = time.monotonic()
    generate(claims, seed=2020)
    print(f"Seeded in {time.monotonic() - started:,.0f} s.", flush=True)


# The measurements ----------------------------------------------------------------------------


class Row:
    def __init__(self, what, api, versus=None, vs_label="", target="", passed=None, note=""):
        self.what, self.api, self.versus, self.vs_label = what, api, versus, vs_label
        self.target, self.passed, self.note = target, passed, note


def reference_page(size: int) -> bytes:
    """bench/handwritten.py's page, on the psycopg connection under Django's.

    Fetched on every call: Django replaces the connection between requests once
    it is CONN_MAX_AGE old. Not through ensure_connection(), which after a
    request checks the connection with a query of its own.
    """
    if connection.connection is None:
        connection.ensure_connection()
    return handwritten.first_page(connection.connection, ROOT, size)


def measure_list(repeat: int) -> list[Row]:
    rows = []
    for size in PAGE_SIZES:
        print(f"Claims list, page_size={size}: API and hand-written SQL, {repeat} each", flush=True)
        ours, theirs = api_get(CLAIMS_PATH, {"page_size": size}), reference_page(size)
        if ours != theirs:
            raise SystemExit(
                f"The hand-written page_size={size} page differs from the API's; fix "
                f"bench/handwritten.py.\nAPI:  {ours[:300]!r}\nhand: {theirs[:300]!r}"
            )
        api, reference = alternate(
            lambda size=size: api_get(CLAIMS_PATH, {"page_size": size}),
            lambda size=size: reference_page(size),
            repeat,
        )
        rows.append(
            Row(
                f"claims list, page_size={size}",
                summary(api),
                summary(reference),
                "SQL+orjson",
                f"≤ {TARGETS['list']}×",
                ratios_pass(summary(api), summary(reference), TARGETS["list"]),
                f"{len(ours) / 1024:,.0f} KiB, identical bytes",
            )
        )
    return rows


def ratios_pass(a: tuple[float, float], b: tuple[float, float], target: float) -> bool:
    return a[0] / b[0] <= target and a[1] / b[1] <= target


def deep_cursor() -> tuple[str, int, int]:
    """The cursor of the page after DEEP_PAGES full pages (fewer if the dataset is
    smaller), made by the pagination class from the row that ends the last of them,
    as its next link would be; and the id that page must start with."""
    public = claims_visible_to(AnonymousUser())
    pages = min(DEEP_PAGES, public.count() // DEEP_PAGE_SIZE - 1)
    if pages < 1:
        raise SystemExit("Too few public claims for a second page; seed more (--claims).")
    # The API's default ordering, newest change first, with the id breaking ties.
    ordered = public.annotate(**{SORT: F("updated_at")}).order_by(f"-{SORT}", "-id")
    last, following = ordered.values(SORT, "id")[
        pages * DEEP_PAGE_SIZE - 1 : pages * DEEP_PAGE_SIZE + 1
    ]
    pagination = KeysetPagination()
    pagination.ordering_value, pagination.pk = "-updated_at", "id"
    return pagination.encode_cursor(last, back=False), pages, following["id"]


def measure_deep(repeat: int) -> Row:
    cursor, pages, first_id = deep_cursor()
    print(f"Cursor page {pages:,} pages deep against the first page, {repeat} each", flush=True)
    params = {"page_size": DEEP_PAGE_SIZE, "cursor": cursor}
    deep_page = api_get(CLAIMS_PATH, params)
    if not deep_page.startswith(b'{"next":') or f'"results":[{{"id":{first_id},'.encode() not in (
        deep_page
    ):
        raise SystemExit(f"The deep page does not start at claim {first_id}: {deep_page[:300]!r}")
    deep, first = alternate(
        lambda: api_get(CLAIMS_PATH, params),
        lambda: api_get(CLAIMS_PATH, {"page_size": DEEP_PAGE_SIZE}),
        repeat,
    )
    return Row(
        f"cursor page {pages:,} deep, page_size={DEEP_PAGE_SIZE}",
        summary(deep),
        summary(first),
        "first page",
        f"≤ {TARGETS['deep']}×",
        ratios_pass(summary(deep), summary(first), TARGETS["deep"]),
        f"starts at row {pages * DEEP_PAGE_SIZE + 1:,}",
    )


def plan_lines(sql: str, params=()) -> list[str]:
    """The lines of a search query's plan that show how it finds the matches
    (which indexes) and what it costs."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        plan = [line.strip().removeprefix("->  ") for (line,) in cursor.fetchall()]
    wanted = (
        "search_idx",
        "updated_idx",
        "updated_at_idx",
        "Index Cond: (search_document",
        "Rows Removed by Filter",
        "Bitmap Heap Scan on claims_claim",
        "BitmapOr",
        "Gather",
        "Sort Method",
        "Execution Time",
        "JIT:",
    )
    return [plan[0], *(line for line in plan[1:] if any(word in line for word in wanted))]


def ranking_query(term: str) -> tuple[str, RankWindow]:
    """The ranking query of ``term``'s first page as the API ran it for an
    anonymous client, and a window that reads it the same way (newest first if
    the page's cursor says so)."""
    with CaptureQueriesContext(connection) as captured:
        api_get(CLAIMS_PATH, {"q": term})
    sql = next(query["sql"] for query in captured.captured_queries if "ts_rank" in query["sql"])
    as_read = RankWindow()
    narrowed = public_window(term)
    as_read.newest_first = narrowed not in (None, RankWindow.EVERY_MATCH) and narrowed[1]
    return sql, as_read


def time_ranking(term: str, repeat: int) -> tuple[float, float]:
    """p50 and p95 of ``term``'s ranking query alone, as the API ran it."""
    sql, as_read = ranking_query(term)

    def run():
        with as_read.reading(), connection.cursor() as cursor:
            cursor.execute(sql)
            cursor.fetchall()

    with transaction.atomic():  # as in a request, whichever way it is read
        for _ in range(WARM_UP):
            run()
        return summary([timed(run) for _ in range(repeat)])


def search_plans(term: str) -> list[str]:
    """The plan of the ranking query as the API runs it for an anonymous client,
    and as it runs for the newsroom (every claim: the full indexes)."""
    public, as_read = ranking_query(term)
    # As the list view and the pagination run it for an editor.
    everything = Claim.objects.all()
    window = RankWindow(visible=everything)
    matches = window.narrow(search_claims(everything, term).values("id"))
    newsroom = matches.annotate(**{SORT: relevance(term)}).order_by(f"-{SORT}", "-id")
    lines = [f"EXPLAIN ANALYZE of the ranking query for q={term}, anonymous (public claims):"]
    with as_read.reading():
        lines += [f"  {line}" for line in plan_lines(public)]
    lines += ["The same for the newsroom (every claim):"]
    with window.reading():
        lines += [f"  {line}" for line in plan_lines(*newsroom[:51].query.sql_with_params())]
    return lines


def search_terms() -> list[str]:
    """SEARCHES, a speaker's full name (researchers look people up), and five
    rarer words, any of which may match: about 14,000 public claims, a search of
    middling frequency (the worst case of an earlier ranking window, which ranked
    every match below 22,000; claims/read/search.py now ranks a window of them)."""
    names = Speaker.objects.order_by("id").values_list("name", flat=True)
    text = Claim.objects.order_by("id").values_list("text", flat=True).first()
    assert text is not None, "seed the claims first"
    rarer = []
    for word in text.lower().rstrip(".").split():
        if word not in NEWS_WORDS and word not in rarer:
            rarer.append(word)
    return [*SEARCHES, names[names.count() // 2], " or ".join(rarer[:5])]


def public_window(term: str):
    """What the first page of ``term`` narrowed to, as its next link's cursor
    says (RankWindow.read); None when there is no next page."""
    link = orjson.loads(api_get(CLAIMS_PATH, {"q": term}))["next"]
    if link is None:
        return None
    cursor = parse_qs(urlsplit(link).query)["cursor"][0]
    token = orjson.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    return RankWindow().read(token["n"])


def ranked(term: str, matches) -> str:
    """Which of ``matches`` the first page ranked, and how it found them."""
    window = public_window(term)
    if window is None or window == RankWindow.EVERY_MATCH:
        return "ranked all"
    since, newest_first = window
    held = matches.filter(updated_at__gte=since).count()
    how = "read newest first" if newest_first else "found through the GIN index"
    return f"ranked the newest {held:,}, {how}"


def measure_search(repeat: int) -> tuple[list[Row], list[str]]:
    rows, everything = [], []
    public = claims_visible_to(AnonymousUser())
    terms = search_terms()
    for term in terms:
        print(f"Search q={term}: {repeat} requests", flush=True)
        for _ in range(WARM_UP):
            api_get(CLAIMS_PATH, {"q": term})
        samples = [
            timed(lambda term=term: api_get(CLAIMS_PATH, {"q": term})) for _ in range(repeat)
        ]
        everything += samples
        matches = public.filter(id__in=search_claims(Claim.objects.all(), term).values("id"))
        ranking = time_ranking(term, repeat)
        rows.append(
            Row(
                f"q={term}",
                summary(samples),
                target=f"p95 < {TARGETS['search_ms']:.0f} ms",
                passed=summary(samples)[1] < TARGETS["search_ms"],
                note=f"{matches.count():,} public matches, {ranked(term, matches)}; "
                f"ranking query alone {ranking[0]:.1f} / {ranking[1]:.1f}",
            )
        )
    overall = summary(everything)
    rows.append(
        Row(
            f"q= search, all {len(terms)} terms",
            overall,
            target=f"p95 < {TARGETS['search_ms']:.0f} ms",
            passed=overall[1] < TARGETS["search_ms"],
        )
    )
    plan = [*search_plans(terms[2]), *search_plans(terms[0]), *search_plans(terms[-1])]
    return rows, plan


# The report ----------------------------------------------------------------------------------


def report(rows: list[Row], plan: list[str], args, elapsed: float) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    public = claims_visible_to(AnonymousUser()).count()
    print()
    print(
        f"Claims API benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}: "
        f"{args.claims:,} claims ({public:,} public), PostgreSQL {version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        f"Anonymous client, in-process through Django's WSGI handler; {args.repeat} samples "
        "per figure; times in ms (p50 / p95). Load average (1 min) before and after: "
        f"{args.load_before:.2f}, {os.getloadavg()[0]:.2f}."
    )
    header = (
        f"{'measure':<38} {'API p50':>8} {'p95':>7}   {'versus':<11}{'p50':>7} {'p95':>7}"
        f"   {'ratio p50':>9} {'p95':>5}   {'target':<13} {'result':<6}  note"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        line = f"{row.what:<38} {row.api[0]:>8.1f} {row.api[1]:>7.1f}   "
        if row.versus:
            ratio = (row.api[0] / row.versus[0], row.api[1] / row.versus[1])
            line += f"{row.vs_label:<11}{row.versus[0]:>7.1f} {row.versus[1]:>7.1f}   "
            line += f"{ratio[0]:>9.2f} {ratio[1]:>5.2f}   "
        else:
            line += " " * 11 + " " * 16 + "   " + " " * 15 + "   "
        verdict = "" if row.passed is None else ("PASS" if row.passed else "MISS")
        line += f"{row.target:<13} {verdict:<6}  {row.note}"
        print(line.rstrip())
    print()
    print("\n".join(plan))
    print(f"\nMeasured in {elapsed:,.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000, help="Dataset size in claims.")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="Keep the data if the database already holds exactly that many claims.",
    )
    parser.add_argument("--repeat", type=int, default=100, help="Samples per figure.")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        parser.error("Set DATABASE_URL to a PostgreSQL database kept for benchmarks.")
    if args.claims < 1 or args.repeat < 1:
        parser.error("--claims and --repeat must be at least 1.")

    ensure_dataset(args.claims, args.reuse)
    # Other work on the machine shows in the figures; the report says how busy it was.
    args.load_before = os.getloadavg()[0]
    started = time.monotonic()
    rows = measure_list(args.repeat)
    rows.append(measure_deep(args.repeat))
    search_rows, plan = measure_search(args.repeat)
    report(rows + search_rows, plan, args, time.monotonic() - started)


if __name__ == "__main__":
    main()
