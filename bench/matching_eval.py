"""Our own evaluation set for similar-claim matching: recall, MRR and the threshold's errors.

    .venv/bin/python bench/matching_eval.py [--data bench/data/matching]
        [--method hybrid|lexical|dense|all] [--verbose]

Loads the catalogue (``claims.tsv``) as claims into the database in ``DATABASE_URL``
(unset: a throwaway SQLite file, created with ``migrate`` and deleted at the end),
each labelled "Matching eval <claim_id>" (a second run on a kept database reuses
them), computes their embeddings with ``claims.services.matching.embed_claims``, and
runs every query of ``queries.tsv`` through ``claims.read.similar.similar_claims``
(the newsroom's view, the query's language, ``limit=5``), as the API does. Printed
per method and per kind of query (English paraphrases; translations, all and by the
query's language; negatives):

- recall@1, recall@5 and MRR (the reciprocal rank of the true match, 0 beyond 5);
- at the suggestion threshold (``suggest_threshold()``): how many queries that have
  a true match have a *wrong* claim scoring at or above it (the issue's precision
  rule: "a claim on a different fact never scores above the suggestion threshold
  where a true match exists"), how many negatives (no true match) have any claim
  at or above it, and how many true matches score below it (suggestions missed);
- the best threshold on this set: the one with the fewest errors (wrong claims
  suggested plus true matches missed), the highest of those tied, with its errors.

``--verbose`` also prints the worst misses (the query, the claim expected and its
rank, what came first) and every wrong claim above the threshold.
"""

import argparse
import csv
import datetime
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

LABEL = "Matching eval "
METHODS = ("hybrid", "lexical", "dense")
LIMIT = 5


@dataclass(frozen=True)
class Query:
    id: str
    language: str
    kind: str
    text: str
    match: str


@dataclass
class Outcome:
    query: Query
    ranked: list[tuple[str, float]]  # (claim_id of the set, score), best first

    def rank(self) -> int | None:
        for position, (claim, _) in enumerate(self.ranked, start=1):
            if claim == self.query.match:
                return position
        return None

    def true_score(self) -> float | None:
        return next((score for claim, score in self.ranked if claim == self.query.match), None)

    def best_wrong(self) -> tuple[str, float] | None:
        return next(((c, s) for c, s in self.ranked if c != self.query.match), None)


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


# Loading the catalogue ----------------------------------------------------------------------


def load_catalogue(rows: list[dict[str, str]]) -> dict[int, str]:
    """The set's claims in the database (created or corrected), embedded; returns the
    database id → the set's claim_id."""
    from claims.models import Claim, Speaker
    from claims.services.matching import embed_claims

    names = sorted({row["speaker"] for row in rows if row["speaker"]})
    speakers = {s.name: s for s in Speaker.objects.filter(name__in=names)}
    # Benchmark data goes in without audit history, as bench/synthetic.py's COPY does
    # (the tracked managers refuse bulk writes).
    Speaker._base_manager.bulk_create([Speaker(name=n) for n in names if n not in speakers])
    speakers = {s.name: s for s in Speaker.objects.filter(name__in=names)}

    stored = {c.label: c for c in Claim.objects.filter(label__startswith=LABEL)}
    new, changed = [], []
    for row in rows:
        label = LABEL + row["claim_id"]
        fields = {
            "text": row["text"],
            "language": row["language"],
            "speaker": speakers.get(row["speaker"]),
        }
        claim = stored.get(label)
        if claim is None:
            new.append(Claim(label=label, **fields))
        elif any(getattr(claim, key) != value for key, value in fields.items()):
            for key, value in fields.items():
                setattr(claim, key, value)
            changed.append(claim)
    Claim._base_manager.bulk_create(new)
    Claim._base_manager.bulk_update(changed, ["text", "language", "speaker"])
    ids = dict(Claim.objects.filter(label__startswith=LABEL).values_list("id", "label"))
    started = time.perf_counter()
    done = embed_claims(list(ids), **no_suggestions(embed_claims))
    seconds = time.perf_counter() - started
    print(
        f"Catalogue: {len(ids)} claims ({len(new)} new, {len(changed)} changed); "
        f"{done} embedded in {seconds:.1f} s.",
        flush=True,
    )
    return {pk: label.removeprefix(LABEL) for pk, label in ids.items()}


