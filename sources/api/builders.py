"""API objects for outlets and sources, built as dicts from ``values()`` rows."""

from factcheck.api.links import Links

OUTLET_COLUMNS = ("id", "name", "homepage", "kind", "reliability_note", "created_at", "updated_at")

SOURCE_COLUMNS = (
    "id",
    "url",
    "title",
    "outlet_id",
    "outlet__name",
    "authors",
    "published_at",
    "retrieved_at",
    "language",
    "kind",
    "text",
    "content_hash",
    "created_at",
    "updated_at",
)

# What a claim's appearance or evidence shows of its source (prefix "source__"),
# and its publication time as "source_published_at".
SOURCE_SUMMARY_COLUMNS = ("url", "title", "outlet_id", "outlet__name")


def build_outlets(rows, links: Links) -> list[dict]:
    outlets = links.prefix("outlets")
    return [
        {
            "id": row["id"],
            "url": f"{outlets}{row['id']}/",
            "name": row["name"],
            "homepage": row["homepage"],
            "kind": row["kind"],
            "reliability_note": row["reliability_note"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def outlet_summary(outlet_id: int, name: str, links: Links) -> dict:
    return {"id": outlet_id, "url": f"{links.prefix('outlets')}{outlet_id}/", "name": name}


def build_sources(rows, links: Links) -> list[dict]:
    sources = links.prefix("sources")
    return [
        {
            "id": row["id"],
            "url": f"{sources}{row['id']}/",
            "canonical_url": row["url"],
            "title": row["title"],
            "outlet": outlet_summary(row["outlet_id"], row["outlet__name"], links),
            "authors": row["authors"],
            "published_at": row["published_at"],
            "retrieved_at": row["retrieved_at"],
            "language": row["language"],
            "kind": row["kind"],
            "text": row["text"],
            "content_hash": row["content_hash"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def source_summary(row: dict, links: Links) -> dict:
    """The source of an appearance or evidence row: ``source_id``,
    SOURCE_SUMMARY_COLUMNS under "source__" and ``source_published_at``."""
    return {
        "id": row["source_id"],
        "url": f"{links.prefix('sources')}{row['source_id']}/",
        "canonical_url": row["source__url"],
        "title": row["source__title"],
        "published_at": row["source_published_at"],
        "outlet": outlet_summary(row["source__outlet_id"], row["source__outlet__name"], links),
    }
