"""The nearest claims by meaning: an index, held in each process, of every claim's
embedding code (its sign bits, 48 bytes: ``ClaimEmbedding.code``).

Candidates are the claims whose codes are nearest the query's by Hamming distance,
an exhaustive scan in NumPy (about 10 ms for a million claims here, 48 MB of
codes); claims/read/similar.py then scores them by the cosine of their stored
vectors. Sign bits keep most of the ranking of an embedding's cosine, enough to
find the few hundred candidates among which the best matches are.

The index is the database's: each process reads every code once, then before each
search catches up with the embeddings and the claims (publication) changed since
its last look, with an overlap (``MATCH_INDEX_OVERLAP_SECONDS``) that a
transaction committed late cannot slip through, and reads everything again every
``MATCH_INDEX_RELOAD_SECONDS`` (claims deleted since drop out then; until then the
scorer, reading candidates from the database, never returns them). So every web
process and worker, on every machine, answers from the same data.
"""

import datetime
import threading
import time

import numpy as np
from django.conf import settings
from django.utils import timezone

from claims.models import Claim, ClaimEmbedding

WORDS = 6  # 384 bits as 64-bit words
_FAR = np.iinfo(np.int32).max


class VectorIndex:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.reset()

    def reset(self) -> None:
        self._ids = np.zeros(0, dtype=np.int64)
        self._codes = np.zeros((0, WORDS), dtype=np.uint64)
        self._public = np.zeros(0, dtype=bool)
        self._size = 0
        self._row: dict[int, int] = {}
        self._seen: datetime.datetime | None = None
        self._loaded_at = 0.0

    def __len__(self) -> int:
        return self._size

    # Catching up with the database -------------------------------------------------

    def refresh(self) -> None:
        with self._lock:
            started = timezone.now()
            reload = settings.MATCH_INDEX_RELOAD_SECONDS
            if self._seen is None or time.monotonic() - self._loaded_at > reload:
                self.reset()
                self._load(ClaimEmbedding.objects.all())
                self._loaded_at = time.monotonic()
            else:
                since = self._seen - datetime.timedelta(
                    seconds=settings.MATCH_INDEX_OVERLAP_SECONDS
                )
                self._load(ClaimEmbedding.objects.filter(updated_at__gte=since))
                self._publication(Claim.objects.filter(updated_at__gte=since))
            self._seen = started

    def _load(self, embeddings) -> None:
        rows = embeddings.order_by().values_list("claim_id", "code", "claim__published_entry_id")
        for claim_id, code, published in rows.iterator(chunk_size=5000):
            self._put(claim_id, bytes(code), published is not None)

    def _publication(self, claims) -> None:
        for claim_id, published in claims.order_by().values_list("id", "published_entry_id"):
            row = self._row.get(claim_id)
            if row is not None:
                self._public[row] = published is not None

    def _put(self, claim_id: int, code: bytes, public: bool) -> None:
        words = np.frombuffer(code.ljust(WORDS * 8, b"\0")[: WORDS * 8], dtype=np.uint64)
        row = self._row.get(claim_id)
        if row is None:
            row = self._size
            if row == len(self._ids):
                self._grow()
            self._row[claim_id] = row
            self._ids[row] = claim_id
            self._size += 1
        self._codes[row] = words
        self._public[row] = public

    def _grow(self) -> None:
        capacity = max(1024, 2 * len(self._ids))
        self._ids = np.resize(self._ids, capacity)
        codes = np.zeros((capacity, WORDS), dtype=np.uint64)
        codes[: self._size] = self._codes[: self._size]
        self._codes = codes
        self._public = np.resize(self._public, capacity)

    # Searching ------------------------------------------------------------------------

    def nearest(self, code: bytes, *, count: int, public_only: bool) -> list[int]:
        """The ids of the ``count`` claims whose codes are nearest ``code``, nearest
        first; of public claims only with ``public_only``."""
        self.refresh()
        with self._lock:
            size = self._size
            if not size:
                return []
            query = np.frombuffer(code, dtype=np.uint64)
            distance = np.bitwise_count(self._codes[:size] ^ query).sum(axis=1, dtype=np.int32)
            if public_only:
                distance[~self._public[:size]] = _FAR
            count = min(count, size)
            best = np.argpartition(distance, count - 1)[:count]
            best = best[np.argsort(distance[best], kind="stable")]
            if public_only:
                best = best[distance[best] < _FAR]
            return self._ids[best].tolist()


_index = VectorIndex()


def claim_index() -> VectorIndex:
    """This process's index."""
    return _index
