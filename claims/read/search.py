"""The claims search behind ``q=``: claim text, label and speaker names.

On PostgreSQL it is full-text search: the query is read as a web search engine
would (words, "quoted phrases", or, -not), English stemming applies ("casualty"
finds "casualties"), and results can be ranked (label words weigh more than text
words; a match on the speaker's name or aliases adds a fixed amount). The claim
document (CLAIM_DOCUMENT) is stored in the column claims_claim.search_document,
which the GIN index claim_search_idx holds (claims/migrations/0008), and
claim_public_search_idx for public claims only (0009, 0011); speaker names are matched
through speaker_search_idx, whose expression must stay the one SPEAKER_DOCUMENT
compiles to, or that index is silently no longer used. On SQLite, each word or
"quoted phrase" must occur (any case) in the label, the text or the speaker's
name or aliases, and a -word must not; there is no stemming and no ranking.

Ranking reads every ranked claim's row, 3–4 µs each here: over 200 ms for a
word in one public claim in twelve of a million (bench/api.py), where the page
should take 50. So relevance ranks a window of a common search's matches
(``RankWindow``): about ``SEARCH_RANK_WINDOW`` (default 500) of them, those
changed since a moment that the statistics of updated_at put so that the window
holds that many if matches are spread over time like the claims. PostgreSQL
finds them by ANDing the GIN index with the index on updated_at, reading only
the window's rows. For a word so common that the window starts a few days
back (a word in one claim in twenty), reading the claims changed since then
newest first through the index on updated_at, and matching each, costs less:
the GIN index lists every match before any is ranked, 0.3 µs each (16 ms for
52,000). A search expected to match so few claims that ranking them all costs
less ranks every match; any other ordering lists every match.
"""

import contextlib
import datetime
import json
import math
import re
from typing import cast

from django.conf import settings
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.core import signing
from django.core.cache import caches
from django.db import connection, connections, transaction
from django.db.models import Case, Expression, FloatField, Q, Value, When
from django.db.models.expressions import Col

from claims.models import Claim, Speaker
from factcheck.api.queries import id_in

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


def search_claims(queryset, q: str, request=None):
    """The claims of ``queryset`` that match ``q``. Give the ``request`` that
    searches to look the matching speakers up once for it (``relevance`` too)."""
    if full_text_available():
        return _full_text(queryset, q, request)
    return _words(queryset, q)


def _full_text(queryset, q: str, request=None):
    # Either match is an index condition, so PostgreSQL reads just the claims
    # that match one or the other (a BitmapOr of the two indexes).
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    return queryset.annotate(document=StoredClaimDocument()).filter(
        Q(document=query) | Q(_speaker_match(q, request))
    )


def _speaker_match(q: str, request=None) -> Q:
    # The speakers are looked up first, and their ids given to the claims query
    # as a list: PostgreSQL then knows how many claims they have, where for an
    # array from a subquery it assumes 2,000, whatever it holds. The window of a
    # ranked search goes by that estimate (RankWindow).
    return id_in("speaker_id", _matching_speakers(q, request))


def _matching_speakers(q: str, request=None) -> list[int]:
    """The ids of the speakers whose name or aliases match ``q``; kept on the
    ``request`` for the rest of it (the filter and the ordering both ask)."""
    found = {} if request is None else request.__dict__.setdefault("_matching_speakers", {})
    if q not in found:
        found[q] = list(
            Speaker.objects.annotate(document=SPEAKER_DOCUMENT)
            .filter(document=SearchQuery(q, search_type="websearch", config="simple"))
            .order_by()
            .values_list("id", flat=True)
        )
    return found[q]


def relevance(q: str, request=None):
    """How well a claim matches the search ``q`` (PostgreSQL only): the ordering
    expression of search results."""
    query = SearchQuery(q, search_type="websearch", config=CONFIG)
    return SearchRank(StoredClaimDocument(), query) + Case(
        When(_speaker_match(q, request), then=Value(SPEAKER_MATCH_RANK)),
        default=Value(0.0),
        output_field=FloatField(),
    )


