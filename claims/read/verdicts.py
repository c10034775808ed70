"""The verdict a viewer sees, as query expressions (for reads built in SQL: the
CSV export, the report's tallies).

The same rule as ClaimBuilder.verdict: the public sees the verdict a reviewer
last approved (``published_entry``; every claim the public sees has one), the
newsroom the current verdict; with ``as_of``, everyone sees the entry in force on
that day (the public only among the entries up to the approved one).
"""

import datetime

from django.db.models import F, OuterRef, Subquery

from claims.models import VerdictEntry

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
        fields = {
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
