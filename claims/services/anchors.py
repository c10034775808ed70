"""Writes that enforce the claims rules, whatever the entry point."""

from django.db import transaction

from claims.models import AnchoredQuote, Appearance, Claim, Evidence
from sources.models import Source


def _anchored_create(model: type[AnchoredQuote], **fields) -> AnchoredQuote:
    record = model(**fields)
    # full_clean() resolves the anchor (sources.anchoring) and refuses one that
    # does not pick out exactly one span of the source text.
    record.full_clean()
    with transaction.atomic():
        record.save()
    return record


def appearance_create(
    *,
    claim: Claim,
    source: Source,
    exact: str = "",
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    is_first: bool = False,
    note: str = "",
) -> Appearance:
    """Record that ``claim`` appears in ``source``, anchored by quote or by offsets.

    Raises ValidationError (with the field at fault) for a quote that is not in
    the text, one that occurs several times with nothing to tell them apart, or
    offsets out of range.
    """
    return _anchored_create(
        Appearance,
        claim=claim,
        source=source,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        is_first=is_first,
        note=note,
    )


def evidence_create(
    *,
    claim: Claim,
    source: Source,
    stance: str,
    exact: str = "",
    prefix: str = "",
    suffix: str = "",
    start: int | None = None,
    end: int | None = None,
    note: str = "",
) -> Evidence:
    """Record that ``source`` bears on ``claim``, optionally with the quote that does."""
    return _anchored_create(
        Evidence,
        claim=claim,
        source=source,
        stance=stance,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        note=note,
    )
