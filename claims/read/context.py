"""A quote in its context: the sentence of the source around an appearance or evidence item.

The claim page shows each quote as the reader met it, not as offsets. The text
around a quote is cut out of the source in the database (``with_context``), so
listing a claim's quotes costs one query per kind whatever the sources' sizes;
``quote_in_context`` then trims that window to the sentence the quote sits in.
"""

import re
from dataclasses import dataclass
from typing import Any

from django.db.models import BooleanField, Case, ExpressionWrapper, F, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Greatest, Least, Substr

from claims.models import AnchorStatus, Appearance, Evidence
from sources.models import Source

# Characters of the source's text read on either side of a quote: more than a
# long sentence, far less than a long article.
WINDOW = 400

# Where a sentence ends: its stop (and a closing quotation mark or bracket), then
# space; or a line break.
SENTENCE_END = re.compile(r"[.!?…][\"”’»)\]]*(?=\s)|\n")
QUOTE_ENDS_SENTENCE = re.compile(r"[.!?…][\"”’»)\]]*$")


@dataclass(frozen=True)
class QuoteInContext:
    kind: str  # "appearance" or "evidence"
    key: str  # the annotate page's name for the highlight: a<pk> or e<pk>
    before: str
    quote: str
    after: str
    # Cut short on that side: the sentence goes on beyond the window read.
    clipped_before: bool
    clipped_after: bool
    source_id: int
    source_title: str
    outlet_name: str
    # Orphaned: the quote is no longer found in the source's current text, so the
    # context shown is the one stored with it, from the text as it was.
    orphaned: bool

    @property
    def by_address_only(self) -> bool:
        """No quote: the claim or evidence is known by the source's address alone."""
        return not self.quote


def with_context(quotes: QuerySet) -> QuerySet:
    """Appearances or evidence with their source and outlet, and up to WINDOW
    characters of the source's current text on each side of each anchored quote
    (``context_before``, ``context_after``), cut out by the database.

    The source's whole text is left unread: an article can be long, and a
    claim page needs a sentence of it.
    """
    anchored = Q(start__isnull=False, anchor_status=AnchorStatus.ANCHORED)
    before = Substr(
        "source__text",
        Greatest(F("start") - WINDOW, Value(0)) + 1,
        Least(F("start"), Value(WINDOW)),
    )
    after = Substr("source__text", F("end") + 1, WINDOW)
    return (
        quotes.select_related("source__outlet")
        .defer("source__text")
        .annotate(
            context_before=Case(
                When(anchored, then=Coalesce(before, Value(""))), default=Value("")
            ),
            context_after=Case(When(anchored, then=Coalesce(after, Value(""))), default=Value("")),
            context_anchored=ExpressionWrapper(anchored, output_field=BooleanField()),
        )
    )


def sources_of(quotes: QuerySet) -> dict[int, Source]:
    """The sources ``quotes`` are in, by id, without their texts: one query, for a page
    that names the source of each of a claim's quotes."""
    return Source.objects.filter(pk__in=quotes.values("source")).defer("text").in_bulk()


def _sentence_before(window: str) -> tuple[str, bool]:
    """The end of ``window`` from the start of the quote's sentence."""
    ends = list(SENTENCE_END.finditer(window))
    if ends:
        return window[ends[-1].end() :].lstrip(), False
    return window, len(window) >= WINDOW


def _sentence_after(window: str) -> tuple[str, bool]:
    """The start of ``window`` up to the end of the quote's sentence."""
    found = SENTENCE_END.search(window)
    if found:
        return window[: found.end()].rstrip("\n"), False
    return window, len(window) >= WINDOW


def quote_in_context(quote: Appearance | Evidence) -> QuoteInContext:
    """One appearance or evidence item (read through ``with_context``) in its sentence."""
    # The columns with_context() added.
    read: Any = quote
    if getattr(read, "context_anchored", False):
        before, clipped_before = _sentence_before(read.context_before)
        after, clipped_after = _sentence_after(read.context_after)
        # The quote may end its sentence itself: then nothing after it belongs to it.
        if QUOTE_ENDS_SENTENCE.search(quote.exact):
            after, clipped_after = "", False
    else:
        # Orphaned (the stored context, from the text as it was) or without a quote.
        before, after = quote.prefix, quote.suffix
        clipped_before, clipped_after = bool(before), bool(after)
    is_appearance = isinstance(quote, Appearance)
    source = quote.source
    return QuoteInContext(
        kind="appearance" if is_appearance else "evidence",
        key=f"{'a' if is_appearance else 'e'}{quote.pk}",
        before=before,
        quote=quote.exact,
        after=after,
        clipped_before=clipped_before,
        clipped_after=clipped_after,
        source_id=source.pk,
        source_title=source.title or source.url,
        outlet_name=source.outlet.name,
        orphaned=quote.anchor_status == AnchorStatus.ORPHANED,
    )
