"""A ClaimReview import as a background job, for the API and the admin's Import page.
Its stage, once it succeeded, is the import's summary line; its result_url is the
list of the imported reviews."""

from typing import BinaryIO, cast

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from claims.interchange.importing import ImportFailed, import_claimreview, import_claimreview_url
from factcheck.api.links import Links
from jobs.models import Job
from jobs.services import JobFailure, JobRun, job_start, run_job

KIND = "claimreview.import"
UPLOADS = "imports"  # where an uploaded file waits for its job, under MEDIA_ROOT


def start_review_import(
    *, user, links: Links, url: str = "", name: str = "", content: bytes = b""
) -> Job:
    """A job importing the ClaimReview at ``url``, or in the uploaded file ``name``."""
    params: dict = {"links_root": links.root}
    if url:
        params["url"] = url
        label = f"ClaimReview import of {url}"
    else:
        params |= {"upload": default_storage.save(f"{UPLOADS}/{name}", ContentFile(content))}
        label = f"ClaimReview import of the file {name}"
    return job_start(import_reviews, kind=KIND, label=label[:200], params=params, requested_by=user)


@task()
def import_reviews(job_id: str) -> None:
    run_job(job_id, _import)


def _import(run: JobRun) -> None:
    params = run.params
    user = run.requester()
    run.progress(0, stage="Reading reviews")
    try:
        if "url" in params:
            summary = import_claimreview_url(params["url"], by=user, progress=run.advance)
        else:
            with default_storage.open(params["upload"], "rb") as stream:
                summary = import_claimreview(cast(BinaryIO, stream), by=user, progress=run.advance)
    except ImportFailed as error:
        raise JobFailure(str(error)) from None
    finally:
        if "upload" in params:
            default_storage.delete(params["upload"])
    run.summary(str(summary))
    links = Links(root=params["links_root"])
    run.made(
        result_url=links.prefix("external-reviews"),
        admin_link=reverse("admin:claims_externalreview_changelist"),
    )
