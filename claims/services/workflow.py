"""The newsroom's process: the verdict timeline and the review states.

Rules here hold however a change arrives. Refusals are ValidationError (the
request is wrong: a 400 with the message) or PermissionDenied (this user may
not: a 403).
"""

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Evidence, Rating, VerdictEntry
from claims.models.verdicts import VerdictEntryEvidence
from claims.services.editing import claim_lock
from factcheck.limits import REASON_MAX_LENGTH, REASON_TOO_LONG, check_reason

State = Claim.ReviewState

# (from, to) → the permission it takes. Publishing also takes a second person.
TRANSITIONS: dict[tuple[str, str], str] = {
    (State.DRAFT, State.IN_RESEARCH): "claims.change_claim",
    (State.IN_RESEARCH, State.IN_REVIEW): "claims.change_claim",
    (State.IN_REVIEW, State.IN_RESEARCH): "claims.change_claim",
    (State.IN_REVIEW, State.PUBLISHED): "claims.publish_claim",
    (State.PUBLISHED, State.RETRACTED): "claims.retract_claim",
    (State.RETRACTED, State.IN_RESEARCH): "claims.retract_claim",
}


def allowed_transitions(claim: Claim, user=None) -> list[str]:
    """The states ``claim`` may move to next (by ``user``, when given)."""
    return [
        to
        for (frm, to), permission in TRANSITIONS.items()
        if frm == claim.review_state and (user is None or user.has_perm(permission))
    ]


def _current_entry(claim: Claim) -> VerdictEntry | None:
    return claim.verdict_entries.in_timeline_order().select_related("rating").last()


def claim_transition(
    *,
    claim: Claim,
    to: str,
    by,
    reason: str = "",
    expected_version: int | None = None,
) -> Claim:
    """Move ``claim`` to review state ``to``, if the rules allow it."""
    reason = check_reason(reason.strip(), field="reason")
    if to not in State.values:
        raise ValidationError(
            {"to": f"“{to}” is not a review state. Use one of: {', '.join(State.values)}."}
        )
    with transaction.atomic():
        claim = claim_lock(claim_id=claim.pk, expected_version=expected_version)
        frm = claim.review_state
        permission = TRANSITIONS.get((frm, to))
        if permission is None:
            options = ", ".join(State(s).label for s in allowed_transitions(claim)) or "nothing"
            raise ValidationError(
                {
                    "to": f"A claim cannot go from {State(frm).label} to {State(to).label}. "
                    f"From {State(frm).label} it can go to: {options}."
                }
            )
        if not by.has_perm(permission):
            raise PermissionDenied(
                f"You may not move a claim from {State(frm).label} to {State(to).label}: "
                + (
                    "that takes the reviewer role."
                    if permission != "claims.change_claim"
                    else "you cannot change claims."
                )
            )
        if to == State.PUBLISHED:
            entry = _current_entry(claim)
            if entry is None:
                raise ValidationError({"to": "Record a verdict before publishing the claim."})
            if entry.recorded_by_id == by.pk:
                raise PermissionDenied(
                    "You recorded the current verdict, so another reviewer must publish it "
                    "(four-eyes rule)."
                )
            claim.published_entry = entry
            claim.published_at = timezone.now()
            claim.retraction_reason = ""
        if frm == State.RETRACTED:
            # Reopened: the retraction stands until the claim is published again,
            # so the public no longer sees it (claims/read/visibility.py).
            claim.published_entry = None
            claim.published_at = None
        if to == State.RETRACTED:
            if not reason:
                raise ValidationError({"reason": "Say why the claim is being retracted."})
            claim.retraction_reason = reason
        claim.review_state = to
        claim._history_user = by
        claim._change_reason = reason or f"{State(frm).label} → {State(to).label}"
        claim.save()
    return claim


def verdict_record(
    *,
    claim: Claim,
    rating: Rating,
    rationale: str,
    by,
    evidence: Iterable[Evidence] = (),
    holds_from: datetime.date | None = None,
    expected_version: int | None = None,
) -> VerdictEntry:
    """Append a verdict entry to the claim's timeline and update its current verdict.

    A published claim goes back to review; the public keeps seeing the verdict
    that was published until a reviewer approves the new one.
    """
    rationale = rationale.strip()
    evidence = list(evidence)
    holds_from = holds_from or timezone.localdate()
    if not by.has_perm("claims.add_verdictentry"):
        raise PermissionDenied("You may not record verdicts.")
    errors = {}
    if not rationale:
        errors["rationale"] = "Give the rationale for this verdict."
    elif len(rationale) > REASON_MAX_LENGTH:
        errors["rationale"] = REASON_TOO_LONG
    if rating.needs_evidence and not evidence:
        errors["evidence"] = (
            f"A verdict of “{rating.label}” must rest on at least one evidence item. "
            "Add the evidence to the claim first, then choose it here."
        )
    foreign = [item for item in evidence if item.claim_id != claim.pk]
    if foreign:
        errors["evidence"] = "Choose evidence recorded for this claim only."
    if holds_from > timezone.localdate():
        errors["holds_from"] = "A verdict cannot hold from a future date."
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        claim = claim_lock(claim_id=claim.pk, expected_version=expected_version)
        entry = VerdictEntry(
            claim=claim, rating=rating, rationale=rationale, recorded_by=by, holds_from=holds_from
        )
        entry._history_user = by
        entry.full_clean()
        entry.save()
        for item in evidence:
            VerdictEntryEvidence.objects.create(entry=entry, evidence=item)

        current = _current_entry(claim)
        assert current is not None  # the entry saved above, if no other
        claim.verdict, claim.rationale = current.rating, current.rationale
        if claim.review_state == State.PUBLISHED:
            claim.review_state = State.IN_REVIEW
            claim._change_reason = "New verdict recorded: back to review"
        claim._history_user = by
        claim.save()
    return entry
