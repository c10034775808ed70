"""Export actions on the claims changelist: a file of the selected claims, per format."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from tests.factories import AppearanceFactory, ClaimFactory, StaffUserFactory, TagFactory
from tests.helpers import claim_ids_in, claims_action, csv_ids

pytestmark = pytest.mark.django_db

State = Claim.ReviewState
CHANGELIST = reverse("admin:claims_claim_changelist")


@pytest.fixture
def claims(db):
    """Three published claims, each with an appearance; tests select the first two."""
    made = []
    for label in ("no casualties", "a dozen missiles", "not selected at all"):
        claim = ClaimFactory(label=label, review_state=State.PUBLISHED)
        AppearanceFactory(claim=claim)
        made.append(claim)
    return made


@pytest.mark.parametrize(
    ("action", "content_type", "filename"),
    [
        ("export_csv", "text/csv; charset=utf-8", "claims-{}.csv"),
        ("export_jsonl", "application/x-ndjson", "claims-{}.jsonl"),
        ("export_claimreview", "application/ld+json", "claimreview-{}.jsonld"),
        (
            "export_annotations",
            'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
            "annotations-{}.jsonld",
        ),
    ],
)
def test_each_export_action_downloads_a_file_of_exactly_the_selected_claims(
    staff_client, claims, action, content_type, filename
):
    response = claims_action(staff_client, action, claims[:2])

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    name = filename.format(timezone.localdate().isoformat())
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert claim_ids_in(action.removeprefix("export_"), response.getvalue()) == sorted(
        claim.pk for claim in claims[:2]
    )


def test_the_html_report_action_shows_the_selected_claims(staff_client, claims):
    response = claims_action(staff_client, "export_html", claims[:2])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"].startswith("inline; ")
    html = response.getvalue().decode()
    assert "no casualties" in html
    assert "a dozen missiles" in html
    assert "not selected at all" not in html
    assert "2 claim(s)" in html  # the selection, in the report's filters


def test_the_pdf_report_action_returns_a_pdf(staff_client, claims):
    response = claims_action(staff_client, "export_pdf", claims[:2])

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_a_pdf_report_over_the_limit_is_refused_with_a_message(staff_client, claims, settings):
    settings.REPORT_PDF_MAX_CLAIMS = 1

    response = claims_action(staff_client, "export_pdf", claims[:2])

    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert "A PDF report holds at most 1 claims" in page.content.decode()


def test_without_pango_the_pdf_report_action_says_what_to_install(
    staff_client, claims, without_pango
):
    response = claims_action(staff_client, "export_pdf", claims[:2])

    assert response.status_code == 302
    page = staff_client.get(response["Location"])
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in page.content.decode()


def test_the_admin_exports_drafts_as_the_newsroom_sees_them(staff_client, claims):
    draft = ClaimFactory(label="a draft")

    response = claims_action(staff_client, "export_csv", [claims[0], draft])

    assert csv_ids(response.getvalue()) == sorted([claims[0].pk, draft.pk])


def test_selecting_all_of_a_filtered_list_exports_the_claims_it_lists(staff_client, claims):
    iran, strike = TagFactory(slug="iran"), TagFactory(slug="strike")
    for claim in claims[:2]:
        claim.tags.add(iran, strike)

    response = staff_client.post(
        f"{CHANGELIST}?tags__id__exact={iran.pk}",
        {"action": "export_csv", "_selected_action": [claims[0].pk], "select_across": "1"},
    )

    assert csv_ids(response.getvalue()) == sorted(claim.pk for claim in claims[:2])


@pytest.fixture
def viewer(db):
    """Staff who may view claims and nothing else."""
    user = StaffUserFactory(username="vera-viewer", is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="view_claim"))
    return user


def test_staff_who_may_only_view_claims_are_offered_the_exports(client, viewer, claims):
    client.force_login(viewer)

    page = client.get(CHANGELIST).content.decode()

    assert 'value="export_csv"' in page
    assert 'value="export_html"' in page
    assert 'value="send_to_review"' not in page


def test_staff_who_may_only_view_claims_can_export_csv(client, viewer, claims):
    client.force_login(viewer)

    response = claims_action(client, "export_csv", claims[:2])

    assert response.status_code == 200
    assert csv_ids(response.getvalue()) == sorted(claim.pk for claim in claims[:2])
