"""Serializer fields that take JSON types as they are.

DRF's fields coerce: "12" passes as an integer, 12 as a string, "yes" as a
boolean. An API for integrations should say when a client sends the wrong type,
so these refuse anything but the JSON type the schema names.
"""

from collections.abc import Mapping

from django.db import models
from rest_framework import serializers

from factcheck.dates import parse_day, parse_instant


class _Strict:
    json_types: tuple[type, ...] = (str,)
    json_name = "a string"

    def to_internal_value(self, data):
        if isinstance(data, bool) != (bool in self.json_types) or not isinstance(
            data, self.json_types
        ):
            raise serializers.ValidationError(
                f"Give {self.json_name}, not {_describe(data)}.", code="invalid"
            )
        if isinstance(data, str):
            _check_storable(data)
        # A mixin: the DRF field class it comes before defines to_internal_value.
        return super().to_internal_value(data)  # type: ignore[misc]


def _check_storable(text: str) -> None:
    """Refuse what PostgreSQL cannot store or compare in a text column."""
    if "\x00" in text:
        raise serializers.ValidationError("Null characters are not allowed.", code="null")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate, as JSON's \ud800 escapes allow
        raise serializers.ValidationError(
            "This is not valid Unicode text.", code="invalid"
        ) from None


def _describe(data) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", str: "a string"}
    names |= {list: "a list", dict: "an object", type(None): "null"}
    return names.get(type(data), type(data).__name__)


class _Integer(_Strict):
    json_types, json_name = (int,), "a whole number"


class _Boolean(_Strict):
    json_types, json_name = (bool,), "true or false"


class CharField(_Strict, serializers.CharField):
    """Its maximum length counts the text as sent, white space that is trimmed
    included, as the schema's maxLength does."""

    def to_internal_value(self, data):
        if isinstance(data, str) and self.max_length is not None and len(data) > self.max_length:
            self.fail("max_length", max_length=self.max_length)
        return super().to_internal_value(data)


class SlugField(_Strict, serializers.SlugField):
    pass


class URLField(_Strict, serializers.URLField):
    pass


class ChoiceField(_Strict, serializers.ChoiceField):
    pass


class DateField(_Strict, serializers.DateField):
    """A date as YYYY-MM-DD, read by factcheck.dates as query parameters are."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                return parse_day(data)
            except ValueError as error:
                raise serializers.ValidationError(str(error), code="invalid") from None
        return super().to_internal_value(data)


class DateTimeField(_Strict, serializers.DateTimeField):
    """An ISO 8601 date-time read by factcheck.dates, as query parameters are: an offset
    beyond ±15:59 (which PostgreSQL refuses) or a moment outside years 1–9999 in UTC is
    a 400 here, not an error of the database."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            try:
                moment = parse_instant(data)
            except ValueError as error:
                raise serializers.ValidationError(str(error), code="invalid") from None
            return self.enforce_timezone(moment)
        return super().to_internal_value(data)


class IntegerField(_Integer, serializers.IntegerField):
    pass


class BooleanField(_Boolean, serializers.BooleanField):
    pass


class PrimaryKeyRelatedField(_Integer, serializers.PrimaryKeyRelatedField):
    json_name = "an id (a whole number)"


class SlugRelatedField(_Strict, serializers.SlugRelatedField):
    pass


class StrictSerializer(serializers.Serializer):
    """An input serializer that refuses a body field it does not know, as the
    resources do (factcheck.api.views), instead of ignoring it."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(name) for name in set(data) - set(self.fields))
            if unknown:
                writable = ", ".join(
                    name for name, field in self.fields.items() if not field.read_only
                )
                message = f"Unknown field. Writable here: {writable}."
                raise serializers.ValidationError({name: [message] for name in unknown})
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A ModelSerializer whose fields refuse values of the wrong JSON type."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: CharField,
        models.TextField: CharField,
        models.SlugField: SlugField,
        models.URLField: URLField,
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
        models.BooleanField: BooleanField,
        models.IntegerField: IntegerField,
        models.PositiveIntegerField: IntegerField,
        models.PositiveSmallIntegerField: IntegerField,
        models.SmallIntegerField: IntegerField,
        models.BigIntegerField: IntegerField,
    }
    serializer_related_field = PrimaryKeyRelatedField
    serializer_choice_field = ChoiceField
