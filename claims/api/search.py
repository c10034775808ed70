"""The claims search behind ``q=``: claim text, label and speaker names.

On PostgreSQL it is full-text search: the query is read as a web search engine
would (words, "quoted phrases", or, -not), English stemming applies ("casualty"
finds "casualties"), and results can be ranked (label words weigh more than text
words; a match on the speaker's name or aliases adds a fixed amount). The claim
document (CLAIM_DOCUMENT) is stored in the column claims_claim.search_document,
which the GIN index claim_search_idx holds (claims/migrations/0008), and
claim_public_search_idx for public claims only (0009); speaker names are matched
through speaker_search_idx, whose expression must stay the one SPEAKER_DOCUMENT
compiles to, or that index is silently no longer used. On SQLite, each word or
"quoted phrase" must occur (any case) in the label, the text or the speaker's
name or aliases, and a -word must not; there is no stemming and no ranking.
"""

import re

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, Q, Value, When
from django.db.models.expressions import Col

from claims.models import Claim, Speaker
from factcheck.api.queries import equals_any

CONFIG = "english"
# What claims_claim.search_document holds (the migration spells it out in SQL).
CLAIM_DOCUMENT = SearchVector("label", weight="A", config=CONFIG) + SearchVector(
    "text", weight="B", config=CONFIG
)
SPEAKER_DOCUMENT = SearchVector("name", "aliases", config="simple")
SPEAKER_MATCH_RANK = 0.5

# The column, described as a field of Claim (though not in its _meta) so that
# Django can select, order and compare expressions on it.
_DOCUMENT_COLUMN = SearchVectorField()
_DOCUMENT_COLUMN.set_attributes_from_name("search_document")
_DOCUMENT_COLUMN.model = Claim


class StoredClaimDocument(Expression):
    """CLAIM_DOCUMENT as PostgreSQL stored it with the claim.

    Ranking and the index recheck read it instead of parsing every matching
    claim's label and text again (25 µs a claim: seconds for a common word
    among a million claims). It is not a model field, since SQLite cannot have
    the column, so it resolves to the column of the query's claims table.
    """

    output_field = SearchVectorField()

    def resolve_expression(self, query=None, *args, **kwargs):
        return Col(query.get_initial_alias(), _DOCUMENT_COLUMN)


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def search_claims(queryset, q: str):
    if full_text_available():
        return _full_text(queryset, q)
    return _words(queryset, q)


def _full_text(queryset, q: str):
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    # The speakers are looked up once (an array, not a subquery per claim).
    speakers = ArraySubquery(
        Speaker.objects.annotate(document=SPEAKER_DOCUMENT)
        .filter(document=SearchQuery(q, search_type="websearch", config="simple"))
        .order_by()
        .values("id")
    )
    by_speaker = equals_any("speaker_id", speakers)
    # Either match is an index condition, so PostgreSQL reads just the claims
    # that match one or the other (a BitmapOr of the two indexes).
    return (
        queryset.annotate(document=StoredClaimDocument())
        .filter(Q(document=query) | Q(by_speaker))
        .annotate(
            rank=SearchRank(F("document"), query)
            + Case(
                When(by_speaker, then=Value(SPEAKER_MATCH_RANK)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        )
    )


_TERM = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')


def _words(queryset, q: str):
    for negated, phrase, word in _TERM.findall(q):
        term = (phrase or word).strip('"')
        if not term:
            continue
        found = (
            Q(label__icontains=term)
            | Q(text__icontains=term)
            | Q(speaker__name__icontains=term)
            | Q(speaker__aliases__icontains=term)
        )
        queryset = queryset.exclude(found) if negated else queryset.filter(found)
    return queryset


def relevance():
    """The ordering expression for search results (PostgreSQL only)."""
    return F("rank")
