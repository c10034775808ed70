"""Has this been checked before? The existing claims most likely to state what a
text states, best first, each with a score in [0, 1] and the reasons for it.

Two stages, so that a search reads a few hundred claims whatever their number:

1. Candidates: the claims nearest in meaning (claims/read/vectors.py: every
   claim's embedding code, in memory), and the claims sharing its rarest words
   (on PostgreSQL the full-text index of claims, claim_search_idx, and for short
   texts typed in a form trigram similarity, claim_text_trgm_idx; on SQLite a
   substring scan for those words).
2. Scores: each candidate's stored embedding against the text's (the cosine of
   multilingual-e5-small, factcheck/embedding.py), its shared words weighed by
   how rare they are (claims/read/words.py), and its numbers: a claim stating
   other numbers ("109 diagnosed" for "11 treated") is a different fact however
   close its words, and scores well below the suggestion threshold.

The score is calibrated so that ``MATCH_SUGGEST_THRESHOLD`` (0.6 by default)
separates "probably the same claim" from the rest (bench/matching_eval.py
measures it); imports attach a review to an existing claim at
``MATCH_ATTACH_THRESHOLD`` (0.8). Claims in another language than the text's are
scored by meaning alone, since they share no words.
"""

import functools
import math
import operator
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import Q

from claims.models import Claim
from claims.read.search import CONFIG, StoredClaimDocument
from claims.read.vectors import claim_index
from claims.read.visibility import sees_unpublished, visible
from claims.read.words import Words, without_noise, words
from factcheck import embedding
from factcheck.languages import detect_language, primary_language

METHODS = ("hybrid", "lexical", "dense")
MAX_LIMIT = 50
# Candidates from each stage.
NEAREST = 200
LEXICAL = 100
TRIGRAM = 50
# Of the candidates, how many of each stage are scored in full.
SCORED = 40
# Trigram similarity is for texts being typed; a longer text has its words.
TRIGRAM_MAX_CHARS = 40

# Calibration of the meaning score: the cosine of two unrelated claims on one
# subject is about 0.75–0.80 with multilingual-e5-small (query against passage), of a
# paraphrase or translation 0.88 and above.
COSINE_FLOOR = 0.78
COSINE_CEILING = 0.93
# Between languages the cosine of a translation is lower: 0.84–0.90.
CROSS_LANGUAGE = (0.76, 0.88)
# Of the hybrid score, what meaning weighs (the rest: shared words).
MEANING_WEIGHT = 0.7
# What meaning alone may score, with no word shared.
MEANING_ALONE = 0.9
# Shared words scored as fully shared at this weighted overlap.
WORDS_FULL = 0.5
# What a candidate keeps of its score for each sign of a different fact: other
# numbers than the text's, numbers where the text has none (or none where it has
# some), the opposite direction ("rose"/"fell"), other names on both sides
# ("Nigeria"/"Niger").
OTHER_NUMBERS = 0.55
ONE_SIDED_NUMBERS = 0.85
OTHER_DIRECTION = 0.55
OTHER_NAMES = 0.75
# Shared words: a text up to LONGER times the weight of a claim's words counts its
# words in full; beyond, as if it were that long.
LONGER = 2.0
# The signs of a different fact count for texts up to CLAIM_LIKE times the weight of
# the claim's words.
CLAIM_LIKE = 1.3
# …and weigh at most this much (a claim of one or two sentences; a post weighs more).
CLAIM_WEIGHT = 30.0
# A candidate scoring d below the best one loses BEHIND_BEST × d more.
BEHIND_BEST = 3.0


class SimilarInputError(ValueError):
    """A text or parameter the matcher refuses; the message says why, for a 400,
    and ``field`` names the parameter."""

    def __init__(self, message: str, field: str = "text"):
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Match:
    claim: Claim
    score: float
    reasons: tuple[str, ...]


def suggest_threshold() -> float:
    return settings.MATCH_SUGGEST_THRESHOLD


