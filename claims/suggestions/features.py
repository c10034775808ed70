"""What makes a sentence check-worthy, as features an editor can read.

Each feature is a number (mostly 0 or 1) with a name; ``reasons`` lists the ones a
sentence has, in words ("number", "attributed: said", "opinion"). The scorer
(scoring.py) weighs them together with a sentence embedding; the furniture of an
article (bylines, photo credits, author bios) is recognised here and kept low there
whatever the model says.
"""

import re
from dataclasses import dataclass

MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|"
    "fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|"
    "eighty|ninety|hundred|hundreds|thousand|thousands|million|millions|billion|billions|"
    "trillion|dozen|dozens|half|quarter|third|twice|double|triple|tripled|doubled|halved"
)
SAYING = (
    "said|says|say|saying|told|tells|added|adds|stated|states|announced|announces|"
    "confirmed|confirms|claimed|claims|claiming|reported|reports|warned|warns|insisted|"
    "insists|denied|denies|argued|argues|tweeted|wrote|writes|testified|estimated|"
    "estimates|acknowledged|admitted|alleged|alleges|accused|accuses|blamed|blames|"
    "according to|noted|notes|explained|explains|declared|predicted|threatened|promised|"
    "pledged|vowed|disclosed|revealed|showed|shows|show|found|finds|concluded|suggested|suggests|"
    "forecast|forecasts|recommends|recommended|recommend|threatening|threatens|estimate"
)
CAUSAL = (
    "because|caused|causes|cause|led to|leads to|due to|result of|resulted in|results in|"
    "as a result|therefore|thanks to|linked to|responsible for|increase|increased|increases|"
    "decrease|decreased|decreases|rose|risen|rise|fell|fallen|drop|dropped|grew|grown|"
    "declined|cut|cuts|raised|lowered|killed|killing|died|injured|wounded|destroyed|"
    "arrested|voted|passed|signed|banned|approved|launched|fired|attacked|deployed"
)
COMPARATIVE = (
    "more than|less than|fewer than|at least|at most|most|least|highest|lowest|largest|"
    "smallest|biggest|first|last|only|record|never|ever|every|all|none|no one|nobody|"
    "always|majority|minority|average|per cent|percent|rate|times as|compared|than"
)
OPINION = (
    "I think|I believe|I feel|I hope|I want|I'd like|I would like|we need|we must|we should|"
    "should|ought|must|wonderful|terrible|great|awful|best|worst|beautiful|horrible|"
    "love|hate|thank you|thanks|congratulations|ladies and gentlemen|let me|I'm going to|"
    "we're going to|we will|I will|welcome|good evening|good night|frankly|honestly|"
    "shocking|shockingly|ill-conceived|outrageous|disgrace|ridiculous|amazing|incredible"
)
HEDGE = (
    "may|might|could|perhaps|maybe|possibly|probably|likely|unlikely|unclear|it seems|"
    "seems|appears|apparently|reportedly|allegedly|suspected|speculat\\w*|if|whether|"
    "it's not clear|not yet clear|remains to be seen|I guess|I suppose"
)
FIRST_PERSON = r"\b(?:I|I'm|I've|I'd|me|my|we|we're|we've|our|us)\b"
SECOND_PERSON = r"\b(?:you|your|you're|you've)\b"
ANONYMOUS = (
    r"\b(?:officials?|analysts?|experts?|sources?|observers?|critics?|diplomats?|"
    r"residents?|witnesses?|people familiar|early reports|reports|journalists?|"
    r"scientists?|researchers?|economists?|activists?|a spokesperson|spokespeople)\b"
)
FURNITURE = re.compile(
    r"^(?:by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}(?:\s*(?:,|and)\s*[A-Z][\w.'’-]+"
    r"(?:\s+[A-Z][\w.'’-]+){0,3})*\s*$|author:|photo(?:graph)?:|image:|video:|credit:|"
    r"caption:|source:|read more|related:|subscribe|sign up|follow us|share this|advertisement|"
    r"copyright|©|all rights reserved|click here|this story|updated:|published:|editor's note|"
    r"(?:[A-Z][\w.'’-]+\s+){0,4}(?:contributed|contributed reporting|reported from))"
    r"|(?:getty images|reuters|associated press|afp|ap photo|handout|via reuters|/ap|/afp)\s*$"
    r"|\b(?:is|was)\s+(?:a|an|the)\s+(?:senior\s+|staff\s+|contributing\s+|former\s+)?"
    r"(?:editor|writer|reporter|correspondent|columnist|journalist|fellow|author|contributor)"
    r"\b.*\b(?:for|at|of)\b"
    r"|\b(?:his|her|their) work has appeared\b|\byears of experience\b|\bfollow (?:him|her) on\b",
    re.IGNORECASE,
)


def _words(pattern: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.IGNORECASE)


