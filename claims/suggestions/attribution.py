"""Who asserts a sentence as the article presents it, and how.

Read from the sentence itself, or carried from the sentence before when it only
says "He added …" / "…, she said": the speaker carried is the one the previous
sentence was attributed to, never a name it merely mentions.

- direct_quote: words in quotation marks with a speaker ("“…,” he said"; "X said: “…”")
- paraphrase: X said (that) …, X confirmed …, according to X's statement …
- reported: a third party tells what someone said ("The Times reported that X told …",
  "according to a report by …")
- anonymous: an unnamed group ("officials said", "analysts have said", "early reports")
- outlet: no one named: the outlet's (and author's) own assertion
"""

import re
from dataclasses import dataclass

from claims.suggestions.features import SAYING

PRONOUNS = {"he", "she", "they", "it", "we"}
# Verbs of saying, as the word after a subject ("Iran says", "officials have said").
VERB = re.compile(rf"(?<![\w-])(?:{SAYING})(?![\w-])")
# Between a subject and its verb: "has said", "also confirmed", "on Monday told".
AUXILIARY = (
    r"(?:(?:has|have|had|is|are|was|were|also|later|again|repeatedly|previously|publicly|"
    r"privately|separately|already|then|\w+ly|on \w+day|in a statement|in an interview|"
    r"on \w+|in \w+|responded by|replied by|reacted by)\s+)*"
)
NAME_WORD = r"(?:[A-ZÀ-ÖØ-Þ][\w’'.-]*|al-\w+|de|von|van|bin|of|and|for|the|’s|'s|U\.S\.|UN|IRGC)"
HEADS = (
    r"officials?|analysts?|experts?|sources?|observers?|critics?|diplomats?|residents?|"
    r"witnesses?|journalists?|reports|scientists?|researchers?|economists?|activists?|"
    r"spokesperson|spokesman|spokeswoman|spokespeople|doctors?|police|authorities|"
    r"investigators|lawmakers|legislators|aides?|advisers?|advisors?|people|protesters|"
    r"state TV|state media|television|TV|ministry|government|administration|military|"
    r"army|forces|statement|report|study|survey|data|figures|poll|agency|department|"
    r"delegation|delegates|team|embassy|council|court|police|company|spokesperson"
)
ANONYMOUS_WORDS = (
    r"officials?|analysts?|experts?|sources?|observers?|critics?|diplomats?|residents?|"
    r"witnesses?|journalists?|reports|scientists?|researchers?|economists?|activists?|"
    r"doctors?|authorities|investigators|lawmakers|aides?|advisers?|advisors?|people|"
    r"protesters|spokespeople|prosecutors|policymakers|insiders|traders|investors|"
    r"employees|staff members|union members|party members|lawyers"
)
ANONYMOUS_HEADS = re.compile(rf"\b(?:{ANONYMOUS_WORDS})$", re.IGNORECASE)
QUALIFIERS = (
    r"(?:(?:senior|several|some|many|other|two|three|four|five|local|western|independent|"
    r"military|defense|defence|intelligence|health|security|administration|government|"
    r"u\.s\.|us|american|iranian|iraqi|israeli|european|chinese|russian|british|early|"
    r"initial|unnamed|anonymous|top|former|a|an|the|and|other)\s+)*"
)
SUBJECT = re.compile(
    rf"(?P<subject>(?:(?:[Tt]he|[Aa]n?)\s+)?(?:{NAME_WORD}\s+|{NAME_WORD}(?=’s|'s))*"
    rf"(?:{NAME_WORD}|(?:{QUALIFIERS})(?:{HEADS}))(?:’s|'s)?)\s+{AUXILIARY}$"
)
PRONOUN_SUBJECT = re.compile(rf"(?:^|\W)(?P<pronoun>he|she|they|He|She|They)\s+{AUXILIARY}$")
INVERTED = re.compile(
    rf"^\s*(?P<subject>(?:(?:the|a|an)\s+)?(?:{QUALIFIERS})?(?:{NAME_WORD}\s+)*"
    rf"(?:{NAME_WORD}|{HEADS}))",
)
ACCORDING = re.compile(
    r"\baccording to\s+(?:(?P<report>(?:a|an|the)\s+(?:new\s+|recent\s+|latest\s+)?"
    r"(?:report|reports|story|article|investigation|analysis|survey|study|poll|review|"
    r"tally|count)\s+(?:(?:published|released|issued|carried)\s+(?:\w+\s+){0,3}?)?"
    r"(?:by|in|from|of)\s+)|(?:a|an|the)\s+)?(?P<rest>.*)",
    re.IGNORECASE,
)
REPORTED = re.compile(
    r"(?:^|\W)(?P<reporter>(?:[Tt]he\s+)?(?:[A-Z][\w.’'-]*\s+){0,4}(?:Times|Post|Journal|News|"
    r"Reuters|Press|AP|AFP|CNN|BBC|Guardian|Telegraph|Axios|Politico|Bloomberg|Herald|"
    r"Tribune|Magazine|Radio|Agency|Economist|Independent))\s+(?:has\s+|had\s+)?"
    r"(?:reported|reports|revealed|disclosed|wrote|cited|quoted)\b(?P<rest>.*)",
)
EMBEDDED = re.compile(
    rf"(?:that\s+)?(?P<subject>(?:{NAME_WORD}\s+)*{NAME_WORD})\s+(?:had\s+|has\s+)?"
    r"(?:told|said|says|warned|ordered|wanted|planned|asked|agreed|decided|insisted)\b"
)
QUOTED = re.compile(r"[“\"][^”\"]{3,}[”\"]")
GOVERNMENT = re.compile(
    r"\b(?:government|administration|White House|Kremlin|State Department|Ministry|minister|"
    r"Congress|Parliament|Senate|Cabinet|Downing Street|Foreign Office|Élysée|embassy|"
    r"council|city hall|mayor's office|Tehran|Washington|Baghdad|Beijing|Moscow)\b",
    re.IGNORECASE,
)
MILITARY = re.compile(
    r"\b(?:Pentagon|Army|Navy|Air Force|Marines|military|Guards|IRGC|forces|Defen[cs]e "
    r"(?:Department|Ministry)|Department of Defen[cs]e|command|militia|troops)\b",
    re.IGNORECASE,
)
MEDIA = re.compile(
    r"\b(?:Times|Post|Journal|News|Reuters|Press|AP|AFP|CNN|BBC|Guardian|TV|television|"
    r"Radio|newspaper|broadcaster|magazine|Bloomberg|Politico|Axios|Herald|Tribune|media)\b"
)
AGENCY = re.compile(
    r"\b(?:Agency|Administration for|Bureau|Commission|Institute|Service|Office|Centers? for|"
    r"CDC|FDA|EPA|NASA|FBI|CIA|WHO|IAEA|NHS|Authority|Board|Survey|Statistics)\b"
)
ORGANISATION = re.compile(
    r"\b(?:United Nations|UN|NATO|Union|Organi[sz]ation|Company|Inc|Corp|Ltd|University|"
    r"Foundation|Association|Council|Committee|Party|Group|Bank|Fund|Red Cross|Amnesty)\b"
)
TITLES = re.compile(
    r"^(?:(?:President|Vice President|Prime Minister|Secretary of State|Secretary|Defense "
    r"Secretary|Foreign Minister|Minister|Gen\.|General|Adm\.|Admiral|Col\.|Sen\.|Senator|"
    r"Rep\.|Representative|Gov\.|Governor|Mayor|Dr\.|Professor|Prof\.|Mr\.|Mrs\.|Ms\.|"
    r"Ambassador|Ayatollah|Supreme Leader|Chancellor|King|Queen|Pope|Judge|Justice|spokesperson|"
    r"spokesman|spokeswoman)\s+)+"
)


