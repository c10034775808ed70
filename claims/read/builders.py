"""API objects for claims and what hangs off them, built as dicts.

A page of claims takes a fixed number of queries whatever its size: one for the
claims (with speaker, verdict and published verdict joined), then one each for
their tags, appearances, evidence, verdict entries and the entries' evidence.
"""

import datetime
from collections import defaultdict

from django.db.models import F

from claims.models import Appearance, Claim, Evidence, VerdictEntry, shown_anchor_status
from claims.models.verdicts import VerdictEntryEvidence
from claims.read.verdicts import public_entries
from claims.read.visibility import seen_review_state
from factcheck.api.links import Links
from factcheck.api.queries import PageQuery, Rfc3339, id_in
from sources.api.builders import SOURCE_SUMMARY_COLUMNS, source_summary

CLAIM_COLUMNS = (
    "id",
    "text",
    "label",
    "speaker_id",
    "speaker__name",
    "speaker__kind",
    "attribution",
    "speaker_role",
    "stated_on",
    "language",
    "review_state",
    "verdict__slug",
    "verdict__label",
    "verdict__value",
    "rationale",
    "published_entry_id",
    "published_entry__rationale",
    "published_entry__rating__slug",
    "published_entry__rating__label",
    "published_entry__rating__value",
    "retraction_reason",
    "recheck_on",
    "version",
)
# Timestamps formatted by the database (see Rfc3339): the bulk of a page's
# loading time otherwise.
CLAIM_TIMESTAMPS = {"created": Rfc3339("created_at"), "updated": Rfc3339("updated_at")}

_ANCHOR_COLUMNS = (
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_status",
    "orphaned_reason",
    "note",
)
_SOURCE_COLUMNS = ("source_id", *(f"source__{column}" for column in SOURCE_SUMMARY_COLUMNS))
APPEARANCE_COLUMNS = ("id", "claim_id", "is_first", *_ANCHOR_COLUMNS, *_SOURCE_COLUMNS)
EVIDENCE_COLUMNS = ("id", "claim_id", "stance", *_ANCHOR_COLUMNS, *_SOURCE_COLUMNS)
ANCHOR_TIMESTAMPS = {
    "created": Rfc3339("created_at"),
    "updated": Rfc3339("updated_at"),
    "source_published_at": Rfc3339("source__published_at"),
}
VERDICT_ENTRY_COLUMNS = (
    "id",
    "claim_id",
    "rating__slug",
    "rating__label",
    "rating__value",
    "rationale",
    "holds_from",
    "recorded_by__username",
)
PUBLIC_VERDICT_ENTRY_COLUMNS = tuple(
    column for column in VERDICT_ENTRY_COLUMNS if column != "recorded_by__username"
)
ENTRY_TIMESTAMPS = {"recorded": Rfc3339("recorded_at")}


def rating_summary(slug: str, label: str, value: int | None) -> dict:
    return {"slug": slug, "label": label, "value": value}


def _anchor(row: dict) -> dict:
    return {
        "exact": row["exact"],
        "prefix": row["prefix"],
        "suffix": row["suffix"],
        "start": row["start"],
        "end": row["end"],
        # "address_only" for a quote-less appearance: never "anchored" without a quote.
        "anchor_status": shown_anchor_status(row["anchor_status"], row["start"]),
        "orphaned_reason": row["orphaned_reason"],
        "note": row["note"],
        "created_at": row["created"],
        "updated_at": row["updated"],
    }


def build_appearances(rows, links: Links) -> list[dict]:
    claims = links.prefix("claims")
    return [
        {
            "id": row["id"],
            "url": f"{claims}{row['claim_id']}/appearances/{row['id']}/",
            "source": source_summary(row, links),
            "is_first": row["is_first"],
            **_anchor(row),
        }
        for row in rows
    ]


def build_evidence(rows, links: Links) -> list[dict]:
    claims = links.prefix("claims")
    return [
        {
            "id": row["id"],
            "url": f"{claims}{row['claim_id']}/evidence/{row['id']}/",
            "source": source_summary(row, links),
            "stance": row["stance"],
            **_anchor(row),
        }
        for row in rows
    ]


_ENTRY_EVIDENCE = PageQuery(
    lambda ids: (
        VerdictEntryEvidence.objects.filter(id_in("entry_id", ids))
        .order_by("entry_id", "evidence_id")
        .values("entry_id", "evidence_id")
    )
)


def build_verdict_entries(rows, links: Links, *, public: bool) -> list[dict]:
    """Entries with their evidence ids (one query for the lot)."""
    evidence = defaultdict(list)
    for link in _ENTRY_EVIDENCE.rows([row["id"] for row in rows]):
        evidence[link["entry_id"]].append(link["evidence_id"])
    claims = links.prefix("claims")
    return [
        {
            "id": row["id"],
            "url": f"{claims}{row['claim_id']}/verdicts/{row['id']}/",
            "rating": rating_summary(
                row["rating__slug"], row["rating__label"], row["rating__value"]
            ),
            "rationale": row["rationale"],
            "holds_from": row["holds_from"],
            "recorded_at": row["recorded"],
            # Who in the newsroom recorded it is for the newsroom.
            "recorded_by": None if public else row["recorded_by__username"],
            "evidence": evidence[row["id"]],
        }
        for row in rows
    ]


