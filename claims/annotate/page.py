"""What the annotate page shows: the highlighted text, the claims in text order,
the orphaned quotes and the legend."""

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from claims.annotate.text import Span, render_text
from claims.models import AnchoredQuote, Appearance, Evidence, Rating
from claims.read.verdicts import seen_verdict
from claims.read.visibility import children_visible_to, sees_unpublished
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
    rating: object  # the verdict the viewer sees
    quotes: list[AnchoredQuote] = field(default_factory=list)
    # How the claim is in this source besides its anchored quotes: "Appearance by
    # address only" (no quote: a source without text) or an orphaned quote.
    unquoted: list[str] = field(default_factory=list)


def _source_quotes(source: Source, user, *, quoted: bool) -> list[AnchoredQuote]:
    """The source's appearances and evidence with (or without) a quote, of the claims
    ``user`` may see, with the claim's speaker and the verdict the viewer sees."""
    public = not sees_unpublished(user)
    related = ("claim__speaker", "claim__published_entry__rating" if public else "claim__verdict")
    items: list[AnchoredQuote] = []
    for model in (Appearance, Evidence):
        visible = children_visible_to(model.objects.filter(source=source), user)
        items += visible.filter(start__isnull=not quoted).select_related(*related).order_by("id")
    return items


def anchored_quotes(source: Source, user) -> list[AnchoredQuote]:
    """The source's anchored quotes of the claims ``user`` may see, in text order."""
    return sorted(
        _source_quotes(source, user, quoted=True),
        key=lambda quote: (quote.start, quote.end, anchor_key(quote)),
    )


def unquoted_items(source: Source, user) -> list[AnchoredQuote]:
    """The source's appearances and evidence without a quote (known by the source's
    address only), of the claims ``user`` may see."""
    return _source_quotes(source, user, quoted=False)


def claim_url(claim) -> str:
    return reverse("admin:claims_claim_change", args=[claim.pk])


def quote_url(quote: AnchoredQuote) -> str:
    return reverse(f"admin:claims_{quote._meta.model_name}_change", args=[quote.pk])


def page_context(source: Source, user) -> dict:
    """The annotate page of ``source`` as ``user`` sees it: the claims they may see,
    coloured by the verdict they see."""
    public = not sees_unpublished(user)
    # Model instances that also carry what the template shows of them, set below.
    quotes: list[Any] = anchored_quotes(source, user)
    for quote in quotes:
        quote.rating = seen_verdict(quote.claim, public=public)[0]
    anchored = [quote for quote in quotes if not quote.is_orphaned]
    spans = [
        Span(
            key=anchor_key(quote),
            start=quote.start,
            end=quote.end,
            colour=quote.rating.colour,
            is_evidence=isinstance(quote, Evidence),
        )
        for quote in anchored
    ]
    entries: dict[int, ClaimEntry] = {}
    for quote in anchored:  # in text order, so claims are listed by their first quote
        entry = entries.setdefault(
            quote.claim_id, ClaimEntry(quote.claim, claim_url(quote.claim), quote.rating)
        )
        quote.key, quote.kind = anchor_key(quote), describe(quote)
        entry.quotes.append(quote)
    orphans = [quote for quote in quotes if quote.is_orphaned]
    # The source's claims whether or not they are quoted: those known by its
    # address only, and those whose quotes are all orphaned, are listed too.
    others: list[Any] = [*unquoted_items(source, user), *orphans]
    for item in others:
        if not item.is_orphaned:
            item.rating = seen_verdict(item.claim, public=public)[0]
        entry = entries.setdefault(
            item.claim_id, ClaimEntry(item.claim, claim_url(item.claim), item.rating)
        )
        how = "orphaned quote" if item.is_orphaned else "by address only"
        entry.unquoted.append(f"{describe(item)} {how}")
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
                "verdict": quote.rating.label,
                "colour": quote.rating.colour,
                "kind": describe(quote),
                "url": claim_url(quote.claim),
            }
            for quote in anchored
        },
    }
