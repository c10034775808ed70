"""An import as a background job, for the admin's Import form and the API.

The job fetches the address (or reads the uploaded file it was given), extracts the
article, and stores it through ``sources.intake.services``. Its result is the source:
``result_url`` is the source's API address, the Jobs page links to its annotate page.
"""

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import NoReverseMatch, reverse
from django_tasks import task

from factcheck.api.links import Links
from jobs.models import Job
from jobs.services import JobFailure, JobRun, job_start, run_job
from sources.intake import importing
from sources.intake.services import ImportOutcome

KIND = "source.import"
UPLOADS = "imports"  # where an uploaded file waits for its job, under MEDIA_ROOT


def start_url_import(url: str, *, user, links: Links) -> Job:
    """A job importing the page at ``url`` (already checked with check_address)."""
    return job_start(
        import_source,
        kind=KIND,
        label=f"Import of {url}"[:200],
        params={"url": url, "links_root": links.root},
        requested_by=user,
        total=3,
    )


def start_file_import(
    name: str, content: bytes, content_type: str, *, user, links: Links, title: str = ""
) -> Job:
    """A job importing an uploaded file; the file waits under MEDIA_ROOT/imports/."""
    stored = default_storage.save(f"{UPLOADS}/{name}", ContentFile(content))
    return job_start(
        import_source,
        kind=KIND,
        label=f"Import of the file {name}"[:200],
        params={
            "upload": stored,
            "name": name,
            "content_type": content_type,
            "title": title,
            "links_root": links.root,
        },
        requested_by=user,
        total=3,
    )


@task()
def import_source(job_id: str) -> None:
    run_job(job_id, _import)


def _import(run: JobRun) -> None:
    params = run.params
    user = run.requester()
    try:
        if "url" in params:
            run.progress(0, stage="Fetching the page")
            outcome = importing.import_url(
                params["url"], user=user, progress=lambda stage: run.advance(1)
            )
        else:
            run.progress(0, stage="Reading the file")
            with default_storage.open(params["upload"], "rb") as file:
                content = file.read()
            outcome = importing.import_file(
                params["name"],
                content,
                content_type=params["content_type"],
                user=user,
                title=params.get("title", ""),
            )
    except importing.ImportFailed as error:
        raise JobFailure(str(error)) from None
    finally:
        if "upload" in params:
            default_storage.delete(params["upload"])
    run.summary(str(outcome))  # "created 12 https://…", "unchanged 12", "updated 12 (…)"
    run.made(**_links(outcome, Links(root=params["links_root"])))


def _links(outcome: ImportOutcome, links: Links) -> dict[str, str]:
    source = outcome.source
    return {"result_url": links("sources", source.pk), "admin_link": annotate_path(source)}


def annotate_path(source) -> str:
    """Where the newsroom works on a source: its annotate page (the claims app adds it
    to the admin), else its change page."""
    try:
        return reverse("admin:sources_source_annotate", args=[source.pk])
    except NoReverseMatch:
        return reverse("admin:sources_source_change", args=[source.pk])
