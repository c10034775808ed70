"""Filter fields shared by the apps' filter sets: strict, so that a value the
API does not understand is a 400 naming the parameter, never ignored."""

import re

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Q
from django.db.models.functions import Lower
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema_field

from factcheck.dates import MOMENT_PATTERN, parse_day, parse_moment

DATE_OR_DATETIME = {
    "type": "string",
    "anyOf": [{"format": "date"}, {"format": "date-time", "pattern": MOMENT_PATTERN}],
    "description": "An ISO 8601 date (2020-01-08) or date-time (2020-01-08T09:00:00Z).",
}


class StrictBooleanField(forms.Field):
    def to_python(self, value):
        if value in (None, ""):
            return None
        if value.lower() in ("true", "1"):
            return True
        if value.lower() in ("false", "0"):
            return False
        raise forms.ValidationError("Use true or false.")


@extend_schema_field({"type": "boolean"})
class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class MomentField(forms.Field):
    """An ISO 8601 date-time, or a date meaning the start (or end) of that day in UTC."""

    def __init__(self, *args, end_of_day: bool = False, **kwargs):
        self.end_of_day = end_of_day
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_moment(value, end_of_day=self.end_of_day)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@extend_schema_field(DATE_OR_DATETIME)
class MomentFilter(django_filters.Filter):
    field_class = MomentField

    def __init__(self, *args, end_of_day: bool = False, **kwargs):
        super().__init__(*args, end_of_day=end_of_day, **kwargs)


class DayField(forms.Field):
    """A date as YYYY-MM-DD, read by factcheck.dates as every date parameter is."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return parse_day(value)
        except ValueError as error:
            raise forms.ValidationError(str(error)) from None


@extend_schema_field({"type": "string", "format": "date"})
class DayFilter(django_filters.Filter):
    field_class = DayField


LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


@extend_schema_field({"type": "string", "pattern": LANGUAGE_TAG.pattern})
class LanguageFilter(django_filters.CharFilter):
    """A BCP 47 tag such as en or en-GB; matched without regard to case."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "iexact")
        super().__init__(*args, **kwargs)
        self.extra["validators"] = [
            RegexValidator(LANGUAGE_TAG, "Give a language tag such as en or en-GB.")
        ]


class StrictFilterSet(django_filters.FilterSet):
    """A filter set that refuses an empty value for a typed parameter (a date, an id,
    a choice…) instead of ignoring it; free-text parameters may be empty.

    With ``given_only``, it holds just the filters whose parameters the data
    gives: an absent parameter filters nothing, but copying every filter and
    building and cleaning its form field took a tenth of a search request's time
    (bench/api.py). Forms shown to people (the browsable API) keep every field.
    """

    base_filters: dict[str, django_filters.Filter]  # set by FilterSet's metaclass

    def __init__(self, data=None, *args, given_only: bool = False, **kwargs):
        if given_only and data is not None:
            self.base_filters = {
                name: filter_ for name, filter_ in self.base_filters.items() if name in data
            }
        super().__init__(data, *args, **kwargs)

    def is_valid(self):
        valid = super().is_valid()
        for name, filter_ in self.filters.items():
            values = self.data.getlist(name)
            if any("\x00" in value for value in values):
                # PostgreSQL cannot compare text with a null character in it.
                self.form.add_error(name, "Null characters are not allowed.")
                valid = False
            elif type(filter_) is not django_filters.CharFilter and any(
                not value.strip() for value in values
            ):
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


MAX_ID = 2**63 - 1


def _is_id(text: str) -> bool:
    # isdigit() alone takes "¹" and "٣", which int() then refuses.
    return text.isascii() and text.isdigit() and 0 < int(text) <= MAX_ID


class _IdsField(django_filters.fields.ModelMultipleChoiceField):
    def clean(self, value):
        for item in value or ():
            if not (isinstance(item, str) and _is_id(item)):
                raise forms.ValidationError(
                    "“%(value)s” is not an id.", code="invalid_pk_value", params={"value": item}
                )
        return super().clean(value)


