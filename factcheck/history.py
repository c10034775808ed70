"""Keep every write to a tracked model in its audit history.

django-simple-history records a change when a model instance is saved or
deleted. QuerySet.update(), bulk_update() and bulk_create() write rows without
saving instances, so they would change data with no history row and no acting
user. Tracked models use TrackedQuerySet, which refuses them: loop over the
instances and save each one instead (bulk admin actions do exactly that).
"""

from contextlib import contextmanager
from types import SimpleNamespace

from django.db import models
from simple_history.models import HistoricalRecords


class UntrackedWriteError(RuntimeError):
    pass


class TrackedQuerySet(models.QuerySet):
    def _refuse(self, operation: str):
        raise UntrackedWriteError(
            f"{self.model.__name__}.objects.{operation}() would bypass the audit history; "
            "save each instance instead."
        )

    def update(self, **kwargs):
        self._refuse("update")

    def bulk_update(self, objs, fields, batch_size=None):
        self._refuse("bulk_update")

    def bulk_create(self, objs, *args, **kwargs):
        self._refuse("bulk_create")


@contextmanager
def acting_user(user):
    """Attribute every history row written inside the block to ``user``.

    Requests get this from HistoryRequestMiddleware; management commands and
    other code outside a request use this.
    """
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous
