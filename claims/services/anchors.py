"""Appearances and evidence: quotes anchored in a source, each part of its claim.

Every write here locks the claim (claims.services.editing.claim_lock) and raises
its version: the claim's API object shows its appearances and evidence.
"""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import transaction

from claims.models import AnchoredQuote, AnchorStatus, Appearance, Claim, Evidence
from claims.services.editing import (
    changes,
    claim_lock,
    claims_touch,
    refuse_uneditable,
    save_with_history,
)
from sources.models import Source

ANCHOR_FIELDS = ("exact", "prefix", "suffix", "start", "end")
APPEARANCE_EDITABLE_FIELDS = ("source", *ANCHOR_FIELDS, "is_first", "note")
EVIDENCE_EDITABLE_FIELDS = ("source", "stance", *ANCHOR_FIELDS, "note")
EDITABLE_FIELDS = {Appearance: APPEARANCE_EDITABLE_FIELDS, Evidence: EVIDENCE_EDITABLE_FIELDS}

# An anchor is replaced as a whole: the fields of it a write gives, the others
# emptied and worked out again from them by AnchoredQuote.clean().
ANCHOR_EMPTY = {"exact": "", "prefix": "", "suffix": "", "start": None, "end": None}
# The quote looked for in another source: its old context and offsets were the old one's.
CONTEXT_EMPTY = {"prefix": "", "suffix": "", "start": None, "end": None}


# An appearance or an evidence item: what the shared helpers take, they give back.
Quote = TypeVar("Quote", Appearance, Evidence)


def _anchored_create(model: type[Quote], *, claim: Claim, by, **fields) -> Quote:
    refuse_uneditable(fields, EDITABLE_FIELDS[model])
    record = model(claim=claim)
    with transaction.atomic():
        claim_lock(claim_id=claim.pk)
        # full_clean() resolves the anchor (sources.anchoring) and refuses one that
        # does not pick out exactly one span of the source text.
        save_with_history(record, fields, by=by)
        claims_touch([claim.pk])
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
    by=None,
) -> Appearance:
    """Record that ``claim`` appears in ``source``, anchored by quote or by offsets.

    Raises ValidationError (with the field at fault) for a quote that is not in
    the text, one that occurs several times with nothing to tell them apart, or
    offsets out of range.
    """
    return _anchored_create(
        Appearance,
        claim=claim,
        by=by,
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
    by=None,
) -> Evidence:
    """Record that ``source`` bears on ``claim``, optionally with the quote that does."""
    return _anchored_create(
        Evidence,
        claim=claim,
        by=by,
        source=source,
        stance=stance,
        exact=exact,
        prefix=prefix,
        suffix=suffix,
        start=start,
        end=end,
        note=note,
    )


def _anchored_update(quote: Quote, data: Mapping[str, Any], by) -> Quote:
    """Apply ``data`` to the stored ``quote``.

    A change to any part of the anchor replaces the anchor with the parts given;
    a change of source alone looks the quote up in the new source. An orphaned
    quote whose anchor or source changes is anchored again, or refused. Values
    equal to the stored ones change nothing, so an object read from the API can
    be sent back as it is.
    """
    refuse_uneditable(data, EDITABLE_FIELDS[type(quote)])
    with transaction.atomic():
        claim_lock(claim_id=quote.claim_id)
        changed = changes(quote, data)
        if not changed:
            return quote
        anchor_changed = bool(changed.keys() & set(ANCHOR_FIELDS))
        moved = "source" in changed
        if anchor_changed:
            given = {name: data[name] for name in ANCHOR_FIELDS if name in data}
            changed = {**changed, **ANCHOR_EMPTY, **given}
        elif moved:
            changed = {**changed, **CONTEXT_EMPTY}
        if (anchor_changed or moved) and quote.is_orphaned:
            quote.anchor_status = AnchorStatus.ANCHORED
        save_with_history(quote, changed, by=by)
        claims_touch([quote.claim_id])
    return quote


def appearance_update(*, appearance: Appearance, data: Mapping[str, Any], by=None) -> Appearance:
    return _anchored_update(appearance, data, by)


def evidence_update(*, evidence: Evidence, data: Mapping[str, Any], by=None) -> Evidence:
    return _anchored_update(evidence, data, by)


def _anchored_delete(quote: AnchoredQuote, by) -> None:
    with transaction.atomic():
        claim_lock(claim_id=quote.claim_id)
        if by is not None:
            quote._history_user = by
        quote.delete()
        claims_touch([quote.claim_id])


def appearance_delete(*, appearance: Appearance, by=None) -> None:
    """Delete ``appearance``; Appearance.delete() hands the first mark on."""
    _anchored_delete(appearance, by)


def evidence_delete(*, evidence: Evidence, by=None) -> None:
    """Delete ``evidence``; the database refuses it while a verdict rests on it."""
    _anchored_delete(evidence, by)
