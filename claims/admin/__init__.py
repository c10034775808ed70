"""The claims admin, one module per part of the domain as in claims.models.

Importing the modules registers their ModelAdmins.
"""

from claims.admin import (
    anchors,
    annotate,
    claims,
    external_reviews,
    links,
    ratings,
    reviews,
    speakers,
    tokens,
    verdicts,
)

__all__ = [
    "anchors",
    "annotate",
    "claims",
    "external_reviews",
    "links",
    "ratings",
    "reviews",
    "speakers",
    "tokens",
    "verdicts",
]
