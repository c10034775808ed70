"""What is waiting for a user: the work queue on the admin's front page.

Each part is a set of rows (``queue_claims`` and friends, which the lists'
filters call too, so that a count and the list it links to agree) and a count
of them. The counts stop at ``COUNT_LIMIT``: counting the whole of a big
table for a front page would read every matching row, and "more than 100"
says enough. Every part runs on an index (named beside each one), so the
page costs one query per part whatever the size of the tables.
"""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.utils import timezone

from claims.models import AnchorStatus, Appearance, Claim, Evidence, VerdictEntry
from claims.read.visibility import children_visible_to, visible
from jobs.models import Job
from sources.intake.jobs import KIND as IMPORT_KIND

COUNT_LIMIT = 100
# "Recent" imports and jobs: those started in the past week.
RECENT_DAYS = 7

State = Claim.ReviewState

# The parts of the queue that are lists of claims (the claims list's "work queue" filter).
APPROVE, SENT_BACK, RECHECK = "approve", "sent_back", "recheck"
CLAIM_QUEUES = {
    APPROVE: "In review, for you to approve",
    SENT_BACK: "Sent back to you",
    RECHECK: "Re-checks due",
}


def current_recorder() -> Subquery:
    """Who recorded each claim's current verdict: the last entry of its timeline, the
    one claim_transition publishes (claims/services/workflow.py)."""
    entries = VerdictEntry.objects.filter(claim=OuterRef("pk")).in_timeline_order().reverse()
    return Subquery(entries.values("recorded_by")[:1])


def awaiting_approval_by(claims: QuerySet, user) -> QuerySet:
    """Claims in review that ``user`` may publish under the four-eyes rule of
    claim_transition: a current verdict exists and someone else recorded it.
    (Whether the user holds the reviewer role is the caller's question.)

    Served by claim_state_updated_idx (review_state) and, per claim, the entries'
    claim index.
    """
    has_entry = Exists(VerdictEntry.objects.filter(claim=OuterRef("pk")))
    return (
        claims.filter(review_state=State.IN_REVIEW)
        .filter(has_entry)
        .alias(current_recorder_id=current_recorder())
        .exclude(current_recorder_id=user.pk)
    )


def sent_back_to(claims: QuerySet, user) -> QuerySet:
    """Claims in research again after ``user`` sent them to review: a reviewer sent
    them back (or, once published, they were retracted and reopened).

    Driven by the history rows ``user`` wrote (their history_user index), not by
    every claim in research.
    """
    sent_by_user = Claim.history.filter(history_user=user, review_state=State.IN_REVIEW)
    return claims.filter(review_state=State.IN_RESEARCH, pk__in=sent_by_user.values("id"))


def recheck_due(claims: Any, on: datetime.date | None = None) -> QuerySet:
    """Claims whose re-check date has come (claim_recheck_on_idx)."""
    return claims.due_for_recheck(on)


def queue_claims(claims: QuerySet, queue: str, user) -> QuerySet:
    """The claims of one part of ``user``'s queue, from ``claims`` (already those they may see)."""
    if queue == APPROVE:
        return awaiting_approval_by(claims, user)
    if queue == SENT_BACK:
        return sent_back_to(claims, user)
    if queue == RECHECK:
        return recheck_due(claims)
    raise ValueError(f"No work queue {queue!r}.")


def recent_since(now: datetime.datetime | None = None) -> datetime.datetime:
    """The start of "recent": midnight, RECENT_DAYS days ago, in the newsroom's time zone
    (as the admin's "Past 7 days" date filter counts)."""
    today = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    return today - datetime.timedelta(days=RECENT_DAYS)


def my_jobs(user, *, since: datetime.datetime) -> QuerySet:
    """The jobs ``user`` started since ``since`` (job_requester_created_idx)."""
    return Job.objects.filter(requested_by=user, created_at__gte=since)


@dataclass(frozen=True)
class QueueCount:
    """One line of the work queue: how many, and which list shows them."""

    name: str
    label: str
    count: int
    # Where the rows are listed: the model's admin list, and its filter parameters.
    model: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def more(self) -> bool:
        """The count stopped at COUNT_LIMIT: there are at least that many."""
        return self.count >= COUNT_LIMIT


def capped_count(rows: QuerySet) -> int:
    """How many rows, counting no further than COUNT_LIMIT."""
    return rows.order_by()[:COUNT_LIMIT].count()


def work_queue(user, *, now: datetime.datetime | None = None) -> list[QueueCount]:
    """What is waiting for ``user``, as far as their role lets them see and act."""
    counts: list[QueueCount] = []
    claims = visible(Claim.objects.all(), user)

    def add_claims(queue: str) -> None:
        rows = queue_claims(claims, queue, user)
        counts.append(
            QueueCount(
                queue, CLAIM_QUEUES[queue], capped_count(rows), "claims.claim", {"queue": queue}
            )
        )

    if user.has_perm("claims.publish_claim"):
        add_claims(APPROVE)
    if user.has_perm("claims.change_claim"):
        add_claims(SENT_BACK)
        add_claims(RECHECK)
    for model, label in ((Appearance, "Orphaned appearances"), (Evidence, "Orphaned evidence")):
        if user.has_perm(f"claims.change_{model._meta.model_name}"):
            # The orphans' partial index (<model>_orphans_idx) holds exactly these rows.
            orphans = children_visible_to(
                model.objects.filter(anchor_status=AnchorStatus.ORPHANED), user
            )
            counts.append(
                QueueCount(
                    f"orphaned_{model._meta.model_name}",
                    label,
                    capped_count(orphans),
                    model._meta.label_lower,
                    {"anchor_status__exact": AnchorStatus.ORPHANED},
                )
            )
    if user.has_perm("jobs.view_job"):
        since = recent_since(now)
        week = {"mine": "1", "created_at__gte": str(since)}
        jobs = my_jobs(user, since=since)
        if user.has_perm("sources.add_source"):
            counts.append(
                QueueCount(
                    "imports",
                    "Your imports this week",
                    capped_count(jobs.filter(kind=IMPORT_KIND)),
                    "jobs.job",
                    {**week, "kind__exact": IMPORT_KIND},
                )
            )
        counts.append(
            QueueCount(
                "jobs_open",
                "Your jobs queued or running",
                capped_count(jobs.exclude(status__in=Job.FINISHED)),
                "jobs.job",
                {**week, "open": "1"},
            )
        )
        counts.append(
            QueueCount(
                "jobs_failed",
                "Your jobs that failed this week",
                capped_count(jobs.filter(status=Job.Status.FAILED)),
                "jobs.job",
                {**week, "status__exact": Job.Status.FAILED},
            )
        )
    return counts
