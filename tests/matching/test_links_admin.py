"""Possible duplicates in the admin: open suggestions side by side, confirmed or
dismissed in bulk; and the claim form creating the links chosen in "Checked before?"."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME

from claims.models import Claim, ClaimLink
from claims.services.links import claim_link_set, claim_link_suggest
from tests.factories import ClaimFactory
from tests.helpers import claim_form_data

pytestmark = pytest.mark.django_db
Kind = ClaimLink.Kind
LIST = "/admin/claims/claimlink/"


@pytest.fixture
def suggestions(db):
    old = ClaimFactory(label="no casualties", text="No Americans were harmed.")
    new = ClaimFactory(label="no US losses", text="Not one U.S. soldier was hurt.")
    unrelated = ClaimFactory(label="oil prices", text="Oil prices doubled.")
    decided = ClaimFactory(label="already dismissed")
    return {
        "open": claim_link_suggest(
            claim=old, other=new, score=0.87, reasons=["meaning: 0.87", "shared words: harmed"]
        ),
        "second": claim_link_suggest(claim=old, other=unrelated, score=0.61, reasons=[]),
        "decided": claim_link_set(claim=old, other=decided, kind=Kind.DISMISSED, by=None),
    }


def test_possible_duplicates_lists_open_suggestions_with_both_claims_side_by_side(
    editor_admin, suggestions
):
    response = editor_admin.get(LIST)

    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Possible duplicates</h1>" in page
    for shown in ("No Americans were harmed.", "Not one U.S. soldier was hurt.", "0.87"):
        assert shown in page
    assert "shared words: harmed" in page
    assert "already dismissed" not in page
    listed = list(response.context["cl"].result_list)
    assert listed == [suggestions["second"], suggestions["open"]]  # newest first


def test_every_kind_can_be_listed_by_the_filter(editor_admin, suggestions):
    page = editor_admin.get(LIST, {"kind": "dismissed"})
    assert list(page.context["cl"].result_list) == [suggestions["decided"]]
    assert len(editor_admin.get(LIST, {"kind": "all"}).context["cl"].result_list) == 3


def test_the_list_is_searched_by_either_claims_words(editor_admin, suggestions):
    response = editor_admin.get(LIST, {"q": "soldier"})
    assert list(response.context["cl"].result_list) == [suggestions["open"]]


def test_editors_confirm_suggestions_in_bulk_with_who_decided(editor_admin, editor, suggestions):
    response = editor_admin.post(
        LIST,
        {
            "action": "confirm_same",
            ACTION_CHECKBOX_NAME: [suggestions["open"].pk, suggestions["second"].pk],
        },
        follow=True,
    )

    assert "2 pair(s) confirmed as the same claim" in response.content.decode()
    for name in ("open", "second"):
        link = ClaimLink.objects.get(pk=suggestions[name].pk)
        assert (link.kind, link.decided_by) == (Kind.SAME, editor)
        assert link.history.latest().history_user == editor


def test_editors_dismiss_suggestions_in_bulk(editor_admin, suggestions):
    editor_admin.post(LIST, {"action": "dismiss", ACTION_CHECKBOX_NAME: [suggestions["open"].pk]})
    assert ClaimLink.objects.get(pk=suggestions["open"].pk).kind == Kind.DISMISSED


def test_an_editor_changes_a_decision_on_its_page(editor_admin, editor, suggestions):
    link = suggestions["decided"]
    response = editor_admin.post(
        f"{LIST}{link.pk}/change/", {"kind": "related", "note": "same topic"}
    )

    assert response.status_code == 302
    link.refresh_from_db()
    assert (link.kind, link.note, link.decided_by) == (Kind.RELATED, "same topic", editor)


def test_researchers_see_links_but_cannot_decide_them(client, researcher, suggestions):
    client.force_login(researcher)
    response = client.get(LIST, {"kind": "all"})

    assert response.status_code == 200
    assert "confirm_same" not in response.content.decode()
    # Between claims a researcher may not see (drafts), no link exists for them.
    assert list(response.context["cl"].result_list) == []
    assert client.post(
        LIST, {"action": "dismiss", ACTION_CHECKBOX_NAME: [suggestions["open"].pk]}
    ).status_code in (200, 302, 403)
    assert ClaimLink.objects.get(pk=suggestions["open"].pk).kind == Kind.SUGGESTED


def test_a_new_claims_links_chosen_while_typing_are_saved_with_it(editor_admin, editor):
    old = ClaimFactory(label="no casualties")
    not_same = ClaimFactory(label="other numbers")

    response = editor_admin.post(
        "/admin/claims/claim/add/",
        claim_form_data(
            label="said again",
            link_same_as=str(old.pk),
            link_dismissed=str(not_same.pk),
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    claim = Claim.objects.get(label="said again")
    kinds = {(link.claim_id, link.other_id): link.kind for link in ClaimLink.objects.all()}
    assert kinds == {
        tuple(sorted((claim.pk, old.pk))): Kind.SAME,
        tuple(sorted((claim.pk, not_same.pk))): Kind.DISMISSED,
    }
    assert {link.decided_by for link in ClaimLink.objects.all()} == {editor}


def test_a_claims_page_has_the_checked_before_widget_for_its_claim(editor_admin, draft_claim):
    page = editor_admin.get(f"/admin/claims/claim/{draft_claim.pk}/change/").content.decode()

    assert "claims/similar.js" in page
    assert f'data-claim="{draft_claim.pk}"' in page
    assert "data-similar" in editor_admin.get("/admin/claims/claim/add/").content.decode()


def test_a_claim_made_on_the_annotate_page_is_linked_as_the_editor_chose(editor_admin, editor):
    from tests.claims.test_annotate import action_url, new_claim
    from tests.factories import SourceFactory

    article = SourceFactory(
        text="The Pentagon said no casualties were reported. Officials disagreed."
    )
    earlier = ClaimFactory(label="no casualties")
    page = editor_admin.get(f"/admin/sources/source/{article.pk}/annotate/").content.decode()
    assert 'data-text-field="id_claim-text"' in page

    response = editor_admin.post(
        action_url(article, "claim"),
        new_claim(article, "Officials disagreed.", link_same_as=str(earlier.pk)),
    )

    assert response.status_code == 302
    claim = Claim.objects.get(label="officials disagreed")
    link = ClaimLink.objects.get()
    assert {link.claim_id, link.other_id} == {claim.pk, earlier.pk}
    assert (link.kind, link.decided_by) == (Kind.SAME, editor)


def test_a_bad_choice_on_the_annotate_page_saves_nothing_and_says_why(editor_admin):
    from tests.claims.test_annotate import action_url, new_claim
    from tests.factories import SourceFactory

    article = SourceFactory(
        text="The Pentagon said no casualties were reported. Officials disagreed."
    )
    response = editor_admin.post(
        action_url(article, "claim"),
        new_claim(article, "Officials disagreed.", link_related="999999"),
    )

    assert response.status_code == 200
    assert "There is no claim 999999" in response.content.decode()
    assert not Claim.objects.exists()
