"""Which claims an export holds: the claims list's own filters, for one viewer.

The API, the admin and ``export_claims`` all select claims here, so an export
honours exactly the filters (and the visibility rules) of ``GET /api/v1/claims/``.
"""

import datetime
from dataclasses import dataclass

from django.http import QueryDict

from claims.read.filters import ClaimFilter
from claims.read.visibility import claims_visible_to, sees_unpublished
from factcheck.dates import parse_day


class SelectionError(Exception):
    """Filters the export cannot apply: ``errors`` maps each parameter to messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(
            "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items())
        )


class Newsroom:
    """The viewer of a management command run without --public: sees every claim,
    as editors do. (Commands run with the server's own rights.)"""

    is_authenticated = True
    is_anonymous = False
    pk = None

    def has_perm(self, perm, obj=None) -> bool:
        return True


@dataclass(frozen=True)
class Selection:
    claims: object  # a Claim queryset, filtered and limited to what the viewer may see
    public: bool  # the viewer sees published verdicts only
    as_of: datetime.date | None
    filters: list[tuple[str, str]]  # the filters used, for a report's header

    # Parameters an export reads besides the list filters.
    EXTRA_PARAMS = frozenset({"as_of"})


class _Request:
    """What ClaimFilter reads of a request."""

    def __init__(self, user):
        self.user = user


def select_claims(params: QueryDict, *, user, extra_params: frozenset = frozenset()) -> Selection:
    """The claims ``user`` may see that match ``params`` (the claims list's query
    parameters, plus ``as_of``); SelectionError names every parameter it refuses."""
    allowed = set(ClaimFilter.base_filters) | Selection.EXTRA_PARAMS | extra_params
    accepted = ", ".join(sorted(allowed))
    errors = {
        name: [f"Unknown parameter. Accepted here: {accepted}."]
        for name in sorted(set(params) - allowed)
    }
    try:
        as_of = _as_of(params.get("as_of"))
    except SelectionError as error:
        errors |= error.errors
        as_of = None
    filterset = ClaimFilter(data=params, queryset=claims_visible_to(user), request=_Request(user))
    if not filterset.is_valid():
        errors |= {
            name: [str(message) for message in messages]
            for name, messages in filterset.errors.items()
        }
    if errors:
        raise SelectionError(errors)
    used = [
        (name, value)
        for name in params
        if name in ClaimFilter.base_filters
        for value in params.getlist(name)
    ]
    if as_of is not None:
        used.append(("as_of", as_of.isoformat()))
    return Selection(
        claims=filterset.qs.order_by("id"),
        public=not sees_unpublished(user),
        as_of=as_of,
        filters=used,
    )


def _as_of(value: str | None) -> datetime.date | None:
    try:
        return parse_day(value)
    except ValueError as error:
        raise SelectionError({"as_of": [str(error)]}) from None