def checked_text(text) -> str:
    if not isinstance(text, str) or not text.strip():
        raise SimilarInputError("Give the text of a claim to match: it is empty.")
    text = " ".join(text.split())
    if len(text) > settings.MATCH_MAX_CHARS:
        raise SimilarInputError(
            f"The text is {len(text):,} characters long; a claim to match may have "
            f"{settings.MATCH_MAX_CHARS:,} at most."
        )
    return text


def checked_limit(limit) -> int:
    try:
        limit = int(limit)
    except (TypeError, ValueError):
        raise SimilarInputError(
            f"limit must be a whole number from 1 to {MAX_LIMIT}.", "limit"
        ) from None
    if not 1 <= limit <= MAX_LIMIT:
        raise SimilarInputError(f"limit must be from 1 to {MAX_LIMIT}; it is {limit}.", "limit")
    return limit


def checked_language(language) -> str | None:
    if language in (None, ""):
        return None
    code = primary_language(language)
    if code is None:
        raise SimilarInputError(
            f"{language!r} is not a language tag this server knows; give a BCP 47 tag "
            "such as en, fr or es-419.",
            "language",
        )
    return code


def similar_claims(
    text: str,
    *,
    user,
    language: str | None = None,
    speaker_id: int | None = None,
    limit: int = 5,
    exclude_ids: Iterable[int] = (),
    method: str = "hybrid",
) -> list[Match]:
    """The claims ``user`` may see most likely to state what ``text`` states."""
    text = checked_text(text)
    limit = checked_limit(limit)
    language = checked_language(language)
    if method not in METHODS:
        raise SimilarInputError(f"method must be one of {', '.join(METHODS)}.", "method")
    query = _Query(text, language)
    claims = visible(Claim.objects.all(), user)
    nearest: list[int] = []
    lexical: list[int] = []
    if method != "lexical":
        nearest = claim_index().nearest(
            query.code, count=NEAREST, public_only=not sees_unpublished(user)
        )
    if method != "dense":
        lexical = _lexical_candidates(claims, query)
    excluded = set(exclude_ids)
    rows = {
        row[0]: row
        for row in claims.filter(pk__in=[i for i in {*nearest, *lexical} if i not in excluded])
        .order_by()
        .values_list("id", "text", "language", "speaker_id", "embedding__vector")
    }
    vectors = {
        pk: embedding.from_stored(row[4])
        for pk, row in rows.items()
        if row[4] is not None and method != "lexical"
    }
    scored = []
    for claim_id in _to_score(query, vectors, lexical, rows):
        _, claim_text, claim_language, claim_speaker, _ = rows[claim_id]
        score, reasons = query.score(
            claim_text,
            primary_language(claim_language) or claim_language,
            vectors.get(claim_id),
            method=method,
            same_speaker=speaker_id is not None and speaker_id == claim_speaker,
        )
        if score > 0:
            scored.append((score, claim_id, reasons))
    best = _ranked(scored)[:limit]
    loaded = Claim.objects.filter(pk__in=[claim_id for _, claim_id, _ in best]).select_related(
        "speaker", "verdict"
    )
    by_id = {claim.pk: claim for claim in loaded}
    return [
        Match(by_id[claim_id], round(score, 4), reasons)
        for score, claim_id, reasons in best
        if claim_id in by_id
    ]


def _to_score(query: "_Query", vectors: dict, lexical: list[int], rows: dict) -> list[int]:
    """Which candidates to score in full (reading their words costs about 0.7 ms
    each): the SCORED nearest in meaning by their stored vectors' cosine, and the
    first SCORED found by their words."""
    by_meaning: list[int] = []
    if vectors:
        ids = list(vectors)
        cosines = np.stack([vectors[pk] for pk in ids]) @ query.vector
        by_meaning = [ids[i] for i in np.argsort(-cosines)[:SCORED]]
    by_words = [pk for pk in lexical if pk in rows][:SCORED]
    return list(dict.fromkeys([*by_meaning, *by_words]))


