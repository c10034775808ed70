"""Speakers and tags. A claim's API object shows its speaker and its tags, so a
change to a speaker or a tag raises the version (and the ETag) of its claims."""

from collections.abc import Mapping
from typing import Any, TypeVar

from django.db import transaction

from claims.models import Claim, Speaker, Tag
from claims.services.editing import (
    changes,
    claims_touch,
    create_with_history,
    refuse_uneditable,
    save_with_history,
)

SPEAKER_EDITABLE_FIELDS = ("name", "kind", "aliases", "description", "wikidata_id", "parent")
TAG_EDITABLE_FIELDS = ("name", "slug")

Record = TypeVar("Record", Speaker, Tag)


def speaker_create(*, data: Mapping[str, Any], by=None) -> Speaker:
    return create_with_history(Speaker, editable=SPEAKER_EDITABLE_FIELDS, data=data, by=by)


def speaker_get_or_create(*, name: str, kind: str = Speaker.Kind.PERSON, by=None) -> Speaker:
    """The speaker of that name (in any case), or a new one of ``kind``."""
    name = name.strip()
    known = Speaker.objects.filter(name__iexact=name).first()
    if known is not None:
        return known
    return speaker_create(data={"name": name, "kind": kind}, by=by)


def speaker_update(*, speaker: Speaker, data: Mapping[str, Any], by=None) -> Speaker:
    return _update(
        speaker, SPEAKER_EDITABLE_FIELDS, data, by, Claim.objects.filter(speaker=speaker)
    )


def tag_create(*, data: Mapping[str, Any], by=None) -> Tag:
    return create_with_history(Tag, editable=TAG_EDITABLE_FIELDS, data=data, by=by)


def tag_update(*, tag: Tag, data: Mapping[str, Any], by=None) -> Tag:
    return _update(tag, TAG_EDITABLE_FIELDS, data, by, Claim.objects.filter(tags=tag))


def _update(record: Record, editable, data: Mapping[str, Any], by, shown_in) -> Record:
    """Apply ``data`` to ``record``; the claims ``shown_in`` (those whose API object
    shows it) get a new version when anything changed."""
    refuse_uneditable(data, editable)
    with transaction.atomic():
        changed = changes(record, data)
        if changed:
            save_with_history(record, changed, by=by)
            claims_touch(shown_in)
    return record


def tag_delete(*, tag: Tag, by=None) -> None:
    with transaction.atomic():
        claims_touch(Claim.objects.filter(tags=tag))
        if by is not None:
            tag._history_user = by
        tag.delete()
