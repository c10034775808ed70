"""The verdict a viewer sees, as query expressions (for reads built in SQL: the
CSV export, the report's tallies).

The same rule as ClaimBuilder.verdict: the public sees the verdict a reviewer
last approved (``published_entry``; every claim the public sees has one), the
newsroom the current verdict; with ``as_of``, everyone sees the entry in force on
that day (the public only among the entries up to the approved one).
"""

import datetime

from django.db.models import F, OuterRef, Q, Subquery, Value

from claims.models import Claim, Rating, VerdictEntry
from claims.read.visibility import sees_unpublished

FIELDS = {"slug": "slug", "label": "label", "value": "value"}


def _in_force(*, public: bool, as_of: datetime.date):
    """The entries of the outer claim in force on ``as_of``, the one that holds first."""
    entries = VerdictEntry.objects.filter(claim=OuterRef("pk"), holds_from__lte=as_of)
    if public:
        entries = entries.filter(recorded_at__lte=OuterRef("published_entry__recorded_at"))
    return entries.order_by("-holds_from", "-recorded_at", "-id")


def verdict_fields(*, public: bool, as_of: datetime.date | None) -> dict:
    """{"slug", "label", "value", "rationale"} → expressions over a Claim queryset."""
    if as_of is not None:
        in_force = _in_force(public=public, as_of=as_of)
        fields: dict[str, Subquery | F] = {
            name: Subquery(in_force.values(f"rating__{column}")[:1])
            for name, column in FIELDS.items()
        }
        fields["rationale"] = Subquery(in_force.values("rationale")[:1])
        return fields
    if public:
        fields = {name: F(f"published_entry__rating__{column}") for name, column in FIELDS.items()}
        fields["rationale"] = F("published_entry__rationale")
        return fields
    fields = {name: F(f"verdict__{column}") for name, column in FIELDS.items()}
    fields["rationale"] = F("rationale")
    return fields


def seen_rating_id(*, public: bool, as_of: datetime.date | None):
    """The id of the rating each claim shows its viewer, as a query expression."""
    if as_of is not None:
        return Subquery(_in_force(public=public, as_of=as_of).values("rating_id")[:1])
    return F("published_entry__rating_id") if public else F("verdict_id")


def public_entries(entries):
    """The verdict entries the public may see: those recorded up to the one
    reviewers approved (none for a claim without an approved entry)."""
    return entries.filter(recorded_at__lte=F("claim__published_entry__recorded_at"))


def verdict_condition(ratings, *, public: bool) -> Q:
    """Claims whose seen verdict (without ``as_of``) is one of ``ratings``."""
    return Q(published_entry__rating__in=ratings) if public else Q(verdict__in=ratings)


def entries_visible_to(entries, user):
    """Of verdict ``entries``, those ``user`` may see (the public: up to the approved one)."""
    return entries if sees_unpublished(user) else public_entries(entries)


def with_seen_verdict(claims, *, public: bool):
    """``claims`` with what ``seen_verdict`` reads joined, and marked for the viewer."""
    related = "published_entry__rating" if public else "verdict"
    return claims.select_related(related).annotate(seen_as_public=Value(public))


def seen_verdict(claim: Claim, *, public: bool | None = None) -> tuple[Rating, str]:
    """The rating and rationale ``claim`` shows its viewer: the public's if
    ``public``, or else if it was loaded through ``with_seen_verdict`` for the public."""
    if public is None:
        public = getattr(claim, "seen_as_public", False)
    if public and claim.published_entry is not None:  # no query when its id is None
        entry = claim.published_entry
        return entry.rating, entry.rationale
    return claim.verdict, claim.rationale
