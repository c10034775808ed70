"""The first page of the claims list as an anonymous client sees it, without the framework.

This is the yardstick for bench/api.py: hand-written SQL on the same psycopg
connection Django uses, the rows turned into dicts by hand and rendered with
orjson, byte for byte what GET /api/v1/claims/?page_size=N answers. It knows
only the default ordering (newest change first) and the public view (published
and retracted claims, the verdict a reviewer approved). Nothing in the
application imports it.

One query per kind of row, as the API does: joining appearances, evidence and
verdict entries onto the claims would repeat every claim's columns once per
combination of them, and PostgreSQL building the JSON itself (json_agg per
claim) measured slower than this.
"""

import base64
from collections import defaultdict

import orjson


def _utc_text(column: str) -> str:
    """A timestamp as RFC 3339 text in UTC, microseconds only when there are
    some: what orjson writes for a datetime (with OPT_UTC_Z)."""
    utc = f"({column} AT TIME ZONE 'UTC')"
    return (
        f"to_char({utc}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN "
        f"extract(microseconds FROM {utc})::int %% 1000000 = 0 THEN '' "
        f"ELSE to_char({utc}, '.US') END || 'Z'"
    )


CLAIMS = f"""
SELECT c.id, c.label, c.text, c.speaker_id, s.name, s.kind, c.attribution, c.speaker_role,
       c.stated_on, c.language,
       CASE WHEN c.review_state = 'retracted' THEN 'retracted' ELSE 'published' END,
       pr.slug, pr.label, pr.value, pe.rationale,
       c.retraction_reason, c.recheck_on, c.version,
       {_utc_text("c.created_at")}, {_utc_text("c.updated_at")}, c.updated_at
FROM claims_claim c
LEFT JOIN claims_speaker s ON s.id = c.speaker_id
JOIN claims_verdictentry pe ON pe.id = c.published_entry_id
JOIN claims_rating pr ON pr.id = pe.rating_id
WHERE c.published_entry_id IS NOT NULL
ORDER BY c.updated_at DESC, c.id DESC
LIMIT %(limit)s
"""

TAGS = """
SELECT ct.claim_id, t.slug
FROM claims_claim_tags ct JOIN claims_tag t ON t.id = ct.tag_id
WHERE ct.claim_id = ANY(%(ids)s)
ORDER BY ct.claim_id, t.slug
"""

_QUOTES = """
SELECT q.id, q.claim_id, q.{kind_column}, so.id, so.url, so.title, {published}, o.id, o.name,
       q.exact, q.prefix, q.suffix, q.start, q."end", q.anchor_status, q.orphaned_reason,
       q.note, {created}, {updated}
FROM {table} q
JOIN sources_source so ON so.id = q.source_id
JOIN sources_outlet o ON o.id = so.outlet_id
WHERE q.claim_id = ANY(%(ids)s)
ORDER BY {order}
"""
_TIMES = {
    "published": _utc_text("so.published_at"),
    "created": _utc_text("q.created_at"),
    "updated": _utc_text("q.updated_at"),
}
APPEARANCES = _QUOTES.format(
    kind_column="is_first",
    table="claims_appearance",
    order="q.claim_id, q.is_first DESC, q.start NULLS LAST, q.id",
    **_TIMES,
)
EVIDENCE = _QUOTES.format(
    kind_column="stance", table="claims_evidence", order="q.claim_id, q.id", **_TIMES
)

# The public timeline: entries recorded up to the one a reviewer approved.
ENTRIES = f"""
SELECT v.id, v.claim_id, r.slug, r.label, r.value, v.rationale, v.holds_from,
       {_utc_text("v.recorded_at")}
FROM claims_verdictentry v
JOIN claims_rating r ON r.id = v.rating_id
JOIN claims_claim c ON c.id = v.claim_id
JOIN claims_verdictentry approved ON approved.id = c.published_entry_id
WHERE v.claim_id = ANY(%(ids)s) AND v.recorded_at <= approved.recorded_at
ORDER BY v.holds_from, v.recorded_at, v.id
"""

ENTRY_EVIDENCE = """
SELECT entry_id, evidence_id FROM claims_verdictentryevidence
WHERE entry_id = ANY(%(ids)s)
ORDER BY entry_id, evidence_id
"""