def _ranked(scored: list[tuple[float, int, tuple]]) -> list[tuple[float, int, tuple]]:
    """Candidates best first, their scores in [0, 1]: each lowered by how far below
    the best candidate it is (``BEHIND_BEST``), since a text states one fact: where
    one claim states it, another close to it states a neighbouring fact."""
    if not scored:
        return []
    top = max(score for score, _, _ in scored)
    ranked = [
        (_clip(score - BEHIND_BEST * (top - score)), claim_id, reasons)
        for score, claim_id, reasons in scored
    ]
    ranked.sort(key=lambda item: (-item[0], -item[1]))
    return ranked


def similar_to_claim(claim: Claim, *, user, limit: int = 5) -> list[Match]:
    """The claims most likely to state what ``claim`` states, but those already
    linked to it (the same claim, related, or dismissed as not the same)."""
    from claims.read.links import decided_partner_ids

    return similar_claims(
        claim.text,
        user=user,
        language=claim.language,
        speaker_id=claim.speaker_id,
        limit=limit,
        exclude_ids={claim.pk, *decided_partner_ids(claim.pk)},
    )


# The text searched ---------------------------------------------------------------------


class _Query:
    def __init__(self, text: str, language: str | None):
        # The words of a post are read without its addresses, handles and signature;
        # its meaning, from all of it (the model reads a post's signature better than
        # no post: CheckThat! 2020 dev, 0.741 against 0.727).
        self.text = text
        cleaned = without_noise(text) or text
        self.language = language or detect_language(cleaned)
        self.words = words(cleaned, self.language or "")
        self._vector: np.ndarray | None = None

    @property
    def vector(self) -> np.ndarray:
        if self._vector is None:
            self._vector = embedding.encode_query(self.text)
        return self._vector

    @property
    def code(self) -> bytes:
        return embedding.to_stored(self.vector)[1]

    def rarest(self, count: int) -> list[str]:
        keys = sorted(self.words.keys.items(), key=lambda item: -item[1])
        return [self.words.shown[k] for k, weight in keys[:count] if weight >= 1.0]

    def score(self, text, language, vector, *, method, same_speaker) -> tuple[float, tuple]:
        theirs = words(text, language or "")
        reasons: list[str] = []
        other_language = bool(self.language and language and language != self.language)
        meaning = 0.0
        if method != "lexical" and vector is not None:
            cosine = float(np.dot(self.vector, vector))
            floor, ceiling = CROSS_LANGUAGE if other_language else (COSINE_FLOOR, COSINE_CEILING)
            meaning = max(0.0, (cosine - floor) / (ceiling - floor))
            reasons.append(f"meaning: {cosine:.2f}")
        shared, overlap = _shared_words(self.words, theirs)
        lexical = overlap / WORDS_FULL
        if shared:
            reasons.append("shared words: " + ", ".join(shared[:5]))
        if method == "lexical":
            score = lexical
        elif method == "dense" or other_language:
            score = meaning
        else:
            # Shared words add to meaning; their absence (a translation, other words
            # for the same fact) costs a little only.
            score = max(
                MEANING_WEIGHT * meaning + (1 - MEANING_WEIGHT) * lexical,
                MEANING_ALONE * meaning,
            )
        if other_language:
            reasons.append(f"in another language: {language}")
        # The signs of a different fact compare two claims; a text much longer than
        # the claim (a post, a paragraph) states other things besides, with their
        # own numbers and names.
        mine = _total(self.words)
        if mine <= CLAIM_WEIGHT and mine <= CLAIM_LIKE * _total(theirs):
            score, conflicts = _conflicts(self.words, theirs, score, other_language=other_language)
            reasons += conflicts
        if same_speaker:
            score += 0.05
            reasons.append("same speaker")
        return score, tuple(reasons)


