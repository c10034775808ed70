"""Links between claims: the one place a link is written.

An editor decides what two claims are to each other (the same claim, related, or
not the same: dismissed); the matcher (claims/read/similar.py) only suggests. Each
pair is one row, the lower claim id first (constraint ``claim_link_ordered_pair``),
so that "a with b" and "b with a" are the same decision. An editor may change a
decision later; the history keeps every version and who made it.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from claims.models import Claim, ClaimLink

Kind = ClaimLink.Kind
# What an editor may decide of a pair.
DECIDED_KINDS = (Kind.SAME, Kind.RELATED, Kind.DISMISSED)
# The admin form's and the annotate form's hidden fields for a claim not saved yet:
# each holds the ids of the claims the editor chose in "Checked before?".
LINK_FIELDS = {
    "link_same_as": Kind.SAME,
    "link_related": Kind.RELATED,
    "link_dismissed": Kind.DISMISSED,
}


def _claim_id(value: Claim | int) -> int:
    return value.pk if isinstance(value, Claim) else int(value)


def _pair(claim: Claim | int, other: Claim | int) -> tuple[int, int]:
    """The pair's ids in stored order, if both claims exist and differ."""
    first, second = _claim_id(claim), _claim_id(other)
    if first == second:
        raise ValidationError({"other": "A claim cannot be linked to itself."})
    found = set(Claim.objects.filter(pk__in=[first, second]).values_list("pk", flat=True))
    for name, pk in (("claim", first), ("other", second)):
        if pk not in found:
            raise ValidationError({name: f"There is no claim {pk}."})
    return (first, second) if first < second else (second, first)


def _locked_row(first: int, second: int) -> ClaimLink | None:
    return ClaimLink.objects.select_for_update().filter(claim_id=first, other_id=second).first()


def _save(link: ClaimLink, *, by) -> ClaimLink:
    link.full_clean()
    if by is not None:
        link._history_user = by
    try:
        with transaction.atomic():  # a savepoint: the caller's transaction survives a race
            link.save()
    except IntegrityError:
        # Another request created the pair's row between our look and our insert.
        raise ValidationError(
            "These two claims were linked by someone else just now. Reload and try again."
        ) from None
    return link


def claim_link_set(
    *,
    claim: Claim | int,
    other: Claim | int,
    kind: str,
    by,
    note: str = "",
    expected: str | None = None,
) -> ClaimLink:
    """Record an editor's decision on a pair: the same claim, related, or dismissed.

    Creates the pair's link or changes it (a suggestion decided, a decision changed),
    recording who decided and when. With ``expected`` (a kind, or "" for "no link
    yet"), the write is refused if the pair's link is no longer of that kind: the
    editor decided on what they saw.
    """
    if kind not in DECIDED_KINDS:
        choices = ", ".join(DECIDED_KINDS)
        raise ValidationError({"kind": f"“{kind}” is not a kind of link. Choose one of {choices}."})
    with transaction.atomic():
        first, second = _pair(claim, other)
        link = _locked_row(first, second)
        if expected is not None:
            current = link.kind if link is not None else ""
            if current != expected:
                raise ValidationError(
                    f"These claims' link changed since you saw it (now: {current or 'none'}). "
                    "Reload and decide again."
                )
        if link is None:
            link = ClaimLink(claim_id=first, other_id=second)
        elif link.kind == kind and link.note == note:
            return link  # nothing to record
        link.kind = kind
        link.note = note
        link.decided_by = by if getattr(by, "is_authenticated", False) else None
        link.decided_at = timezone.now()
        return _save(link, by=by)


def claim_link_suggest(
    *, claim: Claim | int, other: Claim | int, score: float, reasons: Iterable[str]
) -> ClaimLink | None:
    """The matcher's suggestion that two claims may be the same.

    A new pair becomes an open suggestion; an open one gets the new score and
    reasons. A decided pair is left as the editor left it (a dismissed pair is
    never suggested again): returns None.
    """
    reasons = list(reasons)
    with transaction.atomic():
        first, second = _pair(claim, other)
        link = _locked_row(first, second)
        if link is None:
            link = ClaimLink(claim_id=first, other_id=second, kind=Kind.SUGGESTED)
        elif link.kind != Kind.SUGGESTED:
            return None
        elif link.score == score and link.reasons == reasons:
            return link
        link.score, link.reasons = score, reasons
        return _save(link, by=None)


def claim_links_decide(links: Iterable[ClaimLink], *, kind: str, by) -> int:
    """Decide many links at once (the admin's bulk confirm and dismiss); returns how
    many changed. Each goes through claim_link_set, with its own history row."""
    decided = 0
    with transaction.atomic():
        for link in links:
            before = (link.kind, link.note)
            saved = claim_link_set(
                claim=link.claim_id, other=link.other_id, kind=kind, by=by, note=link.note
            )
            decided += (saved.kind, saved.note) != before
    return decided


def claim_link_remove(*, claim: Claim | int, other: Claim | int, by) -> bool:
    """Undo a pair's link (an "unlink"): the pair may be suggested again. Returns
    whether there was one. The deletion is in the link's history, with ``by``."""
    with transaction.atomic():
        first, second = _pair(claim, other)
        link = _locked_row(first, second)
        if link is None:
            return False
        if by is not None:
            link._history_user = by
        link.delete()
        return True


def claim_links_from_form(*, claim: Claim, data: Mapping[str, Any], by) -> int:
    """The links an editor chose in "Checked before?" for a claim not saved yet, from
    the form's hidden fields (``LINK_FIELDS``: comma-separated claim ids); returns
    how many were set. An id that is not a number is a ValidationError."""
    count = 0
    for field, kind in LINK_FIELDS.items():
        for raw in str(data.get(field) or "").split(","):
            raw = raw.strip()
            if not raw:
                continue
            if not raw.isdigit():
                raise ValidationError({field: f"“{raw}” is not a claim id."})
            claim_link_set(claim=claim, other=int(raw), kind=kind, by=by)
            count += 1
    return count
