"""Creating, editing and deleting claims, whatever the entry point (the API, the
admin, the annotate page). The verdict and the review state are not among the
editable fields: they change through claims.services.workflow."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from claims.models import Claim
from claims.services.editing import (
    changes,
    claim_lock,
    create_with_history,
    refuse_uneditable,
    save_with_history,
)
from claims.services.matching import embedding_refresh

# What an editor may set on a claim; the rest is the server's (version, the
# verdict, the review state, publication) or the workflow's.
CLAIM_EDITABLE_FIELDS = (
    "label",
    "text",
    "speaker",
    "attribution",
    "speaker_role",
    "stated_on",
    "tags",
    "language",
    "recheck_on",
)


def claim_create(*, data: Mapping[str, Any], by=None) -> Claim:
    """A new claim (a draft, unverified) from ``data``, editable fields only, with
    its embedding (claims.services.matching)."""
    with transaction.atomic():
        claim = create_with_history(Claim, editable=CLAIM_EDITABLE_FIELDS, data=data, by=by)
        embedding_refresh(claim)
    return claim


def claim_update(
    *, claim: Claim, data: Mapping[str, Any], by=None, expected_version: int | None = None
) -> Claim:
    """Apply ``data`` (editable fields only) to the stored claim, if it is still at
    ``expected_version`` (None: whichever version it is at).

    Returns the stored claim as saved. Nothing is written when nothing differs
    from what is stored, so the version (and the ETag) stays.
    """
    refuse_uneditable(data, CLAIM_EDITABLE_FIELDS)
    with transaction.atomic():
        stored = claim_lock(claim_id=claim.pk, expected_version=expected_version)
        changed = changes(stored, data)
        if changed:
            save_with_history(stored, changed, by=by)
            if "text" in changed:
                embedding_refresh(stored)
    return stored


def claim_delete(*, claim: Claim, by=None, expected_version: int | None = None) -> None:
    with transaction.atomic():
        stored = claim_lock(claim_id=claim.pk, expected_version=expected_version)
        if by is not None:
            stored._history_user = by
        stored.delete()
