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

Ranking reads every ranked claim's row, 2–4 µs each here: over 200 ms for a
word in one public claim in twelve of a million (bench/api.py), where the page
should take 50. So when PostgreSQL expects more matches than √(window × claims),
relevance ranks a window of them (``RankWindow``): the ``SEARCH_RANK_WINDOW``
(default 500) most recently changed, found by walking the claims newest first
without reading the rest. Other searches rank every match, found through the
GIN index; any other ordering lists every match.
"""

import datetime
import json
import math
import re

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, Q, Value, When, Window
from django.db.models.expressions import Col
from django.db.models.functions import FirstValue

from claims.models import Claim, Speaker
from factcheck.admin_tools import planner_row_estimate
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
    # Either match is an index condition, so PostgreSQL reads just the claims
    # that match one or the other (a BitmapOr of the two indexes).
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    return queryset.annotate(document=StoredClaimDocument()).filter(
        Q(document=query) | Q(_speaker_match(q))
    )


def _speaker_match(q: str) -> Q:
    # The speakers are looked up once (an array, not a subquery per claim).
    speakers = ArraySubquery(
        Speaker.objects.annotate(document=SPEAKER_DOCUMENT)
        .filter(document=SearchQuery(q, search_type="websearch", config="simple"))
        .order_by()
        .values("id")
    )
    return equals_any("speaker_id", speakers)


def relevance(q: str):
    """How well a claim matches the search ``q`` (PostgreSQL only): the ordering
    expression of search results."""
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    return SearchRank(StoredClaimDocument(), query) + Case(
        When(_speaker_match(q), then=Value(SPEAKER_MATCH_RANK)),
        default=Value(0.0),
        output_field=FloatField(),
    )


class RankWindow:
    """Which of a search's matches relevance ranks (see the module's docstring).

    The keyset pagination asks it to narrow a list's matches (``narrow``) and
    carries in its cursors what the first page narrowed to (``narrowed``, read
    back by ``read``): every match, or the matches changed at or after the
    oldest one ranked on the first page. Later pages rank the same claims, and
    those changed since, so that no claim slips out of the window between pages
    because others changed.
    """

    EVERY_MATCH = "all"
    _AT, _ID = "_window_at", "_window_id"

    def __init__(self):
        self.size = settings.SEARCH_RANK_WINDOW
        self.windowed = False

    def narrow(self, matches, narrowed=None):
        """``matches`` (a values queryset of a search), or the window of them."""
        if narrowed == self.EVERY_MATCH:
            return matches
        if narrowed is not None:
            changed, ident = narrowed
            # Written as the keyset bound in factcheck/api/pagination.py, so
            # that a walk of the index on updated_at stops where the window ends.
            return matches.filter(
                Q(updated_at__gte=changed), Q(updated_at__gt=changed) | Q(id__gte=ident)
            )
        if not _too_many_to_rank(matches, self.size):
            return matches
        self.windowed = True
        window = matches.order_by("-updated_at", "-id")[: self.size].values("id")
        oldest_first = [F("updated_at").asc(), F("id").asc()]
        return (
            Claim.objects.filter(id__in=window)
            .values("id")
            .annotate(
                **{
                    self._AT: Window(FirstValue("updated_at"), order_by=oldest_first),
                    self._ID: Window(FirstValue("id"), order_by=oldest_first),
                }
            )
        )

    def narrowed(self, row: dict):
        """What the first page narrowed to, given one of its rows, for the cursor."""
        if not self.windowed:
            return self.EVERY_MATCH
        return [row[self._AT].isoformat(), row[self._ID]]

    def read(self, value):
        """What a cursor says the first page narrowed to; ValueError or TypeError
        when it is not that."""
        if value == self.EVERY_MATCH:
            return value
        changed, ident = value
        moment = datetime.datetime.fromisoformat(changed)
        if moment.tzinfo is None or type(ident) is not int or not 0 < ident < 2**63:
            raise ValueError("not a window")
        return moment, ident


def _too_many_to_rank(matches, size: int) -> bool:
    """Whether PostgreSQL expects so many matches that ranking the newest ``size``
    takes less time than ranking them all.

    Ranking every match reads each one's row. The newest matches are found by
    walking the claims newest first (an index on updated_at) until ``size`` of
    them have turned up: about size × claims ÷ matches rows. The two cost the
    same at √(size × claims) matches (22,360 for 500 of a million claims); the
    planner's estimate of the matches, from the word statistics ANALYZE keeps,
    is within a few percent for single words here (bench/api.py).
    """
    claims = planner_row_estimate(Claim.objects.all())
    if not claims:
        return False
    plan = json.loads(matches.order_by().values("id").explain(format="json"))
    expected = plan[0]["Plan"]["Plan Rows"]
    return expected > math.sqrt(size * claims)


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
