"""Keeping claims' embeddings, and the matcher's suggestions, up to date.

A claim's embedding (``ClaimEmbedding``) is computed when its text is created or
changed, in the same transaction as the claim (about 20–35 ms); ``index_claims``
and the job ``start_indexing`` starts (after an archive restore) embed many, in
batches. Unchanged text (the same SHA-256 under the same model) is never embedded
again.

Each claim embedded is matched against the others: a pair scoring at least
``MATCH_SUGGEST_THRESHOLD`` becomes a suggestion on the Possible duplicates list
(``claim_link_suggest``: never over an editor's decision).
"""

import hashlib
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from claims.models import Claim, ClaimEmbedding
from claims.read.selection import Newsroom
from claims.read.similar import SimilarInputError, similar_to_claim, suggest_threshold
from factcheck import embedding
from jobs.models import Job
from jobs.services import JobRun, job_start, run_job

KIND = "claims.index"
BATCH = 64
# Suggestions kept per claim embedded.
SUGGESTIONS = 5


def text_hash(text: str) -> str:
    return hashlib.sha256(f"{embedding.MODEL_NAME}\n{text}".encode()).hexdigest()


def embedding_refresh(claim: Claim) -> None:
    """Embed ``claim``'s text now (its text was created or changed)."""
    embed_claims([claim.pk])


def start_indexing(claim_ids: list[int] | None, *, by=None) -> Job:
    """A job embedding ``claim_ids`` (None: every claim lacking a current embedding)."""
    count = len(claim_ids) if claim_ids is not None else None
    label = "Embedding every claim" if claim_ids is None else f"Embedding {count:,} claims"
    return job_start(
        index_claims_task,
        kind=KIND,
        label=label,
        params={"claim_ids": claim_ids},
        requested_by=by,
        total=count,
    )


@task()
def index_claims_task(job_id: str) -> None:
    run_job(job_id, _index)


def _index(run: JobRun) -> None:
    run.progress(0, stage="Embedding claims")
    done = embed_claims(run.params.get("claim_ids"), progress=run.advance)
    run.summary(f"{done:,} claims embedded")


def embed_claims(
    claim_ids: Iterable[int] | None = None,
    *,
    progress=None,
    batch: int = BATCH,
    suggest: bool = True,
    force: bool = False,
) -> int:
    """Compute and store the embeddings of ``claim_ids`` (None: of every claim)
    whose text changed since they were last embedded (``force``: all of them), and
    suggest their likely duplicates; returns how many were computed. ``progress``
    is called with the number of claims done."""
    ids = stale_claim_ids(claim_ids, force=force)
    done = 0
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        texts = dict(Claim.objects.filter(pk__in=chunk).values_list("id", "text"))
        present = [pk for pk in chunk if pk in texts]
        vectors = embedding.encode_passages([texts[pk] for pk in present])
        now = timezone.now()
        rows = []
        for pk, vector in zip(present, vectors, strict=True):
            stored, code = embedding.to_stored(vector)
            rows.append(
                ClaimEmbedding(
                    claim_id=pk,
                    model=embedding.MODEL_NAME,
                    text_hash=text_hash(texts[pk]),
                    vector=stored,
                    code=code,
                    updated_at=now,
                )
            )
        with transaction.atomic():
            ClaimEmbedding.objects.bulk_create(
                rows,
                update_conflicts=True,
                unique_fields=["claim"],
                update_fields=["model", "text_hash", "vector", "code", "updated_at"],
            )
        if suggest:
            suggest_duplicates(present)
        done += len(rows)
        if progress is not None:
            progress(len(chunk))
    return done


def stale_claim_ids(claim_ids: Iterable[int] | None = None, *, force: bool = False) -> list[int]:
    """Of ``claim_ids`` (None: every claim), those whose embedding is missing or
    was made of another text or by another model (``force``: all of them)."""
    claims = (
        Claim.objects.all() if claim_ids is None else Claim.objects.filter(pk__in=list(claim_ids))
    )
    if force:
        return list(claims.order_by("pk").values_list("pk", flat=True))
    current = dict(
        ClaimEmbedding.objects.filter(claim__in=claims).values_list("claim_id", "text_hash")
    )
    return [
        pk
        for pk, text in claims.order_by("pk").values_list("pk", "text").iterator(chunk_size=2000)
        if current.get(pk) != text_hash(text)
    ]


def suggest_duplicates(claim_ids: Iterable[int]) -> int:
    """Match each of ``claim_ids`` against every other claim and keep the pairs that
    score at least the suggestion threshold as Possible duplicates; returns how many
    pairs were suggested or refreshed."""
    from claims.services.links import claim_link_suggest

    threshold = suggest_threshold()
    newsroom = Newsroom()
    count = 0
    for claim in Claim.objects.filter(pk__in=list(claim_ids)):
        try:
            matches = similar_to_claim(claim, user=newsroom, limit=SUGGESTIONS)
        except SimilarInputError:
            continue
        for match in matches:
            if match.score >= threshold:
                claim_link_suggest(
                    claim=claim, other=match.claim, score=match.score, reasons=list(match.reasons)
                )
                count += 1
    return count
