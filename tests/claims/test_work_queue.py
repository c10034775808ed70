"""The work queue on the admin's front page: what waits for each user, and where it leads."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import AnchorStatus, Claim
from claims.read.queue import work_queue
from claims.services import claim_transition, verdict_record
from jobs.models import Job
from sources.intake.jobs import KIND as IMPORT_KIND
from tests.conftest import _member_of
from tests.factories import AppearanceFactory, ClaimFactory, EvidenceFactory
from tests.helpers import rating

State = Claim.ReviewState

pytestmark = pytest.mark.django_db


def counts(user) -> dict[str, int]:
    return {line.name: line.count for line in work_queue(user)}


def in_review_with_verdict(by, label="in review"):
    claim = ClaimFactory(label=label, review_state=State.IN_RESEARCH)
    claim = claim_transition(claim=claim, to=State.IN_REVIEW, by=by)
    verdict_record(claim=claim, rating=rating("unverified"), rationale="Checked.", by=by)
    return claim


def orphaned(quote):
    """``quote`` as re-anchoring leaves it when its words are gone from a new text."""
    quote.anchor_status, quote.orphaned_reason = AnchorStatus.ORPHANED, "The text changed."
    quote.save()
    return quote


def queue_links(client) -> dict[str, str]:
    """The work queue's links on the front page, by the line's name."""
    page = client.get(reverse("admin:index"))
    assert page.status_code == 200
    rows = re.findall(
        r'<tr class="work-queue-(\w+)[^"]*">\s*<th scope="row"><a href="([^"]+)"',
        page.content.decode(),
    )
    return {name: html.unescape(url) for name, url in rows}


def listed(client, url: str) -> list[int]:
    """The primary keys a changelist shows at ``url``."""
    page = client.get(url)
    assert page.status_code == 200, url
    return sorted(obj.pk for obj in page.context["cl"].result_list)


def test_a_claim_the_editor_recorded_is_not_theirs_to_approve_but_a_reviewers(
    editor, reviewer, second_reviewer
):
    in_review_with_verdict(editor)

    assert counts(reviewer)["approve"] == 1
    assert counts(second_reviewer)["approve"] == 1
    # An editor holds no reviewer role: the line is not shown to them at all.
    assert "approve" not in counts(editor)


def test_a_reviewer_who_recorded_the_current_verdict_may_not_approve_it(reviewer, second_reviewer):
    """The four-eyes rule of claim_transition, counted the way it is enforced."""
    claim = in_review_with_verdict(reviewer)

    assert counts(reviewer)["approve"] == 0
    assert counts(second_reviewer)["approve"] == 1
    # And the service agrees: the other reviewer may publish it, the recorder may not.
    with pytest.raises(Exception, match="four-eyes"):
        claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)
    claim_transition(claim=claim, to=State.PUBLISHED, by=second_reviewer)
    assert counts(second_reviewer)["approve"] == 0


def test_a_claim_in_review_without_a_verdict_is_not_yet_approvable(editor, reviewer):
    claim = ClaimFactory(review_state=State.IN_RESEARCH)
    claim_transition(claim=claim, to=State.IN_REVIEW, by=editor)

    assert counts(reviewer)["approve"] == 0


def test_a_claim_sent_back_is_counted_for_the_editor_who_sent_it_to_review(editor, reviewer, roles):
    other_editor = _member_of("Editor", "otto-editor")
    claim = in_review_with_verdict(editor, label="sent back")
    in_review_with_verdict(editor, label="still in review")

    assert counts(editor)["sent_back"] == 0
    claim_transition(claim=claim, to=State.IN_RESEARCH, by=reviewer, reason="Find a source.")

    assert counts(editor)["sent_back"] == 1
    assert counts(other_editor)["sent_back"] == 0


def test_re_checks_due_count_the_claims_whose_date_has_come(editor):
    today = timezone.localdate()
    ClaimFactory(recheck_on=today - datetime.timedelta(days=1))
    ClaimFactory(recheck_on=today)
    ClaimFactory(recheck_on=today + datetime.timedelta(days=3))
    ClaimFactory(recheck_on=None)

    assert counts(editor)["recheck"] == 2


def test_orphaned_anchors_are_counted_by_kind(editor):
    orphaned(AppearanceFactory())
    AppearanceFactory()
    EvidenceFactory()

    assert counts(editor)["orphaned_appearance"] == 1
    assert counts(editor)["orphaned_evidence"] == 0


def test_my_imports_and_jobs_of_the_week_are_counted_and_not_anyone_elses(editor, reviewer):
    def job(user, kind="report.pdf", status=Job.Status.QUEUED, days_ago=0, **fields):
        made = Job.objects.create(
            kind=kind, label=kind, task_path="x", requested_by=user, status=status, **fields
        )
        created = timezone.now() - datetime.timedelta(days=days_ago)
        Job.objects.filter(pk=made.pk).update(created_at=created)

    finished = {"finished_at": timezone.now()}
    job(editor, kind=IMPORT_KIND, status=Job.Status.SUCCEEDED, **finished)
    job(editor, kind=IMPORT_KIND, status=Job.Status.SUCCEEDED, days_ago=30, **finished)
    job(editor, status=Job.Status.RUNNING)
    job(editor, status=Job.Status.FAILED, error="It broke.", **finished)
    job(reviewer, status=Job.Status.FAILED, error="It broke.", **finished)

    mine = counts(editor)
    assert (mine["imports"], mine["jobs_open"], mine["jobs_failed"]) == (1, 1, 1)


def test_a_researcher_sees_only_what_their_role_may_act_on(researcher, editor):
    in_review_with_verdict(editor)

    names = set(counts(researcher))

    assert not names & {"approve", "sent_back", "recheck", "orphaned_appearance"}


def test_the_counts_stop_at_the_limit_and_say_so(editor, monkeypatch):
    monkeypatch.setattr("claims.read.queue.COUNT_LIMIT", 3)
    for _ in range(5):
        ClaimFactory(recheck_on=timezone.localdate())

    line = next(line for line in work_queue(editor) if line.name == "recheck")

    assert (line.count, line.more) == (3, True)


def test_the_queue_costs_the_same_queries_however_much_waits(
    editor, reviewer, django_assert_max_num_queries
):
    # Warm the user's permission cache, which the first has_perm fills.
    work_queue(reviewer)
    with django_assert_max_num_queries(10) as few:
        work_queue(reviewer)
    for n in range(5):
        in_review_with_verdict(editor, label=f"waiting {n}")
        ClaimFactory(recheck_on=timezone.localdate())
    with django_assert_max_num_queries(len(few.captured_queries)):
        work_queue(reviewer)


def test_each_link_lists_what_its_count_counts(client, editor, reviewer):
    approvable = in_review_with_verdict(editor, label="approvable")
    sent_back = in_review_with_verdict(reviewer, label="sent back")
    claim_transition(claim=sent_back, to=State.IN_RESEARCH, by=editor)
    due = ClaimFactory(recheck_on=timezone.localdate())
    ClaimFactory(recheck_on=timezone.localdate() + datetime.timedelta(days=9))
    orphan = orphaned(AppearanceFactory())
    failed = Job.objects.create(
        kind="report.pdf",
        label="report",
        task_path="x",
        requested_by=reviewer,
        status=Job.Status.FAILED,
        finished_at=timezone.now(),
        error="The report could not be drawn.",
    )
    Job.objects.create(kind="report.pdf", label="other's", task_path="x", requested_by=editor)

    client.force_login(reviewer)
    links = queue_links(client)

    assert listed(client, links["approve"]) == [approvable.pk]
    assert listed(client, links["sent_back"]) == [sent_back.pk]
    assert listed(client, links["recheck"]) == [due.pk]
    assert listed(client, links["orphaned_appearance"]) == [orphan.pk]
    assert [job.pk for job in client.get(links["jobs_failed"]).context["cl"].result_list] == [
        failed.pk
    ]
    assert parse_qs(urlparse(links["approve"]).query) == {"queue": ["approve"]}


def test_an_unknown_work_queue_in_the_claims_list_is_refused_not_a_500(staff_client):
    response = staff_client.get(reverse("admin:claims_claim_changelist") + "?queue=everything")

    # The admin answers a bad filter value by sending the user back to the whole list.
    assert response.status_code == 302
    assert "e=1" in response["Location"]
