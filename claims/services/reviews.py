"""Storing another organisation's review of a claim: the one place an imported
ClaimReview writes.

A review is known by its URL: imported again, it is updated in place (or left alone
when nothing changed), never duplicated. A new review is attached to the claim it
reviews: an existing claim with the same text and speaker, else the existing claim
the similar-claim matcher scores at least MATCH_ATTACH_THRESHOLD (the review records
which, and the score), else a new draft claim with its speaker (matched by Wikidata
ID, then name or alias, else created), its date and the appearances known by URL.
Nothing here publishes anything.
"""

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower

from claims.models import Appearance, Claim, Evidence, ExternalReview, Rating, Speaker
from claims.read.selection import Newsroom
from claims.read.similar import Match, SimilarInputError, similar_claims
from claims.services.anchors import appearance_create, evidence_create
from claims.services.catalogue import speaker_create
from claims.services.claims import claim_create
from claims.services.editing import create_with_history, save_with_history
from factcheck.languages import primary_language
from sources.intake.services import outlet_for
from sources.models import Source, normalize_url

WIKIDATA = re.compile(r"^https?://(?:www\.)?wikidata\.org/(?:wiki|entity)/(Q[1-9][0-9]*)$")
LABEL_LENGTH = 200


class ReviewLike(Protocol):
    """What a reader gives for one review (claims.interchange.readers.ReviewRecord)."""

    @property
    def url(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def publisher_name(self) -> str: ...

    @property
    def publisher_url(self) -> str: ...

    @property
    def reviewed_at(self) -> datetime.datetime | None: ...

    @property
    def textual_rating(self) -> str: ...

    @property
    def rating_value(self) -> float | None: ...

    @property
    def best_rating(self) -> float | None: ...

    @property
    def worst_rating(self) -> float | None: ...

    @property
    def language(self) -> str: ...

    @property
    def claim_text(self) -> str: ...

    @property
    def claimant(self) -> str: ...

    @property
    def claimant_same_as(self) -> Sequence[str]: ...

    @property
    def claim_date(self) -> datetime.date | None: ...

    @property
    def appearances(self) -> Sequence[str]: ...


@dataclass(frozen=True)
class ReviewOutcome:
    action: str  # "created", "updated" or "known" (already imported, unchanged)
    review: ExternalReview
    claim_created: bool = False


def external_review_save(record: ReviewLike, *, rating: Rating | None, by=None) -> ReviewOutcome:
    """Store ``record`` with ``rating`` (our rating it maps to; None: unmapped)."""
    url = normalize_url(record.url)
    for attempt in range(2):
        try:
            with transaction.atomic():
                known = ExternalReview.objects.select_for_update().filter(url=url).first()
                if known is not None:
                    return _update(known, record, rating=rating, by=by)
                claim, created, match = _claim_for(record, by=by)
                review = create_with_history(
                    ExternalReview,
                    editable=(*REVIEW_FIELDS, *MATCH_FIELDS),
                    data={**_fields(record, rating), "url": url, "claim": claim, **match},
                    by=by,
                )
                return ReviewOutcome("created", review, claim_created=created)
        except IntegrityError:
            if attempt:  # imported by someone else at the same moment: found the second time
                raise
    raise AssertionError("unreachable")


# How the import chose the review's claim: set when the review is first stored.
MATCH_FIELDS = ("claim_match", "claim_match_score")
REVIEW_FIELDS = (
    "url",
    "claim",
    "publisher",
    "title",
    "reviewed_at",
    "claim_text",
    "textual_rating",
    "rating",
    "rating_value",
    "best_rating",
    "worst_rating",
    "language",
)


def _fields(record: ReviewLike, rating: Rating | None) -> dict:
    publisher = outlet_for(record.publisher_name, record.publisher_url or record.url)
    if publisher is None:
        raise ValueError("a review without a publisher or URL")  # readers never give one
    return {
        "publisher": publisher,
        "title": record.title[:500],
        "reviewed_at": record.reviewed_at,
        "claim_text": record.claim_text,
        "textual_rating": record.textual_rating[:200],
        "rating": rating,
        "rating_value": record.rating_value,
        "best_rating": record.best_rating,
        "worst_rating": record.worst_rating,
        "language": record.language[:16],
    }


def _update(review: ExternalReview, record: ReviewLike, *, rating, by) -> ReviewOutcome:
    fields = _fields(record, rating)
    changed = {name: value for name, value in fields.items() if getattr(review, name) != value}
    if not changed:
        return ReviewOutcome("known", review)
    save_with_history(review, changed, by=by, reason="Imported again: the review changed")
    return ReviewOutcome("updated", review)


# The claim a review is about -------------------------------------------------------------


def _claim_for(record: ReviewLike, *, by) -> tuple[Claim, bool, dict]:
    """The claim ``record`` reviews: the claim of the same text and speaker, else the
    claim the matcher scores at least MATCH_ATTACH_THRESHOLD (claims/read/similar.py),
    else a new draft claim; and how it was chosen (the review's claim_match fields)."""
    speaker = speaker_for(record.claimant, record.claimant_same_as, by=by)
    text = " ".join(record.claim_text.split())
    same = Claim.objects.annotate(lowered=Lower("text")).filter(
        lowered__in=_spellings(text), speaker=speaker
    )
    existing = same.order_by("id").first()
    if existing is not None:
        return existing, False, {"claim_match": ExternalReview.ClaimMatch.SAME_TEXT}
    similar = _similar_claim(text, record.language, speaker)
    if similar is not None:
        match = {
            "claim_match": ExternalReview.ClaimMatch.SIMILAR,
            "claim_match_score": similar.score,
        }
        return similar.claim, False, match
    claim = claim_create(
        data={
            "label": _label(text),
            "text": text,
            "speaker": speaker,
            "stated_on": record.claim_date,
            "language": (record.language or "en")[:16],
        },
        by=by,
    )
    _appearances(claim, record.appearances, by=by)
    return claim, True, {"claim_match": ExternalReview.ClaimMatch.NEW}


def _similar_claim(text: str, language: str, speaker: Speaker | None) -> Match | None:
    """The claim the matcher finds likely enough to be the one ``text`` states: at
    least MATCH_ATTACH_THRESHOLD, and by the same speaker when the review names one."""
    try:
        found = similar_claims(
            text,
            user=Newsroom(),
            language=primary_language(language),
            speaker_id=speaker.pk if speaker else None,
            limit=3,
        )
    except SimilarInputError:
        return None
    for match in found:
        if match.score < settings.MATCH_ATTACH_THRESHOLD:
            break
        if speaker is None or match.claim.speaker_id in (None, speaker.pk):
            return match
    return None


def _spellings(text: str) -> list[str]:
    """The ways the same claim text is written, lower-cased: with or without its final
    full stop, in straight or curly quotes (claims are stored as stated)."""
    bare = text.lower().rstrip(".")
    forms = {bare, f"{bare}."}
    straight = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})
    forms |= {form.translate(straight) for form in forms}
    curly = str.maketrans({"'": "’"})
    forms |= {form.translate(curly) for form in forms}
    return sorted(forms)