class RankWindow:
    """Which of a search's matches relevance ranks (see the module's docstring):
    the ``Narrowing`` of the keyset pagination (factcheck/api/pagination.py).

    The paginator asks it to narrow a list's matches (``narrow``), to read them
    (``reading``), to widen a first page that came back short (``widen``), and
    carries in its cursors what the first page narrowed to (``narrowed``, read
    back by ``read``): every match, or the matches changed since the window's
    start, found through the GIN index or newest first.
    Later pages rank the same claims, and those changed since, so that no claim
    slips out of the window between pages because others changed. What a
    cursor carries is signed, so that a client cannot make later pages read
    more than the first page chose to (every match of a word in half the
    claims, say: a second of ranking).
    """

    EVERY_MATCH = "all"
    # How a cursor marks a window read newest first.
    NEWEST_FIRST = " newest first"
    SALT = "claims.read.search.RankWindow"

    def __init__(self, visible=None):
        """``visible``: the claims the client sees, unfiltered (a window read
        newest first goes through every one changed since its start); without
        it, windows are found through the GIN index only."""
        self.size = settings.SEARCH_RANK_WINDOW
        self.visible = visible
        self.since = None  # where the window starts; None ranks every match
        self.newest_first = False

    def narrow(self, matches, narrowed=None):
        """``matches`` (a values queryset of a search), or the window of them;
        ``narrowed`` is what a cursor says the first page narrowed to (``read``)."""
        if narrowed is None:
            self.since, self.newest_first = _window(matches, self.size, self.visible)
        elif narrowed == self.EVERY_MATCH:
            self.since, self.newest_first = None, False
        else:
            self.since, self.newest_first = narrowed
        if self.since is None:
            return matches
        return matches.filter(updated_at__gte=self.since)

    @contextlib.contextmanager
    def reading(self):
        """Where the narrowed matches are read: a window read newest first is
        read with bitmap scans off, the only scans of a GIN index, so that
        PostgreSQL walks the index on updated_at from the window's start."""
        if not self.newest_first:
            yield
            return
        # On the connection the claims are read from (a replica's, in its requests).
        alias = Claim.objects.db
        with (
            transaction.atomic(using=alias, savepoint=False),
            connections[alias].cursor() as cursor,
        ):
            cursor.execute("SET LOCAL enable_bitmapscan = off")
            yield
            cursor.execute("SET LOCAL enable_bitmapscan TO DEFAULT")

    def widen(self, matches):
        """Every one of ``matches`` when they were narrowed to a window, else None.

        The window's start assumes that matches are spread over time like the
        claims; the matches of a search about the past can all be older, and a
        first page that came back short is ranked again from every match.
        """
        if self.since is None:
            return None
        self.since, self.newest_first = None, False
        return matches

    def narrowed(self) -> str:
        """What the rows were narrowed to, signed, for the cursors."""
        if self.since is None:
            value = self.EVERY_MATCH
        else:
            value = self.since.isoformat() + (self.NEWEST_FIRST if self.newest_first else "")
        return signing.Signer(salt=self.SALT).sign(value)

    def read(self, value):
        """What a cursor says the first page narrowed to (``narrowed``);
        ValueError or TypeError when it is not that."""
        if not isinstance(value, str):
            raise TypeError("not a window")
        try:
            value = signing.Signer(salt=self.SALT).unsign(value)
        except signing.BadSignature:
            raise ValueError("not a window narrowed here") from None
        if value == self.EVERY_MATCH:
            return value
        newest_first = value.endswith(self.NEWEST_FIRST)
        since = datetime.datetime.fromisoformat(value.removesuffix(self.NEWEST_FIRST))
        if since.tzinfo is None:
            raise ValueError("not a window")
        return since, newest_first


