"""A source's suggestions: computing them, storing them, and an editor's decisions.

``propose`` is pure (text in, suggestions out) and is what the benchmarks run;
``suggestions_refresh`` stores them for a source's current text, keeping every
accepted or dismissed sentence decided; ``suggestions_for`` is what the API and the
annotate page list. A sentence is known across re-saves by its words and which
occurrence of them it is (``context_key``), not by its offsets, so a dismissed
sentence stays dismissed when the text around it changes.
"""

import hashlib
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.models import Appearance, Suggestion
from claims.suggestions.attribution import Attribution, answer_speaker, attribute
from claims.suggestions.scoring import score_sentences
from claims.suggestions.segment import Sentence, primary_language, sentences
from claims.suggestions.speakers import SpeakerIndex
from factcheck.languages import detect_language
from sources.anchoring import fold
from sources.models import Source

# The languages the scorer's and the attribution's rules are written for.
SUPPORTED_LANGUAGES = frozenset({"en"})
# A text longer than this (characters) is scored by a job, not in the request that
# saved it: about 50 sentences, a second and a half of embeddings.
INLINE_MAX_CHARS = 5000


@dataclass(frozen=True)
class Proposed:
    start: int
    end: int
    quote: str
    score: float
    reasons: tuple[str, ...]
    attribution: Attribution
    context_key: str


def language_support(language: str, text: str = "") -> tuple[str, bool, str]:
    """The source's language, whether suggestions know it, and why not if they don't.
    A text tagged English that plainly reads as another language is that language."""
    code = primary_language(language) or "en"
    if code in SUPPORTED_LANGUAGES and text.strip():
        detected = detect_language(" ".join(text[:3000].split()))
        if detected and detected not in SUPPORTED_LANGUAGES:
            return (
                detected,
                False,
                f"Suggestions know English only; this text reads as “{detected}” (the "
                f"source says “{code}”), so none are made. Mark its claims by hand, or "
                "correct the source's language.",
            )
    if code in SUPPORTED_LANGUAGES:
        return code, True, ""
    return (
        code,
        False,
        f"Suggestions know English only; this source's language is “{code}”, so none "
        "are made. Mark its claims by hand.",
    )


def _keys(found: list[Sentence]) -> list[str]:
    seen: dict[str, int] = {}
    keys = []
    for sentence in found:
        words = " ".join(fold(sentence.text).split())
        seen[words] = seen.get(words, 0) + 1
        keys.append(hashlib.sha256(f"{words}#{seen[words]}".encode()).hexdigest())
    return keys


def propose(text: str, *, language: str = "en", progress=None) -> list[Proposed]:
    """Every sentence of ``text`` with its score and attribution, in text order
    (nothing for a language suggestions do not know)."""
    if not language_support(language, text)[1]:
        return []
    found = sentences(text, language)
    scored = score_sentences([s.text for s in found], progress=progress)
    proposed = []
    previous: Attribution | None = None
    paragraph_at, answerer = -1, None
    for sentence, key, (score, features) in zip(found, _keys(found), scored, strict=True):
        paragraph = text.rfind("\n", 0, sentence.start)
        if paragraph != paragraph_at:  # a new paragraph: is it an answer of an interview?
            paragraph_at, answerer = paragraph, answer_speaker(sentence.text)
        attribution = attribute(sentence.text, previous)
        if answerer is not None and attribution.kind == "outlet":
            attribution = answerer
        previous = attribution
        proposed.append(
            Proposed(
                sentence.start,
                sentence.end,
                sentence.text,
                score,
                features.reasons,
                attribution,
                key,
            )
        )
    return proposed