PATTERNS = {
    "number": re.compile(r"\d"),
    "number_word": _words(NUMBER_WORDS),
    "percent": re.compile(r"\d\s?%|\bper ?cent\b|\bpercent\b", re.IGNORECASE),
    "money": re.compile(
        r"[$€£¥]\s?\d|\b\d[\d,.]*\s?(?:dollars|euros|pounds|bn|m)\b|\bdollars?\b", re.IGNORECASE
    ),
    "date": re.compile(
        rf"\b(?:{MONTHS})\b\.?|\b(?:{WEEKDAYS})\b|\b(?:1[89]|20)\d\d\b|\b(?:yesterday|today|"
        r"last (?:week|month|year)|this (?:week|month|year)|earlier this \w+)\b"
    ),
    "saying": _words(SAYING),
    "causal": _words(CAUSAL),
    "comparative": _words(COMPARATIVE),
    "opinion": _words(OPINION),
    "hedge": _words(HEDGE),
    "anonymous": re.compile(ANONYMOUS, re.IGNORECASE),
    "first_person": re.compile(FIRST_PERSON),
    "second_person": re.compile(SECOND_PERSON, re.IGNORECASE),
    "quote_marks": re.compile(r"[“”\"]"),
}
# A capitalised word that is not the sentence's first: a name, a place, an organisation.
CAPITALISED = re.compile(r"(?<=[\s(“\"'‘-])(?:[A-ZÀ-ÖØ-Þ][\w’'.-]+|[A-Z]{2,})")
COMMON_CAPITALS = frozenset(
    {"I", "I'm", "I've", "I'd", "I'll", "Mr", "Mrs", "Ms", "Dr", "The", "A", "An", "And", "But"}
    | {"So", "Yes", "No", "OK", "Okay", "God"}
)
WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")

NAMES = (
    "bias",
    "number",
    "number_word",
    "percent",
    "money",
    "date",
    "named",
    "named_many",
    "saying",
    "causal",
    "comparative",
    "opinion",
    "hedge",
    "anonymous",
    "first_person",
    "second_person",
    "question",
    "exclamation",
    "quote_marks",
    "furniture",
    "short",
    "long",
    "log_words",
)
# How the named features read in a suggestion's reasons.
REASON_TEXT = {
    "number": "number",
    "number_word": "quantity",
    "percent": "percentage",
    "money": "money",
    "date": "date",
    "named": "names",
    "causal": "cause or change",
    "comparative": "comparison",
    "opinion": "opinion",
    "hedge": "hedged",
    "question": "question",
    "furniture": "article furniture",
    "short": "too short",
}


@dataclass(frozen=True)
class Features:
    values: tuple[float, ...]  # in the order of NAMES
    reasons: tuple[str, ...]

    def get(self, name: str) -> float:
        return self.values[NAMES.index(name)]


def named_entities(sentence: str) -> list[str]:
    return [word for word in CAPITALISED.findall(" " + sentence[1:]) if word not in COMMON_CAPITALS]


def is_furniture(sentence: str) -> bool:
    return bool(FURNITURE.search(sentence.strip()))


def features(sentence: str) -> Features:
    text = sentence.strip()
    words = WORD.findall(text)
    found = {name: pattern.search(text) for name, pattern in PATTERNS.items()}
    names = named_entities(text)
    values = {name: 1.0 if match else 0.0 for name, match in found.items()}
    values.update(
        bias=1.0,
        named=1.0 if names else 0.0,
        named_many=1.0 if len(names) >= 3 else 0.0,
        question=1.0 if text.rstrip("”\"' )").endswith("?") else 0.0,
        exclamation=1.0 if "!" in text else 0.0,
        furniture=1.0 if is_furniture(text) else 0.0,
        short=1.0 if len(words) < 6 else 0.0,
        long=1.0 if len(words) > 40 else 0.0,
        log_words=min(len(words), 80) ** 0.5 / 9,
    )
    reasons = []
    for name in ("number", "number_word", "percent", "money", "date"):
        if values[name]:
            reasons.append(REASON_TEXT[name])
    if names:
        reasons.append(f"names: {', '.join(dict.fromkeys(names[:3]))}")
    saying = found["saying"]
    if saying:
        reasons.append(f"attributed: {saying.group().lower()}")
    for name in ("causal", "comparative"):
        match = found[name]
        if match:
            reasons.append(f"{REASON_TEXT[name]}: {match.group().lower()}")
    for name in ("opinion", "hedge"):
        match = found[name]
        if match:
            reasons.append(f"{REASON_TEXT[name]}: {match.group().lower()}")
    for name in ("question", "furniture", "short"):
        if values[name]:
            reasons.append(REASON_TEXT[name])
    return Features(tuple(values[name] for name in NAMES), tuple(reasons))
