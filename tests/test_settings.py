"""Production settings, checked in a fresh process as a deployment would load them."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "a-long-random-production-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "factcheck.example.org",
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    return python("manage.py", *args, **env)


def python(*args: str, **env: str) -> subprocess.CompletedProcess:
    """Python run in the project with ``args``, and only the given security settings."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
        and not key.startswith(("SECURE_", "SESSION_", "CSRF_"))
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_deployment_checklist_passes_with_only_a_secret_key_and_hosts_set():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION_ENV)

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_deployment_checklist_fails_without_a_secret_key():
    result = manage("check", "--deploy", DEBUG="false", ALLOWED_HOSTS="factcheck.example.org")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


@pytest.mark.parametrize("entry_point", ["factcheck.wsgi", "factcheck.asgi"])
def test_production_refuses_to_serve_without_a_secret_key(entry_point):
    result = python(
        "-c", f"import {entry_point}", DEBUG="false", ALLOWED_HOSTS="factcheck.example.org"
    )

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = manage("makemigrations", "--check", "--dry-run", DEBUG="false")

    assert result.returncode == 0, result.stdout + result.stderr


def test_https_settings_can_be_relaxed_for_a_tls_terminating_proxy():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECURE_SSL_REDIRECT, "
        "settings.SECURE_PROXY_SSL_HEADER)",
        SECURE_SSL_REDIRECT="false",
        USE_X_FORWARDED_PROTO="true",
        **PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "False ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_earlier_secret_keys_are_read_as_a_comma_separated_list():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SECRET_KEY_FALLBACKS)",
        SECRET_KEY_FALLBACKS="first-old-key, second-old-key",
        **PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "['first-old-key', 'second-old-key']"


def test_a_malformed_boolean_setting_is_a_clear_error():
    result = manage("check", **{**PRODUCTION_ENV, "DEBUG": "maybe"})

    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [("0", "SEARCH_RANK_WINDOW must be at least 1."), ("many", "must be a whole number")],
)
def test_a_search_window_that_ranks_nothing_is_a_clear_error(value, message):
    result = manage("check", **{**PRODUCTION_ENV, "SEARCH_RANK_WINDOW": value})

    assert result.returncode != 0
    assert message in result.stderr


def test_pdf_reports_are_made_at_once_up_to_25_claims_and_as_jobs_up_to_5000():
    result = python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.REPORT_PDF_SYNC_MAX_CLAIMS, s.REPORT_PDF_MAX_CLAIMS, s.TASKS_BACKEND)",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        **{**PRODUCTION_ENV, "REPORT_PDF_SYNC_MAX_CLAIMS": "", "REPORT_PDF_MAX_CLAIMS": ""},
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["25", "5000", "database"]


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"REPORT_PDF_SYNC_MAX_CLAIMS": "300", "REPORT_PDF_MAX_CLAIMS": "200"},
            "REPORT_PDF_SYNC_MAX_CLAIMS must be between 0 and REPORT_PDF_MAX_CLAIMS.",
        ),
        (
            {"JOB_HEARTBEAT_SECONDS": "120", "JOB_STALE_SECONDS": "60"},
            "JOB_HEARTBEAT_SECONDS must be above 0 and below JOB_STALE_SECONDS.",
        ),
        ({"JOB_MAX_ATTEMPTS": "0"}, "JOB_MAX_ATTEMPTS must be at least 1."),
    ],
)
def test_job_and_report_limits_that_cannot_work_are_a_clear_error(env, message):
    result = manage("check", **{**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert message in result.stderr


def test_the_sign_in_lockout_is_configured_from_the_environment():
    result = python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_LOCKOUT_PARAMETERS, "
        "s.AXES_IPWARE_META_PRECEDENCE_ORDER, s.AXES_IPWARE_PROXY_COUNT)",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        AXES_FAILURE_LIMIT="7",
        AXES_COOLOFF_MINUTES="30",
        AXES_CLIENT_IP_HEADER="HTTP_X_FORWARDED_FOR",
        AXES_PROXY_COUNT="1",
        **PRODUCTION_ENV,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        "7 0:30:00 [['username', 'ip_address']] ['HTTP_X_FORWARDED_FOR', 'REMOTE_ADDR'] 1"
    )


def test_by_default_the_lockout_reads_the_address_the_connection_came_from():
    result = python(
        "-c",
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME, s.AXES_IPWARE_META_PRECEDENCE_ORDER)",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        **PRODUCTION_ENV,
    )

    assert result.stdout.strip().splitlines()[-1] == "5 0:15:00 ['REMOTE_ADDR']"


@pytest.mark.parametrize("env", [{"AXES_FAILURE_LIMIT": "0"}, {"AXES_COOLOFF_MINUTES": "-1"}])
def test_a_lockout_that_cannot_work_is_a_clear_error(env):
    result = manage("check", **{**PRODUCTION_ENV, **env})

    assert result.returncode != 0
    assert "AXES_FAILURE_LIMIT must be at least 1 and AXES_COOLOFF_MINUTES at least 0." in (
        result.stderr
    )


def test_production_pages_carry_the_security_headers():
    # A page that needs no collected static files and no database: a 404.
    result = python(
        "-c",
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/no-such-page/', secure=True, HTTP_HOST='factcheck.example.org'); "
        "print(r.status_code); print(r['Content-Security-Policy']); "
        "print(r['Strict-Transport-Security']); print(r['Referrer-Policy'], "
        "r['Cross-Origin-Opener-Policy']); print(r['Permissions-Policy'])",
        DJANGO_SETTINGS_MODULE="factcheck.settings",
        CACHE_URL="locmem://",
        DATABASE_URL="sqlite://:memory:",
        **PRODUCTION_ENV,
    )

    lines = result.stdout.strip().splitlines()
    assert lines[-5] == "404", result.stderr
    policy = dict(part.strip().split(" ", 1) for part in lines[-4].split(";"))
    assert policy["default-src"] == policy["script-src"] == "'self'"
    assert "'unsafe-inline'" not in policy["style-src"]
    assert "max-age=31536000" in lines[-3]
    assert lines[-2] == "same-origin same-origin"
    assert "camera=()" in lines[-1]
