"""JSON rendered by orjson: several times faster than the standard library on
the large lists researchers page through."""

import orjson
from rest_framework.renderers import BaseRenderer


def _default(value):
    # Lazy translation strings (DRF's messages) and the odd Decimal.
    return str(value)


class ORJSONRenderer(BaseRenderer):
    media_type = "application/json"
    format = "json"
    charset = None  # JSON is UTF-8; no charset parameter (RFC 8259).

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        options = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS
        # The browsable API asks for indented JSON.
        if (renderer_context or {}).get("indent") or "indent=" in (accepted_media_type or ""):
            options |= orjson.OPT_INDENT_2
        return orjson.dumps(data, default=_default, option=options)