def no_suggestions(embed_claims) -> dict:
    """Loading a benchmark's catalogue is not an editor's work: no Possible duplicates
    (when embed_claims can be told so)."""
    import inspect

    return {"suggest": False} if "suggest" in inspect.signature(embed_claims).parameters else {}


# Scoring ------------------------------------------------------------------------------------


def run_queries(queries: list[Query], method: str, by_pk: dict[int, str]) -> list[Outcome]:
    from claims.read.selection import Newsroom
    from claims.read.similar import similar_claims
    from factcheck import embedding

    viewer = Newsroom()
    clear = getattr(embedding._query, "cache_clear", None)
    if clear is not None:
        clear()  # each method pays for embedding its queries, whichever ran before
    outcomes = []
    for query in queries:
        matches = similar_claims(
            query.text, user=viewer, language=query.language, limit=LIMIT, method=method
        )
        outcomes.append(
            Outcome(query, [(by_pk.get(m.claim.pk, f"#{m.claim.pk}"), m.score) for m in matches])
        )
    return outcomes


def ranking_figures(outcomes: list[Outcome]) -> tuple[float, float, float]:
    ranks = [o.rank() for o in outcomes]
    return (
        statistics.mean(r == 1 for r in ranks),
        statistics.mean(r is not None for r in ranks),
        statistics.mean(1 / r if r else 0.0 for r in ranks),
    )


def threshold_errors(outcomes: list[Outcome], threshold: float) -> tuple[int, int, int]:
    """(queries with a true match where a wrong claim scores ≥ threshold, negatives with
    any claim ≥ threshold, true matches scoring below it or not in the top 5)."""
    wrong = negatives = missed = 0
    for o in outcomes:
        best_wrong = o.best_wrong()
        above = best_wrong is not None and best_wrong[1] >= threshold
        if o.query.match:
            wrong += above
            true = o.true_score()
            missed += true is None or true < threshold
        else:
            negatives += above
    return wrong, negatives, missed


def best_threshold(outcomes: list[Outcome]) -> tuple[float, tuple[int, int, int]]:
    candidates = [t / 100 for t in range(5, 100)]
    scored = [(sum(threshold_errors(outcomes, t)), -t) for t in candidates]
    _, negative_t = min(scored)
    return -negative_t, threshold_errors(outcomes, -negative_t)


def groups(outcomes: list[Outcome]) -> list[tuple[str, list[Outcome]]]:
    matched = [o for o in outcomes if o.query.match]
    english = [o for o in matched if o.query.kind == "paraphrase"]
    translations = [o for o in matched if o.query.kind == "translation"]
    result = [
        ("English paraphrases", english),
        ("translations, all", translations),
    ]
    for language in sorted({o.query.language for o in translations}):
        into = [o for o in translations if o.query.language == language]
        label = "  into English" if language == "en" else f"  from {language}"
        result.append((f"{label} (query {language})", into))
    result.append(("all with a match", matched))
    return result


def report(method: str, outcomes: list[Outcome], threshold: float, verbose: bool) -> None:
    print(f"\nmethod={method}")
    header = (
        f"{'queries':<30} {'n':>4} {'R@1':>6} {'R@5':>6} {'MRR':>6}  "
        f"{'wrong ≥ t':>9}  {'missed < t':>10}"
    )
    print(header)
    print("-" * len(header))
    for name, members in groups(outcomes):
        if not members:
            continue
        r1, r5, mrr = ranking_figures(members)
        wrong, _, missed = threshold_errors(members, threshold)
        print(
            f"{name:<30} {len(members):>4} {r1:6.3f} {r5:6.3f} {mrr:6.3f}  {wrong:>9}  {missed:>10}"
        )
    negatives = [o for o in outcomes if not o.query.match]
    _, above, _ = threshold_errors(negatives, threshold)
    print(f"{'negatives (no true match)':<30} {len(negatives):>4}  any claim ≥ t: {above}")
    wrong, neg, missed = threshold_errors(outcomes, threshold)
    print(
        f"At the suggestion threshold t={threshold:.2f}: {wrong} queries with a true match "
        f"have a wrong claim ≥ t, {neg} of {len(negatives)} negatives have a claim ≥ t, "
        f"{missed} true matches are below t or not in the top 5 (errors: {wrong + neg + missed})."
    )
    best, (b_wrong, b_neg, b_missed) = best_threshold(outcomes)
    print(
        f"Best threshold on this set: {best:.2f} (wrong ≥ t {b_wrong}, negatives ≥ t {b_neg}, "
        f"missed {b_missed}; errors {b_wrong + b_neg + b_missed})."
    )
    sweep = "  ".join(
        f"{t:.2f}:{'/'.join(str(n) for n in threshold_errors(outcomes, t))}"
        for t in (0.4, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9)
    )
    print(f"Thresholds (wrong/negatives/missed): {sweep}")
    if verbose:
        print_worst(outcomes, threshold)


