"""What the report's templates show: the verdict chart and speaker scorecards
drawn as SVG numbers, and each built claim with its labels, colours and quotes
in context."""

import datetime
import re
from collections.abc import Mapping
from typing import Any

from claims.models import Appearance, Claim, Evidence, Rating, Speaker
from factcheck.api.links import Links
from factcheck.dates import format_moment, newsroom_day
from sources.anchoring import CONTEXT_LENGTH
from sources.models import Source

# Below this many claims a speaker's verdict distribution says little.
SMALL_SAMPLE = 5

# A claim without a verdict in force on the report's as_of date (before its
# first entry) is counted under this bucket rather than dropped from the totals.
NO_VERDICT = {"label": "No verdict yet", "colour": "#c4c7cc"}
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

_CHART_WIDTH = 600
_CHART_LABEL_WIDTH = 150
_CHART_BAR_SPACE = 340
_CHART_ROW = 26
_CHART_BAR = 16
_CHART_LABEL_CHARS = 22
_SCORECARD_BAR_WIDTH = 200


class Scale:
    """The rating scale (one small query), for colours and the chart's order."""

    def __init__(self):
        self.ratings = list(
            Rating.objects.order_by("position", "id").values("id", "slug", "label", "colour")
        )
        for rating in self.ratings:
            # The model validates colours, but a bad one written around it must
            # not end up in an SVG attribute.
            if not _COLOUR.match(rating["colour"]):
                rating["colour"] = NO_VERDICT["colour"]
        self.by_slug = {rating["slug"]: rating for rating in self.ratings}

    def ordered(self, counts: dict[int | None, int]) -> list[tuple[Mapping[str, Any], int]]:
        """(rating, count) for the ratings present, in scale order, no verdict last."""
        present: list[tuple[Mapping[str, Any], int]] = [
            (rating, counts[rating["id"]]) for rating in self.ratings if counts.get(rating["id"])
        ]
        if counts.get(None):
            present.append((NO_VERDICT, counts[None]))
        return present

    def colour(self, rating: dict | None) -> str:
        if rating is None or rating["slug"] not in self.by_slug:
            return NO_VERDICT["colour"]
        return self.by_slug[rating["slug"]]["colour"]


def _percent(n: int, total: int) -> str:
    return f"{100 * n / total:.0f}%" if total else "0%"


def _short(label: str) -> str:
    # Long labels would run off the chart's label column; the table has them whole.
    if len(label) <= _CHART_LABEL_CHARS:
        return label
    return label[: _CHART_LABEL_CHARS - 1].rstrip() + "…"


def chart(totals: dict, scale: Scale, total: int) -> dict:
    """A horizontal bar per verdict present, longest for the most frequent."""
    present = scale.ordered(totals)
    most = max((n for _, n in present), default=0)
    bars = []
    for row, (rating, n) in enumerate(present):
        top = row * _CHART_ROW + 5
        width = round(_CHART_BAR_SPACE * n / most, 1) if most else 0
        bars.append(
            {
                "label": rating["label"],
                "short_label": _short(rating["label"]),
                "colour": rating["colour"],
                "count": n,
                "percent": _percent(n, total),
                "top": top,
                "baseline": top + _CHART_BAR - 4,
                "x": _CHART_LABEL_WIDTH,
                "label_x": _CHART_LABEL_WIDTH - 8,
                "width": width,
                "value_x": _CHART_LABEL_WIDTH + width + 6,
            }
        )
    return {
        "bars": bars,
        "width": _CHART_WIDTH,
        "height": len(bars) * _CHART_ROW + 10,
        "bar_height": _CHART_BAR,
    }


def scorecards(speakers: dict, scale: Scale) -> list[dict]:
    """Per speaker, most claims first; unattributed claims last, as one group."""
    cards = []
    for speaker_id, (name, counts) in speakers.items():
        n = sum(counts.values())
        segments, x = [], 0.0
        for rating, count in scale.ordered(counts):
            width = round(_SCORECARD_BAR_WIDTH * count / n, 2)
            segments.append(
                {
                    "label": rating["label"],
                    "colour": rating["colour"],
                    "count": count,
                    "percent": _percent(count, n),
                    "x": round(x, 2),
                    "width": width,
                }
            )
            x += width
        cards.append(
            {
                "name": name if speaker_id is not None else "Unattributed",
                "unattributed": speaker_id is None,
                "n": n,
                "small": n < SMALL_SAMPLE,
                "segments": segments,
                "bar_width": _SCORECARD_BAR_WIDTH,
            }
        )
    cards.sort(key=lambda card: (card["unattributed"], -card["n"], card["name"].casefold()))
    return cards


