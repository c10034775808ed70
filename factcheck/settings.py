"""Settings for the fact-check tracker, read from the environment.

One settings module for every deployment. With nothing set, it runs a local
development server on an SQLite file in the project folder. In production,
set DEBUG=false, SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL; the secure defaults
below then apply (see README.md, "Production settings").
"""

import os
import zoneinfo
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}.")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from None


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number, not {value!r}.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
# Without a key (and DEBUG off) the server refuses to start and check --deploy
# fails (factcheck/checks.py); Django refuses to sign anything with an empty key.
SECRET_KEY_MISSING = not SECRET_KEY and not DEBUG
if not SECRET_KEY and DEBUG:
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"
# Earlier keys, comma-separated: what they signed (sign-ins, search cursors)
# stays valid while a new SECRET_KEY takes over.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", [])

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    # Login lockout (AXES_* below) and the Content-Security-Policy header (CONTENT_SECURITY_POLICY).
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "factcheck.apps.FactcheckConfig",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    # Background jobs on Django's Tasks framework (the django-tasks backport of
    # django.tasks): the database backend, and RQ on Redis (TASKS_BACKEND below).
    "django_tasks",
    "django_tasks_db",
    "django_rq",
    "jobs",
    "sources",
    "claims",
    # After claims: its drf_create_token (audited, claims.services.tokens) then takes
    # the place of DRF's command of that name (the first app to define a command wins).
    "rest_framework.authtoken",
]

MIDDLEWARE = [
    # /healthz and /readyz, answered before the host check and the HTTPS redirect
    # (a load balancer probes by address, over HTTP): factcheck/middleware.py.
    "factcheck.middleware.HealthMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy and Permissions-Policy on every response (factcheck/security.py).
    "csp.middleware.CSPMiddleware",
    "factcheck.security.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # A chunked body is a 411, an oversized one a 413, unread; a view that cannot
    # reach the database is a 503 with Retry-After (factcheck/middleware.py).
    "factcheck.middleware.RequestBodyMiddleware",
    "factcheck.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Lets the API reads of the public and researchers go to a read replica.
    "factcheck.replicas.ReplicaReadsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records the acting user on every audit-history row written during a request.
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a login refused by django-axes into its lockout page; axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "factcheck.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "factcheck" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "factcheck.wsgi.application"
ASGI_APPLICATION = "factcheck.asgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# Every request runs in one transaction: a failed write leaves nothing half-saved.
DATABASES["default"]["ATOMIC_REQUESTS"] = True


def cache_from_url(url: str) -> dict:
    """Django's CACHES entry for CACHE_URL: db://<table>, redis://…, rediss://… or locmem://."""
    scheme, separator, rest = url.partition("://")
    if separator and scheme == "db":
        return {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": rest or "factcheck_cache",
        }
    if separator and scheme in {"redis", "rediss"}:
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if separator and scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    # Only the scheme is repeated: the rest may hold a password.
    raise ImproperlyConfigured(
        "CACHE_URL must start with db://, redis://, rediss:// or locmem://, not "
        f"{scheme + '://' if separator else 'a value without a scheme'}."
    )


# The cache every process and machine shares (the request throttles' counts); the
# default, a table in the database, needs no other server. "local" is each process's
# own, for what is cheaper to read again than to fetch (the search statistics).
CACHES = {
    "default": cache_from_url(os.environ.get("CACHE_URL") or "db://factcheck_cache"),
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "local"},
}
if CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
    # The database cache reads and writes through a connection of its own, outside
    # the request's transaction: a count is kept when the request fails (a 404 is
    # rolled back) and it takes no lock for the length of the request.
    DATABASES["cache"] = {
        **DATABASES["default"],
        "ATOMIC_REQUESTS": False,
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["factcheck.cache.CacheRouter"]

# Read replicas (factcheck/replicas.py): DATABASE_REPLICA_URLS, comma-separated, become
# the aliases replica1, replica2, …; the public's and researchers' API reads go to one
# of them, everything else to the primary. A replica runs no request transaction: a
# transaction there would open a connection to every replica on every request, and
# under READ COMMITTED it would not give the request's reads one snapshot anyway.
DATABASE_REPLICAS = []
for number, url in enumerate(env_list("DATABASE_REPLICA_URLS", []), start=1):
    DATABASES[f"replica{number}"] = {
        **dj_database_url.parse(
            url, conn_max_age=env_int("CONN_MAX_AGE", 60), conn_health_checks=True
        ),
        "ATOMIC_REQUESTS": False,
        # Tests read the test database through it.
        "TEST": {"MIRROR": "default"},
    }
    DATABASE_REPLICAS.append(f"replica{number}")
DATABASE_ROUTERS = [*DATABASE_ROUTERS, "factcheck.replicas.ReplicaRouter"]
# Who reads the primary even in the API: the newsroom, who must see their own writes.
REPLICA_READS_EXCEPT_PERMISSION = "claims.change_claim"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes first: it refuses a locked-out user and address before any password is
# checked (an authenticate() without a request, as in a shell, is refused by it too).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The newsroom's time zone (an IANA name, e.g. America/New_York): dates and times
# on its pages and reports are shown in it, with the zone named. Stored times stay UTC.
TIME_ZONE = os.environ.get("TIME_ZONE", "").strip() or "UTC"
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (zoneinfo.ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"TIME_ZONE={TIME_ZONE!r} is not a time zone name; use one such as "
        "America/New_York, Europe/Paris or UTC."
    ) from None
USE_I18N = True
USE_TZ = True
# Dates as ISO 8601 in every list, page and widget of the admin (factcheck/formats/en).
FORMAT_MODULE_PATH = ["factcheck.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Request bodies over this size are refused (413) before they reach a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 2_621_440)
# The admin's claim page posts a form row per appearance and evidence item.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

# Security. Secure by default; each HTTPS setting can be relaxed from the
# environment for a deployment behind a TLS-terminating proxy.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Powerful browser features no page of the product uses (factcheck/security.py).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        *("accelerometer", "autoplay", "camera", "display-capture", "geolocation"),
        *("gyroscope", "magnetometer", "microphone", "midi", "payment", "usb"),
    )
}
# Content-Security-Policy (django-csp): scripts and styles from the product's own
# static files only. The few inline <style> blocks of Django's admin, the browsable
# API and the API docs are allowed by their hashes (factcheck/security.py); no page
# of the product has an inline script, a style attribute or an event handler.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # Swagger UI and the admin's widgets draw small icons as data: images.
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Templates of ours rendered inline in a <style> (the self-contained HTML report),
# allowed by the hash of their text.
CSP_INLINE_STYLES = ["claims/report/report.css"]
if os.environ.get("CSP_REPORT_URI"):
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["report-uri"] = [os.environ["CSP_REPORT_URI"]]

