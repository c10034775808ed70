"""Who sees which claims, and as what: the one place that decides it.

Editors and reviewers (whoever may change claims) see every claim as it is now.
Everyone else (anonymous clients, researchers, in the API, the exports, the
reports and the admin alike) sees the public claims only: those with a verdict a
reviewer approved (``Claim.objects.public()``), from their publication until they
are reopened after a retraction. A retraction and its reason are public
information. Other claims do not exist for them: every route answers 404, as for
a claim that was never made.

The public sees a claim as it was approved: the verdict a reviewer last approved
(``published_entry``), never a newer one still awaiting review, and the review
state "published" (or "retracted") while a newer verdict waits for review.
"""

from django.db.models import Case, CharField, F, Q, Value, When

from claims.models import Claim
from claims.models.claims import PUBLIC, public_condition

__all__ = [
    "PUBLIC",
    "PUBLIC_STATES",
    "children_visible_to",
    "claims_visible_to",
    "public_claims",
    "review_state_condition",
    "reviewed",
    "seen_review_state",
    "seen_review_state_expression",
    "sees_unpublished",
    "visible",
    "visible_condition",
]

State = Claim.ReviewState
# The review states the public sees.
PUBLIC_STATES = (State.PUBLISHED, State.RETRACTED)


def sees_unpublished(user) -> bool:
    """Whether ``user`` is of the newsroom: sees every claim and its current verdict."""
    return bool(user.is_authenticated and user.has_perm("claims.change_claim"))


def public_claims():
    return Claim.objects.public()


def visible(claims, user):
    """Of ``claims`` (a Claim queryset), those ``user`` may see."""
    return claims if sees_unpublished(user) else claims.public()


def claims_visible_to(user):
    return visible(Claim.objects.all(), user)


def visible_condition(user, path: str = "") -> Q:
    """The claims ``user`` may see, as a condition on claims or on rows that reach
    them through ``path`` ("claim__", "claims__"); empty for the newsroom."""
    return Q() if sees_unpublished(user) else public_condition(path)


def children_visible_to(queryset, user):
    """Of ``queryset`` (appearances, evidence: rows with a claim), those of claims
    ``user`` may see."""
    return queryset.filter(visible_condition(user, "claim__"))


def seen_review_state(state: str, *, public: bool) -> str:
    """The review state a viewer sees of a claim they may see."""
    if not public or state == State.RETRACTED:
        return state
    return State.PUBLISHED


def seen_review_state_expression(*, public: bool):
    """seen_review_state as a query expression over claims."""
    if not public:
        return F("review_state")
    return Case(
        When(review_state=State.RETRACTED, then=Value(State.RETRACTED.value)),
        default=Value(State.PUBLISHED.value),
        output_field=CharField(),
    )


def review_state_condition(states, *, public: bool) -> Q:
    """Claims whose seen review state is one of ``states``."""
    states = set(states)
    if not public:
        return Q(review_state__in=states)
    condition = Q(pk__in=[])
    if State.RETRACTED in states:
        condition |= Q(review_state=State.RETRACTED)
    if State.PUBLISHED in states:
        condition |= ~Q(review_state=State.RETRACTED)
    return condition


def reviewed(claims):
    """Of ``claims``, those the public sees as published (not retracted): the
    claims whose approved verdict is a published fact-check (ClaimReview)."""
    return claims.public().filter(review_state_condition([State.PUBLISHED], public=True))
