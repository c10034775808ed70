"""Links between claims as a viewer may see them: a claim's same-claim group (the
claims joined to it through confirmed ``same`` links, transitively), the group's
verdicts, a claim's links, and the pairs the matcher must not suggest again.

The links themselves are written in one place, claims/services/links.py.
"""

from typing import Any, cast

from django.db.models import Q

from claims.models import Claim, ClaimLink
from claims.read.builders import rating_summary
from claims.read.verdicts import verdict_fields, with_seen_verdict
from claims.read.visibility import public_claims, sees_unpublished, visible, visible_condition
from factcheck.api.links import Links

__all__ = [
    "DECIDED_KINDS",
    "LINK_COLUMNS",
    "PUBLIC_KINDS",
    "build_links",
    "claim_group",
    "decided_partner_ids",
    "dismissed_pairs",
    "group_verdicts",
    "links_of",
    "links_visible",
    "links_visible_to",
    "same_group_ids",
]

Kind = ClaimLink.Kind
# An editor's decisions; a pair with one of these is never suggested again.
DECIDED_KINDS = (Kind.SAME, Kind.RELATED, Kind.DISMISSED)
# The links the public sees: editors' findings, not the matcher's guesses or rejections.
PUBLIC_KINDS = (Kind.SAME, Kind.RELATED)


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


def same_group_ids(claim_id: int) -> set[int]:
    """Every claim joined to ``claim_id`` through confirmed ``same`` links,
    transitively, the claim included, whoever may see them. Breadth-first: one query
    per round, as many rounds as the longest path from the claim (a handful)."""
    group, frontier = {claim_id}, {claim_id}
    while frontier:
        rows = ClaimLink.objects.filter(
            Q(claim_id__in=frontier) | Q(other_id__in=frontier), kind=Kind.SAME
        ).values_list("claim_id", "other_id")
        found = {pk for row in rows for pk in row}
        frontier = found - group
        group |= frontier
    return group


def claim_group(claim: Claim, *, user) -> list[Claim]:
    """The claim's same-claim group, the claim included, of the claims ``user`` may
    see, by id; each loaded with its speaker and the verdict ``user`` sees
    (``seen_verdict``)."""
    ids = same_group_ids(claim.pk)
    claims = visible(Claim.objects.filter(pk__in=ids), user).select_related("speaker")
    return list(with_seen_verdict(claims, public=not sees_unpublished(user)).order_by("pk"))


def _summaries(ids, *, public: bool, links: Links) -> dict[int, dict]:
    """{id: {"id", "label", "verdict", "url"}} for claims ``ids``, with the verdict a
    viewer (the public or the newsroom) sees. One query; the caller says which claims
    the viewer may see."""
    verdict = {
        f"verdict_{name}": field
        for name, field in verdict_fields(public=public, as_of=None).items()
        if name != "rationale"
    }
    # The plugin types values() by its named columns only, not the expressions.
    rows = cast(
        list[dict[str, Any]],
        list(Claim.objects.filter(pk__in=list(ids)).values("id", "label", **verdict)),
    )
    claims = links.prefix("claims")
    return {
        row["id"]: {
            "id": row["id"],
            "label": row["label"],
            "verdict": None
            if row["verdict_slug"] is None
            else rating_summary(row["verdict_slug"], row["verdict_label"], row["verdict_value"]),
            "url": f"{claims}{row['id']}/",
        }
        for row in rows
    }


def group_verdicts(claim_id: int, *, user, links: Links) -> list[dict]:
    """What a claim's page shows of its group: the other claims of it that ``user``
    may see, by id, each with the verdict ``user`` sees (``_summaries``' shape)."""
    ids = same_group_ids(claim_id) - {claim_id}
    if not ids:
        return []
    public = not sees_unpublished(user)
    if public:
        ids = set(public_claims().filter(pk__in=ids).values_list("pk", flat=True))
    summaries = _summaries(ids, public=public, links=links)
    return [summaries[pk] for pk in sorted(summaries)]


# A link as the API shows it: these columns, and the other claim's summary.
LINK_COLUMNS = (
    "id",
    "claim_id",
    "other_id",
    "kind",
    "score",
    "reasons",
    "note",
    "decided_by__username",
    "decided_at",
    "created_at",
    "updated_at",
)


def links_visible_to(claim_id: int, user):
    """The links of claim ``claim_id`` that ``user`` sees: with claims they may see;
    the public (and researchers) see editors' decisions that two claims are the same
    or related, not suggestions or dismissals."""
    return links_visible(
        ClaimLink.objects.filter(Q(claim_id=claim_id) | Q(other_id=claim_id)), user
    )


def links_visible(links, user):
    """Of ``links`` (a ClaimLink queryset), those ``user`` sees: the newsroom every
    one; others those between claims they may see, of PUBLIC_KINDS."""
    if sees_unpublished(user):
        return links
    return links.filter(
        visible_condition(user, "claim__"),
        visible_condition(user, "other__"),
        kind__in=PUBLIC_KINDS,
    )


def build_links(rows, *, claim_id: int, public: bool, links: Links) -> list[dict]:
    """Links of claim ``claim_id`` (rows of LINK_COLUMNS) as the API shows them, each
    naming the claim at its other end. One query for the other claims."""
    partner = {
        row["id"]: row["other_id"] if row["claim_id"] == claim_id else row["claim_id"]
        for row in rows
    }
    summaries = _summaries(set(partner.values()), public=public, links=links)
    base = links.prefix("claims")
    return [
        {
            "id": row["id"],
            "url": f"{base}{claim_id}/links/{row['id']}/",
            "claim": summaries[partner[row["id"]]],
            "kind": row["kind"],
            "score": row["score"],
            "reasons": row["reasons"],
            # Who decided, and why, is the newsroom's.
            "note": "" if public else row["note"],
            "decided_by": None if public else row["decided_by__username"],
            "decided_at": row["decided_at"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def links_of(claim: Claim | int, *, user, links: Links) -> list[dict]:
    """The links of a claim ``user`` may see, as the API shows them, newest first.
    Two queries."""
    claim_id = claim.pk if isinstance(claim, Claim) else claim
    rows = list(
        links_visible_to(claim_id, user).order_by("-created_at", "-id").values(*LINK_COLUMNS)
    )
    return build_links(rows, claim_id=claim_id, public=not sees_unpublished(user), links=links)
