"""One import, from whichever input: a web address, a file, or pasted text. The job,
the admin and ``import_sources`` all import through these three functions."""

import mimetypes
from collections.abc import Callable

from sources.intake.extract import ExtractionError, extract, extract_text
from sources.intake.fetch import FetchError, fetch
from sources.intake.services import ImportOutcome, ImportRefused, source_import
from sources.models import Outlet

# What a file's name says it holds, when its upload says nothing useful.
FILE_TYPES = {
    ".html": "text/html",
    ".htm": "text/html",
    ".xhtml": "application/xhtml+xml",
    ".pdf": "application/pdf",
    ".txt": "text/plain",
    ".text": "text/plain",
}
ACCEPTED = ", ".join(sorted(FILE_TYPES))


class ImportFailed(Exception):
    """Nothing was saved; the message says why, for the editor."""


def import_url(
    url: str,
    *,
    user=None,
    outlet: Outlet | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportOutcome:
    """Fetch the page at ``url`` (past the SSRF guard), extract its article and store it."""
    step = progress or (lambda stage: None)
    try:
        fetched = fetch(url)
        step("Extracting the article")
        extracted = extract(
            fetched.body,
            content_type=fetched.content_type,
            url=fetched.url,
            charset=fetched.charset,
        )
        step("Saving the source")
        return source_import(
            extracted,
            retrieved_from=fetched.requested_url,
            also_at=[fetched.url],
            user=user,
            outlet=outlet,
        )
    except (FetchError, ExtractionError, ImportRefused) as error:
        raise ImportFailed(str(error)) from None


def import_file(
    name: str,
    content: bytes,
    *,
    content_type: str = "",
    user=None,
    title: str = "",
    outlet: Outlet | None = None,
) -> ImportOutcome:
    """Extract and store an HTML, PDF or text file."""
    kind = file_type(name, content_type)
    try:
        extracted = extract(content, content_type=kind)
        return source_import(extracted, user=user, title=title, outlet=outlet)
    except (ExtractionError, ImportRefused) as error:
        raise ImportFailed(f"{name}: {error}") from None


def import_text(text: str, *, title: str, outlet: Outlet, user=None) -> ImportOutcome:
    """Store pasted text, with the title and outlet the editor typed."""
    try:
        extracted = extract_text(text)
        return source_import(extracted, user=user, title=title, outlet=outlet)
    except (ExtractionError, ImportRefused) as error:
        raise ImportFailed(str(error)) from None


def file_type(name: str, content_type: str = "") -> str:
    """The media type of a file: as uploaded when it is one we read, else by its name;
    ImportFailed for any other file."""
    given = content_type.split(";")[0].strip().lower()
    if given in FILE_TYPES.values():
        return given
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in FILE_TYPES:
        return FILE_TYPES[suffix]
    guessed = mimetypes.guess_type(name)[0] or given or "unknown"
    raise ImportFailed(
        f"{name}: a {guessed} file cannot be imported; give an HTML, PDF or text file ({ACCEPTED})."
    )