class IdsFilter(django_filters.ModelMultipleChoiceFilter):
    """Records by id; an id that names no record is an error, not an empty match."""

    field_class = _IdsField


class _IdsOrNamesField(_IdsField):
    """Records by id or by name (exact, without regard to case)."""

    def __init__(self, *args, name_field: str = "name", noun: str = "record", **kwargs):
        self.name_field, self.noun = name_field, noun
        super().__init__(*args, **kwargs)

    def clean(self, value):
        values = [item.strip() for item in value or () if isinstance(item, str)]
        if not values:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return self.queryset.none()
        ids = {int(item) for item in values if _is_id(item)}
        names = {item.lower() for item in values}
        records = list(
            self.queryset.annotate(_name=Lower(self.name_field)).filter(
                Q(pk__in=ids) | Q(_name__in=names)
            )
        )
        found_ids = {str(record.pk) for record in records}
        found_names = {getattr(record, self.name_field).lower() for record in records}
        for item in values:
            if item not in found_ids and item.lower() not in found_names:
                raise forms.ValidationError(
                    "“%(value)s” is neither the id nor the name of a %(noun)s.",
                    code="invalid_choice",
                    params={"value": item, "noun": self.noun},
                )
        return records


class IdsOrNamesFilter(django_filters.ModelMultipleChoiceFilter):
    """Records by id or name; one that names no record is an error."""

    field_class = _IdsOrNamesField


def ids_or_names_filter(queryset, label: str, *, noun: str, **kwargs) -> IdsOrNamesFilter:
    schema = {
        "type": "string",
        "minLength": 1,
        "maxLength": 200,
        "pattern": r"\S",
        "description": label,
    }
    return extend_schema_field(schema)(
        IdsOrNamesFilter(queryset=queryset, label=label, noun=noun, **kwargs)
    )


def listing(values: list[str], limit: int = 40) -> str:
    """Values for a message: the first ``limit`` of them, and how many more."""
    shown = ", ".join(values[:limit])
    return f"{shown} and {len(values) - limit} more" if len(values) > limit else shown


def choices_filter(choices, **kwargs) -> django_filters.MultipleChoiceFilter:
    """A choice parameter (repeatable) whose error lists the values it takes."""
    valid = listing([str(value) for value, _ in choices])
    message = f"“%(value)s” is not a value of this parameter; use one of: {valid}."
    return django_filters.MultipleChoiceFilter(
        choices=choices, error_messages={"invalid_choice": message}, **kwargs
    )


class _SlugsField(django_filters.fields.ModelMultipleChoiceField):
    """Records by slug; an unknown one is refused with the slugs there are."""

    def _check_values(self, value):
        try:
            return super()._check_values(value)
        except forms.ValidationError as error:
            if error.code != "invalid_choice":
                raise
            key = self.to_field_name or "pk"
            known = [str(slug) for slug in self.queryset.order_by(key).values_list(key, flat=True)]
            raise forms.ValidationError(
                "“%(value)s” is not a value of this parameter; use one of: %(valid)s.",
                code="invalid_choice",
                params={**(error.params or {}), "valid": listing(known) or "(none yet)"},
            ) from None


class SlugsFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = _SlugsField


def ids_filter(queryset, label: str, **kwargs) -> IdsFilter:
    schema = {"type": "integer", "minimum": 1, "maximum": MAX_ID, "description": label}
    return extend_schema_field(schema)(IdsFilter(queryset=queryset, label=label, **kwargs))


class GivenFiltersBackend(DjangoFilterBackend):
    """Filters a list with the filters of the parameters the request gives
    (StrictFilterSet ``given_only``); the browsable API's form keeps them all."""

    def filter_queryset(self, request, queryset, view):
        self.given_only = True
        return super().filter_queryset(request, queryset, view)

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        if getattr(self, "given_only", False) and issubclass(filterset_class, StrictFilterSet):
            kwargs["given_only"] = True
        return kwargs