# "Early reports suggest …", "several experts and journalists are suggesting …".
GROUP = re.compile(
    rf"(?:^|,\s+|\bthat\s+)(?P<group>(?:{QUALIFIERS})(?:(?:{ANONYMOUS_WORDS})\s+(?:and\s+)?)*"
    rf"(?:{ANONYMOUS_WORDS}))\s+(?:have\s+|had\s+|are\s+|were\s+)?(?:also\s+)?"
    r"(?:suggest|suggesting|suggested|believe|believed|think|fear|feared|expect|expected|"
    r"estimate|estimated|warn|warned|say|said|says|saying|told|claim|claimed|reported)\b",
    re.IGNORECASE,
)


# "Two diplomats involved in the talks, who spoke on condition of anonymity, said …"
GROUP_APART = re.compile(
    rf"^(?P<group>(?:{QUALIFIERS})(?:{ANONYMOUS_WORDS}))\b[^.“\"]{{0,140}}?,\s+"
    r"(?:have\s+|had\s+)?(?:said|say|told|warned|added)\b",
    re.IGNORECASE,
)
# "Figures from the Central Statistics Office show …", "Economists at the Institute say …"
SOURCE_OF = re.compile(
    rf"^(?:(?:{QUALIFIERS})(?:figures|data|statistics|numbers|records|research|a report|a study|"
    rf"a survey|an analysis|{ANONYMOUS_WORDS})\s+(?:from|by|of|at|with)\s+)"
    rf"(?P<name>(?:the\s+)?(?:{NAME_WORD}\s+)*[A-Z][\w’'.-]*)\s+{AUXILIARY}(?:{SAYING})\b",
    re.IGNORECASE,
)
# "…, said the study's lead author, Dr. Helen Carr."
APPOSITION = re.compile(
    r"^\s*(?:the|a|an|its|their)\s+[^,.“\"]{0,60},\s+(?P<name>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.\s+)?"
    r"(?:[A-Z][\w’'.-]*\s+){0,3}[A-Z][\w’'-]+)"
)


