"""Django, set up alike for every benchmark script (call before importing models)."""

import os


def setup_django() -> None:
    """The project's settings from the environment, as a production server runs them.

    ``DEBUG=true`` (unless the environment says otherwise) only spares a
    ``SECRET_KEY``: it is turned off once Django is set up, since with it on
    Django logs every query, which costs time per query. Thousands of requests a
    minute from one address would mostly be answered 429, so the throttle rates
    are raised to a million a second: the throttles still run, and a
    per-second window keeps their request history (and so their cost) as short
    as on a server under normal use.
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["API_THROTTLE_ANON"] = os.environ["API_THROTTLE_USER"] = "1000000/second"

    import django

    django.setup()

    from django.conf import settings

    settings.DEBUG = False
