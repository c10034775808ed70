"""OpenAPI schema: document what the API really answers, errors included.

drf-spectacular describes the success responses from each view's
``extend_schema``; this AutoSchema adds the error responses every operation can
give (all in the one error shape), the If-Match request header that writes
need, and the ETag, Location and Retry-After response headers.
"""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiParameter, OpenApiRequest
from rest_framework import permissions, serializers

from factcheck.api.errors import NON_FIELD
from factcheck.dates import MOMENT_PATTERN


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


# An http(s) address with a host, as an import takes (sources.intake.fetch.check_address).
WEB_ADDRESS = {
    "type": "string",
    # A host of the characters RFC 3986 allows in a name, a port up to 65535, then
    # anything without a control character.
    "pattern": (
        r"^[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9!$&'()*+,;=._~-]+"
        r"(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?"
        r"([/?#][^\x00-\x1f\x7f]*)?$"
    ),
}


def address_or_file_request(
    *, url_help: str, file_help: str, file_types: tuple[str, ...] = (), fields=None
) -> dict:
    """The body of an import: a JSON object with a ``url``, or a multipart form with a
    ``file`` (of ``file_types``, when the import reads only those) and ``fields``."""
    file_form = {
        "type": "object",
        "required": ["file"],
        "properties": {
            # An empty file is read as no file at all.
            "file": {
                "type": "string",
                "format": "binary",
                "minLength": 1,
                "description": file_help,
            },
            **(fields or {}),
        },
        "additionalProperties": False,
    }
    encoding = {"file": {"contentType": ", ".join(file_types)}} if file_types else None
    return {
        "application/json": {
            "type": "object",
            "required": ["url"],
            "properties": {"url": {**WEB_ADDRESS, "description": url_help}, **(fields or {})},
            "additionalProperties": False,
        },
        "multipart/form-data": OpenApiRequest(file_form, encoding=encoding),
    }


def _header(description: str) -> dict:
    return {"schema": {"type": "string"}, "description": description}


# No null character (PostgreSQL cannot store one; factcheck.api.fields refuses it), and
# for a field that may not be blank, something besides white space (which is trimmed).
ANY_TEXT = r"^[^\x00]*$"
SOME_TEXT = r"^[^\x00]*[^\s\x00][^\x00]*$"


# A web address Django's URLValidator takes (host names of letters and digits under
# a top-level domain of letters, an optional port, then anything but white space).
LINK_PATTERN = r"https?://([a-z0-9]{1,20}\.){1,4}[a-z]{2,20}(:[0-9]{1,5})?([/?#]\S*)?"


def _describe_input(field, schema: dict) -> None:
    """What a field of a request body takes, as precisely as the API checks it."""
    if field.read_only:
        return
    if isinstance(field, serializers.DateTimeField):
        schema["pattern"] = MOMENT_PATTERN  # factcheck.api.fields.DateTimeField
    elif isinstance(field, serializers.URLField):
        schema.pop("oneOf", None)
        schema.pop("format", None)
        schema["type"] = "string"
        schema["pattern"] = f"^(?:{LINK_PATTERN})?$" if field.allow_blank else f"^{LINK_PATTERN}$"
    elif isinstance(field, serializers.CharField):
        _describe_text_input(field, schema)


def _describe_text_input(field: serializers.CharField, schema: dict) -> None:
    blank = {"type": "string", "maxLength": 0}
    options = schema.get("oneOf", [])
    if len(options) == 2 and options[1] == blank and "pattern" in options[0]:
        # A pattern or blank, as one pattern: schema generators handle it better.
        pattern = options[0]["pattern"].removeprefix("^").removesuffix("$")
        del schema["oneOf"]
        schema.update({**options[0], "pattern": f"^(?:{pattern})?$"})
        return
    if "$ref" in schema or "enum" in schema or "format" in schema:
        return
    if schema.get("type") != "string" or "pattern" in schema:
        return
    if field.allow_blank:
        schema["pattern"] = ANY_TEXT
    else:
        schema["minLength"] = max(schema.get("minLength", 0), 1)
        schema["pattern"] = SOME_TEXT if field.trim_whitespace else ANY_TEXT


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

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            # The API refuses a field it does not write (factcheck.api.views), so
            # the schema says that no other is accepted.
            schema["additionalProperties"] = False
            properties = schema.get("properties", {})
            for field in serializer.fields.values():
                if field.field_name in properties:
                    _describe_input(field, properties[field.field_name])
        return schema

    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        if body is not None and getattr(self.view, "request_body_required", False):
            body["required"] = True
        return body

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
