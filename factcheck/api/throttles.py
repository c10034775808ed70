"""Request rate limits for anonymous and signed-in clients (429 with Retry-After).

The rates are read on every request rather than once at import, so that
settings (and tests) can change them. Counts live in Django's cache: with
several server processes, configure a shared cache or each process counts alone.
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
