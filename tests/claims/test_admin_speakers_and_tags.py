"""The speaker and tag pages: membership, Wikidata ids, autocomplete, unique names."""

from django.urls import reverse

from claims.models import Speaker, Tag
from tests.factories import SpeakerFactory, TagFactory
from tests.helpers import admin_url


def test_a_speaker_cannot_be_its_own_parent(staff_client):
    speaker = SpeakerFactory()
    data = {"name": speaker.name, "kind": speaker.kind, "parent": speaker.pk}

    response = staff_client.post(admin_url(Speaker, "change", speaker.pk), data)

    assert response.status_code == 200
    assert "This would make the speaker a member of itself." in response.content.decode()
    speaker.refresh_from_db()
    assert speaker.parent is None


def test_a_speaker_cannot_join_its_own_member(staff_client):
    government = SpeakerFactory(kind=Speaker.Kind.GOVERNMENT)
    pentagon = SpeakerFactory(kind=Speaker.Kind.MILITARY, parent=government)
    data = {"name": government.name, "kind": government.kind, "parent": pentagon.pk}

    response = staff_client.post(admin_url(Speaker, "change", government.pk), data)

    assert response.status_code == 200
    assert "This would make the speaker a member of itself." in response.content.decode()


def test_two_speakers_cannot_share_a_wikidata_id(staff_client):
    SpeakerFactory(wikidata_id="Q22686")
    data = {"name": "Donald J. Trump", "kind": "person", "wikidata_id": "Q22686"}

    response = staff_client.post(admin_url(Speaker, "add"), data)

    assert response.status_code == 200
    assert "Another speaker already has this Wikidata ID." in response.content.decode()


def test_tag_names_are_unique_whatever_their_case(staff_client):
    TagFactory(name="Iran", slug="iran")

    response = staff_client.post(admin_url(Tag, "add"), {"name": "IRAN", "slug": "iran-2"})

    assert response.status_code == 200
    assert "A tag with this name already exists." in response.content.decode()
    assert Tag.objects.count() == 1


def test_speaker_autocomplete_finds_speakers_by_name(staff_client):
    SpeakerFactory(name="Mark Esper")
    SpeakerFactory(name="Qassem Soleimani")

    response = staff_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "claim", "field_name": "speaker", "term": "esper"},
    )

    assert [result["text"] for result in response.json()["results"]] == ["Mark Esper"]
