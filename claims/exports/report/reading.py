"""What a report reads: its claims in id-keyed batches, the verdict tallies, and
the sources the claims cite."""

from collections import Counter
from collections.abc import Iterator

from django.db.models import Count, Exists, OuterRef, Q

from claims.models import Appearance, Claim, Evidence, VerdictEntry
from claims.models.claims import PUBLIC
from claims.read.verdicts import seen_rating_id
from sources.models import Source

# Claims (and appendix sources) per query batch: big enough that the per-batch
# queries are few, small enough that a batch's rows are a few megabytes at most.
BATCH_SIZE = 500


def unsliced(claims):
    # A sliced queryset cannot be filtered further (batches need id > last).
    if claims.query.is_sliced:
        return Claim.objects.filter(pk__in=claims.values("pk"))
    return claims


def batches(rows) -> Iterator[list[dict]]:
    """``rows`` (a values() queryset with an id) in batches, keyed on the id so
    that each batch is one indexed query, however deep into the set it is."""
    rows = rows.order_by("id")
    last = None
    while True:
        batch = list((rows if last is None else rows.filter(id__gt=last))[:BATCH_SIZE])
        if batch:
            yield batch
        if len(batch) < BATCH_SIZE:
            return
        last = batch[-1]["id"]


def tally(claims, *, public: bool, as_of) -> tuple[Counter, dict]:
    """Claims per verdict, and per speaker and verdict (speaker id → (name, counts);
    None for unattributed claims), from one GROUP BY query. Its size grows with
    the number of speakers, not of claims."""
    totals: Counter[int | None] = Counter()
    speakers: dict[int | None, tuple[str | None, Counter[int | None]]] = {}
    rows = (
        claims.order_by()
        .values("speaker_id", "speaker__name", seen=seen_rating_id(public=public, as_of=as_of))
        .annotate(n=Count("pk"))
    )
    for row in rows:
        _, counts = speakers.setdefault(row["speaker_id"], (row["speaker__name"], Counter()))
        counts[row["seen"]] += row["n"]
        totals[row["seen"]] += row["n"]
    return totals, speakers


def not_yet_public(claims) -> tuple[int, int]:
    """For the newsroom's report: how many of ``claims`` are not public, and how
    many public ones show a newer verdict than the one a reviewer approved (one
    recorded after the published entry). Its stamp says so only when it is so."""
    newer = VerdictEntry.objects.filter(
        claim=OuterRef("pk"), recorded_at__gt=OuterRef("published_entry__recorded_at")
    )
    counts = claims.order_by().aggregate(
        hidden=Count("pk", filter=~PUBLIC),
        awaiting=Count("pk", filter=PUBLIC & Q(Exists(newer))),
    )
    return counts["hidden"], counts["awaiting"]


def cited_sources(claims):
    """The sources the claims appear in or cite as evidence, each once."""
    ids = claims.order_by().values("pk")
    return Source.objects.filter(
        Exists(Appearance.objects.filter(source=OuterRef("pk"), claim__in=ids))
        | Exists(Evidence.objects.filter(source=OuterRef("pk"), claim__in=ids))
    ).values("id", "url", "title", "kind", "outlet__name", "published_at")