# What finding matches costs, in ranking one match (reading its row and ranking
# it, 3–4 µs; bench/README.md):
# - an entry of the index on updated_at, ANDed with the GIN index (0.16–0.26 µs);
_ENTRY_COST = 1 / 15
# - a match the GIN index lists (0.3 µs: 16 ms for a word in 52,000 claims);
_LISTED_COST = 1 / 10
# - a claim read newest first and matched against the search (2.7–3.3 µs).
_READ_COST = 0.85


def _window(matches, size: int, visible=None) -> tuple[datetime.datetime | None, bool]:
    """Where a window of about ``size`` of ``matches`` starts, and whether to
    read it newest first; (None, False) when ranking every match costs less.

    PostgreSQL's estimate of the matches comes from the word statistics ANALYZE
    keeps (within a few percent for single words here, bench/api.py); if
    ``expected`` of them are spread over time like the claims, the newest
    size ÷ expected of all claims hold about ``size`` of them. The GIN index
    lists every match either way. Ranking all reads every match's row; a window
    reads ``size`` rows and an index entry for every claim changed since its
    start, to AND with the GIN index. Read newest first, without the GIN index,
    it reads every ``visible`` claim changed since then instead.
    """
    expected = _estimate(matches)
    if expected <= size:
        return None, False
    claims, bounds = _updated_at_statistics()
    if not claims or not bounds or len(bounds) < 2:
        return None, False
    changed = claims * size / expected  # since the window's start
    listed = expected * _LISTED_COST
    window = listed + size + changed * _ENTRY_COST
    if listed + expected <= window:
        return None, False
    # Where the newest share of all claims starts changing: each step between
    # two bounds of the histogram holds as many claims; within one, changes are
    # taken as evenly spread.
    position = (1 - size / expected) * (len(bounds) - 1)
    step = min(math.floor(position), len(bounds) - 2)
    since = bounds[step] + (bounds[step + 1] - bounds[step]) * (position - step)
    # Estimated only when it may pay: when reading half the claims changed
    # since the window's start costs less than the window (a client sees half
    # of them at least, as a rule).
    if visible is not None and changed / 2 * _READ_COST < window:
        read = _estimate(visible.filter(updated_at__gte=since))
        return since, read * _READ_COST < window
    return since, False


def _estimate(queryset) -> float:
    """How many rows PostgreSQL expects ``queryset`` to return."""
    plan = json.loads(queryset.order_by().values("id").explain(format="json"))
    return plan[0]["Plan"]["Plan Rows"]


def _updated_at_statistics() -> tuple[float | None, list | None]:
    """How many claims PostgreSQL counts, and the histogram of their updated_at,
    both kept by ANALYZE (None before the first). Claims changed since the last
    ANALYZE are newer than its last bound: they widen the window a little until
    autovacuum analyses again.

    Both change only when ANALYZE runs (autovacuum does when a tenth of the
    claims have changed), so they are cached for a minute: reading them took a
    few milliseconds of every search. In each process's own cache: reading the
    shared one took half a millisecond of every search (measured: statistics 3.1 ms
    on a million claims, database cache 0.52 ms, Redis 0.49 ms, this 0.05 ms).
    """
    key = f"claims-search-statistics:{connection.alias}"
    statistics = caches["local"].get_or_set(key, _read_statistics, 60)
    return cast(tuple[float | None, list | None], statistics)


def _read_statistics() -> tuple[float | None, list | None]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.reltuples, s.histogram_bounds::text::timestamptz[] FROM pg_class c"
            " LEFT JOIN pg_stats s ON s.schemaname = current_schema()"
            " AND s.tablename = %s AND s.attname = %s"
            " WHERE c.oid = to_regclass(%s)",
            [
                Claim._meta.db_table,
                Claim._meta.get_field("updated_at").column,
                connection.ops.quote_name(Claim._meta.db_table),
            ],
        )
        row = cursor.fetchone()
    if row is None or row[0] < 0:
        return None, None
    return row[0], row[1]


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
