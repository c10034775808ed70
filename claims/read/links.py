"""Links between claims as a viewer may see them: a claim's same-claim group (the
claims joined to it through confirmed ``same`` links, transitively), the group's
verdicts, a claim's links, and the pairs the matcher must not suggest again.

The links themselves are written in one place, claims/services/links.py.
"""

from django.db.models import Q

from claims.models import ClaimLink

__all__ = [
    "DECIDED_KINDS",
    "decided_partner_ids",
    "dismissed_pairs",
]

Kind = ClaimLink.Kind
# An editor's decisions; a pair with one of these is never suggested again.
DECIDED_KINDS = (Kind.SAME, Kind.RELATED, Kind.DISMISSED)


def decided_partner_ids(claim_id: int) -> set[int]:
    """The claims ``claim_id`` has a decided link with (same, related or dismissed):
    the matcher leaves them out of the claim's suggestions. One query."""
    rows = ClaimLink.objects.filter(
        Q(claim_id=claim_id) | Q(other_id=claim_id), kind__in=DECIDED_KINDS
    ).values_list("claim_id", "other_id")
    return {first if second == claim_id else second for first, second in rows}


def dismissed_pairs(claim_ids) -> set[tuple[int, int]]:
    """Of the pairs among ``claim_ids``, those an editor dismissed, as (lower id,
    higher id). One query."""
    ids = list(claim_ids)
    if not ids:
        return set()
    return set(
        ClaimLink.objects.filter(
            kind=Kind.DISMISSED, claim_id__in=ids, other_id__in=ids
        ).values_list("claim_id", "other_id")
    )
