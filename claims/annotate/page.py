"""What the annotate page shows: the highlighted text, the claims in text order,
the orphaned quotes and the legend."""

from dataclasses import dataclass, field

from django.urls import reverse

from claims.annotate.text import Span, render_text
from claims.models import AnchoredQuote, Appearance, Evidence, Rating
from sources.models import Source


def anchor_key(quote: AnchoredQuote) -> str:
    return f"{'e' if isinstance(quote, Evidence) else 'a'}{quote.pk}"


def describe(quote: AnchoredQuote) -> str:
    if isinstance(quote, Evidence):
        return f"Evidence ({quote.get_stance_display().lower()})"
    return "Appearance"


@dataclass
class ClaimEntry:
    """One claim of the side panel, with its quotes in this source."""

    claim: object
    url: str
    quotes: list[AnchoredQuote] = field(default_factory=list)


def anchored_quotes(source: Source) -> list[AnchoredQuote]:
    related = ("claim__speaker", "claim__verdict")
    return sorted(
        [
            *Appearance.objects.filter(source=source, start__isnull=False).select_related(*related),
            *Evidence.objects.filter(source=source, start__isnull=False).select_related(*related),
        ],
        key=lambda quote: (quote.start, quote.end, anchor_key(quote)),
    )


def claim_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def quote_url(quote: AnchoredQuote) -> str:
    return reverse(f"admin:claims_{quote._meta.model_name}_change", args=[quote.pk])


def page_context(source: Source) -> dict:
    quotes = anchored_quotes(source)
    anchored = [quote for quote in quotes if not quote.is_orphaned]
    spans = [
        Span(
            key=anchor_key(quote),
            start=quote.start,
            end=quote.end,
            colour=quote.claim.verdict.colour,
            is_evidence=isinstance(quote, Evidence),
        )
        for quote in anchored
    ]
    entries: dict[int, ClaimEntry] = {}
    for quote in anchored:  # in text order, so claims are listed by their first quote
        entry = entries.setdefault(quote.claim_id, ClaimEntry(quote.claim, claim_url(quote.claim)))
        quote.key, quote.kind = anchor_key(quote), describe(quote)
        entry.quotes.append(quote)
    orphans = [quote for quote in quotes if quote.is_orphaned]
    for quote in orphans:
        quote.key, quote.kind, quote.url = anchor_key(quote), describe(quote), quote_url(quote)
        quote.claim_url = claim_url(quote.claim)
    return {
        "text_html": render_text(source.text, spans),
        "text_length": len(source.text),
        "claims": list(entries.values()),
        "orphans": orphans,
        "ratings": Rating.objects.all(),
        # For the tooltips: what each highlight stands for.
        "anchors": {
            anchor_key(quote): {
                "label": quote.claim.label,
                "speaker": str(quote.claim.speaker or "Unattributed"),
                "verdict": quote.claim.verdict.label,
                "colour": quote.claim.verdict.colour,
                "kind": describe(quote),
                "url": claim_url(quote.claim),
            }
            for quote in anchored
        },
    }
