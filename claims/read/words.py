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
# A capitalised word inside a sentence at least this rare is taken for a name.
NAME_WEIGHT = 2.0

# Numbers (with thousands written "1,000", "1.000" or "1 000"), words, marks.
_WORD = re.compile(
    r"\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?![\d]|[.,]\d)|\d+(?:[.,]\d+)*(?:bn|m|k|s)?(?![^\W_])"
    r"|[^\W\d_]+(?:['’][^\W\d_]+)?|[^\w\s]"
)

# Number words of each language; a text of unknown language is read as English.
_UNITS = {
    "en": {
        "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
        "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
        "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
        "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
        "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
    },
    "fr": {
        "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6,
        "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13,
        "quinze": 15, "vingt": 20, "trente": 30, "quarante": 40, "cinquante": 50,
        "soixante": 60, "douzaine": 12,
    },
    "es": {
        "uno": 1, "una": 1, "dos": 2, "tres": 3, "cuatro": 4, "cinco": 5, "seis": 6,
        "siete": 7, "ocho": 8, "nueve": 9, "diez": 10, "once": 11, "doce": 12, "quince": 15,
        "veinte": 20, "treinta": 30, "cuarenta": 40, "cincuenta": 50, "docena": 12,
    },
    "de": {
        "eins": 1, "ein": 1, "eine": 1, "zwei": 2, "drei": 3, "vier": 4, "fünf": 5,
        "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10, "elf": 11, "zwölf": 12,
        "zwanzig": 20, "dreißig": 30, "vierzig": 40, "fünfzig": 50, "dutzend": 12,
    },
}  # fmt: skip
_SCALES = {
    "en": {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "bn": 1_000_000_000, "trillion": 1_000_000_000_000},
    "fr": {"cent": 100, "cents": 100, "mille": 1_000, "million": 1_000_000,
           "millions": 1_000_000, "milliard": 1_000_000_000, "milliards": 1_000_000_000},
    "es": {"cien": 100, "ciento": 100, "mil": 1_000, "millón": 1_000_000,
           "millones": 1_000_000, "millardo": 1_000_000_000},
    "de": {"hundert": 100, "tausend": 1_000, "million": 1_000_000, "millionen": 1_000_000,
           "milliarde": 1_000_000_000, "milliarden": 1_000_000_000},
}  # fmt: skip
# A token that is a number: decimal digits ("²" and "⅓" are not).
_DECIMAL = re.compile(r"\d")
_SUFFIXES = {"k": 1_000, "m": 1_000_000, "bn": 1_000_000_000}
# "a thousand", "and a half", "un millón": articles before a scale or a half.
_ARTICLES = {"a", "an", "and", "y", "et", "und"}
_HALF = {"en": "half", "fr": "demi", "es": "medio", "de": "halb"}

# The words that are numbers in some language: they are compared as numbers, not
# as words. "un", "once", "ein" are other words too.
_NUMBER_WORDS = {
    word for vocabulary in (*_UNITS.values(), *_SCALES.values()) for word in vocabulary
} - {"un", "une", "una", "ein", "eine", "once", "cent", "mil"}


