"""ClaimReview interchange: reading other fact-checkers' reviews (``readers``), mapping
their ratings to ours (``ratings``) and storing them on claims (``claims.services``),
and the DataFeed of our own published reviews."""
