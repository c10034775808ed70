"""Read replicas (DATABASE_REPLICA_URLS): the public's and researchers' API reads go to
a replica, everything else to the primary ("default").

``ReplicaReadsMiddleware`` decides per request, before the view, whether it may read
from a replica and which one; ``ReplicaRouter`` sends reads there while that request
runs. The router cannot see the request, so the choice travels in a context variable.

A request may read from a replica only when stale data cannot mislead: a GET, HEAD or
OPTIONS under /api/ by a viewer outside the newsroom (anonymous, or without
settings.REPLICA_READS_EXCEPT_PERMISSION). Editors and reviewers, the admin, every
write request and every command read the primary, so nobody who writes reads a
replica that has not caught up with their write.
"""

import random
from collections.abc import Iterable, Iterator
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.views import APIView

# The replica the current request reads from; None: the primary.
_replica: ContextVar[str | None] = ContextVar("replica", default=None)

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

# Who the viewer is, and their session, is always read from the primary: a token an
# admin has just issued (or revoked), or a role just changed, counts at once. So are
# the database cache's rows (the throttles' counts) and the jobs and their queue: where
# they are written, and a job's progress is read as it changes.
PRIMARY_APPS = frozenset(
    {"auth", "authtoken", "sessions", "django_cache", "jobs", "django_tasks_database"}
)


class ReplicaRouter:
    """Reads of a replica request to its replica; every write, and every other read,
    to the primary. Only the primary is migrated: replicas copy it."""

    def db_for_read(self, model, **hints):
        if model._meta.app_label in PRIMARY_APPS:
            return DEFAULT_DB_ALIAS
        return _replica.get()  # None: the next router's choice, or "default"

    def db_for_write(self, model, **hints):
        if model._meta.app_label not in PRIMARY_APPS:
            # A request that writes reads what it wrote: the primary, from now on.
            _replica.set(None)
        return None

    def allow_relation(self, obj1, obj2, **hints):
        # Every alias holds the same rows (a replica copies the primary).
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Lets the reads of a request go to a replica when ``replica_for`` allows it, for
    the view and for a streamed response's body (exports stream after the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        alias = replica_for(request)
        if alias is None:
            return self.get_response(request)
        token = _replica.set(alias)
        try:
            response = self.get_response(request)
            alias = _replica.get()  # None if the request wrote
        finally:
            _replica.reset(token)
        if alias is not None and response.streaming and not response.is_async:
            response.streaming_content = _reading_from(alias, response.streaming_content)
        return response


def replica_for(request) -> str | None:
    """The replica ``request`` may read from (one, picked at random), or None."""
    replicas = settings.DATABASE_REPLICAS
    if not replicas or request.method not in SAFE_METHODS:
        return None
    if not request.path_info.startswith("/api/"):  # the admin, and the rest
        return None
    viewer = _api_viewer(request)
    if viewer is None or viewer.has_perm(settings.REPLICA_READS_EXCEPT_PERMISSION):
        return None
    return random.choice(replicas)


def _api_viewer(request):
    """The user the API's views will see (their authentication: token, then session),
    or None when the credentials are refused (the view answers 401 itself).

    A token is looked up here and again by the view, both times on the primary."""
    signed_in = request.user  # the session's user, evaluated only if read
    try:
        return Request(request, authenticators=APIView().get_authenticators()).user
    except APIException:
        return None
    finally:
        request.user = signed_in  # DRF's Request sets it; the view authenticates again


def _reading_from(alias: str, chunks: Iterable[bytes]) -> Iterator[bytes]:
    """``chunks``, each computed with reads on ``alias``."""
    iterator = iter(chunks)
    while True:
        token = _replica.set(alias)
        try:
            chunk = next(iterator)
        except StopIteration:
            return
        finally:
            _replica.reset(token)
        yield chunk