def fold(text: str) -> str:
    """``text`` case-folded and without accents."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def key(word: str) -> str:
    folded = fold(word)
    if folded.endswith(("'s", "’s")):  # "Iran's" is Iran
        folded = folded[:-2]
    return folded[:KEY_LENGTH]


@lru_cache(maxsize=65536)
def weight(word: str, language: str = "") -> float:
    """How much sharing ``word`` says: from about 0 (the commonest words) to RARE."""
    word = word.casefold()
    if word[0].isdigit():
        return RARE / 2
    languages = (language,) if language in LANGUAGES else LANGUAGES
    frequency = max(zipf_frequency(word, lang) for lang in languages)
    return max(0.0, RARE - frequency) if frequency else RARE


# Words that say which way a quantity went: two statements alike but for these
# state different facts ("rose to 3.5%" and "fell to 3.5%").
UP = {
    "rose", "rise", "rises", "risen", "rising", "increase", "increased", "increases", "climbed",
    "climb", "grew", "grow", "growth", "jumped", "soared", "surged", "gained", "higher", "up",
    "hausse", "augmente", "augmenté", "monté", "progressé", "subió", "aumentó", "creció",
    "alza", "aumento", "stieg", "gestiegen", "wuchs", "erhöht", "anstieg",
}  # fmt: skip
DOWN = {
    "fell", "fall", "falls", "fallen", "falling", "decrease", "decreased", "decreases", "dropped",
    "drop", "declined", "decline", "shrank", "plunged", "plummeted", "slumped", "lower", "down",
    "baisse", "baissé", "diminué", "chuté", "recul", "reculé", "bajó", "cayó", "disminuyó",
    "descendió", "descenso", "baja", "sank", "gesunken", "fiel", "gefallen", "rückgang",
}  # fmt: skip


@dataclass(frozen=True)
class Words:
    keys: dict[str, float]  # key → weight (of its rarest word)
    shown: dict[str, str]  # key → the word as first written
    numbers: frozenset[float]
    # The rare words written with a capital inside the sentence (names), by key.
    names: frozenset[str] = frozenset()
    direction: str = ""  # "up", "down", or "" (neither, or both)

    @property
    def total(self) -> float:
        return sum(self.keys.values())


# Addresses and handles in a text (a post, a tweet) say nothing of its claim, nor
# the signature of an embedded post ("— Name (@handle) March 24, 2019").
_NOISE = re.compile(
    r"\s[—–]\s[^—–]{0,80}\(@\w+\)\s+\w+\.?\s+\d{1,2},\s+\d{4}\s*$"
    r"|(?:https?://|www\.)\S+|\b[\w.-]+\.(?:com|org|net|ly|co)/\S*|@\w+"
)


def without_noise(text: str) -> str:
    return " ".join(_NOISE.sub(" ", text).split())


@lru_cache(maxsize=20000)
def words(text: str, language: str = "") -> Words:
    """The words, names, numbers and direction of ``text`` (remembered: the same
    claims are candidates of many searches; never change what it returns)."""
    tokens = _WORD.findall(text)
    keys: dict[str, float] = {}
    shown: dict[str, str] = {}
    names: set[str] = set()
    folded = set()
    for position, token in enumerate(tokens):
        if not token[0].isalpha():
            continue
        lower = token.casefold()
        folded.add(lower)
        if lower in _NUMBER_WORDS:
            continue
        k = key(token)
        w = weight(token, language)
        if w > keys.get(k, -1.0):
            keys[k] = w
            shown.setdefault(k, token)
        # A capitalised word inside a sentence, not SHOUTED, nor a #hashtag.
        shouted = token.isupper() and len(token) > 4
        hashtag = position > 0 and tokens[position - 1] == "#"
        if (
            token[0].isupper()
            and position > 0
            and w >= NAME_WEIGHT
            and len(token) > 2
            and not shouted
            and not hashtag
        ):
            names.add(k)
    up, down = bool(folded & UP), bool(folded & DOWN)
    return Words(
        keys,
        shown,
        frozenset(numbers(tokens, language)),
        frozenset(names),
        "up" if up and not down else "down" if down and not up else "",
    )


def numbers(tokens: list[str], language: str = "") -> list[float]:
    """The numbers ``tokens`` state, however written; not the day of a date ("January
    14, 2020" states 2020), which a post or a dateline gives in passing."""
    language = language if language in _UNITS else "en"
    units, scales, half = _UNITS[language], _SCALES[language], _HALF[language]
    found: list[float] = []
    value: float | None = None  # a number being read ("two", "two hundred", "2 million")
    for position, token in enumerate(tokens):
        folded = token.casefold()
        if token.isdigit() and len(token) <= 2 and _beside_month(tokens, position):
            if value is not None:
                found.append(value)
            value = None
        elif _DECIMAL.match(token):
            if value is not None:
                found.append(value)
            value = _digits(token)
        elif folded in scales:
            value = (value if value is not None else 1) * scales[folded]
        elif folded == half:
            value = (value if value is not None else 0) + 0.5  # "six and a half thousand"
        elif folded in units:
            if value is not None and value >= 100 and units[folded] < 100:
                value += units[folded]  # "two hundred and five"
            elif value is not None and value in (20, 30, 40, 50, 60, 70, 80, 90):
                value += units[folded]  # "twenty one"
            else:
                if value is not None:
                    found.append(value)
                value = units[folded]
        elif folded in _ARTICLES or token in "-$€£%":
            continue
        else:
            if value is not None:
                found.append(value)
            value = None
    if value is not None:
        found.append(value)
    # "one" alone is as often a pronoun as a number ("no one", "one of them").
    return [n for n in found if n != 1]


_MONTHS = {
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
    "sep", "sept", "oct", "nov", "dec", "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre", "enero", "febrero",
    "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
    "noviembre", "diciembre", "januar", "februar", "märz", "juni", "juli", "oktober",
    "dezember",
}  # fmt: skip


def _beside_month(tokens: list[str], position: int) -> bool:
    before = tokens[position - 1].casefold() if position > 0 else ""
    after = tokens[position + 1].casefold() if position + 1 < len(tokens) else ""
    if after == ".":  # "3. Januar"
        after = tokens[position + 2].casefold() if position + 2 < len(tokens) else ""
    return (
        before in _MONTHS
        or after in _MONTHS
        or (
            after == "de"
            and position + 2 < len(tokens)
            and tokens[position + 2].casefold() in _MONTHS
        )
    )


def _digits(token: str) -> float:
    # "1,000", "1.000" and "1 000" are a thousand; "3.5" and "3,5" three and a half;
    # "7.6m", "£350m", "14k", "2bn" are millions, thousands and billions.
    if token.endswith("s"):  # "the 1950s"
        return _digits(token[:-1])
    suffix = re.search(r"(bn|m|k)$", token)
    if suffix:
        return _digits(token[: suffix.start()]) * _SUFFIXES[suffix[1]]
    token = re.sub(r"[ \u00a0\u202f]", "", token)
    parts = re.split(r"[.,]", token)
    if len(parts) > 1 and all(len(p) == 3 for p in parts[1:]):
        return float("".join(parts))
    if len(parts) == 2:
        return float(f"{parts[0]}.{parts[1]}")
    return float("".join(parts))
