"""Writes that enforce the claims rules, whatever the entry point: the admin, the
API, fixtures builders and management commands all call these."""

from claims.services.anchors import appearance_create, evidence_create
from claims.services.reanchor import ReanchorReport, anchor_repair, relocate, source_reanchor
from claims.services.workflow import (
    TRANSITIONS,
    allowed_transitions,
    claim_transition,
    verdict_record,
)

__all__ = [
    "TRANSITIONS",
    "ReanchorReport",
    "allowed_transitions",
    "anchor_repair",
    "appearance_create",
    "claim_transition",
    "evidence_create",
    "relocate",
    "source_reanchor",
    "verdict_record",
]
