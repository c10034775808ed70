"""Words and numbers of a claim, as the similar-claim matcher compares them.

- A word's key is its case-folded, accent-free form cut to its first six letters:
  a crude stemmer that works alike in most European languages ("casualties" and
  "casualty", "américaine" and "americain" share a key).
- A word weighs more the rarer it is in the language (wordfreq's frequencies of 40
  languages, shipped in its package): "the" next to nothing, "Khamenei" the most.
- Numbers are values, however written: "11", "eleven", "1,000", "one thousand",
  "a thousand", "3.5 %", "3,5 %", "two dozen", "2 million".
"""

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from wordfreq import zipf_frequency

KEY_LENGTH = 6
# Zipf frequency of the commonest words is about 7–8; a word unknown to the
# language weighs RARE.
RARE = 7.0
LANGUAGES = ("en", "fr", "es", "de")

_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|[^\w\s]")

_UNITS = {
    # English
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quinze": 15,
    "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60,
    "douzaine": 12,
    # Spanish
    "uno": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6, "siete": 7,
    "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15, "veinte": 20,
    "treinta": 30, "cuarenta": 40, "cincuenta": 50, "docena": 12,
    # German
    "eins": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
    "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
    "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "dutzend": 12,
}  # fmt: skip
_SCALES = {
    "hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
    "cent": 100, "cents": 100, "mille": 1_000, "millions": 1_000_000, "milliard": 1_000_000_000,
    "milliards": 1_000_000_000, "cien": 100, "ciento": 100, "mil": 1_000, "millón": 1_000_000,
    "millones": 1_000_000, "hundert": 100, "tausend": 1_000,
    "millionen": 1_000_000, "milliarde": 1_000_000_000, "milliarden": 1_000_000_000,
    "bn": 1_000_000_000, "m": 1_000_000, "k": 1_000,
}  # fmt: skip
# Number words that are other words in another language ("once", "Sept."): numbers
# only in their own.
_ONLY_IN = {"once": "es", "sept": "fr"}
# "a thousand", "a dozen": the article is a one only before a scale.
_ARTICLES = {"a", "an"}


_NUMBER_WORDS = (set(_UNITS) | set(_SCALES)) - {"m", "k", "un", "une", "ein", "eine", "once"}


def fold(text: str) -> str:
    """``text`` case-folded and without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(word: str) -> str:
    return fold(word)[:KEY_LENGTH]


@lru_cache(maxsize=65536)
def weight(word: str, language: str = "") -> float:
    """How much sharing ``word`` says: from about 0 (the commonest words) to RARE."""
    word = word.casefold()
    if word[0].isdigit():
        return RARE / 2
    languages = (language,) if language in LANGUAGES else LANGUAGES
    frequency = max(zipf_frequency(word, lang) for lang in languages)
    return max(0.0, RARE - frequency) if frequency else RARE


@dataclass(frozen=True)
class Words:
    keys: dict[str, float]  # key → weight (of its rarest word)
    shown: dict[str, str]  # key → the word as first written
    numbers: frozenset[float]

    @property
    def total(self) -> float:
        return sum(self.keys.values())


def words(text: str, language: str = "") -> Words:
    tokens = _WORD.findall(text)
    keys: dict[str, float] = {}
    shown: dict[str, str] = {}
    for token in tokens:
        if not token[0].isalpha() or token.casefold() in _NUMBER_WORDS:
            continue
        k = key(token)
        w = weight(token, language)
        if w > keys.get(k, -1.0):
            keys[k] = w
            shown.setdefault(k, token)
    return Words(keys, shown, frozenset(numbers(tokens, language)))


def numbers(tokens: list[str], language: str = "") -> list[float]:
    """The numbers ``tokens`` state, however written."""
    found: list[float] = []
    value: float | None = None  # a number being read ("two", "two hundred", "2 million")
    for token in tokens:
        folded = token.casefold()
        if token[0].isdigit():
            if value is not None:
                found.append(value)
            value = _digits(token)
        elif folded in _SCALES and (value is not None or folded not in {"m", "k", "bn"}):
            value = (value if value is not None else 1) * _SCALES[folded]
        elif folded in _UNITS and _ONLY_IN.get(folded, language) == language:
            if value is not None and value >= 100 and _UNITS[folded] < 100:
                value += _UNITS[folded]  # "two hundred and five", "mil doscientos"
            elif value is not None and value in (20, 30, 40, 50, 60, 70, 80, 90):
                value += _UNITS[folded]  # "twenty one"
            else:
                if value is not None:
                    found.append(value)
                value = _UNITS[folded]
        elif folded in _ARTICLES or folded == "and" or token in "-$€£%":
            continue
        else:
            if value is not None:
                found.append(value)
            value = None
    if value is not None:
        found.append(value)
    # "one" alone is as often a pronoun as a number ("no one", "one of them").
    return [n for n in found if n != 1]


def _digits(token: str) -> float:
    # "1,000" and "1.000" are a thousand; "3.5" and "3,5" three and a half.
    parts = re.split(r"[.,]", token)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) == 2:
        return float(f"{parts[0]}.{parts[1]}")
    return float("".join(parts))
