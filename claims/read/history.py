"""A claim's audit history as API objects: who changed what, newest first.

Each entry lists the fields that changed since the entry before it. The public
sees only entries recorded while the claim was public (it had an approved
verdict: claims/read/visibility.py), with the review state it saw then,
compared with the public entry before, without the acting user, and without the
verdict and rationale: the public verdict's history is the verdict timeline,
which shows only what reviewers approved. Of those, it sees only the public
changes (``public_change_ids``): a record that changed nothing the public sees
(a verdict recorded for review, a rationale, a newsroom-only field, a save that
changed nothing) is left out, not shown as an empty entry.
"""

from django.db.models import Q

from claims.models import Claim
from claims.read.visibility import PUBLIC, seen_review_state
from factcheck.api.links import Links

HistoricalClaim = Claim.history.model
# Which tags a claim had at each historical record.
HistoricalTags = HistoricalClaim._meta.get_field("historicalclaim_tags").related_model

# API field → historical column.
PUBLIC_FIELDS = {
    "label": "label",
    "text": "text",
    "speaker": "speaker_id",
    "attribution": "attribution",
    "speaker_role": "speaker_role",
    "stated_on": "stated_on",
    "language": "language",
    "review_state": "review_state",
    "retraction_reason": "retraction_reason",
    "recheck_on": "recheck_on",
    "tags": "tags",  # filled in from HistoricalTags, not a column
}
NEWSROOM_FIELDS = {**PUBLIC_FIELDS, "verdict": "verdict__slug", "rationale": "rationale"}

HISTORY_COLUMNS = (
    "history_id",
    "id",
    "history_date",
    "history_type",
    "history_change_reason",
    "history_user__username",
    *(column for column in NEWSROOM_FIELDS.values() if column != "tags"),
)
CHANGE_TYPES = {"+": "created", "~": "changed", "-": "deleted"}


def history_of(claim_id: int, *, public: bool):
    return history_visible(HistoricalClaim.objects.filter(id=claim_id), public=public)


def history_visible(records, *, public: bool):
    """Of a claim's historical ``records``, those its viewer sees: the public only
    the public changes, recorded while the claim was public."""
    if not public:
        return records
    records = records.filter(PUBLIC)
    return records.filter(history_id__in=public_change_ids(records))


def public_change_ids(records) -> list[int]:
    """The ids of the public changes among ``records`` (those recorded while the claim
    was public): the first the public sees of each claim, its deletion, and each record
    where a public field (PUBLIC_FIELDS, the review state as the public sees it) differs
    from the record before. One query for the records, one for their tags; a claim has
    a few hundred records at most."""
    columns = [column for column in PUBLIC_FIELDS.values() if column != "tags"]
    rows = list(
        records.order_by("id", "history_date", "history_id").values(
            "history_id", "id", "history_type", *columns
        )
    )
    _add_tags(rows)
    changes, previous = [], None
    for row in rows:
        row["review_state"] = seen_review_state(row["review_state"], public=True)
        seen = (row["id"], tuple(row[column] for column in PUBLIC_FIELDS.values()))
        if seen != previous or row["history_type"] == "-":
            changes.append(row["history_id"])
        previous = seen
    return changes


def _earlier(records, row: dict):
    """The record just before ``row`` among ``records``, or None."""
    when, ident = row["history_date"], row["history_id"]
    return (
        records.filter(Q(history_date__lt=when) | Q(history_date=when, history_id__lt=ident))
        .order_by("-history_date", "-history_id")
        .values(*HISTORY_COLUMNS)
        .first()
    )


def build_history(rows, links: Links, *, records, public: bool) -> list[dict]:
    """Entries for ``rows`` (from ``records``), each compared with the one before it."""
    if not rows:
        return []
    fields = PUBLIC_FIELDS if public else NEWSROOM_FIELDS
    chronological = sorted(rows, key=lambda row: (row["history_date"], row["history_id"]))
    before, previous = {}, _earlier(records, chronological[0])
    _add_tags([*rows, previous] if previous else rows)
    if public:
        for row in [*rows, previous] if previous else rows:
            row["review_state"] = seen_review_state(row["review_state"], public=True)
    for row in chronological:
        before[row["history_id"]] = previous
        previous = row
    return [_entry(row, before[row["history_id"]], fields, links, public) for row in rows]


def _add_tags(rows) -> None:
    """Set each row's "tags" to the slugs it had (one query)."""
    tags: dict[int, list[str]] = {row["history_id"]: [] for row in rows}
    for history_id, slug in (
        HistoricalTags.objects.filter(history_id__in=list(tags))
        .order_by("tag__slug")
        .values_list("history_id", "tag__slug")
    ):
        tags[history_id].append(slug)
    for row in rows:
        row["tags"] = tags[row["history_id"]]


def _entry(row, previous, fields, links: Links, public: bool) -> dict:
    changes = [
        {
            "field": name,
            "old": None if previous is None else previous[column],
            "new": row[column],
        }
        for name, column in fields.items()
        if previous is None or previous[column] != row[column]
    ]
    if previous is None:  # the first entry: list what was set
        changes = [change for change in changes if change["new"] not in (None, "", [])]
    return {
        "id": row["history_id"],
        "url": links("claims", row["id"], "history", row["history_id"]),
        "changed_at": row["history_date"],
        "change": CHANGE_TYPES[row["history_type"]],
        # A change the public cannot see (a verdict awaiting review) keeps its
        # newsroom reason to itself.
        "reason": "" if public and not changes else row["history_change_reason"] or "",
        "user": None if public else row["history_user__username"],
        "review_state": row["review_state"],
        "changes": changes,
    }