def is_quoted(sentence: str) -> bool:
    """A direct quote: the sentence opens with one, or quoted words make up much of it
    ("called “Martyr Soleimani”" is a paraphrase with a name in quotes)."""
    quotes = QUOTED.findall(sentence)
    if not quotes:
        return False
    if sentence.lstrip()[:1] in '“"' or re.search(r":\s*[“\"]", sentence):
        return True
    quoted_words = sum(len(q.split()) for q in quotes)
    return quoted_words >= 0.4 * max(1, len(sentence.split()))


@dataclass(frozen=True)
class Attribution:
    # A value of Claim.Attribution (one enum for suggestions and claims):
    # direct_quote | paraphrase | reported | anonymous | outlet (the outlet's own
    # reporting, whose speaker is the source's outlet).
    kind: str
    speaker: str  # as the text names it; "" for the outlet
    speaker_kind: str  # a Speaker.Kind value
    cue: str = ""  # the words that told


def speaker_kind(name: str) -> str:
    if ANONYMOUS_HEADS.search(name.strip()):
        return "unnamed_group"
    if re.search(r"\b(?:delegation|delegates|embassy)$", name):
        return "government"
    if MILITARY.search(name):
        return "military"
    if MEDIA.search(name):
        return "media"
    if AGENCY.search(name):
        return "agency"
    if GOVERNMENT.search(name):
        return "government"
    if ORGANISATION.search(name):
        return "organisation"
    words = name.split()
    if len(words) == 1 and words[0][:1].isupper():
        # A country or a capital speaking: "Iran says …".
        return "government" if not TITLES.match(name + " ") else "person"
    return "person"


def clean_name(name: str) -> str:
    name = re.sub(r"^(?:[Tt]he|[Aa]n?)\s+", "", name.strip(" ,;:—–-"))
    name = re.sub(r"(?:’s|'s)$", "", name)
    return name.strip()


def _subject_before(text: str) -> str | None:
    # Only the clause before the verb: "… militia, the US said" names "the US".
    clause = re.split(r"[,;:—–(]|\b(?:that|which|who|and|but|after|while)\s", text)[-1]
    match = SUBJECT.search(clause)
    if not match:
        return None
    subject = match.group("subject").strip()
    # A subject that starts lowercase and is no group ("hit an Iraqi base") is no subject.
    bare = clean_name(subject)
    lowercase = not bare or (bare[0].islower() and not ANONYMOUS_HEADS.search(bare))
    if lowercase and not re.search(rf"(?:{HEADS})$", bare):
        return None
    return bare


def _person_name(name: str) -> str:
    """ "Defense Secretary Mark Esper" → "Mark Esper": titles are roles, not names."""
    bare = TITLES.sub("", name + " ").strip()
    bare = re.sub(r"\s+of\s+[A-Z][\w ]*$", "", bare)  # "Luis Ferreira of Brazil"
    return bare if bare and bare[0].isupper() else name


