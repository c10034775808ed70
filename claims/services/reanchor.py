"""Keep quotes anchored when a source's text changes.

Every anchored appearance and evidence quote of the source is looked for again
in the new text, by its quote and the context stored around it. A quote found
in exactly one place moves there; one that is gone, or that the context can no
longer tell apart from its repeats, is marked orphaned and keeps its old
anchor for an editor to fix. Nothing is dropped, and nothing is moved on a
guess.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import AnchoredQuote, AnchorStatus, Appearance, Evidence
from claims.services.editing import claim_lock, claims_touch
from sources.anchoring import Anchor, AnchorError, anchor_at, fold, resolve_anchor
from sources.models import Source

CHANGE_REASON = "Re-anchored: the source text changed"


@dataclass(frozen=True)
class Relocation:
    """Where a stored quote is in a new text: an anchor, or why there is none."""

    anchor: Anchor | None
    reason: str = ""


@dataclass
class ReanchorReport:
    unchanged: int = 0
    moved: int = 0
    restored: int = 0
    orphaned: list[AnchoredQuote] = field(default_factory=list)

    def __str__(self) -> str:
        parts = [f"{self.moved} quote(s) moved with the text"]
        if self.restored:
            parts.append(f"{self.restored} orphaned quote(s) found again")
        if self.orphaned:
            parts.append(f"{len(self.orphaned)} quote(s) orphaned")
        return "; ".join(parts) + "."


def _holds(text: str, *, exact: str, prefix: str, suffix: str, start: int, end: int) -> bool:
    """The stored offsets still hold the quote, with the same text on either side."""
    return (
        start >= len(prefix)
        and text[start:end] == exact
        and text[start - len(prefix) : start] == prefix
        and text[end : end + len(suffix)] == suffix
    )


def _occurrences(haystack: str, needle: str) -> list[int]:
    found, position = [], haystack.find(needle)
    while position != -1:
        found.append(position)
        position = haystack.find(needle, position + 1)
    return found


def relocate(
    text: str, *, exact: str, prefix: str, suffix: str, start: int, end: int
) -> Relocation:
    """Find a stored quote in ``text``, which may have changed since it was anchored.

    In order: the stored offsets, if the quote and its context are still there;
    else the one place with the quote and both sides of its context; else the
    one place with the quote and one side of it; else the one place the quote
    occurs at all. Quotes are compared with look-alike characters folded, as
    resolve_anchor does, so a re-import that straightens quotes keeps them.
    """
    if not text:
        return Relocation(None, "The source has no stored text any more.")
    if _holds(text, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end):
        return Relocation(anchor_at(text, start, end))
    folded, needle = fold(text), fold(exact)
    starts = _occurrences(folded, needle)
    if not starts:
        return Relocation(None, "The quote is no longer in the source text.")
    before, after = fold(prefix), fold(suffix)

    def has_prefix(s: int) -> bool:
        return bool(before) and folded[max(0, s - len(before)) : s] == before

    def has_suffix(s: int) -> bool:
        return bool(after) and folded[s + len(needle) : s + len(needle) + len(after)] == after

    in_context = [
        s
        for s in starts
        if folded[:s].endswith(before) and folded[s + len(needle) :].startswith(after)
    ]
    half_context = [s for s in starts if has_prefix(s) or has_suffix(s)]
    found = in_context or half_context or starts
    if len(found) > 1:
        return Relocation(
            None,
            f"The quote now occurs {len(found)} times in the source text and the words "
            "around it no longer tell which one is meant.",
        )
    return Relocation(anchor_at(text, found[0], found[0] + len(needle)))


def _save_order(plan: list[tuple[AnchoredQuote, Relocation]]):
    """Orphans first, then quotes moving right from the rightmost, then those moving left
    from the leftmost: an order-keeping edit never moves an appearance onto the span
    another still holds (appearance_unique_span)."""

    def key(item):
        quote, relocation = item
        if relocation.anchor is None:
            return (0, 0)
        shift = relocation.anchor.start - quote.start
        if shift > 0:
            return (1, -quote.start)
        return (2, quote.start)

    return sorted(plan, key=key)


def _changed(quote: AnchoredQuote, anchor: Anchor) -> bool:
    return quote.is_orphaned or (
        (quote.exact, quote.prefix, quote.suffix, quote.start, quote.end)
        != (anchor.exact, anchor.prefix, anchor.suffix, anchor.start, anchor.end)
    )


def source_reanchor(*, source: Source) -> ReanchorReport:
    """Re-locate every anchored quote in ``source`` after its text changed.

    Each quote that changes is saved on its own, so that its history records
    the move (and the acting user, in a request). Orphans are looked for again
    too: an edit that puts a quote back anchors it again.
    """
    report = ReanchorReport()
    quotes = [
        *Appearance.objects.filter(source=source, start__isnull=False),
        *Evidence.objects.filter(source=source, start__isnull=False),
    ]
    plan = []
    for quote in quotes:
        quote.source = source  # the new text, without a query per quote
        # Only anchored quotes (start__isnull=False); the anchor constraint pairs end with it.
        assert quote.start is not None
        assert quote.end is not None
        relocation = relocate(
            source.text,
            exact=quote.exact,
            prefix=quote.prefix,
            suffix=quote.suffix,
            start=quote.start,
            end=quote.end,
        )
        if relocation.anchor is None or _changed(quote, relocation.anchor):
            plan.append((quote, relocation))
        else:
            report.unchanged += 1

    with transaction.atomic():
        for quote, relocation in _save_order(plan):
            anchor = relocation.anchor
            if anchor is None:
                if quote.is_orphaned and quote.orphaned_reason == relocation.reason:
                    report.orphaned.append(quote)
                    continue
                quote.anchor_status = AnchorStatus.ORPHANED
                quote.orphaned_reason = relocation.reason
                report.orphaned.append(quote)
            else:
                if quote.is_orphaned:
                    report.restored += 1
                else:
                    report.moved += 1
                _set_anchor(quote, anchor)
            # No full_clean(): the anchor comes from the text itself, and an
            # orphan's stale offsets are what it must keep. The database's
            # constraints still check the row.
            quote._change_reason = CHANGE_REASON
            quote.save()
        claims_touch({quote.claim_id for quote, _ in plan})
    return report


def _set_anchor(quote: AnchoredQuote, anchor: Anchor) -> None:
    quote.exact, quote.prefix, quote.suffix = anchor.exact, anchor.prefix, anchor.suffix
    quote.start, quote.end = anchor.start, anchor.end
    quote.anchor_status, quote.orphaned_reason = AnchorStatus.ANCHORED, ""


def anchor_repair(
    *,
    quote: AnchoredQuote,
    exact: str,
    start: int,
    end: int,
    expected_hash: str = "",
    by=None,
) -> AnchoredQuote:
    """Anchor ``quote`` (usually an orphan) on a span an editor chose in the current text.

    The span is checked like any new anchor: the quote must be the text at the
    offsets. With ``expected_hash``, the text must also be the one the editor
    chose from.
    """
    source = quote.source
    if expected_hash and expected_hash != source.content_hash:
        raise ValidationError(
            "The source text changed after this page was opened; reload it and select again."
        )
    try:
        anchor = resolve_anchor(source.text, exact=exact, start=start, end=end)
    except AnchorError as error:
        raise ValidationError({error.field: error.message}) from None
    _set_anchor(quote, anchor)
    quote.full_clean()
    with transaction.atomic():
        claim_lock(claim_id=quote.claim_id)
        if by is not None:
            quote._history_user = by
        quote._change_reason = "Anchored again by an editor"
        quote.save()
        claims_touch([quote.claim_id])
    return quote
