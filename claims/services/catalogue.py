"""Speakers and tags. A claim's API object shows its speaker and its tags, so a
change to a speaker or a tag raises the version (and the ETag) of its claims."""

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from claims.models import Claim, Speaker, Tag
from claims.services.editing import changes, claims_touch, refuse_uneditable, save_with_history

SPEAKER_EDITABLE_FIELDS = ("name", "kind", "aliases", "description", "wikidata_id", "parent")
TAG_EDITABLE_FIELDS = ("name", "slug")


def speaker_create(*, data: Mapping[str, Any], by=None) -> Speaker:
    refuse_uneditable(data, SPEAKER_EDITABLE_FIELDS)
    speaker = Speaker()
    with transaction.atomic():
        save_with_history(speaker, data, by=by)
    return speaker


def speaker_get_or_create(*, name: str, kind: str = Speaker.Kind.PERSON, by=None) -> Speaker:
    """The speaker of that name (in any case), or a new one of ``kind``."""
    name = name.strip()
    known = Speaker.objects.filter(name__iexact=name).first()
    if known is not None:
        return known
    return speaker_create(data={"name": name, "kind": kind}, by=by)


def speaker_update(*, speaker: Speaker, data: Mapping[str, Any], by=None) -> Speaker:
    refuse_uneditable(data, SPEAKER_EDITABLE_FIELDS)
    with transaction.atomic():
        changed = changes(speaker, data)
        if changed:
            save_with_history(speaker, changed, by=by)
            claims_touch(Claim.objects.filter(speaker=speaker))
    return speaker


def tag_create(*, data: Mapping[str, Any], by=None) -> Tag:
    refuse_uneditable(data, TAG_EDITABLE_FIELDS)
    tag = Tag()
    with transaction.atomic():
        save_with_history(tag, data, by=by)
    return tag


def tag_update(*, tag: Tag, data: Mapping[str, Any], by=None) -> Tag:
    refuse_uneditable(data, TAG_EDITABLE_FIELDS)
    with transaction.atomic():
        changed = changes(tag, data)
        if changed:
            save_with_history(tag, changed, by=by)
            claims_touch(Claim.objects.filter(tags=tag))
    return tag


def tag_delete(*, tag: Tag, by=None) -> None:
    with transaction.atomic():
        claims_touch(Claim.objects.filter(tags=tag))
        if by is not None:
            tag._history_user = by
        tag.delete()
