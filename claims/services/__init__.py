"""Writes that enforce the claims rules, whatever the entry point: the admin, the
API, the annotate page and management commands all call these.

Each is keyword-only, takes editable fields only (one list per model), checks
every model rule before saving, and writes in one transaction; the history rows
name the acting user (``by``, else the request's). Writes to a claim or any of
its parts take the one lock-and-version guard, claims.services.editing.claim_lock.
"""

from claims.services.anchors import (
    APPEARANCE_EDITABLE_FIELDS,
    EVIDENCE_EDITABLE_FIELDS,
    appearance_create,
    appearance_delete,
    appearance_update,
    evidence_create,
    evidence_delete,
    evidence_update,
)
from claims.services.catalogue import (
    SPEAKER_EDITABLE_FIELDS,
    TAG_EDITABLE_FIELDS,
    speaker_create,
    speaker_get_or_create,
    speaker_update,
    tag_create,
    tag_delete,
    tag_update,
)
from claims.services.claims import CLAIM_EDITABLE_FIELDS, claim_create, claim_delete, claim_update
from claims.services.editing import claim_lock
from claims.services.reanchor import ReanchorReport, anchor_repair, relocate, source_reanchor
from claims.services.workflow import (
    TRANSITIONS,
    allowed_transitions,
    claim_transition,
    verdict_record,
)

__all__ = [
    "APPEARANCE_EDITABLE_FIELDS",
    "CLAIM_EDITABLE_FIELDS",
    "EVIDENCE_EDITABLE_FIELDS",
    "SPEAKER_EDITABLE_FIELDS",
    "TAG_EDITABLE_FIELDS",
    "TRANSITIONS",
    "ReanchorReport",
    "allowed_transitions",
    "anchor_repair",
    "appearance_create",
    "appearance_delete",
    "appearance_update",
    "claim_create",
    "claim_delete",
    "claim_lock",
    "claim_transition",
    "claim_update",
    "evidence_create",
    "evidence_delete",
    "evidence_update",
    "relocate",
    "source_reanchor",
    "speaker_create",
    "speaker_get_or_create",
    "speaker_update",
    "tag_create",
    "tag_delete",
    "tag_update",
    "verdict_record",
]
