"""Absolute API addresses, built without a URL reverse per object.

The prefix is resolved once per request; each object's address is then string
formatting. (reverse() for every row of a 500-row page costs more than the
rest of building the row.)
"""

from django.conf import settings
from django.urls import reverse

API_NAMESPACE = "api-v1"


class Links:
    def __init__(self, request=None, *, root: str | None = None):
        """Addresses on the request's host, or at ``root`` (the ``root`` of an earlier
        request's Links, for a job it started), or (neither: a management command) on
        settings.SITE_URL."""
        path = reverse(f"{API_NAMESPACE}:api-root")
        if root is None:
            root = request.build_absolute_uri(path) if request else settings.SITE_URL + path
        self.root = root
        # The site's own address (no trailing slash), on the same host as the root.
        self.site = root.removesuffix(path) if root.endswith(path) else settings.SITE_URL
        self._prefixes: dict[str, str] = {}

    def prefix(self, collection: str) -> str:
        """links.prefix("claims") → http://host/api/v1/claims/ (append "<id>/")."""
        if collection not in self._prefixes:
            self._prefixes[collection] = f"{self.root}{collection}/"
        return self._prefixes[collection]

    def __call__(self, *parts) -> str:
        """links("claims", 5, "appearances") → http://host/api/v1/claims/5/appearances/"""
        return self.root + "/".join(str(part) for part in parts) + "/"
