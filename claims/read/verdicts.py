"""The verdict a viewer sees, as query expressions (for exports built in SQL).

The same rule as the API's ClaimBuilder.verdict: the public sees the verdict a
reviewer last approved (``published_entry``), falling back to the current one
for a claim made public without an approved entry; the newsroom sees the
current verdict; with ``as_of``, everyone sees the entry in force on that day
(the public only among the entries up to the approved one).
"""

import datetime

from django.db.models import Case, F, OuterRef, Subquery, When

from claims.models import VerdictEntry

FIELDS = {"slug": "slug", "label": "label", "value": "value"}


def verdict_fields(*, public: bool, as_of: datetime.date | None) -> dict:
    """{"slug", "label", "value", "rationale"} → expressions over a Claim queryset."""
    if as_of is not None:
        entries = VerdictEntry.objects.filter(claim=OuterRef("pk"), holds_from__lte=as_of)
        if public:
            entries = entries.filter(recorded_at__lte=OuterRef("published_entry__recorded_at"))
        in_force = entries.order_by("-holds_from", "-recorded_at", "-id")
        fields = {
            name: Subquery(in_force.values(f"rating__{column}")[:1])
            for name, column in FIELDS.items()
        }
        fields["rationale"] = Subquery(in_force.values("rationale")[:1])
        return fields
    current = {name: F(f"verdict__{column}") for name, column in FIELDS.items()}
    current["rationale"] = F("rationale")
    if not public:
        return current
    published = {name: F(f"published_entry__rating__{column}") for name, column in FIELDS.items()}
    published["rationale"] = F("published_entry__rationale")
    return {
        name: Case(
            When(published_entry__isnull=False, then=published[name]),
            default=current[name],
        )
        for name in current
    }
