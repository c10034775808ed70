"""Other organisations' reviews as the API shows them: for the list, and within a
claim's detail. A viewer sees the reviews of the claims they may see."""

from claims.models import ExternalReview
from claims.read.visibility import children_visible_to
from factcheck.api.links import Links

REVIEW_COLUMNS = (
    "id",
    "claim_id",
    "url",
    "title",
    "publisher_id",
    "publisher__name",
    "reviewed_at",
    "claim_text",
    "textual_rating",
    "rating_id",
    "rating__slug",
    "rating__label",
    "rating_value",
    "best_rating",
    "worst_rating",
    "language",
    "created_at",
    "updated_at",
)


def reviews_visible_to(user):
    return children_visible_to(ExternalReview.objects.all(), user)


def build_reviews(rows, links: Links) -> list[dict]:
    return [
        {
            "id": row["id"],
            "url": links("external-reviews", row["id"]),
            "review_url": row["url"],
            "claim": {"id": row["claim_id"], "url": links("claims", row["claim_id"])},
            "publisher": {
                "id": row["publisher_id"],
                "url": links("outlets", row["publisher_id"]),
                "name": row["publisher__name"],
            },
            "title": row["title"],
            "reviewed_at": row["reviewed_at"],
            "claim_reviewed": row["claim_text"],
            "textual_rating": row["textual_rating"],
            "rating": None
            if row["rating_id"] is None
            else {
                "id": row["rating_id"],
                "url": links("ratings", row["rating_id"]),
                "slug": row["rating__slug"],
                "label": row["rating__label"],
            },
            "rating_value": row["rating_value"],
            "best_rating": row["best_rating"],
            "worst_rating": row["worst_rating"],
            "language": row["language"],
            "created_at": row["created_at"],
            "updated_at": row["updated_at"],
        }
        for row in rows
    ]


def reviews_of(claim_ids: list[int], links: Links) -> dict[int, list[dict]]:
    """Each claim's reviews, newest first, in one query (for the claims API)."""
    by_claim: dict[int, list[dict]] = {claim_id: [] for claim_id in claim_ids}
    rows = (
        ExternalReview.objects.filter(claim_id__in=claim_ids)
        .order_by("claim_id", "-reviewed_at", "id")
        .values(*REVIEW_COLUMNS)
    )
    for review in build_reviews(rows, links):
        by_claim[review["claim"]["id"]].append(review)
    return by_claim
