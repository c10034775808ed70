""" "Checked before?" in a real browser: earlier claims appear under the claim's text as
an editor types it, and one click links them (on the add page, when the claim is saved;
on a saved claim, at once)."""

import importlib

import pytest
from django.apps import apps

from claims.models import Claim, ClaimLink
from claims.services.links import claim_link_set
from tests.browser.test_annotate import log_in
from tests.factories import ClaimFactory

# The live server reads what the test writes, so the test cannot run inside a transaction.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EARLIER = "No Americans were harmed in the Iranian missile strikes on the Al Asad air base."
TYPED = "Iranian missile strikes on Al Asad air base harmed no Americans"


@pytest.fixture
def scale(transactional_db):
    # A transactional test empties the tables the data migration filled: write them again.
    importlib.import_module("claims.migrations.0002_default_rating_scale").add_default_scale(
        apps, None
    )


def test_an_editor_sees_earlier_claims_while_typing_and_links_one_when_saving(
    scale, live_server, page, editor, artifacts
):
    earlier = ClaimFactory(label="no casualties", text=EARLIER, language="en")
    ClaimFactory(label="oil prices", text="Oil prices doubled in a week.", language="en")
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/claims/claim/add/")
    page.fill("#id_label", "said again")
    page.locator("#id_text").fill(TYPED)
    match = page.locator(f'.similar-item[data-claim="{earlier.pk}"]')
    match.wait_for()
    assert "no casualties" in match.inner_text()
    assert "Unverified" in match.locator(".similar-verdict").inner_text()
    assert match.locator(".similar-verdict").evaluate(
        "node => getComputedStyle(node).backgroundColor"
    ) not in ("", "rgba(0, 0, 0, 0)")
    match.get_by_role("button", name="Same claim").click()
    assert page.input_value("input[name=link_same_as]") == str(earlier.pk)
    page.screenshot(path=artifacts / "checked-before.png")

    # On SQLite the live server's requests share the test's connection: one at a time.
    page.wait_for_load_state("networkidle")
    page.click("input[name=_save]")
    page.wait_for_selector("ul.messagelist")
    page.wait_for_load_state("networkidle")
    claim = Claim.objects.get(label="said again")
    link = ClaimLink.objects.get()
    assert {link.claim_id, link.other_id} == {claim.pk, earlier.pk}
    assert (link.kind, link.decided_by) == (ClaimLink.Kind.SAME, editor)


def test_on_a_saved_claim_not_the_same_is_recorded_at_once(scale, live_server, page, editor):
    earlier = ClaimFactory(label="no casualties", text=EARLIER, language="en")
    claim = ClaimFactory(label="said again", text=TYPED, language="en")
    twin = ClaimFactory(label="once more", text="Not one American was hurt.", language="en")
    claim_link_set(claim=claim, other=twin, kind=ClaimLink.Kind.SAME, by=editor)
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    match = page.locator(f'.similar-item[data-claim="{earlier.pk}"]')
    match.wait_for(state="attached")
    page.wait_for_selector(".similar-group")
    assert page.inner_text(".similar-group") == "Same claim as: once more Unverified"
    # Under the suggestion threshold, so folded on a saved claim's page until opened.
    assert not match.is_visible()
    summary = page.locator(".similar-weaker-summary")
    assert summary.inner_text() == "1 claim looks somewhat like it (under 60%)"
    summary.click()
    match.get_by_role("button", name="Not the same").click()
    page.wait_for_function(
        "() => document.querySelector('.similar-done').textContent.includes('saved')"
    )
    page.wait_for_load_state("networkidle")

    link = ClaimLink.objects.get(kind=ClaimLink.Kind.DISMISSED)
    assert {link.claim_id, link.other_id} == {claim.pk, earlier.pk}
    assert link.decided_by == editor
