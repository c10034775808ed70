"""Check-worthiness of sentences, scored as the suggestions API scores them:
CLEF 2024 CheckThat! Task 1 English (or any TSV in its columns).

    .venv/bin/python bench/checkworthy.py \\
        --file ../shared/benchdata/checkthat2024-task1-en/CT24_checkworthy_english_dev-test.tsv

The TSV has the benchmark's own columns: ``Sentence_id``, ``Text`` and, when present,
``class_label`` (Yes/No). Each sentence gets claims.suggestions.scoring's score; it is
"Yes" at the API's default min_score. With labels, prints precision, recall and F1 of
the Yes class (the task's official measure); always prints sentences per second.
``--output FILE`` writes ``Sentence_id<TAB>score<TAB>Yes|No`` per sentence.
"""

import argparse
import platform
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.suggestions.scoring import DEFAULT_MIN_SCORE, score_sentences
from claims.suggestions.train import is_yes, prf, read_tsv


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--file", type=Path, required=True, help="the TSV to score")
    parser.add_argument("--output", type=Path, help="where to write id, score and Yes|No")
    args = parser.parse_args(argv)

    rows = read_tsv(args.file)
    texts = [row.get("Text", "") for row in rows]
    started = time.monotonic()
    scores = [score for score, _ in score_sentences(texts)]
    elapsed = time.monotonic() - started
    predicted = [score >= DEFAULT_MIN_SCORE for score in scores]
    if args.output:
        with open(args.output, "w", encoding="utf-8") as out:
            for row, score, yes in zip(rows, scores, predicted, strict=True):
                out.write(f"{row.get('Sentence_id', '')}\t{score:.4f}\t{'Yes' if yes else 'No'}\n")
    print(f"{args.file.name}: {len(rows)} sentences, min_score {DEFAULT_MIN_SCORE}")
    if rows and all("class_label" in row for row in rows):
        import numpy as np

        truth = np.array([is_yes(row) for row in rows])
        precision, recall, f1 = prf(truth, np.array(predicted))
        print(f"Yes class: precision {precision:.3f}  recall {recall:.3f}  F1 {f1:.3f}")
    print(
        f"{len(rows) / max(elapsed, 1e-9):.1f} sentences/s ({elapsed:.1f} s, "
        f"{platform.processor() or platform.machine()}, Python {platform.python_version()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
