"""What every write of the claims domain shares: the editable-field check, the
claim's lock-and-version guard, and the version bump of a claim whose parts changed.

A claim's ``version`` names what its API object shows (the ETag is ``"v<version>"``),
and that object includes its appearances, evidence, tags and speaker. So a write
to any of them goes through ``claim_lock`` on the claim, and raises its version.
"""

import operator
from collections.abc import Collection, Iterable, Mapping
from typing import Any, TypeVar, cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from claims.models import Claim, ConcurrentEditError
from sources.models import TimeStampedModel


def refuse_uneditable(data: Mapping[str, Any], editable: Collection[str]) -> None:
    """Refuse a write naming a field outside ``editable``, naming each such field."""
    refused = sorted(set(data) - set(editable))
    if refused:
        accepted = ", ".join(editable)
        raise ValidationError(
            {name: f"{name} cannot be written here. Editable: {accepted}." for name in refused}
        )


def check_version(*, current: int, expected: int | None) -> None:
    """Refuse a write made from another version than the stored one (None: any)."""
    if expected is not None and current != expected:
        raise ConcurrentEditError(
            f"This claim was changed by someone else (version {current}, you saw "
            f"version {expected}). Reload it and try again."
        )


def claim_lock(*, claim_id: int, expected_version: int | None = None) -> Claim:
    """The stored claim, its row locked until the transaction ends, checked against
    the version the caller saw.

    The one guard against lost updates: every write to a claim or one of its
    parts takes it first. Under the lock, of two writers holding the same version
    the second waits for the first to commit, then sees the new version and is
    refused. Must run inside ``transaction.atomic``.
    """
    claim = Claim.objects.select_for_update().get(pk=claim_id)
    check_version(current=claim.version, expected=expected_version)
    return claim


def claims_touch(claims: "models.QuerySet[Claim] | Iterable[int]") -> None:
    """Raise the version of claims whose API object changed through another record
    (an appearance, an evidence item, a tag, a speaker), so that their ETags change.

    An UPDATE of the two columns, not a save: the change and its author are in the
    other record's history; a claim history row saying only "version" would be noise.
    The plain manager, because the claims' TrackedQuerySet refuses update().
    """
    if not isinstance(claims, models.QuerySet):
        claims = Claim.objects.filter(pk__in=list(claims))
    # A subquery of ids; the plugin's lookup check expects the ids themselves.
    Claim._base_manager.filter(pk__in=claims.values("pk")).update(  # type: ignore[misc]
        version=F("version") + 1, updated_at=timezone.now()
    )


def _comparable(instance: models.Model, name: str, value: Any) -> tuple[Any, Any]:
    """The stored value of field ``name`` and ``value``, in a form to compare them."""
    field = instance._meta.get_field(name)
    if field.many_to_many:
        stored = set(getattr(instance, name).all()) if instance.pk is not None else set()
        return stored, set(value)
    if field.many_to_one:  # by id: no query for the related record
        foreign_key = cast(models.ForeignKey, field)  # a reverse relation is one_to_many
        return getattr(instance, foreign_key.attname), getattr(value, "pk", value)
    return getattr(instance, name), value


def changes(instance: models.Model, data: Mapping[str, Any]) -> dict[str, Any]:
    """The items of ``data`` that differ from what ``instance`` holds."""
    return {
        name: value
        for name, value in data.items()
        if operator.ne(*_comparable(instance, name, value))
    }


def save_with_history(
    instance: TimeStampedModel, data: Mapping[str, Any], *, by=None, reason: str = ""
) -> None:
    """Set ``data`` on ``instance``, check every model rule, save, then set its
    many-to-many fields; the history rows name ``by`` (else the request's user)."""
    many = {}
    for name, value in data.items():
        if instance._meta.get_field(name).many_to_many:
            many[name] = value
        else:
            setattr(instance, name, value)
    instance.full_clean()
    if by is not None:
        instance._history_user = by
    if reason:
        instance._change_reason = reason
    instance.save()
    for name, value in many.items():
        getattr(instance, name).set(value)


Tracked = TypeVar("Tracked", bound=TimeStampedModel)


def create_with_history(
    model: type[Tracked], *, editable: Collection[str], data: Mapping[str, Any], by=None
) -> Tracked:
    """A new ``model`` record from ``data`` (``editable`` fields only), saved with
    every model rule checked and ``by`` in its history."""
    refuse_uneditable(data, editable)
    instance = model()
    with transaction.atomic():
        save_with_history(instance, data, by=by)
    return instance
