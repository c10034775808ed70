"""Request rate limits for anonymous and signed-in clients (429 with Retry-After).

The rates are read on every request rather than once at import, so that
settings (and tests) can change them. Counts live in Django's default cache,
shared by every process and machine (CACHE_URL: the database or Redis); the
database cache writes them outside the request's transaction, so a request that
fails and is rolled back is counted too (factcheck/cache.py).
"""

from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    def get_rate(self):
        assert self.scope is not None  # "anon", set by AnonRateThrottle
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)


class SignedInThrottle(UserRateThrottle):
    def get_rate(self):
        assert self.scope is not None  # "user", set by UserRateThrottle
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)