def print_worst(outcomes: list[Outcome], threshold: float) -> None:
    from claims.models import Claim

    texts = {
        label.removeprefix(LABEL): text
        for label, text in Claim.objects.filter(label__startswith=LABEL).values_list(
            "label", "text"
        )
    }

    def shown(claim_id: str, score: float | None = None) -> str:
        tail = "" if score is None else f" ({score:.3f})"
        return f"{claim_id}{tail} {texts.get(claim_id, '')[:110]}"

    misses = [o for o in outcomes if o.query.match and o.rank() != 1]
    misses.sort(key=lambda o: (o.rank() or 99, -(o.best_wrong() or ("", 0))[1]), reverse=True)
    print(f"Worst misses ({len(misses)} true matches not first):")
    for o in misses:
        first = o.ranked[0] if o.ranked else None
        print(f"  {o.query.id} [{o.query.kind} {o.query.language}] {o.query.text[:110]}")
        print(f"    expected {shown(o.query.match, o.true_score())}, rank {o.rank() or '> 5'}")
        if first:
            print(f"    got      {shown(*first)}")
    wrong = [o for o in outcomes if (o.best_wrong() or ("", 0.0))[1] >= threshold]
    print(f"Wrong claims at or above t={threshold:.2f} ({len(wrong)} queries):")
    for o in wrong:
        claim, score = o.best_wrong()  # type: ignore[misc]
        expected = o.query.match or "none (negative)"
        print(f"  {o.query.id} [{o.query.kind} {o.query.language}] {o.query.text[:110]}")
        print(f"    expected {expected}; wrong {shown(claim, score)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).parent / "data" / "matching")
    parser.add_argument("--method", choices=(*METHODS, "all"), default="all")
    parser.add_argument("--verbose", action="store_true", help="print the worst misses")
    args = parser.parse_args()

    throwaway = None
    if not os.environ.get("DATABASE_URL"):
        throwaway = Path(tempfile.mkdtemp(prefix="matching-eval-")) / "eval.sqlite3"
        os.environ["DATABASE_URL"] = f"sqlite:///{throwaway}"
    os.environ.setdefault("CACHE_URL", "locmem://")
    setup_django()

    from django.core.management import call_command
    from django.db import connection

    from claims.read.similar import suggest_threshold

    try:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(
            f"Database: {connection.vendor} ({'throwaway' if throwaway else 'DATABASE_URL'}), "
            f"migrated in {time.perf_counter() - started:.1f} s.",
            flush=True,
        )
        claims = read_rows(args.data / "claims.tsv")
        queries = [
            Query(r["query_id"], r["language"], r["kind"], r["text"], r["match_id"] or "")
            for r in read_rows(args.data / "queries.tsv")
        ]
        by_pk = load_catalogue(claims)
        threshold = suggest_threshold()
        kinds = {
            kind: sum(q.kind == kind for q in queries)
            for kind in ("paraphrase", "translation", "negative")
        }
        print(
            f"Matching evaluation set, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC: "
            f"{len(claims)} claims, {len(queries)} queries ({kinds}); "
            f"{os.cpu_count()} CPUs; similar_claims(limit={LIMIT}), threshold {threshold:.2f}"
        )
        for method in METHODS if args.method == "all" else (args.method,):
            started = time.perf_counter()
            outcomes = run_queries(queries, method, by_pk)
            seconds = time.perf_counter() - started
            report(method, outcomes, threshold, args.verbose)
            print(f"({len(queries) / seconds:.1f} queries/s)")
    finally:
        if throwaway is not None:
            connection.close()
            for path in throwaway.parent.iterdir():
                path.unlink()
            throwaway.parent.rmdir()


if __name__ == "__main__":
    main()