def _quote(row, root: str, collection: str, kind: str) -> dict:
    (ident, claim_id, kind_value, source_id, source_url, title, published, outlet_id,
     outlet_name, exact, prefix, suffix, start, end, status, reason, note, created,
     updated) = row  # fmt: skip
    return {
        "id": ident,
        "url": f"{root}claims/{claim_id}/{collection}/{ident}/",
        "source": {
            "id": source_id,
            "url": f"{root}sources/{source_id}/",
            "canonical_url": source_url,
            "title": title,
            "published_at": published,
            "outlet": {"id": outlet_id, "url": f"{root}outlets/{outlet_id}/", "name": outlet_name},
        },
        kind: kind_value,
        "exact": exact,
        "prefix": prefix,
        "suffix": suffix,
        "start": start,
        "end": end,
        "anchor_status": status,
        "orphaned_reason": reason,
        "note": note,
        "created_at": created,
        "updated_at": updated,
    }


def _cursor(updated_at, ident: int) -> str:
    token = orjson.dumps({"o": "-updated_at", "k": updated_at.isoformat(), "i": ident, "b": False})
    return base64.urlsafe_b64encode(token).decode("ascii").rstrip("=")


def first_page(raw_connection, root: str, page_size: int) -> bytes:
    """The response body for ``{root}claims/?page_size={page_size}``; ``root`` is the
    API's absolute address ("http://host/api/v1/")."""
    with raw_connection.cursor() as cursor:
        cursor.execute(CLAIMS, {"limit": page_size + 1})
        claims = cursor.fetchall()
        more, claims = len(claims) > page_size, claims[:page_size]
        ids = [row[0] for row in claims]

        tags, appearances, evidence = defaultdict(list), defaultdict(list), defaultdict(list)
        cursor.execute(TAGS, {"ids": ids})
        for claim_id, slug in cursor:
            tags[claim_id].append(slug)
        cursor.execute(APPEARANCES, {"ids": ids})
        for row in cursor:
            appearances[row[1]].append(_quote(row, root, "appearances", "is_first"))
        cursor.execute(EVIDENCE, {"ids": ids})
        for row in cursor:
            evidence[row[1]].append(_quote(row, root, "evidence", "stance"))
        cursor.execute(ENTRIES, {"ids": ids})
        entries = cursor.fetchall()
        entry_evidence = defaultdict(list)
        cursor.execute(ENTRY_EVIDENCE, {"ids": [entry[0] for entry in entries]})
        for entry_id, evidence_id in cursor:
            entry_evidence[entry_id].append(evidence_id)

    timelines = defaultdict(list)
    for ident, claim_id, slug, label, value, rationale, holds_from, recorded in entries:
        timelines[claim_id].append(
            {
                "id": ident,
                "url": f"{root}claims/{claim_id}/verdicts/{ident}/",
                "rating": {"slug": slug, "label": label, "value": value},
                "rationale": rationale,
                "holds_from": holds_from,
                "recorded_at": recorded,
                "recorded_by": None,  # the newsroom's business, never shown to the public
                "evidence": entry_evidence[ident],
            }
        )

    results = []
    for (ident, label, text, speaker_id, speaker_name, speaker_kind, attribution, speaker_role,
         stated_on, language, review_state, verdict_slug, verdict_label, verdict_value,
         rationale, retraction_reason, recheck_on, version, created, updated,
         _) in claims:  # fmt: skip
        url = f"{root}claims/{ident}/"
        results.append(
            {
                "id": ident,
                "url": url,
                "label": label,
                "text": text,
                "speaker": None
                if speaker_id is None
                else {
                    "id": speaker_id,
                    "url": f"{root}speakers/{speaker_id}/",
                    "name": speaker_name,
                    "kind": speaker_kind,
                },
                "attribution": attribution,
                "speaker_role": speaker_role,
                "stated_on": stated_on,
                "language": language,
                "tags": tags[ident],
                "review_state": review_state,
                "verdict": {"slug": verdict_slug, "label": verdict_label, "value": verdict_value},
                "rationale": rationale,
                "retraction_reason": retraction_reason,
                "recheck_on": recheck_on,
                "appearances": appearances[ident],
                "evidence": evidence[ident],
                "verdict_timeline": timelines[ident],
                "verdict_timeline_url": f"{url}verdicts/",
                "history_url": f"{url}history/",
                "version": version,
                "created_at": created,
                "updated_at": updated,
            }
        )
    following = None
    if more:
        last = claims[-1]
        following = f"{root}claims/?cursor={_cursor(last[-1], last[0])}&page_size={page_size}"
    return orjson.dumps({"next": following, "previous": None, "results": results})