def _conflicts(ours: Words, theirs: Words, score: float, *, other_language: bool):
    """``score`` lowered for each sign that the two texts state different facts,
    however alike their words and meaning, and the reasons."""
    reasons = []
    only_ours, only_theirs = ours.numbers - theirs.numbers, theirs.numbers - ours.numbers
    if only_ours and only_theirs:
        score *= OTHER_NUMBERS
        reasons.append(f"different numbers: {_numbers(only_ours)} vs {_numbers(only_theirs)}")
    elif ours.numbers & theirs.numbers:
        reasons.append("same numbers: " + _numbers(ours.numbers & theirs.numbers))
    elif ours.numbers or theirs.numbers:
        score *= ONE_SIDED_NUMBERS
        reasons.append("numbers on one side only")
    if ours.direction and theirs.direction and ours.direction != theirs.direction:
        score *= OTHER_DIRECTION
        reasons.append(f"opposite directions: {ours.direction} vs {theirs.direction}")
    if other_language:
        return score, reasons
    # A denial is not another fact: "Danny Trejo is not dead" is the claim that he
    # died, checked. Names are compared within a language only ("Allemagne" is
    # Germany).
    # Names by their first four letters: "Iraq" and "Iraqi", "Iran's" and "Iranian".
    our_stems = {k[:4] for k in ours.keys}
    their_stems = {k[:4] for k in theirs.keys}
    our_names = [ours.shown[k] for k in ours.names if k[:4] not in their_stems]
    their_names = [theirs.shown[k] for k in theirs.names if k[:4] not in our_stems]
    if our_names and their_names:
        score *= OTHER_NAMES
        reasons.append(f"other names: {', '.join(our_names)} vs {', '.join(their_names)}")
    return score, reasons


def _total(words: Words) -> float:
    return words.total + 3.5 * len(words.numbers)


def _shared_words(ours: Words, theirs: Words) -> tuple[list[str], float]:
    """The words both texts use (rarest first), and their weighted overlap in [0, 1]:
    the shared weight over the geometric mean of both texts' weights."""
    shared = sorted(
        (k for k in ours.keys if k in theirs.keys and ours.keys[k] >= 1.0),
        key=lambda k: -ours.keys[k],
    )
    weight = sum(min(ours.keys[k], theirs.keys[k]) for k in ours.keys if k in theirs.keys)
    numbers = len(ours.numbers & theirs.numbers) * 3.5
    # A text much longer than the claim (a post, a paragraph) is not held against it:
    # what counts is how much of the claim it holds.
    mine, its = _total(ours), _total(theirs)
    total = math.sqrt(min(mine, LONGER * its) * its)
    overlap = (weight + numbers) / total if total else 0.0
    return [ours.shown[k] for k in shared], overlap


def _numbers(values) -> str:
    return ", ".join(f"{value:g}" for value in sorted(values))


def _clip(value: float) -> float:
    return min(1.0, max(0.0, value))


# Lexical candidates ----------------------------------------------------------------------


def _lexical_candidates(claims, query: _Query) -> list[int]:
    rarest = query.rarest(4)
    if connection.vendor != "postgresql":
        return _substring_candidates(claims, query, rarest)
    found: list[int] = []
    if rarest:
        search = functools.reduce(
            operator.or_, (SearchQuery(word, config=CONFIG, search_type="plain") for word in rarest)
        )
        found += (
            claims.annotate(document=StoredClaimDocument())
            .filter(document=search)
            .annotate(rank=SearchRank(StoredClaimDocument(), search))
            .order_by("-rank")
            .values_list("id", flat=True)[:LEXICAL]
        )
    if len(query.text) <= TRIGRAM_MAX_CHARS:
        found += (
            claims.filter(text__trigram_word_similar=query.text)
            .annotate(similarity=TrigramWordSimilarity(query.text, "text"))
            .order_by("-similarity")
            .values_list("id", flat=True)[:TRIGRAM]
        )
    return found


def _substring_candidates(claims, query: _Query, rarest: list[str]) -> list[int]:
    # SQLite: the claims whose text holds one of the rarest words' stems (no index;
    # SQLite is for one newsroom's laptop).
    if not rarest:
        return []
    condition = functools.reduce(
        operator.or_,
        (Q(text__icontains=word[:6]) for word in rarest if len(word) >= 3),
        Q(pk__in=[]),
    )
    return list(
        claims.filter(condition).order_by("-id").values_list("id", flat=True)[: LEXICAL * 3]
    )
