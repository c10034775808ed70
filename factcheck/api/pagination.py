"""Keyset ("cursor") pagination that stays stable while records are added.

A cursor holds the sort value and id of the row a page ended on; the next page
is the rows strictly after that pair. Unlike offsets (and unlike DRF's
position-plus-offset cursor) a record inserted or deleted anywhere neither
repeats nor skips a row on later pages.

Views declare the orderings a client may ask for, each a non-null expression
(wrap nullable columns in Coalesce), and the default one:

    orderings = {"updated_at": F("updated_at"), "stated_on": Coalesce(...)}
    default_ordering = "-updated_at"

The primary key breaks ties, in the same direction.

A view may also narrow the rows an ordering walks through: its method
``narrowing(ordering)`` returns a ``Narrowing`` (or None), which knows what the
rows are narrowed to and how to read them; this class knows only the protocol.
What the first page narrowed to travels in its cursors, so that later pages walk
the same rows; a first page that the narrowing left short is read again from
every row.
"""

import base64
import datetime
from contextlib import AbstractContextManager
from typing import Any, Protocol

import orjson
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.encoding import force_str
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from factcheck.dates import parse_day, parse_instant

SORT = "_sort"


class Narrowing(Protocol):
    """Fewer rows for an ordering to walk, chosen per first page (as the claims
    search ranks a window of a common word's newest matches). For one page the
    paginator calls ``read`` on what the cursor carried, ``narrow``, then reads
    the page inside ``reading()``, may ``widen``, and keeps ``narrowed()`` in the
    page's cursors."""

    def narrow(self, rows, narrowed: Any = None):
        """``rows``, or fewer of them: those ``narrowed`` (from ``read``) names on
        later pages, or those chosen now when it is None (a first page)."""

    def reading(self) -> AbstractContextManager:
        """Where the narrowed rows are read (a planner setting, say)."""

    def widen(self, rows):
        """``rows`` to read a short first page from again, or None to keep it."""

    def narrowed(self) -> Any:
        """What the rows were narrowed to, as JSON for the cursors."""

    def read(self, value: Any) -> Any:
        """A cursor's ``narrowed()`` value back; ValueError or TypeError when it
        is not one (the cursor is then refused as invalid)."""


def _cursor_key(field, value):
    """A cursor's sort value as ``field`` holds it; ValueError when it is not one.
    A moment is read strictly (factcheck.dates), as the filters read them: an offset
    the database cannot apply would fail there, after the checks here."""
    if isinstance(field, models.DateTimeField):
        if not isinstance(value, str):
            raise TypeError("not a moment")
        return parse_instant(value, require_offset=True)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return parse_day(value)
    return field.to_python(value)


