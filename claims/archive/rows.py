"""The archive's format, its error, and the columns of a table's rows."""

from collections.abc import Callable

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType

from factcheck.progress import Progress

FORMAT = "factcheck-archive"
VERSION = 1

# Makes a table's Progress from its label and row count; a table's bar is redrawn
# every PROGRESS_EVERY rows.
ProgressFor = Callable[[str, int], Progress]
PROGRESS_EVERY = 1000


def table_progress(stderr, verbosity: int) -> ProgressFor | None:
    """A command's progress per table (``stderr`` is its OutputWrapper): a bar on a
    terminal unless -v 0; elsewhere a line per table with -v 2, else nothing."""
    live = stderr.isatty()
    if not (verbosity >= 2 or (verbosity >= 1 and live)):
        return None
    return lambda label, total: Progress(
        total, stderr._out, enabled=live, label=label, summary=True
    )


class ArchiveError(Exception):
    """The archive cannot be written or restored; nothing was changed."""

    def __init__(self, message: str, *, line: int | None = None, last_line: int | None = None):
        self.line = line
        if line is not None and last_line is not None and last_line != line:
            message = f"Lines {line}–{last_line}: {message}"
        elif line is not None:
            message = f"Line {line}: {message}"
        super().__init__(message)


def model_for(label: str):
    return apps.get_model(label)


def row_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if not field.primary_key]


def named_fields(model) -> dict[str, type]:
    """Foreign keys to rows that have other ids in another database, by field name."""
    return {
        field.name: field.related_model
        for field in row_fields(model)
        if field.is_relation and field.related_model in (ContentType, Permission)
    }


def natural_keys(using: str) -> dict[type, dict[int, tuple]]:
    return {
        ContentType: {
            ct.pk: ct.natural_key() for ct in ContentType.objects.using(using).order_by("pk")
        },
        Permission: {
            permission.pk: permission.natural_key()
            for permission in Permission.objects.using(using).select_related("content_type")
        },
    }