def _by_claim(items: list[dict], rows) -> dict[int, list[dict]]:
    grouped = defaultdict(list)
    for item, row in zip(items, rows, strict=True):
        grouped[row["claim_id"]].append(item)
    return grouped


def _verdict_in_force(timeline: list[dict], day: datetime.date) -> dict | None:
    """The entry in force on ``day``: as Claim.verdict_as_of, over a timeline in
    timeline order (holds_from, recorded_at, id), so the last one holding wins."""
    holding = [entry for entry in timeline if entry["holds_from"] <= day]
    return holding[-1] if holding else None


# What a page of claims reads besides the claims, one query each.
_TAGS = PageQuery(
    lambda ids: (
        Claim.tags.through.objects.filter(id_in("claim_id", ids))
        .order_by("claim_id", "tag__slug")
        .values("claim_id", "tag__slug")
    )
)
_APPEARANCES = PageQuery(
    lambda ids: (
        Appearance.objects.filter(id_in("claim_id", ids))
        .order_by("claim_id", "-is_first", F("start").asc(nulls_last=True), "id")
        .values(*APPEARANCE_COLUMNS, **ANCHOR_TIMESTAMPS)
    )
)
_EVIDENCE = PageQuery(
    lambda ids: (
        Evidence.objects.filter(id_in("claim_id", ids))
        .order_by("claim_id", "id")
        .values(*EVIDENCE_COLUMNS, **ANCHOR_TIMESTAMPS)
    )
)
_ENTRIES = PageQuery(
    lambda ids: (
        VerdictEntry.objects.filter(id_in("claim_id", ids))
        .in_timeline_order()
        .values(*VERDICT_ENTRY_COLUMNS, **ENTRY_TIMESTAMPS)
    )
)
# Without the user who recorded each entry, which the public does not see.
_PUBLIC_ENTRIES = PageQuery(
    lambda ids: (
        public_entries(VerdictEntry.objects.filter(id_in("claim_id", ids)))
        .in_timeline_order()
        .values(*PUBLIC_VERDICT_ENTRY_COLUMNS, **ENTRY_TIMESTAMPS)
    )
)


class ClaimBuilder:
    """Builds claim objects for one viewer: the public or the newsroom."""

    def __init__(self, links: Links, *, public: bool, as_of: datetime.date | None = None):
        self.links, self.public, self.as_of = links, public, as_of

    def build(self, rows: list[dict]) -> list[dict]:
        ids = [row["id"] for row in rows]
        if not ids:
            return []
        tags = defaultdict(list)
        for tag in _TAGS.rows(ids):
            tags[tag["claim_id"]].append(tag["tag__slug"])
        appearance_rows = _APPEARANCES.rows(ids)
        evidence_rows = _EVIDENCE.rows(ids)
        entry_rows = (_PUBLIC_ENTRIES if self.public else _ENTRIES).rows(ids)
        appearances = _by_claim(build_appearances(appearance_rows, self.links), appearance_rows)
        evidence = _by_claim(build_evidence(evidence_rows, self.links), evidence_rows)
        timelines = _by_claim(
            build_verdict_entries(entry_rows, self.links, public=self.public), entry_rows
        )
        return [
            self.claim(
                row,
                tags[row["id"]],
                appearances[row["id"]],
                evidence[row["id"]],
                timelines[row["id"]],
            )
            for row in rows
        ]

    def verdict(self, row: dict, timeline: list[dict]) -> tuple[dict | None, str]:
        """The verdict (and its rationale) this viewer sees: the rule of
        claims/read/verdicts.py, over the rows a page has already read."""
        if self.as_of is not None:
            entry = _verdict_in_force(timeline, self.as_of)
            return (entry["rating"], entry["rationale"]) if entry else (None, "")
        if self.public:  # the approved verdict (claims/read/visibility.py)
            return (
                rating_summary(
                    row["published_entry__rating__slug"],
                    row["published_entry__rating__label"],
                    row["published_entry__rating__value"],
                ),
                row["published_entry__rationale"],
            )
        current = rating_summary(row["verdict__slug"], row["verdict__label"], row["verdict__value"])
        return current, row["rationale"]

    def claim(self, row, tags, appearances, evidence, timeline) -> dict:
        url = f"{self.links.prefix('claims')}{row['id']}/"
        speaker = None
        if row["speaker_id"] is not None:
            speaker = {
                "id": row["speaker_id"],
                "url": f"{self.links.prefix('speakers')}{row['speaker_id']}/",
                "name": row["speaker__name"],
                "kind": row["speaker__kind"],
            }
        verdict, rationale = self.verdict(row, timeline)
        return {
            "id": row["id"],
            "url": url,
            "label": row["label"],
            "text": row["text"],
            "speaker": speaker,
            "attribution": row["attribution"],
            "speaker_role": row["speaker_role"],
            "stated_on": row["stated_on"],
            "language": row["language"],
            "tags": tags,
            "review_state": seen_review_state(row["review_state"], public=self.public),
            "verdict": verdict,
            "rationale": rationale,
            "retraction_reason": row["retraction_reason"],
            "recheck_on": row["recheck_on"],
            "appearances": appearances,
            "evidence": evidence,
            "verdict_timeline": timeline,
            "verdict_timeline_url": f"{url}verdicts/",
            "history_url": f"{url}history/",
            "version": row["version"],
            "created_at": row["created"],
            "updated_at": row["updated"],
        }
