"""Match the speaker an attribution names to the newsroom's Speakers, by name or alias.

"the Pentagon", "Pentagon" and "DoD" are one speaker when its aliases say so; a
longer name holding a known one ("Iran’s Revolutionary Guards") is that speaker; a
surname alone ("Esper") is the one person whose name ends with it.
"""

import re
from dataclasses import dataclass, field

from claims.models import Speaker


def normalise(name: str) -> str:
    name = re.sub(r"^(?:the|a|an)\s+", "", name.strip().lower().replace("’", "'"))
    name = re.sub(r"'s$", "", name)
    return " ".join(name.replace(".", "").split())


@dataclass
class SpeakerIndex:
    exact: dict[str, Speaker] = field(default_factory=dict)
    surnames: dict[str, list[Speaker]] = field(default_factory=dict)

    @classmethod
    def load(cls, speakers=None) -> "SpeakerIndex":
        index = cls()
        rows = (
            speakers
            if speakers is not None
            else Speaker.objects.only("pk", "name", "aliases", "kind")
        )
        for speaker in rows:
            for name in (speaker.name, *speaker.alias_list):
                key = normalise(name)
                if key:
                    index.exact.setdefault(key, speaker)
            if speaker.kind == Speaker.Kind.PERSON and len(speaker.name.split()) > 1:
                index.surnames.setdefault(normalise(speaker.name.split()[-1]), []).append(speaker)
        return index

    def match(self, name: str) -> Speaker | None:
        key = normalise(name)
        if not key:
            return None
        if key in self.exact:
            return self.exact[key]
        candidates = self.surnames.get(key, [])
        if len(candidates) == 1:
            return candidates[0]
        # The longest known name inside this one, on word boundaries.
        best: tuple[int, Speaker] | None = None
        for known, speaker in self.exact.items():
            longer = best is None or len(known) > best[0]
            if longer and len(known) > 2 and re.search(rf"(?<!\w){re.escape(known)}(?!\w)", key):
                best = (len(known), speaker)
        return best[1] if best else None
