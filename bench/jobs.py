"""Benchmark a claim request while PDF reports are made, and the jobs' throughput.

    python bench/jobs.py [--claims 20000] [--reuse] [--database factcheck_bench_jobs]
        [--reports 4] [--report-claims 100] [--throughput 8] [--worker-nice 10]

Creates the database (on --server) when it is missing, migrates it and seeds it
with bench/synthetic.py (with --reuse, keeps it when it already holds that many
claims). Then serves the app over real HTTP as in production (gunicorn, 4 sync
workers, DEBUG off) on a free localhost port, and measures:

1. GET /api/v1/claims/<id>/ of public claims (anonymous), --rate a second on a
   fixed schedule from a client thread: at rest, then all the while --reports PDF
   reports of --report-claims public claims each are asked for at once by as
   many clients and made, from the requests until the last of them is done.
   Once with reports as background jobs (202, one task worker, ``manage.py
   worker``, beside the server; with --worker-nice N also with that worker under
   ``nice -n N``), and once the old way, REPORT_PDF_SYNC_MAX_CLAIMS=1000 for the
   server (each PDF made inside its request, no worker). Target: p50 under load
   ÷ p50 at rest ≤ 1.5 with jobs.
2. Jobs per minute with one worker: --throughput reports of --report-claims
   claims asked for at once, from the first request to the last job succeeded.

The database is meant for benchmarks only: seeding empties the claim and source
tables, and the script deletes every job in it. Every process it starts is
stopped when it ends (also on Ctrl-C and errors). See bench/README.md.
"""

import argparse
import datetime
import http.client
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

VENV_BIN = ROOT / ".venv" / "bin"
GUNICORN = [str(VENV_BIN / "gunicorn"), "factcheck.wsgi", "--workers", "4"]
# gunicorn kills a sync worker whose request takes longer than --timeout (30 s by
# default); a PDF made inside its request (the old way) takes longer than that here.
GUNICORN_TIMEOUT = 600
WORKER = [str(VENV_BIN / "python"), "manage.py", "worker"]
FORBIDDEN_DATABASES = ("factcheck", "factcheck_bench")
HOST = "127.0.0.1"
TARGET = 1.5
WARM_UP = 10
POLL_SECONDS = 1.0