class KeysetPagination(BasePagination):
    page_size = 50
    max_page_size = 500
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"
    ordering_query_param = "ordering"

    # Query parameters this class reads; the views accept them on lists.
    query_params = (cursor_query_param, page_size_query_param, ordering_query_param)
    # What the view's narrowing narrowed the rows to, kept in the cursors.
    narrowed = None

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.page_size = self.get_page_size(request)
        name, descending = self.get_ordering(request, view)
        self.ordering_value = f"-{name}" if descending else name
        pk = getattr(view, "pagination_pk", "id")
        self.pk = pk

        narrowing: Narrowing | None = getattr(view, "narrowing", lambda name: None)(name)
        sort = view.get_orderings()[name]

        def output_field(queryset=queryset):  # of the sort key, for a cursor only
            return queryset.annotate(**{SORT: sort}).query.annotations[SORT].output_field

        cursor = self.decode_cursor(request, output_field, narrowing)
        backwards = cursor is not None and cursor["back"]
        # Walking back to the previous page reads the rows before the cursor in
        # reverse, then turns them round.
        reverse = descending != backwards

        def page_rows(queryset):
            queryset = queryset.annotate(**{SORT: sort})
            if cursor is not None:
                key, ident = cursor["key"], cursor["id"]
                op, bound = ("lt", "lte") if reverse else ("gt", "gte")
                # "After (key, ident)", written so that an index on the sort column
                # can start at the cursor: the bound alone is what the index seeks
                # to; the disjunction only settles ties. As a bare disjunction (sort
                # < key OR sort = key AND id < ident), PostgreSQL reads every row
                # before the cursor, and page 10,000 takes seconds.
                queryset = queryset.filter(
                    Q(**{f"{SORT}__{bound}": key}),
                    Q(**{f"{SORT}__{op}": key}) | Q(**{f"{pk}__{op}": ident}),
                )
            order = [F(SORT).desc(), F(pk).desc()] if reverse else [F(SORT).asc(), F(pk).asc()]
            return list(queryset.order_by(*order)[: self.page_size + 1])

        if narrowing is None:
            rows = page_rows(queryset)
        else:
            narrowed = cursor["narrowed"] if cursor is not None else None
            narrowed_rows = narrowing.narrow(queryset, narrowed)
            with narrowing.reading():
                rows = page_rows(narrowed_rows)
            if cursor is None and len(rows) <= self.page_size:
                # A first page that the narrowing left short: from every row.
                widened = narrowing.widen(queryset)
                if widened is not None:
                    rows = page_rows(widened)
            self.narrowed = narrowing.narrowed()
        has_more = len(rows) > self.page_size
        page = rows[: self.page_size]
        if backwards:
            page.reverse()
            self.has_next, self.has_previous = True, has_more
        else:
            self.has_next, self.has_previous = has_more, cursor is not None
        self.page = page
        return page

    def get_page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError({self.page_size_query_param: ["Give a whole number from 1."]})
        # A larger request is served at the largest size, not refused.
        return min(size, self.max_page_size)

    def get_ordering(self, request, view) -> tuple[str, bool]:
        value = request.query_params.get(self.ordering_query_param, view.get_default_ordering())
        name = value.removeprefix("-")
        if name not in view.get_orderings():
            choices = ", ".join(self.ordering_choices(view))
            raise ValidationError(
                {
                    self.ordering_query_param: [
                        f"“{value}” is not an ordering; use one of: {choices}."
                    ]
                }
            )
        return name, value.startswith("-")

    @staticmethod
    def ordering_choices(view) -> list[str]:
        return [f"{sign}{name}" for name in view.get_orderings() for sign in ("", "-")]

    # Cursors --------------------------------------------------------------------------------

    def encode_cursor(self, row, *, back: bool) -> str:
        key = row[SORT]
        if isinstance(key, datetime.datetime | datetime.date):
            key = key.isoformat()
        token = {"o": self.ordering_value, "k": key, "i": row[self.pk], "b": back}
        if self.narrowed is not None:
            token["n"] = self.narrowed
        encoded = orjson.dumps(token)
        return base64.urlsafe_b64encode(encoded).decode("ascii").rstrip("=")

    def decode_cursor(self, request, output_field, narrowing: Narrowing | None = None):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        invalid = ValidationError(
            {
                self.cursor_query_param: [
                    "Invalid cursor: copy it unchanged from a next or previous link."
                ]
            }
        )
        try:
            token = orjson.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            if token["o"] != self.ordering_value:
                raise ValidationError(
                    {
                        self.cursor_query_param: [
                            f"This cursor belongs to ordering={token['o']}; keep the ordering "
                            "of the link it came from."
                        ]
                    }
                )
            key = _cursor_key(output_field(), token["k"])
            ident, back = token["i"], token["b"]
            narrowed = None
            if narrowing is not None and "n" in token:
                narrowed = narrowing.read(token["n"])
        except (ValueError, KeyError, TypeError, DjangoValidationError):
            # ValueError covers bad base64 and bad JSON too.
            raise invalid from None
        naive = isinstance(key, datetime.datetime) and key.tzinfo is None
        unstorable = isinstance(key, str) and "\x00" in key
        if key is None or naive or unstorable or not isinstance(ident, int):
            raise invalid
        if not isinstance(back, bool) or not all(
            -(2**63) <= number < 2**63 for number in (ident, key) if isinstance(number, int)
        ):
            raise invalid
        return {"key": key, "id": ident, "back": back, "narrowed": narrowed}

    def _link(self, row, *, back: bool) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self.encode_cursor(row, back=back))

    def get_next_link(self) -> str | None:
        if not self.has_next:
            return None
        if not self.page:  # walked back past the start: the first page is next
            return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)
        return self._link(self.page[-1], back=False)

    def get_previous_link(self) -> str | None:
        if not self.has_previous or not self.page:
            return None
        return self._link(self.page[0], back=True)

    def get_paginated_response(self, data):
        return Response(
            {"next": self.get_next_link(), "previous": self.get_previous_link(), "results": data}
        )

    # Schema ---------------------------------------------------------------------------------

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "next": {**link, "description": "The next page; null on the last one."},
                "previous": {**link, "description": "The previous page; null on the first."},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "Where a page starts: copy it from a next or previous link "
                "(an opaque token; one made up or changed is refused as invalid).",
                "schema": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9_-]+={0,2}$",  # base64url, as encode_cursor writes
                    "maxLength": 2000,
                },
            },
            {
                "name": self.page_size_query_param,
                "required": False,
                "in": "query",
                "description": force_str(
                    f"Results per page ({self.page_size} by default). Larger requests are "
                    f"served {self.max_page_size} at a time."
                ),
                "schema": {"type": "integer", "minimum": 1},
            },
            {
                "name": self.ordering_query_param,
                "required": False,
                "in": "query",
                "description": f"Sort order; a leading - reverses it. Default: "
                f"{view.get_default_ordering()}.",
                "schema": {"type": "string", "enum": self.ordering_choices(view)},
            },
        ]
