"""The claim report: HTML streamed in chunks, and the same report as a PDF.

Each claim shows exactly what the API shows the same viewer, because it is built
by the API's ClaimBuilder. The claims are read in id-keyed batches with a fixed
number of queries per batch, so memory stays flat however many there are. The
verdict chart and the speaker scorecards come from one GROUP BY query instead
of a pass over the claims, which is why they can be written before the claims.

Nothing in a report is fetched from elsewhere: the chart is inline SVG drawn
here, the stylesheet is inline, and there is no script. It reads offline and
prints as it looks (A4, page numbers in the footer).
"""

import datetime
import re
from collections import Counter
from collections.abc import Iterator

from django.conf import settings
from django.db.models import Count, Exists, OuterRef
from django.template.loader import get_template
from django.utils import timezone

from claims.models import Appearance, Claim, Evidence, Rating, Speaker
from claims.read.builders import CLAIM_COLUMNS, CLAIM_TIMESTAMPS, ClaimBuilder
from claims.read.verdicts import seen_rating_id
from factcheck.api.links import Links
from sources.anchoring import CONTEXT_LENGTH
from sources.models import Source

# Claims (and appendix sources) per query batch: big enough that the per-batch
# queries are few, small enough that a batch's rows are a few megabytes at most.
BATCH_SIZE = 500
# Below this many claims a speaker's verdict distribution says little.
SMALL_SAMPLE = 5
DEFAULT_PDF_MAX_CLAIMS = 250

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

_INSTALL_HELP = (
    "On Debian or Ubuntu: apt-get install libpango-1.0-0 libpangoft2-1.0-0; then install "
    "the Python packages with .venv/bin/pip install -r requirements.txt (WeasyPrint is "
    "pinned there)."
)


class ReportTooLarge(Exception):
    """The claims are more than a PDF report may hold (settings.REPORT_PDF_MAX_CLAIMS)."""


class PdfUnavailable(RuntimeError):
    """WeasyPrint or the system libraries it needs cannot be loaded here."""


def pdf_support_problem() -> str | None:
    """None when PDF reports can be made here; otherwise what is missing and how to
    install it."""
    try:
        import weasyprint  # noqa: F401
    except ImportError as error:
        return (
            f"PDF reports need the Python package WeasyPrint, which could not be imported "
            f"({error}). Install it with .venv/bin/pip install -r requirements.txt."
        )
    except OSError as error:
        # cffi raises OSError when Pango (WeasyPrint's text layout library) is not
        # installed; its message names the library it looked for.
        return (
            f"PDF reports need the Pango text layout library, which WeasyPrint could not "
            f"load ({error}). {_INSTALL_HELP}"
        )
    return None


def render_report_pdf(
    claims,
    *,
    public: bool,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    as_of: datetime.date | None = None,
    generated_at: datetime.datetime | None = None,
) -> bytes:
    """The HTML report laid out on A4 pages by WeasyPrint.

    A PDF is built in memory as a whole (unlike the streamed HTML), so the number
    of claims is capped before any other work is done.
    """
    limit = getattr(settings, "REPORT_PDF_MAX_CLAIMS", DEFAULT_PDF_MAX_CLAIMS)
    # Counting at most limit + 1 rows costs the same for ten thousand claims or a million.
    if _unsliced(claims).order_by().values("pk")[: limit + 1].count() > limit:
        raise ReportTooLarge(
            f"A PDF report holds at most {limit} claims and these filters match more. "
            "Narrow the filters (a speaker, a verdict, a date range or a tag), or use the "
            "HTML report, which has no such limit."
        )
    problem = pdf_support_problem()
    if problem is not None:
        raise PdfUnavailable(problem)
    import weasyprint
    from weasyprint.urls import URLFetcher

    html = "".join(
        render_report_html(
            claims,
            public=public,
            links=links,
            title=title,
            filters=filters,
            as_of=as_of,
            generated_at=generated_at,
        )
    )
    # The report needs no outside resource; refusing every fetch keeps rendering
    # offline and stops a crafted address in the data from reaching the network.
    no_fetching = URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, url_fetcher=no_fetching).write_pdf()


