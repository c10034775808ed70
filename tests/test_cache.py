"""The shared cache (CACHE_URL): what it is by default, and that the request throttles
count in it across processes, as they do across gunicorn workers and machines.

The rest of the suite runs on a cache of the test process (scripts/test); these
tests start processes of their own on the configured cache.
"""

import json

import pytest

from factcheck.settings import cache_from_url
from tests.helpers import run_python as run

REDIS_URL = "redis://127.0.0.1:6379/14"  # a database number of its own, emptied by the test

# A process of the product that makes anonymous API requests through Django's test
# client and prints their status codes. "--clear" first makes the cache table (for the
# database cache; scripts/run does) and empties the cache.
REQUESTS = """
import json, sys
import django
django.setup()
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
if sys.argv[1] == "--clear":
    call_command("createcachetable")
    cache.clear()
client = Client(HTTP_HOST="localhost")
print(json.dumps([client.get(path).status_code for path in sys.argv[2:]]))
"""


def test_the_default_cache_is_a_table_in_the_database():
    result = run(
        "-c",
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps([settings.CACHES, settings.DATABASES['cache']['ATOMIC_REQUESTS']]))",
    )

    assert result.returncode == 0, result.stderr
    caches, cache_connection_is_atomic = json.loads(result.stdout)
    assert caches["default"] == {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "factcheck_cache",
    }
    # Its own connection, outside each request's transaction.
    assert cache_connection_is_atomic is False


def test_a_redis_url_configures_djangos_redis_cache():
    assert cache_from_url("redis://:secret@cache.internal:6379/2") == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://:secret@cache.internal:6379/2",
    }
    assert cache_from_url("rediss://cache.internal:6380/0")["BACKEND"].endswith("RedisCache")


def test_a_db_url_names_the_cache_table():
    assert cache_from_url("db://shared_cache")["LOCATION"] == "shared_cache"


@pytest.mark.parametrize("url", ["memcached://user:secret@cache.internal:11211", "factcheck_cache"])
def test_an_unknown_cache_url_scheme_is_refused_at_start_with_a_message(url):
    result = run("manage.py", "check", CACHE_URL=url)

    assert result.returncode != 0
    assert "CACHE_URL must start with db://, redis://, rediss:// or locmem://" in result.stderr
    assert "secret" not in result.stderr


@pytest.mark.parametrize("cache_url", ["db://factcheck_cache", REDIS_URL])
def test_throttles_count_across_two_processes_sharing_the_cache(cache_url, shared_database_url):
    env = {
        "DATABASE_URL": shared_database_url,
        "CACHE_URL": cache_url,
        "API_THROTTLE_ANON": "5/minute",
    }
    # Three requests for a claim that does not exist: refused, and their answers
    # rolled back, yet counted.
    first = run("-c", REQUESTS, "--clear", *["/api/v1/claims/999999/"] * 3, **env)
    second = run("-c", REQUESTS, "--keep", *["/api/v1/claims/"] * 4, **env)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert json.loads(first.stdout) == [404, 404, 404]
    assert json.loads(second.stdout) == [200, 200, 429, 429]
