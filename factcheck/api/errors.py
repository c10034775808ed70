"""One JSON shape for every client error.

    {"status": 400, "code": "invalid", "message": "label: This field is required.",
     "errors": {"label": ["This field is required."]}}

``errors`` maps a body field or query parameter (nested ones as dotted paths,
``tags.1``) to its messages; it is empty when the error concerns the whole request.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404, JsonResponse
from django.urls import Resolver404, resolve
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.views import exception_handler as drf_exception_handler

from factcheck.errors import (
    RETRY_AFTER_SECONDS,
    UNAVAILABLE,
    UNAVAILABLE_MESSAGE,
    ConcurrentEditError,
)

NON_FIELD = "non_field_errors"
log = logging.getLogger(__name__)


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_detail = (
        "Send the ETag of the version you edited in an If-Match header "
        "(GET the resource to read it)."
    )
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = (
        "The resource changed since you read it (its ETag no longer matches If-Match). "
        "GET it again and reapply your change."
    )
    default_code = "precondition_failed"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than the server accepts."
    default_code = "payload_too_large"


class Unavailable(exceptions.APIException):
    """The database (or the cache) is out of reach: retry in a moment."""

    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = UNAVAILABLE_MESSAGE
    default_code = "unavailable"
    wait = RETRY_AFTER_SECONDS  # DRF's handler sends it as Retry-After


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the stored data."
    default_code = "conflict"


def field_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """Flatten DRF's nested error detail into {"dotted.path": [messages]}."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = NON_FIELD if key in ("__all__", NON_FIELD) and not prefix else str(key)
            flat.update(field_errors(value, f"{prefix}.{name}" if prefix else name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def _summary(errors: dict[str, list[str]]) -> str:
    parts = [
        messages[0] if name == NON_FIELD else f"{name}: {messages[0]}"
        for name, messages in list(errors.items())[:3]
    ]
    if len(errors) > 3:
        parts.append(f"({len(errors) - 3} more; see errors)")
    return " ".join(parts) or "The request is not valid."


def error_body(status_code: int, code: str, message: str, errors=None) -> dict:
    return {"status": status_code, "code": code, "message": message, "errors": errors or {}}


def as_api_exception(exc: Exception) -> exceptions.APIException | None:
    """The API exception a domain or Django exception stands for, if any."""
    if isinstance(exc, exceptions.APIException):
        return exc
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(*exc.args)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({NON_FIELD: exc.messages})
    if isinstance(exc, ConcurrentEditError):
        return PreconditionFailed(str(exc))
    if isinstance(exc, RequestDataTooBig):
        return PayloadTooLarge()
    if isinstance(exc, ProtectedError | RestrictedError):
        names = sorted({str(obj._meta.verbose_name) for obj in exc.args[1]})
        return Conflict(f"This cannot be deleted: other records refer to it ({', '.join(names)}).")
    if isinstance(exc, UNAVAILABLE):
        log.error("The database or the cache is out of reach: %r", exc, exc_info=exc)
        return Unavailable()
    if isinstance(exc, IntegrityError):
        return Conflict("This would conflict with a record stored meanwhile; reload and retry.")
    return None


def api_exception_handler(exc, context):
    """DRF's EXCEPTION_HANDLER: DRF's own handling, reshaped into the one error body."""
    api_exc = as_api_exception(exc)
    if api_exc is None:
        return None  # A server error: let Django log it and answer 500.
    response = drf_exception_handler(api_exc, context)
    if isinstance(api_exc, exceptions.ValidationError):
        errors = field_errors(api_exc.detail)
        message = _summary(errors)
        code = "invalid"
    else:
        errors = {}
        message = str(api_exc.detail)
        codes = api_exc.get_codes()
        code = codes if isinstance(codes, str) else api_exc.default_code
    assert response is not None  # DRF answers every APIException
    response.data = error_body(response.status_code, code, message, errors)
    return response


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """A JSON 404 for any /api/ address that names no resource."""
    message = f"There is no API resource at {request.path}."
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            message += f" Did you mean {request.path}/ (with a trailing slash)?"
    return JsonResponse(error_body(404, "not_found", message), status=404)
