"""Suggest the speaker of a selected quote from the sentence around it.

"The Pentagon confirmed that …": a known speaker's name or alias in the
sentence, best when a verb of saying follows it ("said", "confirmed") or
"according to" comes before it.
"""

import re
from dataclasses import dataclass

from claims.models import Speaker

# Where a sentence ends: . ! ? (maybe closing a quote) before white space, or a line break.
SENTENCE_END = re.compile(r"[.!?][\"'”’]?\s+|[\r\n]+")
SAYING = (
    r"(?:said|says|say|confirmed|confirms|announced|announces|stated|states|warned|warns|"
    r"claimed|claims|reported|reports|told|added|insisted|denied|denies|argued|tweeted|"
    r"statement|spokesperson|spokesman|spokeswoman)"
)
# How far to look for the sentence's edges, in characters.
REACH = 400


@dataclass(frozen=True)
class Suggestion:
    speaker: Speaker
    matched: str


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """The offsets of the sentence(s) holding text[start:end]."""
    left = max(0, start - REACH)
    ends_before = [m.end() for m in SENTENCE_END.finditer(text, left, start)]
    first = ends_before[-1] if ends_before else left
    after = SENTENCE_END.search(text, end, min(len(text), end + REACH))
    last = after.start() + 1 if after else min(len(text), end + REACH)
    return first, max(last, end)


def _names(speaker: Speaker) -> list[str]:
    """The speaker's name and aliases as they follow an article: "the Pentagon" → "Pentagon"."""
    names = []
    for name in (speaker.name, *speaker.alias_list):
        bare = re.sub(r"^(?:the|The)\s+", "", name).strip()
        if len(bare) >= 2:
            names.append(bare)
    return names


def suggest_speakers(text: str, start: int, end: int, *, limit: int = 3) -> list[Suggestion]:
    """Known speakers named in the sentence around a selection, likeliest first.

    Names match case-sensitively on word boundaries ("US" is not "us"). This
    reads every speaker's names: fine for the hundreds or few thousands a
    newsroom keeps.
    """
    first, last = sentence_around(text, start, end)
    sentence = text[first:last]
    ranked = []
    for speaker in Speaker.objects.only("pk", "name", "aliases"):
        best = None
        for name in _names(speaker):
            escaped = re.escape(name)
            for match in re.finditer(rf"(?<!\w){escaped}(?!\w)", sentence):
                cued = bool(
                    re.match(rf"(?:\W+\w+){{0,3}}?\W+{SAYING}\b", sentence[match.end() :])
                    or re.search(r"according to\W+(?:\w+\W+)?$", sentence[: match.start()], re.I)
                )
                rank = (not cued, match.start(), -len(name))
                if best is None or rank < best[0]:
                    best = (rank, Suggestion(speaker, name))
        if best is not None:
            ranked.append(best)
    ranked.sort(key=lambda item: item[0])
    return [suggestion for _, suggestion in ranked[:limit]]
