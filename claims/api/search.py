"""The claims search behind ``q=``: claim text, label and speaker names.

On PostgreSQL it is full-text search: the query is read as a web search engine
would (words, "quoted phrases", or, -not), English stemming applies ("casualty"
finds "casualties"), and results can be ranked (label words weigh more than text
words; a match on the speaker's name or aliases adds a fixed amount). The claim
document expression below is the one the GIN index claim_search_idx holds
(claims/migrations/0004_claim_search_index.py); keep them identical, or the
index is silently no longer used. On SQLite, each word or "quoted phrase" must
occur (any case) in the label, the text or the speaker's name or aliases, and a
-word must not; there is no stemming and no ranking.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, F, FloatField, Q, Value, When

from claims.models import Claim, Speaker

CONFIG = "english"
CLAIM_DOCUMENT = SearchVector("label", weight="A", config=CONFIG) + SearchVector(
    "text", weight="B", config=CONFIG
)
SPEAKER_MATCH_RANK = 0.5


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def search_claims(queryset, q: str):
    if full_text_available():
        return _full_text(queryset, q)
    return _words(queryset, q)


def _full_text(queryset, q: str):
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    by_text = Claim.objects.annotate(document=CLAIM_DOCUMENT).filter(document=query).values("id")
    by_speaker = (
        Speaker.objects.annotate(document=SearchVector("name", "aliases", config="simple"))
        .filter(document=SearchQuery(q, search_type="websearch", config="simple"))
        .values("id")
    )
    # Two subqueries, so that the text match runs on the GIN index instead of
    # computing every claim's document.
    return queryset.filter(Q(id__in=by_text) | Q(speaker_id__in=by_speaker)).annotate(
        rank=SearchRank(CLAIM_DOCUMENT, query)
        + Case(
            When(speaker_id__in=by_speaker, then=Value(SPEAKER_MATCH_RANK)),
            default=Value(0.0),
            output_field=FloatField(),
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
