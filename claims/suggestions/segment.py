"""Sentences of a text with their code-point offsets (the offsets anchors use).

pysbd (rule-based, no model) splits each paragraph; a sentence is located in the
text again by searching from the end of the one before, so ``text[start:end]`` is
always exactly the sentence. A paragraph is a line: headlines, bylines and captions
end without a full stop. A "sentence" longer than MAX_SENTENCE (a text without
boundaries) is cut at its last space before the limit: it is no quotable claim, and
no piece of it may make the scoring quadratic.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

import pysbd  # type: ignore[import-untyped]

# The languages whose sentence rules pysbd knows.
SEGMENTER_LANGUAGES = frozenset(
    {"en", "hi", "mr", "zh", "es", "am", "ar", "hy", "bg", "ur", "ru", "pl", "fa", "nl"}
    | {"da", "fr", "my", "el", "it", "ja", "de", "kk", "sk"}
)
MAX_SENTENCE = 1000
LINE = re.compile(r"[^\r\n]+")
# "…Swiss Embassy.The UN responded": a full stop without its space still ends a sentence.
RUN_ON = re.compile(r"(?<=[a-z]{2}[.!?])(?=[A-Z][a-z])")


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


@lru_cache(maxsize=8)
def _segmenter(language: str) -> pysbd.Segmenter:
    return pysbd.Segmenter(language=language, clean=False, char_span=False)


def primary_language(tag: str) -> str:
    """ "en-GB" → "en"."""
    return (tag or "").split("-")[0].split("_")[0].strip().lower()


def _pieces(sentence: str) -> list[str]:
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = sentence.rfind(" ", 0, MAX_SENTENCE)
        cut = cut + 1 if cut > 0 else MAX_SENTENCE
        pieces.append(sentence[:cut])
        sentence = sentence[cut:]
    pieces.append(sentence)
    return pieces


def sentences(text: str, language: str = "en") -> list[Sentence]:
    """The sentences of ``text`` in order, stripped of surrounding white space."""
    code = primary_language(language)
    segmenter = _segmenter(code if code in SEGMENTER_LANGUAGES else "en")
    found: list[Sentence] = []
    for line in LINE.finditer(text):
        paragraph, base = line.group(), line.start()
        if not paragraph.strip():
            continue
        cursor = 0
        for segment in segmenter.segment(paragraph):
            for piece in (p for part in RUN_ON.split(segment) for p in _pieces(part)):
                bare = piece.strip()
                if not bare:
                    continue
                at = paragraph.find(bare, cursor)
                if at < 0:  # pysbd changed the characters: skip rather than misplace it
                    continue
                cursor = at + len(bare)
                found.append(Sentence(base + at, base + cursor, bare))
    return found
