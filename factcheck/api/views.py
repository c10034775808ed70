"""The base of every API resource: reads build plain dicts, writes go through
the model's rules.

Reads fetch the columns a resource shows with ``values()`` and build each
object as a dict (``build``); a serializer there would cost one to two orders of
magnitude more per object. The output serializers exist for the schema only.
Writes validate the body with an input serializer, then call the resource's
service (or set the fields on a model instance and run ``full_clean()`` and
``save()``), so that model rules, constraints and the audit history hold as they
do in the admin. A body naming a field the client cannot write is refused, unless
it repeats what a GET showed.
"""

from collections.abc import Mapping
from contextlib import contextmanager
from typing import Any, cast

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.db.models.expressions import Combinable
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
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
from factcheck.api.renderers import ORJSONRenderer
from factcheck.api.routers import ID_PATTERN

ALWAYS_ALLOWED_PARAMS = frozenset({"format"})


def refuse_unknown_params(request, allowed) -> None:
    """Refuse unknown parameters: a misspelt filter must not silently return everything."""
    allowed = set(allowed) | ALWAYS_ALLOWED_PARAMS
    unknown = sorted(set(request.query_params) - allowed)
    if unknown:
        accepted = ", ".join(sorted(allowed))
        raise ValidationError(
            {name: [f"Unknown query parameter. Accepted here: {accepted}."] for name in unknown}
        )


def refuse_unknown_fields(data, allowed) -> None:
    """Refuse body fields a view does not read (a 400 naming them), as the resources do."""
    if not isinstance(data, Mapping):
        return
    unknown = sorted(str(name) for name in set(data) - set(allowed))
    if unknown:
        message = f"Unknown field. Accepted here: {', '.join(sorted(allowed))}."
        raise ValidationError({name: [message] for name in unknown})


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

    lookup_value_regex = ID_PATTERN
    pagination_class = KeysetPagination

    # values() columns that ``build`` reads, and expressions it reads by name.
    columns: tuple[str, ...] = ()
    expressions: dict = {}
    # The field that versions a record for ETags: "version" (claims) or
    # "updated_at". None for resources that cannot be written.
    etag_field: str | None = None
    orderings: dict[str, Combinable] = {"id": F("id")}
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
        refuse_unknown_params(request, self.allowed_query_params())

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
        assert rows is not None  # KeysetPagination pages every list
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
    # Fields a response shows that a client cannot write, each with where it
    # changes instead ("POST {path}transition/", {path} the record's address) or
    # None: set by the server. Sending back the value a GET showed is accepted, so
    # that a GET response can be PUT back.
    server_owned: dict[str, str | None] = {
        "id": None,
        "url": None,
        "created_at": None,
        "updated_at": None,
    }

    def lock_for_write(self, visible):
        """The record, locked until the request's transaction ends, if If-Match names
        its current version (412 otherwise)."""
        locked = type(visible)._default_manager.select_for_update().get(pk=visible.pk)
        check_if_match(self.request, self.etag(getattr(locked, self.etag_field)))
        return locked

    @transaction.atomic
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=self.writable_body(request, None))
        serializer.is_valid(raise_exception=True)
        with self.as_api_errors():
            obj = self.perform_create(dict(serializer.validated_data))
        return self.detail_response(obj.pk, status.HTTP_201_CREATED)

    @transaction.atomic
    def update(self, request, *args, partial: bool = False, **kwargs):
        # 404, then 428 without If-Match, then 400 for the body, then 412 if stale.
        visible = self.get_object()
        require_if_match(request)
        body = self.writable_body(request, visible)
        serializer = self.get_serializer(visible, data=body, partial=partial)
        serializer.is_valid(raise_exception=True)
        with self.as_api_errors():
            obj = self.perform_update(visible, dict(serializer.validated_data))
        return self.detail_response(obj.pk)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)

    @transaction.atomic
    def destroy(self, request, *args, **kwargs):
        visible = self.get_object()
        require_if_match(request)
        self.perform_destroy(visible)
        return Response(status=status.HTTP_204_NO_CONTENT)

    # Each of these takes the record as the client may see it; the default ones lock
    # it (lock_for_write) and save it with the model's rules. Resources with a
    # service call it instead.

    def perform_create(self, data: dict):
        return self.save_instance(self.get_queryset().model(), data)

    def perform_update(self, visible, data: dict):
        return self.save_instance(self.lock_for_write(visible), data)

    def perform_destroy(self, visible) -> None:
        self.lock_for_write(visible).delete()

    def writable_body(self, request, visible) -> Mapping[str, Any]:
        """The request body without the fields the client may not write, if each of
        those repeats what a GET of ``visible`` shows; otherwise a 400 naming them."""
        data = request.data
        if not isinstance(data, Mapping):
            return data  # the serializer says what it expects
        writable = {
            name
            for name, field in cast(serializers.Serializer, self.get_serializer()).fields.items()
            if not field.read_only
        }
        others = [name for name in data if name not in writable]
        if not others:
            return data
        shown = self.shown(visible) if visible is not None else {}
        path = request.path if visible is not None else f"{request.path}{{id}}/"
        errors = {}
        for name in others:
            if name in shown and shown[name] == data[name]:
                continue
            if name in shown or name in self.server_owned:
                where = self.server_owned.get(name)
                errors[name] = [
                    f"{name} changes only through {where.format(path=path)}."
                    if where
                    else f"{name} is set by the server; it cannot be written."
                ]
            else:
                errors[name] = [f"Unknown field. Writable here: {', '.join(sorted(writable))}."]
        if errors:
            raise ValidationError(errors)
        return {name: value for name, value in data.items() if name in writable}

    def shown(self, visible) -> dict:
        """``visible`` as a GET shows it, in JSON types, to compare a body with."""
        rows = list(
            self.get_queryset().filter(pk=visible.pk).values(*self.columns, **self.expressions)
        )
        return orjson.loads(ORJSONRenderer().render(self.build(rows)[0]))

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
        with self.as_api_errors():
            obj.full_clean()

    @contextmanager
    def as_api_errors(self):
        """A model's or a service's refusal (ValidationError) as the API's 400."""
        try:
            yield
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
