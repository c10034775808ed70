"""How well ``extract_html`` finds the article text: the article-extraction benchmark.

    .venv/bin/python bench/extraction.py ../shared/benchdata/article-extraction

The data are the 181 pages of the ScrapingHub (Zyte) article-extraction benchmark
(``html/<hash>.html.gz``, ground truth ``ground-truth.json``: ``articleBody`` by hash).
The score is the benchmark's own, as its ``evaluate.py`` defines it
(https://github.com/scrapinghub/article-extraction-benchmark, MIT): each text is cut
into ``\\w+`` tokens, the shingles are its runs of 4 tokens (counted with repeats);
per page, true positives are the shingles both texts share (the smaller count),
false positives the extra ones extracted, false negatives the missed ones, the three
divided by their sum so that a long page weighs as much as a short one; precision is
the mean over pages of tp / (tp + fp) (pages with tp + fp > 0), recall the mean of
tp / (tp + fn) (pages with tp + fn > 0), both 1 when a page has neither fp nor fn,
and F1 is 2PR / (P + R) of those means. "±" is its 95 % interval, 1.96 standard
deviations over 1,000 bootstrap resamples of the pages (seeded here, so that two runs
print the same). The benchmark has no train/test split: all its pages are scored.
"""

import argparse
import datetime
import gzip
import json
import logging
import os
import platform
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

Counts = tuple[float, float, float]
TOKEN = re.compile(r"\w+")
SHINGLE = 4
BOOTSTRAP = 1000


def shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = TOKEN.findall(text)
    runs = (tuple(tokens[i : i + SHINGLE]) for i in range(max(1, len(tokens) - SHINGLE + 1)))
    return Counter(run for run in runs if run)


def page_counts(true: str, predicted: str) -> Counts:
    expected, found = shingles(true), shingles(predicted)
    tp = sum((expected & found).values())
    fp = sum((found - expected).values())
    fn = sum((expected - found).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def scores(counts: list[Counts]) -> dict[str, float]:
    def score(tp: float, fp: float, fn: float, missed: float) -> float:
        if fp == fn == 0:
            return 1.0
        return 0.0 if tp == missed == 0 else tp / (tp + missed)

    precision = statistics.mean(score(tp, fp, fn, fp) for tp, fp, fn in counts if tp + fp > 0)
    recall = statistics.mean(score(tp, fp, fn, fn) for tp, fp, fn in counts if tp + fn > 0)
    return {
        "precision": precision,
        "recall": recall,
        "f1": 2 * precision * recall / (precision + recall),
    }


def with_intervals(counts: list[Counts]) -> dict[str, tuple[float, float]]:
    rng = random.Random(0)
    samples: dict[str, list[float]] = {}
    for _ in range(BOOTSTRAP):
        resampled = [counts[rng.randrange(len(counts))] for _ in counts]
        for key, value in scores(resampled).items():
            samples.setdefault(key, []).append(value)
    return {
        key: (value, 1.96 * statistics.stdev(samples[key])) for key, value in scores(counts).items()
    }


def run(name: str, pages: dict[str, str], truth: dict[str, str], read: Callable[[str], str]) -> str:
    counts = []
    started = time.perf_counter()
    for key, html in pages.items():
        counts.append(page_counts(truth[key], read(html)))
    seconds = time.perf_counter() - started
    figures = with_intervals(counts)
    return (
        f"{name:<34} "
        + "  ".join(f"{key}={value:.3f} ± {ci:.3f}" for key, (value, ci) in figures.items())
        + f"  {len(pages) / seconds:6.1f} pages/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "path",
        type=Path,
        nargs="?",
        default=Path("../shared/benchdata/article-extraction"),
        help="the benchmark's folder (html/, ground-truth.json)",
    )
    args = parser.parse_args()
    setup_django()
    # Pages with a JSON-LD block it cannot read are scored all the same; say it once.
    logging.getLogger("sources.intake.extract").setLevel(logging.ERROR)

    import trafilatura

    from sources.intake.extract import ExtractionError, extract_html

    truth = {
        key: item.get("articleBody", "")
        for key, item in json.loads((args.path / "ground-truth.json").read_text()).items()
    }
    pages = {
        path.name.split(".")[0]: gzip.decompress(path.read_bytes()).decode("utf-8")
        for path in sorted((args.path / "html").glob("*.html.gz"))
    }
    if pages.keys() != truth.keys():
        raise SystemExit("The pages do not match the ground truth's keys.")

    def ours(html: str) -> str:
        try:
            return extract_html(html).text
        except ExtractionError:
            return ""

    def trafilatura_alone(html: str) -> str:
        return trafilatura.extract(html) or ""

    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    print(
        f"Article-extraction benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: "
        f"{len(pages)} pages, {os.cpu_count()} CPUs ({cpu}), Python {platform.python_version()}, "
        f"trafilatura {trafilatura.__version__}"
    )
    print(
        "Shingles of 4 tokens; ± is the 95 % bootstrap interval (1,000 resamples); "
        "the benchmark has no test split: every page is scored."
    )
    print(run("extract_html (sources.intake)", pages, truth, ours))
    print(run("trafilatura.extract, defaults", pages, truth, trafilatura_alone))


if __name__ == "__main__":
    main()