def percentile(samples: list[float], share: float) -> float:
    """Nearest-rank percentile: the smallest sample at least ``share`` of them do not exceed."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def summary(samples: list[float]) -> tuple[float, float]:
    return percentile(samples, 0.50), percentile(samples, 0.95)


# The database --------------------------------------------------------------------------------


def ensure_database(server: str, name: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            print(f"Creating the database {name}.", flush=True)
            conn.execute(f'CREATE DATABASE "{name}"')


def prepare_data(claims: int, reuse: bool) -> None:
    from django.core.management import call_command

    from bench.synthetic import generate
    from claims.models import Claim
    from jobs.models import Job

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    present = Claim.objects.count()
    if reuse and present == claims:
        print(f"Reusing the {present:,} claims in the database (--reuse).", flush=True)
    else:
        print(f"Seeding {claims:,} claims (replacing {present:,}).", flush=True)
        started = time.monotonic()
        generate(claims, seed=2020)
        print(f"Seeded in {time.monotonic() - started:,.0f} s.", flush=True)
    # No job of an earlier run may be picked up by this run's worker.
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()
    Job.objects.all().delete()


def report_selections(count: int, size: int) -> list[list[tuple[str, str]]]:
    """``count`` disjoint sets of claims-list filters, each selecting exactly
    ``size`` public claims: several ``source=`` ids (a claim appears in one source,
    about 6 public claims a source), summed until they make ``size``. Each is
    checked with the selection the report itself reads (claims/read/selection.py)."""
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Count
    from django.http import QueryDict

    from claims.models import Appearance, Claim
    from claims.read.selection import select_claims

    per_source = (
        Appearance.objects.filter(claim__in=Claim.objects.public())
        .values("source_id")
        .annotate(n=Count("claim_id", distinct=True))
        .order_by("source_id")
        .values_list("source_id", "n")
    )
    selections: list[list[tuple[str, str]]] = []
    chosen: list[int] = []
    held = 0
    for source_id, n in per_source.iterator():
        if held + n > size:
            continue
        chosen.append(source_id)
        held += n
        if held == size:
            selections.append([("source", str(source)) for source in chosen])
            chosen, held = [], 0
            if len(selections) == count:
                break
    if len(selections) < count:
        raise SystemExit(f"Too few public claims for {count} reports of {size}; seed more.")
    for params in selections:
        query = QueryDict(mutable=True)
        for name, value in params:
            query.appendlist(name, value)
        selected = select_claims(query, user=AnonymousUser()).claims.count()  # type: ignore[attr-defined]
        if selected != size:
            raise SystemExit(f"A report's filters select {selected} claims, not {size}.")
    return selections


def sample_claim_ids(limit: int = 500) -> list[int]:
    from claims.models import Claim

    ids = list(Claim.objects.public().order_by("id").values_list("id", flat=True))
    step = max(1, len(ids) // limit)
    return ids[::step][:limit]


# The processes -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Processes:
    """The server and worker processes this run started, each in a session of its
    own (Ctrl-C in the terminal reaches the script only), stopped by ``stop``."""

    def __init__(self, logs: Path):
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def start(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 (closed with the process)
        self.running[name] = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()  # the child holds its own copy

    def stop(self, name: str) -> None:
        process = self.running.pop(name, None)
        if process is None:
            return
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def stop_all(self) -> None:
        for name in list(self.running):
            self.stop(name)

    def check(self) -> None:
        for name, process in self.running.items():
            if process.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise SystemExit(f"The {name} stopped (exit {process.returncode}):\n{tail}")


def app_env(database_url: str, cache_url: str, media: Path, sync_max: int | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        CACHE_URL=cache_url,
        MEDIA_ROOT=str(media),
        TASKS_BACKEND="database",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="false",
        API_THROTTLE_ANON="1000000/second",
        API_THROTTLE_USER="1000000/second",
        LOG_LEVEL="WARNING",
    )
    env.pop("REPORT_PDF_SYNC_MAX_CLAIMS", None)
    if sync_max is not None:
        env["REPORT_PDF_SYNC_MAX_CLAIMS"] = str(sync_max)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


# HTTP ------------------------------------------------------------------------------------------


def http_get(port: int, path: str, timeout: float = 900) -> tuple[int, dict[str, str], bytes]:
    """One GET on a new connection (gunicorn's sync workers close each one)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "application/json", "Host": HOST})
        response = conn.getresponse()
        body = response.read()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body
    finally:
        conn.close()


def wait_until_serving(port: int, path: str, processes: Processes) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        processes.check()
        try:
            status, _, _ = http_get(port, path, timeout=5)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit(f"The server did not answer {path} within a minute.")


class ClaimClient(threading.Thread):
    """GETs the claims, round the list, at a fixed rate whatever the answers take
    (each request in a thread of its own, started on schedule), until stopped or
    ``limit`` requests were started. A request's time counts from its scheduled
    start, so one that waits for a free server worker counts all its wait, and a
    stalled server cannot make the client ask less often (no coordinated omission)."""

    def __init__(self, port: int, claim_ids: list[int], rate: float, limit: int | None = None):
        super().__init__(name="claim-client", daemon=True)
        self.port, self.claim_ids, self.rate, self.limit = port, claim_ids, rate, limit
        self.samples: list[tuple[float, float]] = []  # (scheduled start, milliseconds)
        self.failures: list[str] = []
        self._stopped = threading.Event()
        self._requests: list[threading.Thread] = []
        self._lock = threading.Lock()

    def _get(self, path: str, scheduled: float) -> None:
        try:
            status, _, body = http_get(self.port, path, timeout=900)
        except OSError as error:
            status, body = 0, repr(error).encode()
        elapsed = (time.perf_counter() - scheduled) * 1000
        with self._lock:
            if status == 200:
                self.samples.append((scheduled, elapsed))
            else:
                self.failures.append(f"{path}: {status} {body[:200]!r}")

    def run(self) -> None:
        began = time.perf_counter()
        index = 0
        while not self._stopped.is_set() and (self.limit is None or index < self.limit):
            scheduled = began + index / self.rate
            delay = scheduled - time.perf_counter()
            if delay > 0 and self._stopped.wait(delay):
                break
            path = f"/api/v1/claims/{self.claim_ids[index % len(self.claim_ids)]}/"
            request = threading.Thread(target=self._get, args=(path, scheduled), daemon=True)
            request.start()
            self._requests.append(request)
            index += 1

    def stop(self, since: float, until: float | None = None) -> list[float]:
        """The milliseconds of the requests scheduled from ``since`` until ``until``
        (all, when None), once every request started has been answered."""
        if self.limit is None:
            self._stopped.set()
        self.join()
        for request in self._requests:
            request.join()
        if self.failures:
            raise SystemExit(f"A claim request failed: {self.failures[0]}")
        return [ms for at, ms in self.samples if at >= since and (until is None or at <= until)]


def measure_at_rest(port: int, claim_ids: list[int], repeat: int, rate: float) -> list[float]:
    for claim_id in claim_ids[:WARM_UP]:
        http_get(port, f"/api/v1/claims/{claim_id}/")
    client = ClaimClient(port, claim_ids, rate, limit=repeat)
    since = time.perf_counter()
    client.start()
    return client.stop(since)


def report_path(params: list[tuple[str, str]], title: str) -> str:
    return "/api/v1/claims/report.pdf?" + urlencode([*params, ("title", title)])


@dataclass
class Reports:
    """What became of a batch of reports asked for at once."""

    seconds: float  # from the first request until the last report was done
    each: list[float] = field(default_factory=list)  # each report's, from its request
    totals: list[int | None] = field(default_factory=list)  # claims each job said it held
    pdf_bytes: list[int] = field(default_factory=list)


def ask_at_once(port: int, paths: list[str]) -> list[tuple[int, dict[str, str], bytes, float]]:
    """GET every path at the same moment, each from a client thread of its own; each
    answer with the seconds it took."""
    answers: list[tuple[int, dict[str, str], bytes, float] | None] = [None] * len(paths)
    errors: list[BaseException] = []
    barrier = threading.Barrier(len(paths))

    def ask(index: int) -> None:
        try:
            barrier.wait()
            started = time.perf_counter()
            status, headers, body = http_get(port, paths[index])
            answers[index] = (status, headers, body, time.perf_counter() - started)
        except BaseException as error:  # reported by the caller
            errors.append(error)

    threads = [threading.Thread(target=ask, args=(index,)) for index in range(len(paths))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise SystemExit(f"A report request failed: {errors[0]!r}")
    return [answer for answer in answers if answer is not None]


def reports_as_jobs(
    port: int, selections: list[list[tuple[str, str]]], processes: Processes, label: str
) -> Reports:
    """Ask for the reports at once (each must answer 202), then follow their jobs
    until every one succeeded."""
    started = time.perf_counter()
    paths = [report_path(params, f"{label} {n + 1}") for n, params in enumerate(selections)]
    answers = ask_at_once(port, paths)
    jobs = []
    for status, headers, body, _ in answers:
        if status != 202 or "location" not in headers:
            raise SystemExit(f"A report answered {status}, not 202 with a Location: {body[:300]!r}")
        jobs.append(urlsplit(headers["location"]).path)
    finished: dict[str, dict] = {}
    ended_at: dict[str, float] = {}
    deadline = time.monotonic() + 1800
    while len(finished) < len(jobs):
        processes.check()
        if time.monotonic() > deadline:
            raise SystemExit("The jobs did not finish within half an hour.")
        for job in jobs:
            if job in finished:
                continue
            status, _, body = http_get(port, job)
            if status != 200:
                raise SystemExit(f"{job}: {status} {body[:300]!r}")
            state = json.loads(body)
            if state["status"] == "failed":
                raise SystemExit(f"A report job failed: {state['error']}")
            if state["status"] == "succeeded":
                finished[job] = state
                ended_at[job] = time.perf_counter()
        if len(finished) < len(jobs):
            time.sleep(POLL_SECONDS)
    outcome = Reports(seconds=time.perf_counter() - started)
    for job in jobs:
        state = finished[job]
        outcome.each.append(ended_at[job] - started)
        outcome.totals.append(state["progress"]["total"])
        status, headers, body = http_get(port, urlsplit(state["result_url"]).path)
        if status != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"{job}'s result is not a PDF: {status} {body[:100]!r}")
        outcome.pdf_bytes.append(len(body))
    return outcome


def reports_in_requests(port: int, selections: list[list[tuple[str, str]]]) -> Reports:
    """Ask for the reports at once; each PDF must come back in its response."""
    started = time.perf_counter()
    paths = [report_path(params, f"in request {n + 1}") for n, params in enumerate(selections)]
    answers = ask_at_once(port, paths)
    outcome = Reports(seconds=time.perf_counter() - started)
    for status, _headers, body, seconds in answers:
        if status != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"A report answered {status}, not a PDF: {body[:300]!r}")
        outcome.each.append(seconds)
        outcome.pdf_bytes.append(len(body))
    return outcome