def _label(text: str) -> str:
    if len(text) <= LABEL_LENGTH:
        return text
    return text[: LABEL_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def speaker_for(name: str, same_as: Sequence[str], *, by=None) -> Speaker | None:
    """The speaker a review names: by Wikidata ID first, then by name or alias (in any
    case), else a new speaker of that name; None when the review names nobody."""
    for url in same_as:
        match = WIKIDATA.match(url.strip())
        if match:
            known = Speaker.objects.filter(wikidata_id=match[1]).first()
            if known is not None:
                return known
    name = " ".join(name.split())
    if not name:
        return None
    by_name = Speaker.objects.filter(name__iexact=name).order_by("id").first()
    if by_name is not None:
        return by_name
    for speaker in Speaker.objects.filter(Q(aliases__icontains=name)).order_by("id"):
        if name.casefold() in (alias.casefold() for alias in speaker.alias_list):
            return speaker
    wikidata = next((m[1] for url in same_as if (m := WIKIDATA.match(url.strip()))), "")
    return speaker_create(data={"name": name[:200], "wikidata_id": wikidata}, by=by)


def _appearances(claim: Claim, urls: Sequence[str], *, by) -> None:
    for position, url in enumerate(dict.fromkeys(normalize_url(url) for url in urls if url)):
        source = Source.objects.filter(Q(url=url) | Q(retrieved_from=url)).first()
        if source is None:
            outlet = outlet_for("", url)
            if outlet is None:
                continue
            source = Source.objects.create(url=url, title=url[:500], outlet=outlet)
        if not Appearance.objects.filter(claim=claim, source=source).exists():
            appearance_create(claim=claim, source=source, is_first=position == 0, by=by)


def external_review_as_evidence(review: ExternalReview, *, by=None) -> bool:
    """Cite ``review`` as evidence on its claim (its page becomes a source of the
    publisher's); False when it is cited already. Its stance follows its rating: a
    false-ish rating refutes the claim, a true-ish one supports it, else context."""
    source = Source.objects.filter(Q(url=review.url) | Q(retrieved_from=review.url)).first()
    if source is None:
        source = Source.objects.create(
            url=review.url,
            title=(review.title or review.url)[:500],
            outlet=review.publisher,
            kind=Source.Kind.REPORT,
            published_at=review.reviewed_at,
            language=review.language or "en",
        )
    if Evidence.objects.filter(claim=review.claim, source=source).exists():
        return False
    value = review.rating.value if review.rating is not None else None
    if value is None:
        stance = Evidence.Stance.CONTEXT
    elif value <= 2:
        stance = Evidence.Stance.REFUTES
    elif value >= 4:
        stance = Evidence.Stance.SUPPORTS
    else:
        stance = Evidence.Stance.CONTEXT
    rated = review.textual_rating
    note = f"{review.publisher.name} rated it “{rated}”." if rated else ""
    evidence_create(claim=review.claim, source=source, stance=stance, note=note[:1000], by=by)
    return True
