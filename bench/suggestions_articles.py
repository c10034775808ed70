"""Claim suggestions on labelled articles: precision and recall of the check-worthy
sentences at the API's default min_score, and how often the speaker and the
attribution kind are right, per article.

    .venv/bin/python bench/suggestions_articles.py [--data tests/data/suggestions] [--seeds]

Each article is ``<name>.txt`` (the text) and ``<name>.json``: its kind, outlet and
``labels``, the check-worthy sentences an editor marked, each with its ``quote``,
``speaker`` (null: the outlet's own assertion) and ``attribution``. ``--seeds`` adds the
two seed articles with their fixture claims (fixtures/seed.json) as labels.

A suggestion finds a label when it covers at least half of the label's quote. The
speaker is right when the names agree (either holds the other, any case: "Marchetti"
is "Sofia Marchetti"), or both are the outlet; speaker accuracy counts the found
labels whose label or suggestion names a speaker other than the outlet.
"""

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.environment import setup_django

ROOT = Path(__file__).resolve().parent.parent


def load_articles(folder: Path) -> list[dict]:
    articles = []
    for labels in sorted(folder.glob("*.json")):
        meta = json.loads(labels.read_text(encoding="utf-8"))
        text = labels.with_suffix(".txt").read_text(encoding="utf-8")
        articles.append({"name": labels.stem, "text": text, **meta})
    return articles


def load_seeds() -> list[dict]:
    data = json.loads((ROOT / "fixtures/seed.json").read_text(encoding="utf-8"))
    by = {(o["model"], o["pk"]): o["fields"] for o in data}
    # The seed's speakers, to match "the Pentagon" to "U.S. Department of Defense".
    speakers = [
        {"name": f["name"], "aliases": f["aliases"], "kind": f["kind"]}
        for (model, _), f in by.items()
        if model == "claims.speaker"
    ]
    articles = []
    for (model, pk), fields in by.items():
        if model != "sources.source" or not fields.get("text"):
            continue
        outlet = by[("sources.outlet", fields["outlet"])]["name"]
        labels = []
        for (m, _), appearance in by.items():
            if m != "claims.appearance" or appearance["source"] != pk or not appearance["exact"]:
                continue
            claim = by[("claims.claim", appearance["claim"])]
            speaker = by.get(("claims.speaker", claim["speaker"]), {}).get("name")
            own = speaker is not None and speaker.lower() in outlet.lower() + " the slatest"
            labels.append(
                {
                    "quote": appearance["exact"],
                    "speaker": None if own else speaker,
                    "attribution": "outlet" if own else claim["attribution"],
                }
            )
        articles.append(
            {
                "name": f"seed {pk}",
                "kind": "seed",
                "outlet": outlet,
                "text": fields["text"],
                "labels": labels,
                "speakers": speakers,
            }
        )
    return articles


def same_speaker(label: str | None, found: str) -> bool:
    if not label or not found:
        return not label and not found
    a, b = label.lower().replace("’", "'"), found.lower().replace("’", "'")
    return a in b or b in a


def evaluate(article: dict, min_score: float) -> dict:
    from claims.models import Speaker
    from claims.suggestions.services import propose
    from claims.suggestions.speakers import SpeakerIndex

    index = SpeakerIndex.load([Speaker(**fields) for fields in article.get("speakers", [])])

    def known(name: str) -> str:
        speaker = index.match(name) if name else None
        return speaker.name if speaker else name

    text = article["text"]
    proposed = [p for p in propose(text) if p.score >= min_score]
    found_labels, used = 0, set()
    speakers = [0, 0]
    kinds = [0, 0]
    for label in article["labels"]:
        at = text.find(label["quote"])
        if at < 0:
            raise SystemExit(f"{article['name']}: not in the text: {label['quote'][:60]}")
        start, end = at, at + len(label["quote"])
        hit = next(
            (
                (i, p)
                for i, p in enumerate(proposed)
                if min(end, p.end) - max(start, p.start) >= (end - start) / 2
            ),
            None,
        )
        if hit is None:
            continue
        found_labels += 1
        used.add(hit[0])
        attribution = hit[1].attribution
        speaker = "" if attribution.kind == "outlet" else known(attribution.speaker)
        if label["speaker"] or speaker:
            speakers[1] += 1
            speakers[0] += same_speaker(label["speaker"], speaker)
        kinds[1] += 1
        kinds[0] += attribution.kind == label["attribution"]
    return {
        "name": article["name"],
        "kind": article.get("kind", ""),
        "labels": len(article["labels"]),
        "suggested": len(proposed),
        "precision": len(used) / len(proposed) if proposed else 1.0,
        "recall": found_labels / len(article["labels"]) if article["labels"] else 1.0,
        "speaker": speakers,
        "attribution": kinds,
        "proposed": proposed,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=ROOT / "tests/data/suggestions")
    parser.add_argument("--seeds", action="store_true", help="add the seed articles")
    parser.add_argument("--verbose", action="store_true", help="list each suggestion")
    args = parser.parse_args(argv)
    setup_django()
    from claims.suggestions.scoring import DEFAULT_MIN_SCORE

    articles = load_articles(args.data) + (load_seeds() if args.seeds else [])
    print(f"min_score {DEFAULT_MIN_SCORE}")
    print(
        f"{'article':24} {'kind':22} {'labels':>6} {'sugg.':>6} {'prec.':>6} {'recall':>6} "
        f"{'speaker':>9} {'attrib.':>9}"
    )
    totals: dict[str, Any] = {
        "found": 0.0,
        "labels": 0,
        "right": 0.0,
        "suggested": 0,
        "sp": [0, 0],
        "at": [0, 0],
    }
    sentences, started = 0, time.monotonic()
    for article in articles:
        result = evaluate(article, DEFAULT_MIN_SCORE)
        sentences += len(article["text"])
        sp, at = result["speaker"], result["attribution"]
        print(
            f"{result['name'][:24]:24} {result['kind'][:22]:22} {result['labels']:6} "
            f"{result['suggested']:6} {result['precision']:6.2f} {result['recall']:6.2f} "
            f"{sp[0]:4}/{sp[1]:<4} {at[0]:4}/{at[1]:<4}"
        )
        if args.verbose:
            for p in result["proposed"]:
                print(
                    f"    {p.score:.2f} {p.attribution.kind:12} {p.attribution.speaker[:24]:24} "
                    f"{p.quote[:80]}"
                )
        totals["found"] += result["recall"] * result["labels"]
        totals["labels"] += result["labels"]
        totals["right"] += result["precision"] * result["suggested"]
        totals["suggested"] += result["suggested"]
        for key, name in (("sp", "speaker"), ("at", "attribution")):
            totals[key][0] += result[name][0]
            totals[key][1] += result[name][1]
    elapsed = time.monotonic() - started
    print(
        f"{'all':24} {'':22} {totals['labels']:6} {totals['suggested']:6} "
        f"{totals['right'] / max(1, totals['suggested']):6.2f} "
        f"{totals['found'] / max(1, totals['labels']):6.2f} "
        f"{totals['sp'][0] / max(1, totals['sp'][1]):9.2f} "
        f"{totals['at'][0] / max(1, totals['at'][1]):9.2f}"
    )
    print(f"{sentences / elapsed:.0f} characters/s over {len(articles)} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
