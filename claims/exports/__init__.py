"""Claims exported as files: CSV, JSON Lines, ClaimReview and Web Annotation
JSON-LD, and claim reports in HTML and PDF. One layer for every entry point:
``select_claims`` picks the claims as the API list does, ``FORMATS`` writes them."""

from claims.exports.formats import FORMATS, ExportFormat
from claims.exports.selection import Newsroom, Selection, SelectionError, select_claims

__all__ = ["FORMATS", "ExportFormat", "Newsroom", "Selection", "SelectionError", "select_claims"]
