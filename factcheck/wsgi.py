"""WSGI entry point, used by gunicorn: `gunicorn factcheck.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

from factcheck.checks import refuse_to_serve_without_a_secret_key

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factcheck.settings")

application = get_wsgi_application()
refuse_to_serve_without_a_secret_key()