def warm_up(port: int, selections: list[list[tuple[str, str]]], processes: Processes) -> None:
    """Unmeasured: a small PDF made in a request by each of the server's workers
    (one source's claims, under 25), so that none loads WeasyPrint while measured;
    then, when a worker runs, one job, for the same in the worker."""
    paths = [report_path(params[:1], "warm-up") for params in selections[:4]]
    for status, _headers, body, _seconds in ask_at_once(port, paths):
        if status != 200 or not body.startswith(b"%PDF"):
            raise SystemExit(f"A small report answered {status}, not a PDF: {body[:300]!r}")
    if "worker" in processes.running:
        reports_as_jobs(port, selections[:1], processes, "warm-up")


def under_load(port: int, claim_ids: list[int], rate: float, make) -> tuple[list[float], Reports]:
    """The claim requests scheduled all the while ``make()`` asks for the reports
    and waits for them (from its first request until the last report is done)."""
    client = ClaimClient(port, claim_ids, rate)
    client.start()
    since = time.perf_counter()
    try:
        outcome = make()
    finally:
        until = time.perf_counter()
        samples = client.stop(since, until)
    return samples, outcome


# The run ---------------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    samples: list[float]
    rest: list[float] | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""


def load_row(what: str, samples: list[float], rest: list[float], outcome: Reports, judged: bool):
    ratio = summary(samples)[0] / summary(rest)[0]
    each = ", ".join(f"{seconds:.0f}" for seconds in sorted(outcome.each))
    return Row(
        what,
        samples,
        rest,
        target=f"≤ {TARGET}×" if judged else "(before)",
        passed=(ratio <= TARGET) if judged else None,
        note=f"{len(samples)} requests in {outcome.seconds:.0f} s; reports done after {each} s",
    )


