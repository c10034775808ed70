"""OpenAPI schema: document what the API really answers, errors included.

drf-spectacular describes the success responses from each view's
``extend_schema``; this AutoSchema adds the error responses every operation can
give (all in the one error shape), the If-Match request header that writes
need, and the ETag, Location and Retry-After response headers.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions, serializers

from factcheck.api.errors import NON_FIELD


class ErrorSerializer(serializers.Serializer):
    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(help_text="A stable, machine-readable error code.")
    message = serializers.CharField(help_text="What went wrong, for a person.")
    # A declared field leaves the class (into _declared_fields), so Serializer.errors
    # stays as it is; the stubs cannot tell.
    errors = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text=f"Messages by body field or query parameter (dotted for nested fields; "
        f"“{NON_FIELD}” for the request as a whole). Empty when none applies.",
    )


ERRORS = {
    "400": "The request is not valid: see the field errors.",
    "401": "The token is wrong, or signing in is needed for this.",
    "403": "Your role may not do this.",
    "404": "No such resource (or not visible to you).",
    "406": "No acceptable representation: ask for application/json.",
    "409": "Conflicts with stored data (a record still refers to this one…).",
    "412": "Stale: the resource changed since your If-Match version.",
    "413": "The request body is too large.",
    "415": "Send the body as application/json.",
    "428": "Send If-Match with the ETag of the version you edited.",
    "429": "Too many requests: wait Retry-After seconds.",
}
READ_ERRORS = ["400", "401", "404", "406", "429"]
WRITE_ERRORS = {
    "POST": ["403", "409", "412", "413", "415"],
    "PUT": ["403", "409", "412", "413", "415", "428"],
    "PATCH": ["403", "409", "412", "413", "415", "428"],
    "DELETE": ["403", "409", "412", "428"],
}
# Actions whose response shows one editable record, and so carries its ETag.
ETAG_ACTIONS = {"retrieve", "create", "update", "partial_update", "transition"}


def _header(description: str) -> dict:
    return {"schema": {"type": "string"}, "description": description}


class ApiAutoSchema(AutoSchema):
    def get_auth(self):
        auths = super().get_auth()
        anonymous_reads = any(
            isinstance(permission, permissions.DjangoModelPermissionsOrAnonReadOnly)
            for permission in self.view.get_permissions()
        )
        if anonymous_reads and self.method in permissions.SAFE_METHODS and {} not in auths:
            auths.append({})  # signing in is optional
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in ("PUT", "PATCH", "DELETE"):
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    required=True,
                    description="The ETag of the version you edited (from a GET).",
                )
            )
        elif self.method == "POST" and getattr(self.view, "action", None) != "create":
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    str,
                    OpenApiParameter.HEADER,
                    description="Optional: the claim's ETag, to refuse acting on a stale copy.",
                )
            )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        action = getattr(self.view, "action", None)
        etag = getattr(self.view, "etag_field", None) is not None and action in ETAG_ACTIONS
        for code, response in responses.items():
            headers = response.setdefault("headers", {})
            if etag and code in ("200", "201"):
                headers["ETag"] = _header("The version shown; send it back in If-Match.")
            if code == "201":
                headers["Location"] = _header("The address of the new resource.")
            if not headers:
                del response["headers"]
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        for code in READ_ERRORS + WRITE_ERRORS.get(self.method, []):
            if code in responses:
                continue
            responses[code] = {
                "description": ERRORS[code],
                "content": {"application/json": {"schema": error}},
            }
            if code == "429":
                responses[code]["headers"] = {
                    "Retry-After": _header("Seconds to wait before trying again.")
                }
        return responses
