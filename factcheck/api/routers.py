"""Routers for the apps' API resources, and the one API root that lists them all.

Each app registers its viewsets on a router of its own (claims/api/urls.py,
sources/api/urls.py); factcheck/api/urls.py puts them together in the API's
namespace without importing them.
"""

from django.urls import NoReverseMatch, URLResolver, register_converter
from django.urls import reverse as django_reverse
from rest_framework.response import Response
from rest_framework.reverse import reverse
from rest_framework.routers import APIRootView, DefaultRouter

# A record's id in an address: up to 18 digits. A bigint holds 19, but an id longer
# than the database can compare would fail in the query (SQLite: OverflowError) where
# an address that names no record should be a 404.
ID_PATTERN = "[0-9]{1,18}"


class IdConverter:
    regex = ID_PATTERN

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(value)


register_converter(IdConverter, "id")


class AppRouter(DefaultRouter):
    """An app's resources, with the .json-style format suffixes; no root view of its own
    (DefaultRouter's would list this router's collections only)."""

    include_root_view = False


def _list_names(patterns) -> list[str]:
    """The names of the collection routes ("claim-list", as DRF's routers name them)."""
    names = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names += [name for name in _list_names(pattern.url_patterns) if name not in names]
        elif pattern.name and pattern.name.endswith("-list") and pattern.name not in names:
            names.append(pattern.name)
    return names


class ApiRootView(APIRootView):
    """GET /api/v1/: a link to every collection, whichever app's router registered it."""

    resources = ()  # the URL patterns the apps' routers made

    def get(self, request, *args, **kwargs):
        namespace = request.resolver_match.namespace
        root = django_reverse(f"{namespace}:{request.resolver_match.url_name}")
        links = {}
        for name in _list_names(self.resources):
            try:
                address = django_reverse(f"{namespace}:{name}")
            except NoReverseMatch:
                continue  # a nested collection: its address needs its parent's id
            links[address.removeprefix(root).rstrip("/")] = reverse(
                f"{namespace}:{name}", request=request, format=kwargs.get("format")
            )
        return Response(links)