def render_report_html(
    claims,
    *,
    public: bool,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    as_of: datetime.date | None = None,
    generated_at: datetime.datetime | None = None,
) -> Iterator[str]:
    """The report as chunks of one HTML document: the heading, chart and
    scorecards; then the claims, one chunk per batch; then the sources appendix.

    ``claims`` must already be limited to what the viewer may see
    (claims.read.visibility); ``public`` picks the verdict they see, as in the API.
    """
    claims = _unsliced(claims)
    scale = _Scale()
    totals, speakers = _tally(claims, public=public, as_of=as_of)
    total = sum(totals.values())
    templates = {
        name: get_template(f"claims/report/{name}.html")
        for name in ("start", "claims", "sources", "end")
    }
    context = {
        "title": title,
        "filters": filters,
        "public": public,
        "as_of": as_of,
        "generated_at": generated_at or timezone.now(),
        "total": total,
        "chart": _chart(totals, scale, total),
        "scorecards": _scorecards(speakers, scale),
        "small_sample": SMALL_SAMPLE,
    }
    yield templates["start"].render(context)

    builder = ClaimBuilder(links, public=public, as_of=as_of)
    for rows in _batches(claims.values(*CLAIM_COLUMNS, **CLAIM_TIMESTAMPS)):
        presented = [_present(claim, scale, as_of) for claim in builder.build(rows)]
        yield templates["claims"].render({"claims": presented, "as_of": as_of, "public": public})

    first = True
    for rows in _batches(_cited_sources(claims)):
        yield templates["sources"].render({"sources": _sources(rows, links), "first": first})
        first = False
    if first:
        yield templates["sources"].render({"sources": [], "first": True})
    yield templates["end"].render(context)


# Reading ------------------------------------------------------------------------------------


def _unsliced(claims):
    # A sliced queryset cannot be filtered further (batches need id > last).
    if claims.query.is_sliced:
        return Claim.objects.filter(pk__in=claims.values("pk"))
    return claims


def _batches(rows) -> Iterator[list[dict]]:
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


def _tally(claims, *, public: bool, as_of) -> tuple[Counter, dict]:
    """Claims per verdict, and per speaker and verdict (speaker id → (name, counts);
    None for unattributed claims), from one GROUP BY query. Its size grows with
    the number of speakers, not of claims."""
    totals, speakers = Counter(), {}
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


def _cited_sources(claims):
    """The sources the claims appear in or cite as evidence, each once."""
    ids = claims.order_by().values("pk")
    return Source.objects.filter(
        Exists(Appearance.objects.filter(source=OuterRef("pk"), claim__in=ids))
        | Exists(Evidence.objects.filter(source=OuterRef("pk"), claim__in=ids))
    ).values("id", "url", "title", "kind", "outlet__name", "published_at")


# Presenting ---------------------------------------------------------------------------------


class _Scale:
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

    def ordered(self, counts: dict[int | None, int]) -> list[tuple[dict, int]]:
        """(rating, count) for the ratings present, in scale order, no verdict last."""
        present = [
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


def _chart(totals: dict, scale: _Scale, total: int) -> dict:
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


def _scorecards(speakers: dict, scale: _Scale) -> list[dict]:
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
    """A source's publication time as a date. The API builder loads it as the
    database's RFC 3339 text on PostgreSQL and as a datetime on SQLite."""
    if value is None:
        return None
    if isinstance(value, str):
        return datetime.date.fromisoformat(value[:10])
    return value.date()


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
        # A source known only by its metadata has no address of its own; its
        # record in the API is the next best thing to point at.
        "href": canonical or summary["url"],
    }


def _present(claim: dict, scale: _Scale, as_of) -> dict:
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
            {
                "is_first": item["is_first"],
                "source": _source(item["source"]),
                "quote": _in_context(item),
                "note": item["note"],
            }
            for item in claim["appearances"]
        ],
        "evidence": [
            {
                "id": item["id"],
                "number": numbers[item["id"]],
                "stance": Evidence.Stance(item["stance"]).label,
                "source": _source(item["source"]),
                "quote": _in_context(item),
                "note": item["note"],
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


def _sources(rows: list[dict], links: Links) -> list[dict]:
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
        }
        for row in rows
    ]
