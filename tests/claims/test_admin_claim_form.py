"""The claim page's own fields: what it requires, and the version that refuses stale saves."""

import pytest

from claims.admin.forms import ClaimForm
from claims.models import Claim
from tests.factories import AppearanceFactory, ClaimFactory
from tests.helpers import admin_url, appearance_row, claim_form_data


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"label": ""}, "This field is required."),
        ({"text": ""}, "This field is required."),
    ],
    ids=["empty label", "empty text"],
)
def test_the_claim_form_shows_missing_fields_and_saves_nothing(staff_client, fields, message):
    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(**fields))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()


def test_a_stale_claim_form_is_refused_and_the_other_change_kept(staff_client):
    claim = ClaimFactory(label="imminent attack")
    # The editor opens the claim...
    data = claim_form_data(claim, label="imminent attack (disputed)")
    # ...and a colleague saves it first.
    claim.label = "imminent threat"
    claim.save()

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "Someone else saved this claim after you opened it" in response.content.decode()
    claim.refresh_from_db()
    assert claim.label == "imminent threat"
    assert claim.version == 2


def test_the_claim_page_carries_the_version_it_shows(staff_client):
    claim = ClaimFactory()
    claim.save()

    response = staff_client.get(admin_url(Claim, "change", claim.pk))

    assert 'name="loaded_version" value="2"' in response.content.decode()


def test_saving_a_claim_raises_its_version(staff_client):
    claim = ClaimFactory()

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, label="new label")
    )

    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.label, claim.version) == ("new label", 2)


def test_a_save_racing_another_is_refused_with_a_message_and_saves_nothing(
    staff_client, monkeypatch
):
    appearance = AppearanceFactory()
    claim = appearance.claim
    rows = [appearance_row(appearance, note="my note")]
    data = claim_form_data(claim, label="mine", appearances=rows)
    claim.label = "theirs"
    claim.save()
    # The colleague's save lands after the form's check and before ours.
    monkeypatch.setattr(ClaimForm, "stored_version", lambda form: 1)

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data, follow=True)

    assert response.status_code == 200
    assert "Someone else saved this claim while you were saving it" in response.content.decode()
    claim.refresh_from_db()
    appearance.refresh_from_db()
    assert (claim.label, appearance.note) == ("theirs", "")


def test_an_editor_without_superuser_rights_can_work_on_a_claim(client, editor):
    appearance = AppearanceFactory()
    claim = appearance.claim
    client.force_login(editor)
    rows = [appearance_row(appearance, exact="Officials disagreed")]

    page = client.get(admin_url(Claim, "change", claim.pk))
    saved = client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert page.status_code == 200
    assert saved.status_code == 302
    appearance.refresh_from_db()
    assert appearance.exact == "Officials disagreed"
