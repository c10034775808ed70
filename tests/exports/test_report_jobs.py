"""PDF reports as background jobs: a large one answers 202 and a job follows it to its
file, a small one stays immediate; the job holds what its requester may see. The same
job from the API, the admin's action and export_claims; the job resource and the
admin's Jobs page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from claims.management.commands import export_claims
from claims.models import Claim
from jobs.models import Job
from tests.factories import ClaimFactory, StaffUserFactory, TagFactory
from tests.helpers import claims_action, pdf_claim_ids, token_client

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
PDF = "/api/v1/claims/report.pdf"


@pytest.fixture(autouse=True)
def small_sync_limit(settings):
    """PDFs of more than three claims are jobs (25 by default; fewer claims, faster tests)."""
    settings.REPORT_PDF_SYNC_MAX_CLAIMS = 3


@pytest.fixture
def public_claims(db) -> list[Claim]:
    return [ClaimFactory(label=f"public claim {n}", review_state=State.PUBLISHED) for n in range(5)]


@pytest.fixture
def draft(db) -> Claim:
    return ClaimFactory(label="a draft nobody outside may see")


def ids(claims) -> list[int]:
    return sorted(claim.pk for claim in claims)


def started(client, url: str = PDF) -> dict:
    """The job a report request started (202), as the response described it."""
    response = client.get(url)
    assert response.status_code == 202, response.content
    assert response["Location"] == f"/api/v1/jobs/{response.json()['id']}/"
    assert response["Retry-After"] == "2"
    return response.json()


def followed(client, job: dict) -> dict:
    response = client.get(job["url"])
    assert response.status_code == 200
    # A job still to finish says when to look again.
    assert response.has_header("Retry-After") == (response.json()["finished_at"] is None)
    return response.json()


def result_of(client, job: dict) -> bytes:
    response = client.get(job["result_url"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return response.getvalue()


# The API ---------------------------------------------------------------------------


def test_a_large_pdf_report_is_a_job_that_succeeds_with_one_entry_per_claim(
    anonymous, public_claims, draft, task_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = started(anonymous)
    assert job["status"] == "queued"
    assert job["progress"] == {"done": 0, "total": 5}
    assert job["label"] == "PDF report of 5 claims"
    assert job["result_url"] is None

    task_worker()

    job = followed(anonymous, job)
    assert job["status"] == "succeeded"
    assert job["progress"] == {"done": 5, "total": 5}
    assert job["error"] is None
    assert job["finished_at"] >= job["started_at"] >= job["created_at"]
    assert pdf_claim_ids(result_of(anonymous, job)) == ids(public_claims)


def test_a_pdf_report_within_the_sync_limit_is_made_at_once(anonymous, settings, public_claims):
    settings.REPORT_PDF_SYNC_MAX_CLAIMS = 5

    response = anonymous.get(PDF)

    assert response.status_code == 200
    assert pdf_claim_ids(response.getvalue()) == ids(public_claims)
    assert not Job.objects.exists()


def test_the_job_keeps_to_the_filters_of_the_request(
    anonymous, public_claims, task_worker, django_capture_on_commit_callbacks
):
    tag = TagFactory(slug="strike")
    tagged = public_claims[1:5]
    for claim in tagged:
        claim.tags.add(tag)

    with django_capture_on_commit_callbacks(execute=True):
        job = started(anonymous, f"{PDF}?tag=strike&title=Strikes")
    task_worker()

    assert pdf_claim_ids(result_of(anonymous, followed(anonymous, job))) == ids(tagged)


@pytest.mark.parametrize(
    ("client_name", "sees_the_draft"),
    [("anonymous", False), ("researcher_client", False), ("editor_client", True)],
)
def test_a_jobs_report_holds_what_its_requester_may_see(
    request,
    client_name,
    sees_the_draft,
    public_claims,
    draft,
    task_worker,
    django_capture_on_commit_callbacks,
):
    client = request.getfixturevalue(client_name)
    with django_capture_on_commit_callbacks(execute=True):
        job = started(client)
    task_worker()

    # Whoever holds the id may fetch it: here, someone who is not signed in.
    pdf = result_of(request.getfixturevalue("anonymous"), followed(client, job))
    expected = [*public_claims, draft] if sees_the_draft else public_claims
    assert pdf_claim_ids(pdf) == ids(expected)


def test_a_pdf_report_over_the_limit_is_refused_up_front_with_the_limit(
    anonymous, settings, public_claims
):
    settings.REPORT_PDF_MAX_CLAIMS = 4

    response = anonymous.get(PDF)

    assert response.status_code == 400
    assert "A PDF report holds at most 4 claims" in response.json()["message"]
    assert not Job.objects.exists()


def test_a_job_whose_requester_was_deactivated_fails_and_says_why(
    anonymous, editor, public_claims, task_worker, django_capture_on_commit_callbacks
):
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        job = started(client)
    get_user_model().objects.filter(pk=editor.pk).update(is_active=False)

    task_worker()

    job = followed(anonymous, job)  # the account is gone; the id still shows the job
    assert job["status"] == "failed"
    assert job["error"] == (
        "The account that asked for this PDF report of 5 claims was removed or deactivated, "
        "so nothing was done."
    )
    assert job["result_url"] is None


# The job resource --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/jobs/00000000-0000-4000-8000-000000000000/",
        "/api/v1/jobs/00000000-0000-4000-8000-000000000000/result/",
        "/api/v1/jobs/not-a-job/",
        "/api/v1/jobs/",
    ],
)
def test_an_unknown_job_is_a_json_404(anonymous, path):
    response = anonymous.get(path)

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_jobs_result_before_it_succeeded_is_a_404_that_says_so(
    anonymous, public_claims, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = started(anonymous)

    response = anonymous.get(f"{job['url']}result/")

    assert response.status_code == 404
    assert response.json()["message"] == (
        "This job has no result: it is queued. Follow the job until it succeeds."
    )


def test_a_deleted_result_is_gone_with_a_message(
    anonymous, public_claims, task_worker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = started(anonymous)
    task_worker()
    stored = Job.objects.get(pk=job["id"]).result
    stored.storage.delete(stored.name)

    response = anonymous.get(followed(anonymous, job)["result_url"])

    assert response.status_code == 410
    assert "result was deleted" in response.json()["message"]


# The admin -------------------------------------------------------------------------------


def test_the_admin_pdf_action_over_the_sync_limit_starts_a_job_and_links_to_it(
    staff_client, public_claims, task_worker
):
    response = claims_action(staff_client, "export_pdf", public_claims[:4], follow=True)

    job = Job.objects.get()
    page = response.content.decode()
    assert "The PDF report of 4 claims is being made by a background job" in page
    assert reverse("admin:jobs_job_change", args=[job.pk]) in page
    assert job.params["claim_ids"] == ids(public_claims[:4])


def test_the_admin_pdf_action_within_the_sync_limit_stays_immediate(staff_client, public_claims):
    response = claims_action(staff_client, "export_pdf", public_claims[:3])

    assert response["Content-Type"] == "application/pdf"
    assert not Job.objects.exists()


def test_the_jobs_page_lists_a_users_own_jobs_with_their_progress(
    client, researcher, public_claims, django_capture_on_commit_callbacks, task_worker
):
    someone_else = StaffUserFactory(is_superuser=False)
    client.force_login(someone_else)
    claims_action(client, "export_pdf", public_claims)  # not a Researcher: no job page
    client.force_login(researcher)
    with django_capture_on_commit_callbacks(execute=True):
        claims_action(client, "export_pdf", public_claims[:4])
    task_worker()

    page = client.get(reverse("admin:jobs_job_changelist")).content.decode()

    mine = Job.objects.get(requested_by=researcher)
    assert "PDF report of 4 claims" in page
    assert "4 of 4" in page
    assert reverse("api-v1:job-result", args=[mine.pk]) in page
    assert "PDF report of 5 claims" not in page  # someone else's


def test_a_running_jobs_admin_page_reloads_itself_until_it_ends(staff_client, public_claims):
    claims_action(staff_client, "export_pdf", public_claims)
    job = Job.objects.get()
    url = reverse("admin:jobs_job_change", args=[job.pk])

    assert 'http-equiv="refresh"' in staff_client.get(url).content.decode()
    Job.objects.filter(pk=job.pk).update(
        status=Job.Status.FAILED, finished_at=job.created_at, error="It stopped."
    )
    page = staff_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "It stopped." in page


# export_claims ------------------------------------------------------------------------------


def test_export_claims_makes_a_large_pdf_inline_when_asked(tmp_path, public_claims, draft):
    output = tmp_path / "report.pdf"
    stderr = io.StringIO()

    call_command(
        "export_claims", "--format", "pdf", "--inline", "--output", str(output), stderr=stderr
    )

    assert pdf_claim_ids(output.read_bytes()) == ids([*public_claims, draft])  # the newsroom's
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    assert "Wrote the PDF report of 6 claims to" in stderr.getvalue()


def test_export_claims_waits_for_a_worker_to_make_a_large_pdf(
    tmp_path, public_claims, monkeypatch, task_worker
):
    def a_worker_takes_the_queued_jobs():
        # The job is queued once its transaction commits: here, the test's never does.
        pending, connection.run_on_commit[:] = list(connection.run_on_commit), []
        for entry in pending:
            entry[1]()  # (savepoints, callback, robust)
        task_worker()

    # While the command waits (looking at the job as often as it can), a worker takes it.
    monkeypatch.setattr(export_claims.Command, "POLL_SECONDS", 0)
    monkeypatch.setattr(export_claims, "reap_stale_jobs", a_worker_takes_the_queued_jobs)
    output = tmp_path / "report.pdf"

    call_command(
        "export_claims",
        "--format",
        "pdf",
        "--public",
        "--output",
        str(output),
        stderr=io.StringIO(),
    )

    assert pdf_claim_ids(output.read_bytes()) == ids(public_claims)


def test_export_claims_reports_a_failed_job_and_writes_no_file(
    tmp_path, public_claims, monkeypatch
):
    def broken_layout(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr("claims.exports.report.jobs.render_report_pdf", broken_layout)
    output = tmp_path / "report.pdf"

    with pytest.raises(CommandError, match="The worker ran out of memory making this PDF report"):
        call_command(
            "export_claims",
            "--format",
            "pdf",
            "--inline",
            "--output",
            str(output),
            stderr=io.StringIO(),
        )
    assert not output.exists()


def test_export_claims_needs_a_file_for_a_pdf_made_by_a_job(public_claims):
    with pytest.raises(CommandError, match="give --output FILE"):
        call_command("export_claims", "--format", "pdf", stdout=io.StringIO(), stderr=io.StringIO())
