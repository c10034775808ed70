"""Language tags (BCP 47) and telling a short text's language."""

import threading
from functools import lru_cache

import langcodes

_lock = threading.Lock()
_identifier = None
# How sure the identifier must be of a short text's language to say it.
CONFIDENT = 0.7


def primary_language(tag) -> str | None:
    """The primary language of a BCP 47 tag ("pt-BR" → "pt"), or None when ``tag``
    is not a tag of a registered language ("xx", "english", "12")."""
    if not isinstance(tag, str):
        return None
    tag = tag.strip().replace("_", "-")
    if not tag or not langcodes.tag_is_valid(tag):
        return None
    return tag.split("-")[0].lower()


@lru_cache(maxsize=1024)
def detect_language(text: str) -> str | None:
    """The language ``text`` is written in, when py3langid (its model ships in the
    package) is confident of it; None for a text too short or mixed to tell."""
    global _identifier
    if len(text) < 12:
        return None
    with _lock:
        if _identifier is None:
            from py3langid.langid import (  # type: ignore[import-untyped]
                MODEL_FILE,
                LanguageIdentifier,
            )

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        language, probability = _identifier.classify(text)
    return str(language) if probability >= CONFIDENT else None
