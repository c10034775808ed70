"""The base of every API resource: reads build plain dicts, writes go through
the model's rules.

Reads fetch the columns a resource shows with ``values()`` and build each
object as a dict (``build``); a serializer there would cost one to two orders of
magnitude more per object. The output serializers exist for the schema only.
Writes validate the body with an input serializer, then set the fields on a
model instance and run ``full_clean()`` and ``save()`` (or a service), so that
model rules, constraints and the audit history hold as they do in the admin.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.exceptions import MethodNotAllowed, ValidationError
from rest_framework.response import Response

from factcheck.api.etags import (
    check_if_match,
    require_if_match,
    timestamp_etag,
    version_etag,
)
from factcheck.api.links import Links
from factcheck.api.pagination import KeysetPagination

ALWAYS_ALLOWED_PARAMS = frozenset({"format"})


def resource_schema(output, input_=None):
    """Document a resource's actions: ``output`` is the serializer describing what
    its builder returns, ``input_`` the one validating bodies (None: read-only)."""
    views = {
        "list": extend_schema(responses=output),
        "retrieve": extend_schema(responses=output),
    }
    if input_ is not None:
        views |= {
            "create": extend_schema(request=input_, responses={201: output}),
            "update": extend_schema(request=input_, responses=output),
            "partial_update": extend_schema(request=input_, responses=output),
        }
    return extend_schema_view(**views)


class ReadOnlyResourceViewSet(viewsets.GenericViewSet):
    """List and retrieve, built from rows."""

    lookup_value_regex = "[0-9]+"
    pagination_class = KeysetPagination

    # values() columns that ``build`` reads, and expressions it reads by name.
    columns: tuple[str, ...] = ()
    expressions: dict = {}
    # The field that versions a record for ETags: "version" (claims) or
    # "updated_at". None for resources that cannot be written.
    etag_field: str | None = None
    orderings = {"id": F("id")}
    default_ordering = "id"
    # Query parameters besides filters and pagination, on every action.
    extra_query_params: frozenset[str] = frozenset()
    # Model field → API field, for messages from full_clean().
    field_aliases: dict[str, str] = {}

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.check_query_params(request)

    def check_permissions(self, request):
        # A method a resource does not have is 405 for everyone, signed in or not.
        if self.action is None:
            raise MethodNotAllowed(request.method)
        super().check_permissions(request)

    # Query parameters -----------------------------------------------------------------------

    def allowed_query_params(self) -> set[str]:
        allowed = set(ALWAYS_ALLOWED_PARAMS | self.extra_query_params)
        if self.action == "list":
            allowed |= set(KeysetPagination.query_params)
            filterset_class = getattr(self, "filterset_class", None)
            if filterset_class is not None:
                allowed |= set(filterset_class.base_filters)
        return allowed

    def check_query_params(self, request) -> None:
        """Refuse unknown parameters: a misspelt filter must not silently return everything."""
        allowed = self.allowed_query_params()
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            accepted = ", ".join(sorted(allowed))
            raise ValidationError(
                {name: [f"Unknown query parameter. Accepted here: {accepted}."] for name in unknown}
            )

    # Reads ----------------------------------------------------------------------------------

    def get_orderings(self) -> dict:
        return self.orderings

    def get_default_ordering(self) -> str:
        return self.default_ordering

    def build(self, rows: list[dict]) -> list[dict]:
        """The API objects for ``rows`` (dicts of ``columns``), in the same order."""
        raise NotImplementedError

    @property
    def links(self) -> Links:
        if not hasattr(self, "_links"):
            self._links = Links(self.request)
        return self._links

    def etag(self, value) -> str:
        return version_etag(value) if self.etag_field == "version" else timestamp_etag(value)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        rows = self.paginate_queryset(queryset.values(*self.columns, **self.expressions))
        return self.get_paginated_response(self.build(rows))

    def retrieve(self, request, *args, **kwargs):
        return self.detail_response(self.kwargs["pk"])

    def detail_response(self, pk, status_code: int = status.HTTP_200_OK) -> Response:
        rows = list(self.get_queryset().filter(pk=pk).values(*self.columns, **self.expressions))
        if not rows:
            raise Http404
        data = self.build(rows)[0]
        headers = {}
        if self.etag_field is not None:
            headers["ETag"] = self.etag(rows[0][self.etag_field])
        if status_code == status.HTTP_201_CREATED:
            headers["Location"] = data["url"]
        return Response(data, status=status_code, headers=headers)

    def get_object(self):
        """The model instance, if the client may see it (404 otherwise). Never filtered
        by list filters."""
        obj = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        self.check_object_permissions(self.request, obj)
        return obj


class ResourceViewSet(ReadOnlyResourceViewSet):
    """Reads, plus create, update and delete under If-Match."""

    etag_field = "updated_at"

    def lock_for_write(self, visible):
        """The record, locked until the request's transaction ends, if If-Match names
        its current version (412 otherwise)."""
        locked = type(visible)._default_manager.select_for_update().get(pk=visible.pk)
        check_if_match(self.request, self.etag(getattr(locked, self.etag_field)))
        return locked

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        obj = self.perform_create(dict(serializer.validated_data))
        return self.detail_response(obj.pk, status.HTTP_201_CREATED)

    @transaction.atomic
    def update(self, request, *args, partial: bool = False, **kwargs):
        # 404, then 428 without If-Match, then 400 for the body, then 412 if stale.
        visible = self.get_object()
        require_if_match(request)
        serializer = self.get_serializer(visible, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        obj = self.lock_for_write(visible)
        self.perform_update(obj, dict(serializer.validated_data))
        return self.detail_response(obj.pk)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        visible = self.get_object()
        require_if_match(request)
        self.perform_destroy(self.lock_for_write(visible))
        return Response(status=status.HTTP_204_NO_CONTENT)

    def perform_create(self, data: dict):
        return self.save_instance(self.get_queryset().model(), data)

    def perform_update(self, obj, data: dict) -> None:
        self.save_instance(obj, data)

    def perform_destroy(self, obj) -> None:
        obj.delete()

    def save_instance(self, obj, data: dict):
        """Set the fields, check every model rule, save; then many-to-many fields."""
        many = {name: data.pop(name) for name in list(data) if _is_many_to_many(obj, name)}
        for name, value in data.items():
            setattr(obj, name, value)
        self.full_clean(obj)
        obj.save()
        for name, value in many.items():
            getattr(obj, name).set(value)
        return obj

    def full_clean(self, obj) -> None:
        try:
            obj.full_clean()
        except DjangoValidationError as error:
            raise self.as_api_error(error) from None

    def as_api_error(self, error: DjangoValidationError) -> ValidationError:
        if not hasattr(error, "error_dict"):
            return ValidationError({"non_field_errors": error.messages})
        return ValidationError(
            {
                self.field_aliases.get(name, name): messages
                for name, messages in error.message_dict.items()
            }
        )


def _is_many_to_many(obj, name: str) -> bool:
    field = next((f for f in obj._meta.get_fields() if f.name == name), None)
    return field is not None and field.many_to_many
