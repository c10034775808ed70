"""Train the check-worthiness model (model.npz) on CLEF 2024 CheckThat! Task 1 English.

    python -m claims.suggestions.train --data ../shared/benchdata/checkthat2024-task1-en

A logistic regression in plain numpy (full-batch Adam, 1,500 steps) over the rule features
(features.py, standardised) and the sentence's e5 embedding, fitted on ``train``;
the threshold with the best F1 of the Yes class on ``dev`` becomes the score 0.5.
``--cache DIR`` keeps the embeddings of each split (``{split}.npy``) between runs:
embedding the 22,500 training sentences takes about 13 minutes on two cores.
The dev-test split is only reported, never used for a choice.
"""

import argparse
import csv
import sys
import time
from pathlib import Path

import numpy as np

from claims.suggestions.features import NAMES, features
from claims.suggestions.scoring import MODEL_PATH, Model, embed, rule_matrix

SPLITS = {"train": "train", "dev": "dev", "dev-test": "dev-test"}


def read_tsv(path: Path) -> list[dict[str, str]]:
    """The benchmark's rows (Sentence_id, Text, maybe class_label), as its own TSV
    quotes them."""
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            {key: (value or "") for key, value in row.items() if key}
            for row in csv.DictReader(handle, delimiter="\t")
        ]


def is_yes(row: dict[str, str]) -> bool:
    return row.get("class_label", "").strip().lower().startswith("yes")


def split_file(data: Path, split: str) -> Path:
    return data / f"CT24_checkworthy_english_{split}.tsv"


def prf(truth: np.ndarray, predicted: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(truth & predicted))
    precision = tp / max(1.0, float(np.sum(predicted)))
    recall = tp / max(1.0, float(np.sum(truth)))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def fit(x: np.ndarray, y: np.ndarray, *, l2: float, steps: int = 1500, rate: float = 0.02):
    w = np.zeros(x.shape[1])
    m, v = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, steps + 1):
        p = 1 / (1 + np.exp(-(x @ w)))
        grad = x.T @ (p - y) / len(y) + l2 * np.r_[0.0, w[1:]]
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= rate * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return w


def best_threshold(truth: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    best = (0.5, -1.0)
    for threshold in np.arange(0.05, 0.95, 0.01):
        f1 = prf(truth, scores >= threshold)[2]
        if f1 > best[1]:
            best = (float(threshold), f1)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, required=True, help="the benchmark's folder")
    parser.add_argument("--output", type=Path, default=MODEL_PATH)
    parser.add_argument("--cache", type=Path, help="a folder to keep the embeddings in")
    parser.add_argument("--no-embeddings", action="store_true", help="the rule features only")
    parser.add_argument(
        "--l2", type=float, default=0.0, help="ridge penalty (none: 1,500 steps stop early enough)"
    )
    args = parser.parse_args(argv)

    use_embeddings = not args.no_embeddings
    data = {}
    for split in SPLITS:
        rows = read_tsv(split_file(args.data, split))
        texts = [row["Text"] for row in rows]
        rules = rule_matrix([features(text) for text in texts])
        vectors = None
        if use_embeddings:
            cached = args.cache / f"{split}.npy" if args.cache else None
            if cached and cached.exists() and len(np.load(cached)) == len(texts):
                vectors = np.load(cached).astype(np.float64)
            else:
                started = time.monotonic()
                vectors = embed(texts).astype(np.float64)
                print(f"{split}: {len(texts) / (time.monotonic() - started):.1f} sentences/s")
                if cached:
                    cached.parent.mkdir(parents=True, exist_ok=True)
                    np.save(cached, vectors.astype(np.float32))
        data[split] = (rules, vectors, np.array([is_yes(row) for row in rows]))

    rules, _, _ = data["train"]
    bias = NAMES.index("bias")
    mean, scale = rules.mean(axis=0), rules.std(axis=0)
    mean[bias], scale[bias] = 0.0, 1.0
    scale[scale == 0] = 1.0

    def design(split):
        rules, vectors, _ = data[split]
        x = (rules - mean) / scale
        return x if vectors is None else np.hstack([x, vectors])

    weights = fit(design("train"), data["train"][2].astype(np.float64), l2=args.l2)
    dev_scores = 1 / (1 + np.exp(-(design("dev") @ weights)))
    threshold, _ = best_threshold(data["dev"][2], dev_scores)
    weights[bias] -= np.log(threshold / (1 - threshold))  # that threshold is 0.5 now
    model = Model(weights, mean, scale, use_embeddings)
    for split in SPLITS:
        rules, vectors, truth = data[split]
        scores = 1 / (1 + np.exp(-model.logits(rules, vectors)))
        p, r, f = prf(truth, scores >= 0.5)
        print(f"{split}: precision {p:.3f} recall {r:.3f} F1 {f:.3f} ({len(truth)} sentences)")
    np.savez_compressed(
        args.output,
        weights=weights.astype(np.float32),
        mean=mean.astype(np.float32),
        scale=scale.astype(np.float32),
        embeddings=np.array(use_embeddings),
        names=np.array(NAMES),
    )
    print(f"dev threshold {threshold:.2f} → 0.5; written {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
