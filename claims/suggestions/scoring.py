"""Check-worthiness scores: a logistic regression over the features of features.py
and the sentence's embedding (factcheck.embedding), shipped as model.npz and made by
``python -m claims.suggestions.train`` (figures in claims/suggestions/README.md).

Scores are shifted so that DEFAULT_MIN_SCORE (0.5) is the threshold that gave the
best F1 of the check-worthy class on the CheckThat! 2024 dev split. Article
furniture (bylines, credits, author bios) never scores above FURNITURE_CAP.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from claims.suggestions.features import NAMES, Features, features

MODEL_PATH = Path(__file__).with_name("model.npz")
DEFAULT_MIN_SCORE = 0.5
FURNITURE_CAP = 0.05


@dataclass(frozen=True)
class Model:
    weights: np.ndarray  # (len(NAMES) + dimensions,)
    mean: np.ndarray  # of the rule features, to standardise them
    scale: np.ndarray
    embeddings: bool

    def logits(self, rules: np.ndarray, vectors: np.ndarray | None) -> np.ndarray:
        x = (rules - self.mean) / self.scale
        if self.embeddings:
            assert vectors is not None
            x = np.hstack([x, vectors])
        return x @ self.weights


@lru_cache(maxsize=2)
def load_model(path: Path = MODEL_PATH) -> Model:
    with np.load(path) as data:
        return Model(
            weights=data["weights"].astype(np.float64),
            mean=data["mean"].astype(np.float64),
            scale=data["scale"].astype(np.float64),
            embeddings=bool(data["embeddings"]),
        )


def rule_matrix(found: Sequence[Features]) -> np.ndarray:
    return np.array([f.values for f in found], dtype=np.float64).reshape(len(found), len(NAMES))


def embed(texts: Sequence[str], batch: int = 64) -> np.ndarray:
    from factcheck.embedding import encode_passages

    parts = [encode_passages(list(texts[i : i + batch])) for i in range(0, len(texts), batch)]
    return np.vstack(parts) if parts else np.zeros((0, 384), dtype=np.float32)


def score_sentences(
    texts: Sequence[str], *, model: Model | None = None, progress=None
) -> list[tuple[float, Features]]:
    """Each sentence's score (0..1) and its features, in order. ``progress(done)`` is
    called as the embeddings are computed (the slow part: ~30 sentences a second)."""
    model = model or load_model()
    found = [features(text) for text in texts]
    if not found:
        return []
    vectors = None
    if model.embeddings:
        parts = []
        for i in range(0, len(texts), 64):
            parts.append(embed(texts[i : i + 64]))
            if progress is not None:
                progress(min(i + 64, len(texts)))
        vectors = np.vstack(parts).astype(np.float64)
    scores = 1 / (1 + np.exp(-model.logits(rule_matrix(found), vectors)))
    furniture = NAMES.index("furniture")
    return [
        (round(float(min(s, FURNITURE_CAP) if f.values[furniture] else s), 4), f)
        for s, f in zip(scores, found, strict=True)
    ]