def run(args, database_url: str, media: Path, processes: Processes) -> None:
    selections = report_selections(max(args.reports, args.throughput), args.report_claims)
    claim_ids = sample_claim_ids()
    print(
        f"{len(selections)} report selections of {args.report_claims} public claims each "
        f"(checked with the report's own selection): e.g. {urlencode(selections[0])}",
        flush=True,
    )
    load = selections[: args.reports]
    probe = f"/api/v1/claims/{claim_ids[0]}/"
    load_before = os.getloadavg()[0]
    started = time.monotonic()
    rows: list[Row] = []

    # Reports as background jobs: the server as configured by default, one worker.
    port = free_port()
    jobs_env = app_env(database_url, args.cache_url, media, None)
    bind = ["--bind", f"{HOST}:{port}", "--timeout", str(GUNICORN_TIMEOUT)]
    processes.start("server", [*GUNICORN, *bind], jobs_env)
    processes.start("worker", WORKER, jobs_env)
    wait_until_serving(port, probe, processes)
    print(f"Serving on {HOST}:{port} (reports over 25 claims as jobs), one worker.", flush=True)
    warm_up(port, selections, processes)
    print(f"At rest: {args.repeat} claim requests", flush=True)
    rest = measure_at_rest(port, claim_ids, args.repeat, args.rate)
    rows.append(Row("claim, at rest (server with jobs)", rest, note=f"{len(rest)} requests"))
    print(f"Under load: {len(load)} reports as jobs, one worker", flush=True)
    samples, outcome = under_load(
        port, claim_ids, args.rate, lambda: reports_as_jobs(port, load, processes, "load")
    )
    totals = ", ".join(str(total) for total in outcome.totals)
    print(f"  the jobs said they held {totals} claims", flush=True)
    rows.append(load_row(f"claim, {len(load)} PDF jobs, 1 worker", samples, rest, outcome, True))

    if args.worker_nice:
        processes.stop("worker")
        processes.start("worker", ["nice", "-n", str(args.worker_nice), *WORKER], jobs_env)
        warm_up(port, selections, processes)
        print(f"Under load: {len(load)} reports as jobs, worker at nice {args.worker_nice}")
        samples, outcome = under_load(
            port, claim_ids, args.rate, lambda: reports_as_jobs(port, load, processes, "nice")
        )
        rows.append(
            load_row(
                f"claim, {len(load)} PDF jobs, 1 worker at nice {args.worker_nice}",
                samples,
                rest,
                outcome,
                True,
            )
        )
        processes.stop("worker")
        processes.start("worker", WORKER, jobs_env)
        warm_up(port, selections, processes)

    print(f"Throughput: {args.throughput} reports as jobs, one worker, nothing else", flush=True)
    throughput = reports_as_jobs(port, selections[: args.throughput], processes, "throughput")
    processes.stop("worker")
    processes.stop("server")

    # The old way: every PDF made inside its request, no worker.
    port = free_port()
    old_env = app_env(database_url, args.cache_url, media, 1000)
    bind = ["--bind", f"{HOST}:{port}", "--timeout", str(GUNICORN_TIMEOUT)]
    processes.start("server", [*GUNICORN, *bind], old_env)
    wait_until_serving(port, probe, processes)
    print(f"Serving on {HOST}:{port} with REPORT_PDF_SYNC_MAX_CLAIMS=1000, no worker.", flush=True)
    warm_up(port, selections, processes)
    old_rest = measure_at_rest(port, claim_ids, args.repeat, args.rate)
    rows.append(
        Row("claim, at rest (PDFs in requests)", old_rest, note=f"{len(old_rest)} requests")
    )
    print(f"Under load: {len(load)} reports made inside their requests", flush=True)
    samples, outcome = under_load(
        port, claim_ids, args.rate, lambda: reports_in_requests(port, load)
    )
    rows.append(load_row(f"claim, {len(load)} PDFs in requests", samples, old_rest, outcome, False))
    processes.stop("server")

    report(args, rows, throughput, load_before, time.monotonic() - started)


