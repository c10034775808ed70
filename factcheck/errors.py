"""Exceptions the apps raise and the shared layers (the API's error handler) understand.

They live here so that factcheck/ can translate them without importing an app.
"""


class ConcurrentEditError(Exception):
    """The record changed since the editor loaded it; saving would lose that change."""


def _unavailable_errors() -> tuple[type[Exception], ...]:
    from django.db import InterfaceError, OperationalError

    errors: tuple[type[Exception], ...] = (OperationalError, InterfaceError)
    try:
        from redis.exceptions import ConnectionError as RedisConnectionError
        from redis.exceptions import TimeoutError as RedisTimeoutError
    except ImportError:  # pragma: no cover - redis is in requirements.txt
        return errors
    return (*errors, RedisConnectionError, RedisTimeoutError)


# The database refused or lost the connection (django.db), or the cache server is
# away: the request may succeed if sent again in a moment, so it is a 503 with
# Retry-After (factcheck/middleware.py, factcheck/api/errors.py), not a 500.
UNAVAILABLE = _unavailable_errors()
RETRY_AFTER_SECONDS = 5
UNAVAILABLE_MESSAGE = (
    "The service cannot reach its database right now. Nothing was changed; "
    f"retry in {RETRY_AFTER_SECONDS} seconds."
)
