"""Who sees which claims.

Editors and reviewers (whoever may change claims) see every claim. Everyone
else — anonymous clients, researchers — sees the public ones only: published
claims, and retracted ones, since a retraction and its reason are public
information. Drafts and claims in research or review do not exist for them:
every route answers 404, as for a claim that was never made. They also see a
claim's verdict as a reviewer last approved it (``published_entry``), never a
newer one still awaiting review.
"""

from claims.models import Claim

# The partial indexes claim_public_search_idx (claims/migrations/0009) and
# claim_public_updated_idx (Claim.Meta) repeat these states in their predicates:
# change them together.
PUBLIC_STATES = (Claim.ReviewState.PUBLISHED, Claim.ReviewState.RETRACTED)


def sees_unpublished(user) -> bool:
    return user.is_authenticated and user.has_perm("claims.change_claim")


def public_claims():
    return Claim.objects.filter(review_state__in=PUBLIC_STATES)


def claims_visible_to(user):
    if sees_unpublished(user):
        return Claim.objects.all()
    return public_claims()