def report(args, rows: list[Row], throughput: Reports, load_before: float, elapsed: float):
    from django.db import connection

    from claims.models import Claim

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        row = cursor.fetchone()
        assert row is not None
        version = row[0]
    public = Claim.objects.public().count()
    print()
    print(
        f"Background jobs benchmark, {datetime.datetime.now():%Y-%m-%d %H:%M}: "
        f"{args.claims:,} claims ({public:,} public), PostgreSQL {version.split()[0]}, "
        f"{os.cpu_count()} CPUs"
    )
    print(
        "GET /api/v1/claims/<id>/ of public claims, anonymous, over HTTP to gunicorn (4 sync "
        f"workers, DEBUG off), {args.rate:g} a second on schedule (a request's time counts "
        f"from its scheduled start); {args.reports} reports of "
        f"{args.report_claims} claims asked for at once; times in ms. Load average (1 min) "
        f"before and after: {load_before:.2f}, {os.getloadavg()[0]:.2f}."
    )
    header = (
        f"{'measure':<44} {'p50':>7} {'p95':>7} {'max':>8}   {'ratio p50':>9} {'p95':>6}   "
        f"{'target':<9} {'result':<6}  note"
    )
    print(header)
    print("-" * len(header))
    for item in rows:
        p50, p95 = summary(item.samples)
        line = f"{item.what:<44} {p50:>7.1f} {p95:>7.1f} {max(item.samples):>8.1f}   "
        if item.rest is not None:
            rest = summary(item.rest)
            line += f"{p50 / rest[0]:>9.2f} {p95 / rest[1]:>6.2f}   "
        else:
            line += " " * 19
        verdict = "" if item.passed is None else ("PASS" if item.passed else "MISS")
        line += f"{item.target:<9} {verdict:<6}  {item.note}"
        print(line.rstrip())
    jobs = len(throughput.each)
    print(
        f"{jobs} PDF jobs of {args.report_claims} claims, 1 worker: {throughput.seconds:.0f} s "
        f"from the first request to the last job succeeded: "
        f"{jobs / throughput.seconds * 60:.2f} jobs/minute, {throughput.seconds / jobs:.1f} s "
        f"a job (PDFs of {min(throughput.pdf_bytes) / 1024:,.0f}–"
        f"{max(throughput.pdf_bytes) / 1024:,.0f} KiB)"
    )
    print(f"\nMeasured in {elapsed:,.0f} s.")


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=20_000, help="Dataset size in claims.")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep the data if it holds exactly that many claims."
    )
    parser.add_argument("--database", default="factcheck_bench_jobs", help="Database name.")
    parser.add_argument(
        "--server",
        default="postgres://factcheck:factcheck@127.0.0.1:5432",
        help="PostgreSQL server (a role that may create databases), without a database name.",
    )
    parser.add_argument(
        "--cache-url", default="db://factcheck_cache", help="CACHE_URL for the server and worker."
    )
    parser.add_argument("--reports", type=int, default=4, help="Reports asked for at once.")
    parser.add_argument("--report-claims", type=int, default=100, help="Claims in each report.")
    parser.add_argument("--throughput", type=int, default=8, help="Reports for jobs/minute.")
    parser.add_argument("--repeat", type=int, default=200, help="Claim requests at rest.")
    parser.add_argument(
        "--rate", type=float, default=10.0, help="Claim requests a second, at rest and under load."
    )
    parser.add_argument(
        "--worker-nice",
        type=int,
        default=0,
        help="Also measure with the worker under nice -n N (0: not).",
    )
    args = parser.parse_args()
    if args.database in FORBIDDEN_DATABASES or args.database.startswith("test_"):
        parser.error(f"{args.database} is not a database for this benchmark.")
    if min(args.claims, args.reports, args.report_claims, args.throughput, args.repeat) < 1:
        parser.error("--claims, --reports, --report-claims, --throughput, --repeat: at least 1.")
    if args.rate <= 0:
        parser.error("--rate must be above 0.")
    if not 25 < args.report_claims <= 1000:
        parser.error("--report-claims must be above 25 (a job) and at most 1000 (in a request).")

    ensure_database(args.server, args.database)
    database_url = f"{args.server}/{args.database}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["CACHE_URL"] = args.cache_url
    media = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
    os.environ["MEDIA_ROOT"] = str(media)
    from bench.environment import setup_django

    setup_django()
    prepare_data(args.claims, args.reuse)

    processes = Processes(media)
    # SIGTERM ends the run as Ctrl-C does, through the finally below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    try:
        run(args, database_url, media, processes)
    finally:
        processes.stop_all()
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
