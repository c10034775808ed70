"""The API's JSON parser: DRF's, with a limit on how deeply a body may nest.

No input of the API nests more than a few levels; a body nested a thousand deep
would otherwise exhaust Python's recursion limit in the parser (a 500) or in the
serializers after it. A body past MAX_JSON_DEPTH is a 400 that says so.
"""

from collections.abc import Iterable

from rest_framework import parsers
from rest_framework.exceptions import ParseError

MAX_JSON_DEPTH = 32
TOO_DEEP = f"JSON nested deeper than {MAX_JSON_DEPTH} levels."


def nesting_depth(data, *, limit: int) -> int:
    """How many arrays and objects deep ``data`` goes, counted without recursion and
    no further than ``limit + 1``."""
    deepest = 0
    pending = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        children: Iterable
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        pending.extend((child, depth + 1) for child in children)
    return deepest


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:  # deeper than Python's own limit (about 1,000 levels)
            raise ParseError(TOO_DEEP) from None
        if nesting_depth(data, limit=MAX_JSON_DEPTH) > MAX_JSON_DEPTH:
            raise ParseError(TOO_DEEP)
        return data
