import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from claims.models import Appearance, Claim, Evidence, Rating, Speaker
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


def test_the_default_rating_scale_is_installed_by_the_migrations():
    assert list(Rating.objects.values_list("slug", flat=True)) == [
        "true",
        "mostly-true",
        "half-true",
        "mostly-false",
        "false",
        "unsupported",
        "unverified",
    ]
    assert not Rating.objects.get(slug="unverified").needs_evidence


def test_a_new_claim_starts_unverified_in_draft():
    claim = Claim.objects.create(text="The sky is green.", label="green sky")

    assert claim.verdict.slug == Rating.UNVERIFIED
    assert claim.review_state == Claim.ReviewState.DRAFT
    assert claim.version == 1


def test_a_claim_needs_a_label_and_a_text_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(text="Something.", label="")
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.create(text="", label="something")


def test_every_save_raises_the_claim_version():
    claim = ClaimFactory()

    claim.label = "renamed"
    claim.save()

    claim.refresh_from_db()
    assert claim.version == 2


def test_claims_compose_published_and_by_speaker():
    speaker = SpeakerFactory()
    wanted = ClaimFactory(speaker=speaker, review_state=Claim.ReviewState.PUBLISHED)
    ClaimFactory(speaker=speaker, review_state=Claim.ReviewState.IN_RESEARCH)
    ClaimFactory(review_state=Claim.ReviewState.PUBLISHED)

    assert list(Claim.objects.published().by_speaker(speaker)) == [wanted]


def test_claim_tags_are_recorded_in_the_audit_history():
    claim = ClaimFactory()
    claim.tags.add(TagFactory(name="casualties"))
    claim.save()

    latest = claim.history.first()
    assert [tag.tag.name for tag in latest.tags.all()] == ["casualties"]


def test_wikidata_ids_are_unique_when_present():
    SpeakerFactory(wikidata_id="Q22686")
    SpeakerFactory(wikidata_id="")
    SpeakerFactory(wikidata_id="")

    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(wikidata_id="Q22686")


def test_a_wikidata_id_must_look_like_one():
    with pytest.raises(IntegrityError), transaction.atomic():
        SpeakerFactory(wikidata_id="22686")
    with pytest.raises(ValidationError, match="looks like Q22686"):
        Speaker(name="Someone", wikidata_id="Q-1").full_clean()


def test_a_speaker_cannot_be_its_own_parent_in_the_database():
    speaker = SpeakerFactory()
    speaker.parent = speaker

    with pytest.raises(IntegrityError), transaction.atomic():
        speaker.save()


def test_a_speaker_cannot_belong_to_its_own_member():
    government = SpeakerFactory(kind=Speaker.Kind.GOVERNMENT)
    pentagon = SpeakerFactory(kind=Speaker.Kind.MILITARY, parent=government)
    government.parent = pentagon

    with pytest.raises(ValidationError, match="member of itself"):
        government.full_clean()


def test_the_database_refuses_an_anchor_whose_offsets_do_not_fit_the_quote():
    claim, source = ClaimFactory(), SourceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Appearance.objects.create(claim=claim, source=source, exact="abc", start=0, end=5)


def test_the_database_refuses_a_quote_without_offsets():
    claim, source = ClaimFactory(), SourceFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(claim=claim, source=source, exact="abc", stance="supports")


def test_the_database_refuses_a_second_first_appearance():
    first = AppearanceFactory()
    second = AppearanceFactory(claim=first.claim, exact="Officials disagreed —")

    sql = f"UPDATE {Appearance._meta.db_table} SET is_first = %s WHERE id = %s"

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [True, second.pk])


def test_the_first_appearance_recorded_is_marked_first():
    first = AppearanceFactory()
    second = AppearanceFactory(claim=first.claim, exact="Officials disagreed —")

    assert first.is_first
    assert not second.is_first
    assert first.claim.first_appearance == first


def test_marking_another_appearance_first_moves_the_mark():
    first = AppearanceFactory()
    second = AppearanceFactory(claim=first.claim, exact="Officials disagreed —")

    second.is_first = True
    second.full_clean()
    second.save()

    first.refresh_from_db()
    assert not first.is_first
    assert Appearance.objects.get(is_first=True, claim=first.claim) == second


def test_deleting_the_first_appearance_passes_the_mark_on():
    first = AppearanceFactory()
    second = AppearanceFactory(claim=first.claim, exact="Officials disagreed —")

    first.delete()

    second.refresh_from_db()
    assert second.is_first


def test_a_claim_is_anchored_only_once_at_the_same_place():
    appearance = AppearanceFactory()

    with pytest.raises(ValidationError, match="already anchored at this place"):
        AppearanceFactory(claim=appearance.claim, source=appearance.source)


def test_deleting_the_first_appearance_through_a_stale_copy_still_passes_the_mark_on():
    first = AppearanceFactory()
    second = AppearanceFactory(claim=first.claim, exact="Officials disagreed —")
    stale = Appearance.objects.get(pk=first.pk)
    stale.is_first = False  # as an edited form would hold it

    stale.delete()

    second.refresh_from_db()
    assert second.is_first
