"""What an import is given: a web address or an uploaded file. The API's import
endpoints (sources, ClaimReview) and the admin's Import forms share these rules."""

from collections.abc import Mapping
from typing import Any

from django.conf import settings

from sources.intake.fetch import InvalidAddress, check_address


class ImportInputError(ValueError):
    """An import refused before it starts; ``field`` names the input at fault."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


def address_or_file(data) -> tuple[str, Any]:
    """The checked address, or the upload, of a request's body: exactly one of them."""
    if not isinstance(data, Mapping):
        raise ImportInputError(
            "non_field_errors", "Send a JSON object with a url, or a form with a file."
        )
    url, upload = data.get("url"), data.get("file")
    if bool(url) == bool(upload):
        raise ImportInputError("non_field_errors", "Give either a url or a file.")
    if url:
        return checked_address(str(url)), None
    if not hasattr(upload, "read"):
        raise ImportInputError("file", "Send the file as multipart form data.")
    return "", checked_upload(upload)


def checked_address(url: str) -> str:
    try:
        return check_address(url)
    except InvalidAddress as error:
        raise ImportInputError("url", str(error)) from None


def checked_upload(upload):
    """``upload``, if it is within IMPORT_MAX_BYTES."""
    if upload.size > settings.IMPORT_MAX_BYTES:
        limit = settings.IMPORT_MAX_BYTES / 1024 / 1024
        raise ImportInputError("file", f"The file is over {limit:g} MB (IMPORT_MAX_BYTES).")
    return upload