@transaction.atomic
def suggestions_refresh(*, source: Source, progress=None) -> int:
    """Store the suggestions of the source's current text; returns how many sentences
    were scored. Open suggestions of an earlier text are replaced; decided ones keep
    their decision and move to where their sentence now is."""
    source = Source.objects.select_for_update().select_related("outlet").get(pk=source.pk)
    proposed = propose(source.text, language=source.language, progress=progress)
    decided = {
        row.context_key: row
        for row in Suggestion.objects.filter(source=source).exclude(status=Suggestion.Status.OPEN)
    }
    # Open suggestions are the scorer's output, not anyone's edit: they are replaced
    # without a history row each (the plain manager; a raw delete, since a queryset's
    # delete() would write a history row per sentence). Decisions are saved one by one.
    plain = Suggestion._base_manager
    stale = plain.filter(source=source, status=Suggestion.Status.OPEN)
    stale._raw_delete(stale.db)
    index = SpeakerIndex.load()
    outlet = index.match(source.outlet.name)
    fresh, moved = [], []
    for item in proposed:
        attribution = item.attribution
        if attribution.kind == Suggestion.Attribution.OUTLET:
            speaker, name, kind = outlet, source.outlet.name, "media"
        else:
            speaker = index.match(attribution.speaker)
            name, kind = attribution.speaker, attribution.speaker_kind
        fields: dict[str, Any] = {
            "start": item.start,
            "end": item.end,
            "quote": item.quote,
            "score": item.score,
            "reasons": list(item.reasons),
            "speaker": speaker,
            "speaker_name": (speaker.name if speaker else name)[:200],
            "speaker_kind": speaker.kind if speaker else kind,
            "attribution": attribution.kind,
            "text_hash": source.content_hash,
        }
        row = decided.get(item.context_key)
        if row is not None:
            for name_, value in fields.items():
                setattr(row, name_, value)
            moved.append(row)
        else:
            fresh.append(Suggestion(source=source, context_key=item.context_key, **fields))
    plain.bulk_create(fresh, batch_size=500)
    plain.bulk_update(
        moved, ["start", "end", "quote", "score", "reasons", "text_hash"], batch_size=500
    )
    return len(proposed)


def needs_job(source: Source) -> bool:
    return len(source.text) > INLINE_MAX_CHARS


def is_computed(source: Source) -> bool:
    """Whether the source's current text has been scored (a text of no sentence
    counts as scored)."""
    if not source.text.strip():
        return True
    return Suggestion.objects.filter(source=source, text_hash=source.content_hash).exists()


def suggestions_for(source: Source, *, min_score: float, status: str = Suggestion.Status.OPEN):
    """The source's suggestions for its current text, by position: those scoring at
    least ``min_score`` that no appearance of a claim already covers."""
    covering = Appearance.objects.filter(
        source=source, start__isnull=False, start__lt=OuterRef("end"), end__gt=OuterRef("start")
    )
    return (
        Suggestion.objects.filter(
            source=source, text_hash=source.content_hash, status=status, score__gte=min_score
        )
        .filter(~Exists(covering))
        .select_related("speaker")
        .order_by("start", "id")
    )


def open_count(source: Source, *, min_score: float) -> int:
    return suggestions_for(source, min_score=min_score).count()


def _decide(suggestion: Suggestion, status: str, by) -> Suggestion:
    if not by.has_perm("claims.add_claim"):
        raise PermissionDenied("Deciding on suggestions takes the permission to add claims.")
    with transaction.atomic():
        row = Suggestion.objects.select_for_update().get(pk=suggestion.pk)
        if row.status == status:
            return row
        if row.status != Suggestion.Status.OPEN and status != Suggestion.Status.OPEN:
            raise ValidationError(
                f"This suggestion was already {row.get_status_display().lower()}."
            )
        row.status = status
        row.decided_by = by
        row.decided_at = timezone.now()
        row._history_user = by
        row.full_clean()
        row.save()
        return row


def suggestion_dismiss(*, suggestion: Suggestion, by) -> Suggestion:
    """Hide the suggestion for everyone, for good (recorded with who and when)."""
    return _decide(suggestion, Suggestion.Status.DISMISSED, by)


def suggestion_accept(*, suggestion: Suggestion, by) -> Suggestion:
    """Mark the suggestion as taken up (the claim is made through the new-claim form)."""
    return _decide(suggestion, Suggestion.Status.ACCEPTED, by)