def _day(value) -> datetime.date | None:
    """A source's publication time as the day it was in the newsroom's time zone.
    The API builder loads it as the database's RFC 3339 text on PostgreSQL and as
    a datetime on SQLite; factcheck.dates reads both."""
    return newsroom_day(value)


def _moment(value) -> str:
    """A source's publication time in the newsroom's zone, the zone named."""
    return format_moment(value, short=True)


def _in_context(anchor: dict) -> dict | None:
    """The quote with the words around it; "…" where the source text goes on."""
    if not anchor["exact"]:
        return None
    return {
        "before": anchor["prefix"],
        "exact": anchor["exact"],
        "after": anchor["suffix"],
        "more_before": len(anchor["prefix"]) >= CONTEXT_LENGTH,
        "more_after": len(anchor["suffix"]) >= CONTEXT_LENGTH,
        "orphaned": anchor["anchor_status"] == Appearance.Status.ORPHANED,
    }


def _web_address(url: str) -> str:
    """``url`` when it is a web address, else "": a link in the report must not be
    able to run script (javascript:) however the address got into the data."""
    return url if url.lower().startswith(("https://", "http://")) else ""


def _source(summary: dict) -> dict:
    canonical = _web_address(summary["canonical_url"])
    return {
        "id": summary["id"],
        "title": summary["title"] or summary["canonical_url"] or f"Source {summary['id']}",
        "outlet": summary["outlet"]["name"],
        "published_on": _day(summary["published_at"]),
        "published": _moment(summary["published_at"]),
        # A source known only by its metadata has no address of its own; its
        # record in the API is the next best thing to point at.
        "href": canonical or summary["url"],
    }


def _quoted(item: dict) -> dict:
    """What an appearance and an evidence item both show: the source, the quote
    in context, the note."""
    return {"source": _source(item["source"]), "quote": _in_context(item), "note": item["note"]}


def present(claim: dict, scale: Scale, as_of) -> dict:
    """A built claim with what the templates need besides: labels, colours,
    quotes in context, and evidence numbered so that verdict entries can cite it."""
    numbers = {item["id"]: number for number, item in enumerate(claim["evidence"], 1)}
    return {
        **claim,
        "colour": scale.colour(claim["verdict"]),
        "attribution_label": Claim.Attribution(claim["attribution"]).label,
        "review_state_label": Claim.ReviewState(claim["review_state"]).label,
        "speaker_kind_label": (
            Speaker.Kind(claim["speaker"]["kind"]).label if claim["speaker"] else ""
        ),
        "appearances": [
            {"is_first": item["is_first"], **_quoted(item)} for item in claim["appearances"]
        ],
        "evidence": [
            {
                "id": item["id"],
                "number": numbers[item["id"]],
                "stance": Evidence.Stance(item["stance"]).label,
                **_quoted(item),
            }
            for item in claim["evidence"]
        ],
        "verdict_timeline": [
            {
                "holds_from": entry["holds_from"],
                "label": entry["rating"]["label"],
                "colour": scale.colour(entry["rating"]),
                "rationale": entry["rationale"],
                "evidence_numbers": [numbers[i] for i in entry["evidence"] if i in numbers],
                "after_as_of": as_of is not None and entry["holds_from"] > as_of,
            }
            for entry in claim["verdict_timeline"]
        ],
    }


def sources(rows: list[dict], links: Links) -> list[dict]:
    prefix = links.prefix("sources")
    return [
        {
            "id": row["id"],
            "title": row["title"] or row["url"] or f"Source {row['id']}",
            "url": _web_address(row["url"]),
            "record": f"{prefix}{row['id']}/",
            "outlet": row["outlet__name"],
            "kind": Source.Kind(row["kind"]).label,
            "published_on": _day(row["published_at"]),
            "published": _moment(row["published_at"]),
        }
        for row in rows
    ]
