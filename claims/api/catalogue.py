"""API objects for speakers, tags and the rating scale, built as dicts."""

from factcheck.api.links import Links

SPEAKER_COLUMNS = (
    "id",
    "name",
    "kind",
    "aliases",
    "description",
    "wikidata_id",
    "parent_id",
    "parent__name",
    "created_at",
    "updated_at",
)
TAG_COLUMNS = ("id", "name", "slug", "created_at", "updated_at")
RATING_COLUMNS = (
    "id",
    "slug",
    "label",
    "value",
    "colour",
    "description",
    "needs_evidence",
    "position",
)


def build_speakers(rows, links: Links) -> list[dict]:
    return [
        {
            "id": row["id"],
            "url": links("speakers", row["id"]),
            "name": row["name"],
            "kind": row["kind"],
            "aliases": [line.strip() for line in row["aliases"].splitlines() if line.strip()],
            "description": row["description"],
            "wikidata_id": row["wikidata_id"],
            "parent": None
            if row["parent_id"] is None
            else {
                "id": row["parent_id"],
                "url": links("speakers", row["parent_id"]),
                "name": row["parent__name"],
            },
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def build_tags(rows, links: Links) -> list[dict]:
    return [
        {
            "id": row["id"],
            "url": links("tags", row["id"]),
            "name": row["name"],
            "slug": row["slug"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def build_ratings(rows, links: Links) -> list[dict]:
    return [
        {
            "id": row["id"],
            "url": links("ratings", row["id"]),
            "slug": row["slug"],
            "label": row["label"],
            "value": row["value"],
            "colour": row["colour"],
            "description": row["description"],
            "needs_evidence": row["needs_evidence"],
            "position": row["position"],
        }
        for row in rows
    ]
