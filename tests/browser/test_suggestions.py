"""Claim suggestions on the annotate page, in a real browser."""

import pytest

from claims.models import Appearance, Suggestion
from sources.models import Source
from tests.browser.test_annotate import ARTICLE, log_in, seed  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def quote_of(entry) -> str:
    return entry.locator(".suggestion-quote").text_content().strip("“”").rstrip("…")


def test_an_editor_dismisses_one_suggestion_and_makes_a_claim_of_another(
    seed,  # noqa: F811
    live_server,
    page,
    editor,
):
    article = Source.objects.get(title=ARTICLE)
    claimed = [(a.start, a.end) for a in article.appearances.filter(start__isnull=False)]
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/sources/source/{article.pk}/annotate/")
    entries = page.locator(".annotate-suggestions-list .suggestion")
    entries.first.wait_for()
    listed = [quote_of(entries.nth(i)) for i in range(entries.count())]
    rows = [Suggestion.objects.get(source=article, quote__startswith=q) for q in listed]
    # None of the listed sentences overlaps a claim's appearance.
    assert not any(r.start < end and start < r.end for r in rows for start, end in claimed)

    count = entries.count()
    dismissed = rows[1]
    entries.nth(1).get_by_role("button", name="Dismiss").click()
    page.wait_for_function(
        "n => document.querySelectorAll('.annotate-suggestions-list .suggestion').length === n",
        arg=count - 1,
    )
    page.wait_for_load_state("networkidle")
    dismissed.refresh_from_db()
    assert dismissed.status == "dismissed"
    assert dismissed.decided_by == editor

    accepted = rows[0]
    entries.first.get_by_role("button", name="Accept").click()
    form = page.locator("#annotate-form-claim")
    form.wait_for(state="visible")
    assert form.locator("[data-role=quote] strong").text_content() == accepted.quote
    assert form.locator("#id_claim-label").input_value()
    # The suggestion's kind is the claim's (one enum), the outlet's own reporting too.
    assert form.locator("#id_claim-attribution").input_value() == accepted.attribution
    form.locator("input[type=submit]").click()

    page.wait_for_selector("ul.messagelist .success")
    page.wait_for_load_state("networkidle")
    appearance = Appearance.objects.get(source=article, start=accepted.start)
    assert appearance.end == accepted.end
    assert appearance.claim.attribution == accepted.attribution
    if accepted.attribution == "outlet":
        assert appearance.claim.speaker.name == article.outlet.name
    accepted.refresh_from_db()
    assert accepted.status == "accepted"
    assert accepted.quote not in [quote_of(e) for e in entries.all()]
