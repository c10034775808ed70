"""The report as one HTML document, written in chunks as its claims are read."""

import datetime
from collections.abc import Callable, Iterator

from django.template.loader import get_template
from django.utils import timezone

from claims.exports.report.presenting import (
    SMALL_SAMPLE,
    Scale,
    chart,
    present,
    scorecards,
    sources,
)
from claims.exports.report.reading import (
    batches,
    cited_sources,
    not_yet_public,
    tally,
    unsliced,
)
from claims.read.builders import CLAIM_COLUMNS, CLAIM_TIMESTAMPS, ClaimBuilder
from factcheck.api.links import Links


def render_report_html(
    claims,
    *,
    public: bool,
    links: Links,
    title: str,
    filters: list[tuple[str, str]],
    as_of: datetime.date | None = None,
    generated_at: datetime.datetime | None = None,
    progress: Callable[[int], None] | None = None,
) -> Iterator[str]:
    """The report as chunks of one HTML document: the heading, chart and
    scorecards; then the claims, one chunk per batch (``progress`` is told how many
    claims each held); then the sources appendix.

    ``claims`` must already be limited to what the viewer may see
    (claims.read.visibility); ``public`` picks the verdict they see, as in the API.
    """
    claims = unsliced(claims)
    scale = Scale()
    totals, speakers = tally(claims, public=public, as_of=as_of)
    total = sum(totals.values())
    # The public sees only public claims and approved verdicts: nothing to count.
    hidden, awaiting = (0, 0) if public else not_yet_public(claims)
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
        "not_public": hidden,
        "awaiting_review": awaiting,
        "chart": chart(totals, scale, total),
        "scorecards": scorecards(speakers, scale),
        "small_sample": SMALL_SAMPLE,
    }
    yield templates["start"].render(context)

    builder = ClaimBuilder(links, public=public, as_of=as_of)
    for rows in batches(claims.values(*CLAIM_COLUMNS, **CLAIM_TIMESTAMPS)):
        presented = [present(claim, scale, as_of) for claim in builder.build(rows)]
        yield templates["claims"].render({"claims": presented, "as_of": as_of, "public": public})
        if progress is not None:
            progress(len(rows))

    first = True
    for rows in batches(cited_sources(claims)):
        yield templates["sources"].render({"sources": sources(rows, links), "first": first})
        first = False
    if first:
        yield templates["sources"].render({"sources": [], "first": True})
    yield templates["end"].render(context)
