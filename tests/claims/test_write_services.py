"""Every write through a service: editable fields only, one version guard, the
acting user in the history, and a claim's version raised when one of its parts changes."""

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from claims.models import Claim, ConcurrentEditError, Evidence
from claims.services import (
    appearance_create,
    appearance_delete,
    appearance_update,
    claim_create,
    claim_lock,
    claim_update,
    evidence_update,
    speaker_get_or_create,
    speaker_update,
    tag_update,
)
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def version_of(claim: Claim) -> int:
    return Claim.objects.values_list("version", flat=True).get(pk=claim.pk)


# Editable fields -----------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["review_state", "version", "verdict", "published_entry"])
def test_claim_update_refuses_a_field_outside_the_editable_list(field):
    claim = ClaimFactory(label="original")

    with pytest.raises(ValidationError) as refused:
        claim_update(claim=claim, data={"label": "changed", field: None})

    assert list(refused.value.message_dict) == [field]
    claim.refresh_from_db()
    assert (claim.label, claim.version) == ("original", 1)


def test_claim_create_refuses_a_field_outside_the_editable_list():
    with pytest.raises(ValidationError) as refused:
        claim_create(data={"label": "a", "text": "b", "review_state": "published"})

    assert list(refused.value.message_dict) == ["review_state"]
    assert not Claim.objects.exists()


def test_appearance_update_refuses_the_anchor_status():
    appearance = AppearanceFactory()

    with pytest.raises(ValidationError) as refused:
        appearance_update(appearance=appearance, data={"anchor_status": "anchored"})

    assert list(refused.value.message_dict) == ["anchor_status"]


# The version guard ---------------------------------------------------------------------------


def test_claim_update_refuses_a_stale_version_and_changes_nothing():
    claim = ClaimFactory(label="original")
    claim_update(claim=claim, data={"label": "theirs"})

    with pytest.raises(ConcurrentEditError, match="changed by someone else"):
        claim_update(claim=claim, data={"label": "mine"}, expected_version=1)

    claim.refresh_from_db()
    assert (claim.label, claim.version) == ("theirs", 2)


def test_the_guard_hands_back_the_stored_claim_at_the_version_expected():
    claim = ClaimFactory()

    with transaction.atomic():
        locked = claim_lock(claim_id=claim.pk, expected_version=1)

    assert (locked.pk, locked.version) == (claim.pk, 1)


def test_an_update_that_changes_nothing_keeps_the_version():
    claim = ClaimFactory(label="same")

    claim_update(claim=claim, data={"label": "same"})

    assert version_of(claim) == 1
    assert claim.history.count() == 1


# History ---------------------------------------------------------------------------------------


def test_claim_writes_record_the_acting_user():
    editor = UserFactory()
    claim = claim_create(data={"label": "a", "text": "b"}, by=editor)
    claim_update(claim=claim, data={"label": "c"}, by=editor)

    assert [record.history_user for record in claim.history.all()] == [editor, editor]


def test_quote_writes_record_the_acting_user():
    editor = UserFactory()
    appearance = appearance_create(
        claim=ClaimFactory(), source=SourceFactory(), exact="no casualties", by=editor
    )
    appearance_update(appearance=appearance, data={"note": "checked"}, by=editor)
    evidence = EvidenceFactory()
    evidence_update(evidence=evidence, data={"stance": Evidence.Stance.SUPPORTS}, by=editor)

    assert {record.history_user for record in appearance.history.all()} == {editor}
    assert evidence.history.latest().history_user == editor


def test_a_new_speaker_from_its_name_records_the_acting_user():
    editor = UserFactory()
    known = SpeakerFactory(name="Mark Esper")

    assert speaker_get_or_create(name="mark esper", by=editor) == known
    created = speaker_get_or_create(name="Hossein Salami", by=editor)
    assert created.history.get().history_user == editor


# A claim's parts -------------------------------------------------------------------------------


def test_changing_an_appearance_raises_its_claims_version():
    appearance = AppearanceFactory(note="")

    appearance_update(appearance=appearance, data={"note": "seen twice"})

    assert version_of(appearance.claim) == 2


def test_adding_and_deleting_an_appearance_raise_its_claims_version():
    claim = ClaimFactory()

    appearance = appearance_create(claim=claim, source=SourceFactory(), exact="no casualties")
    assert version_of(claim) == 2
    appearance_delete(appearance=appearance)
    assert version_of(claim) == 3


def test_changing_an_evidence_item_raises_its_claims_version():
    evidence = EvidenceFactory(stance=Evidence.Stance.REFUTES)

    evidence_update(evidence=evidence, data={"stance": Evidence.Stance.CONTEXT})

    assert version_of(evidence.claim) == 2


def test_changing_a_tag_or_a_speaker_raises_the_version_of_their_claims():
    tag, speaker = TagFactory(slug="iran"), SpeakerFactory()
    tagged, spoken, other = ClaimFactory(), ClaimFactory(speaker=speaker), ClaimFactory()
    tagged.tags.add(tag)

    tag_update(tag=tag, data={"slug": "iran-2020"})
    speaker_update(speaker=speaker, data={"name": "Another name"})

    assert (version_of(tagged), version_of(spoken), version_of(other)) == (2, 2, 1)


def test_a_refused_quote_change_leaves_the_claims_version():
    appearance = AppearanceFactory()

    with pytest.raises(ValidationError):
        appearance_update(appearance=appearance, data={"exact": "words not in the text"})

    assert version_of(appearance.claim) == 1