def _make(kind: str, name: str, cue: str) -> Attribution:
    kind_of = speaker_kind(name)
    if kind == "paraphrase" and kind_of == "unnamed_group":
        kind = "anonymous"
    if kind_of == "person":
        name = _person_name(name)
    return Attribution(kind, name, kind_of, cue)


def attribute(sentence: str, previous: Attribution | None = None) -> Attribution:
    """The attribution of ``sentence``; ``previous`` is that of the sentence before
    (carried to "He added …")."""
    quoted = is_quoted(sentence)

    source_of = SOURCE_OF.search(sentence)
    if source_of:
        return _make("paraphrase", clean_name(source_of.group("name")), "source")

    group = GROUP.search(sentence) or GROUP_APART.search(sentence)
    if group:
        name = clean_name(group.group("group"))
        return Attribution("anonymous", name[:1].upper() + name[1:], "unnamed_group", "group")

    reported = REPORTED.search(sentence)
    if reported:
        embedded = EMBEDDED.search(reported.group("rest"))
        if embedded and embedded.group("subject").lower() not in PRONOUNS:
            return _make("reported", clean_name(embedded.group("subject")), "reported")
        return Attribution("reported", clean_name(reported.group("reporter")), "media", "reported")

    according = ACCORDING.search(sentence)
    if according:
        found = INVERTED.match(according.group("rest"))
        if found:
            name = clean_name(found.group("subject"))
            name = re.sub(r"\s+(?:statement|report|study|data|figures|tally)$", "", name)
            kind = "reported" if according.group("report") else "paraphrase"
            if name:
                made = _make(kind, name, "according to")
                return made

    for verb in VERB.finditer(sentence):
        cue = verb.group()
        if cue.lower() == "according to":
            continue
        before = sentence[: verb.start()]
        pronoun = PRONOUN_SUBJECT.search(before)
        if pronoun:
            if previous is not None and previous.speaker:
                kind = "direct_quote" if quoted else "paraphrase"
                if previous.speaker_kind == "unnamed_group":
                    kind = "anonymous"
                return Attribution(kind, previous.speaker, previous.speaker_kind, cue)
            continue
        subject = _subject_before(before)
        if subject is None and re.search(r",\s*$", before):
            # "The chair, Ambassador Luis Ferreira of Brazil, said …": the apposition.
            for part in reversed(re.split(r",\s*", before.rstrip(", "))):
                subject = _subject_before(part + " ")
                if subject:
                    break
            if subject and not subject[:1].isupper():
                subject = None
        if subject is None and re.search(r"[,”\"]\s*$", before):
            apposition = APPOSITION.match(sentence[verb.end() :])
            if apposition:
                return _make(
                    "direct_quote" if quoted else "paraphrase",
                    apposition.group("name"),
                    cue,
                )
            # "“…,” said the minister": the speaker follows the verb.
            after = INVERTED.match(sentence[verb.end() :])
            subject = clean_name(after.group("subject")) if after else None
            if subject and subject.lower() in PRONOUNS:
                subject = None
                if previous is not None and previous.speaker:
                    return Attribution(
                        "direct_quote" if quoted else "paraphrase",
                        previous.speaker,
                        previous.speaker_kind,
                        cue,
                    )
        if subject:
            return _make("direct_quote" if quoted else "paraphrase", subject, cue)

    return Attribution("outlet", "", "media")


# An interview's answer: "Marchetti: We carried 212 million passengers …".
ANSWER = re.compile(r"^(?P<name>[A-ZÀ-ÖØ-Þ][\w’'.-]+(?:\s+[A-ZÀ-ÖØ-Þ][\w’'.-]+){0,3}):\s")
QUESTION_LABELS = {"q", "question", "interviewer", "a", "answer"}


def answer_speaker(sentence: str) -> Attribution | None:
    """The speaker of an interview's answer paragraph, from its "Name:" label."""
    match = ANSWER.match(sentence)
    if not match or match.group("name").lower() in QUESTION_LABELS:
        return None
    name = match.group("name")
    return Attribution("direct_quote", name, "person", "answer")
