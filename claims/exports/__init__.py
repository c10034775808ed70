"""Claims exported as files: CSV, JSON Lines, ClaimReview and Web Annotation
JSON-LD, and claim reports in HTML and PDF. One layer for every entry point: the
read layer (``claims.read.selection.select_claims``) picks the claims as the API
list does, ``FORMATS`` writes them."""

from claims.exports.formats import FORMATS, ExportFormat

__all__ = ["FORMATS", "ExportFormat"]