# Login lockout (django-axes), for the admin's and the browsable API's sign-in: after
# AXES_FAILURE_LIMIT wrong passwords for one username from one address, that pair is
# refused for AXES_COOLOFF_MINUTES (0: until `manage.py axes_reset`). The page says so
# with a 429. Other users, and the same user from elsewhere, can still sign in.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 15)
if AXES_FAILURE_LIMIT < 1 or AXES_COOLOFF_MINUTES < 0:
    raise ImproperlyConfigured(
        "AXES_FAILURE_LIMIT must be at least 1 and AXES_COOLOFF_MINUTES at least 0."
    )
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES) if AXES_COOLOFF_MINUTES else None
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "factcheck.security.lockout_response"
AXES_HTTP_RESPONSE_CODE = 429
# The client's address: REMOTE_ADDR, unless the deployment names the header its
# reverse proxy sets (and strips from clients), e.g. AXES_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR
# with AXES_PROXY_COUNT=1 for one proxy in front. A header a client can set itself
# would let an attacker pick a new address for every guess.
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    [os.environ["AXES_CLIENT_IP_HEADER"], "REMOTE_ADDR"]
    if os.environ.get("AXES_CLIENT_IP_HEADER")
    else ["REMOTE_ADDR"]
)
AXES_IPWARE_PROXY_COUNT = env_int("AXES_PROXY_COUNT", 0) or None
if env_bool("USE_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets this header itself and strips it from clients.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every step of every PDF at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        # django-axes says "BEGIN" at every start and "Deleted 0 failed login
        # attempts" at every sign-in; its lockouts are warnings and still show.
        "axes": {"level": "WARNING"},
    },
}

