"""Appearances and evidence quotes as W3C Web Annotations (JSON-LD).

Each anchored quote is an Annotation whose target is the source's URL with a
TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector (start,
end: Unicode code points, as the W3C model counts). The body links the claim.
An appearance identifies where the claim was made ("identifying"); an evidence
quote assesses it, its stance in a textual body ("assessing"). A quote whose
anchor was lost when its source changed keeps its quote selector only; evidence
from a source without stored text targets the source as a whole. A source
recorded without a web address is named by its address in this API.
"""

import datetime
from collections.abc import Callable, Iterator
from typing import Any

from claims.exports.streams import batched, json_array, rows_iterator
from claims.models import AnchorStatus, Appearance, Evidence
from factcheck.api.links import Links
from factcheck.api.queries import Rfc3339, id_in

CONTEXT = "http://www.w3.org/ns/anno.jsonld"
COLUMNS = (
    "id",
    "claim_id",
    "claim__label",
    "source_id",
    "source__url",
    "exact",
    "prefix",
    "suffix",
    "start",
    "end",
    "anchor_status",
)
TIMESTAMPS = {"created": Rfc3339("created_at"), "modified": Rfc3339("updated_at")}


def _target(row: dict, links: Links) -> dict | str:
    # A source recorded without a web address is named by its API address.
    source = row["source__url"] or f"{links.prefix('sources')}{row['source_id']}/"
    if not row["exact"]:
        return source
    selectors = [
        {
            "type": "TextQuoteSelector",
            "exact": row["exact"],
            "prefix": row["prefix"],
            "suffix": row["suffix"],
        }
    ]
    if row["anchor_status"] != AnchorStatus.ORPHANED and row["start"] is not None:
        selectors.append({"type": "TextPositionSelector", "start": row["start"], "end": row["end"]})
    return {"source": source, "selector": selectors}


def annotation(row: dict, *, kind: str, links: Links) -> dict:
    """``kind``: "appearances" or "evidence"."""
    claim_url = f"{links.prefix('claims')}{row['claim_id']}/"
    body = [
        {
            "type": "SpecificResource",
            "source": claim_url,
            "purpose": "identifying" if kind == "appearances" else "linking",
        },
        {
            "type": "TextualBody",
            "value": row["claim__label"],
            "format": "text/plain",
            "purpose": "describing",
        },
    ]
    if kind == "evidence":
        body.append({"type": "TextualBody", "value": row["stance"], "purpose": "assessing"})
    return {
        "@context": CONTEXT,
        "id": f"{claim_url}{kind}/{row['id']}/",
        "type": "Annotation",
        "motivation": "identifying" if kind == "appearances" else "assessing",
        "created": row["created"],
        "modified": row["modified"],
        "body": body,
        "target": _target(row, links),
    }


def write_annotations(
    claims,
    *,
    public: bool,
    links: Links,
    as_of: datetime.date | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """A JSON array of the Annotations for the appearances and evidence of ``claims``."""
    ids = claims.order_by("id").values_list("id", flat=True)

    def batches():
        for batch in batched(rows_iterator(ids)):
            found: list[tuple[int, str, dict[str, Any]]] = []
            for kind, model, extra in (
                ("appearances", Appearance, ()),
                ("evidence", Evidence, ("stance",)),
            ):
                rows = (
                    model.objects.filter(id_in("claim_id", batch))
                    .order_by("claim_id", "id")
                    .values(*COLUMNS, *extra, **TIMESTAMPS)
                )
                found.extend((row["claim_id"], kind, row) for row in rows)
            found.sort(key=lambda item: (item[0], item[1], item[2]["id"]))
            yield [annotation(row, kind=kind, links=links) for _, kind, row in found], len(batch)

    return json_array(batches(), progress)
