"""Refusals that keep a misconfigured production server from serving.

A missing SECRET_KEY stops the server from starting (the WSGI and ASGI
entry points) and fails ``check --deploy``; commands that sign nothing
(migrate, makemigrations, the exports…) still run, so that a build or a
migration step does not need the production secret.
"""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured

MISSING_SECRET_KEY = (
    "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for local "
    "development (which uses an insecure development key)."
)


def secret_key_missing() -> bool:
    return getattr(settings, "SECRET_KEY_MISSING", False)


@register(Tags.security, deploy=True)
def check_secret_key_is_set(app_configs, **kwargs):
    if secret_key_missing():
        return [Error(MISSING_SECRET_KEY, id="factcheck.E001")]
    return []


def refuse_to_serve_without_a_secret_key() -> None:
    if secret_key_missing():
        raise ImproperlyConfigured(MISSING_SECRET_KEY)