# History pages are a record, not an undo button: reverting a claim from its
# history would skip the review workflow's rules.
SIMPLE_HISTORY_REVERT_DISABLED = True
# A change reason (a retraction's, a transition's) may be as long as the forms
# allow (factcheck/limits.py), not the varchar(100) django-simple-history defaults to.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

REST_FRAMEWORK = {
    # Token first, so that an anonymous write is told to authenticate (401 with
    # WWW-Authenticate: Token); the session serves the browsable API.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    # Anyone reads (claims are further limited by review state); writes take the
    # model permissions of the user's role.
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.DjangoModelPermissionsOrAnonReadOnly"
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "factcheck.api.renderers.ORJSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    # DRF's JSON parser with a nesting limit (a 400, not a RecursionError's 500).
    "DEFAULT_PARSER_CLASSES": ["factcheck.api.parsers.JSONParser"],
    "DEFAULT_FILTER_BACKENDS": ["factcheck.api.filters.GivenFiltersBackend"],
    "DEFAULT_PAGINATION_CLASS": "factcheck.api.pagination.KeysetPagination",
    "DEFAULT_THROTTLE_CLASSES": [
        "factcheck.api.throttles.AnonymousThrottle",
        "factcheck.api.throttles.SignedInThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "120/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
    },
    "EXCEPTION_HANDLER": "factcheck.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "factcheck.api.schema.ApiAutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Fact-check tracker API",
    "DESCRIPTION": (
        "Claims, their sources, evidence and verdict timelines. Anonymous clients and "
        "researchers read published and retracted claims; editors and reviewers read and "
        "write everything. Authenticate with `Authorization: Token <key>` (an admin issues "
        "tokens) or a session. Lists are cursor-paginated: follow `next`. Writes to an "
        "existing record need `If-Match` with the ETag of the version you read."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "claims.models.Claim.ReviewState",
        "AttributionEnum": "claims.models.Claim.Attribution",
        "SpeakerKindEnum": "claims.models.Speaker.Kind",
        "StanceEnum": "claims.models.Evidence.Stance",
        "AnchorStatusEnum": "claims.models.AnchorStatus",
        "OutletKindEnum": "sources.models.Outlet.Kind",
        "SourceKindEnum": "sources.models.Source.Kind",
    },
}

# Exports and claim reports.
# Where the product is served, for the absolute addresses in files written by
# management commands (requests use their own host).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# Where the newsroom publishes its fact-checks, for ClaimReview "url": a pattern
# with {id} (https://factcheck.example.org/claims/{id}); empty: the claim's API address.
CLAIMREVIEW_URL = os.environ.get("CLAIMREVIEW_URL", "")
# A PDF report is laid out whole, in memory (measured: 300 claims in 91 s, 600 MB). Up
# to REPORT_PDF_SYNC_MAX_CLAIMS claims it is made in the request; a larger one is a job
# (202 and a job to follow); more than REPORT_PDF_MAX_CLAIMS are refused.
REPORT_PDF_SYNC_MAX_CLAIMS = env_int("REPORT_PDF_SYNC_MAX_CLAIMS", 25)
REPORT_PDF_MAX_CLAIMS = env_int("REPORT_PDF_MAX_CLAIMS", 5000)
if not 0 <= REPORT_PDF_SYNC_MAX_CLAIMS <= REPORT_PDF_MAX_CLAIMS:
    raise ImproperlyConfigured(
        "REPORT_PDF_SYNC_MAX_CLAIMS must be between 0 and REPORT_PDF_MAX_CLAIMS."
    )
# The organisation that publishes the fact-checks (ClaimReview "author"); without a
# PUBLISHER_URL, its address is the site's: the request's host, or SITE_URL in files
# written by commands.
FACTCHECK_PUBLISHER = {
    "name": os.environ.get("PUBLISHER_NAME", "Fact-check tracker"),
    "url": os.environ.get("PUBLISHER_URL", "").rstrip("/"),
}

# Search (q=) in relevance order ranks this many of the most recently changed
# matches (ranking reads every ranked claim); other orderings list every match.
SEARCH_RANK_WINDOW = env_int("SEARCH_RANK_WINDOW", 500)
if SEARCH_RANK_WINDOW < 1:
    raise ImproperlyConfigured("SEARCH_RANK_WINDOW must be at least 1.")

# Background jobs (jobs/): Django's Tasks framework. TASKS_BACKEND=database (the
# default) keeps the queue in the database and needs no other server; rq keeps it in
# Redis (REDIS_URL), for several machines. Start workers with scripts/worker.
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database").strip() or "database"
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
JOB_QUEUE = "default"
if TASKS_BACKEND == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [JOB_QUEUE]}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [JOB_QUEUE]}}
else:
    raise ImproperlyConfigured(f"TASKS_BACKEND must be database or rq, not {TASKS_BACKEND!r}.")
# django-rq's queues (used only when TASKS_BACKEND=rq). A job RQ sees no sign of
# life from for JOB_STALE_SECONDS is abandoned, as below.
RQ_QUEUES = {JOB_QUEUE: {"URL": REDIS_URL, "DEFAULT_TIMEOUT": env_int("JOB_TIMEOUT", 3600)}}
# A running job writes a heartbeat every JOB_HEARTBEAT_SECONDS. One whose heartbeat
# is older than JOB_STALE_SECONDS lost its worker (killed, or its machine gone): it
# is queued again, or failed with a message after JOB_MAX_ATTEMPTS tries.
JOB_HEARTBEAT_SECONDS = env_int("JOB_HEARTBEAT_SECONDS", 15)
JOB_STALE_SECONDS = env_int("JOB_STALE_SECONDS", 120)
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 2)
if not 0 < JOB_HEARTBEAT_SECONDS < JOB_STALE_SECONDS:
    raise ImproperlyConfigured("JOB_HEARTBEAT_SECONDS must be above 0 and below JOB_STALE_SECONDS.")
if JOB_MAX_ATTEMPTS < 1:
    raise ImproperlyConfigured("JOB_MAX_ATTEMPTS must be at least 1.")
# Finished jobs and their files are deleted after this many days (manage.py prune_jobs).
JOB_KEEP_DAYS = env_int("JOB_KEEP_DAYS", 7)

# Files the product writes: the results of jobs (PDF reports). Every web and task
# worker must see the same folder (one machine, or a shared volume on several).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")

# Source intake (sources/intake/): the server fetches the addresses editors give it.
# Addresses that resolve to loopback, private, link-local, multicast or reserved
# networks are refused unless IMPORT_ALLOW_PRIVATE_ADDRESSES=true (tests, intranets).
IMPORT_ALLOW_PRIVATE_ADDRESSES = env_bool("IMPORT_ALLOW_PRIVATE_ADDRESSES", False)
IMPORT_TIMEOUT = env_int("IMPORT_TIMEOUT", 20)  # seconds for a whole fetch
IMPORT_MAX_BYTES = env_int("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
IMPORT_MAX_REDIRECTS = 5
if IMPORT_TIMEOUT < 1 or IMPORT_MAX_BYTES < 1:
    raise ImproperlyConfigured("IMPORT_TIMEOUT and IMPORT_MAX_BYTES must be at least 1.")

# Similar-claim matching (claims/read/similar.py). A match scoring at least
# MATCH_SUGGEST_THRESHOLD is shown as "probably the same claim" and listed among
# Possible duplicates; an imported review (ClaimReview) joins an existing claim of
# other words only at MATCH_ATTACH_THRESHOLD, else it gets a new claim.
MATCH_SUGGEST_THRESHOLD = env_float("MATCH_SUGGEST_THRESHOLD", 0.6)
MATCH_ATTACH_THRESHOLD = env_float("MATCH_ATTACH_THRESHOLD", 0.8)
if not 0 < MATCH_SUGGEST_THRESHOLD <= MATCH_ATTACH_THRESHOLD <= 1:
    raise ImproperlyConfigured(
        "MATCH_SUGGEST_THRESHOLD and MATCH_ATTACH_THRESHOLD must be in (0, 1], the first "
        "not above the second."
    )
MATCH_MAX_CHARS = 10_000  # the longest text matched
# Each process's index of embeddings (claims/read/vectors.py) re-reads everything
# this often, and re-reads what changed in the last MATCH_INDEX_OVERLAP_SECONDS
# before each search, for transactions that committed late.
MATCH_INDEX_RELOAD_SECONDS = env_int("MATCH_INDEX_RELOAD_SECONDS", 600)
MATCH_INDEX_OVERLAP_SECONDS = env_int("MATCH_INDEX_OVERLAP_SECONDS", 120)
