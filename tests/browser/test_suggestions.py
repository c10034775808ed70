"""Claim suggestions on the annotate page, in a real browser."""

import pytest

from claims.models import Suggestion
from sources.models import Source
from tests.browser.test_annotate import ARTICLE, log_in, seed  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_editor_accepts_one_suggestion_into_the_claim_form_and_dismisses_another(
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
    shown = Suggestion.objects.filter(source=article, score__gte=0.5, status="open")
    # None of the listed sentences overlaps a claim's appearance.
    for row in shown:
        if not any(start < row.end and row.start < end for start, end in claimed):
            break
    else:
        pytest.fail("every suggestion overlaps an appearance")
    first = entries.first
    quote = first.locator(".suggestion-quote").text_content().strip("“”")

    first.get_by_role("button", name="Accept").click()
    form = page.locator("#annotate-form-claim")
    form.wait_for(state="visible")
    selected = form.locator("[data-role=quote] strong").text_content()
    assert selected.startswith(quote.rstrip("…"))
    assert form.locator("#id_claim-label").input_value()
    assert form.locator("#id_claim-attribution").input_value() in {
        "direct_quote",
        "paraphrase",
        "reported",
        "anonymous",
    }

    form.locator("[data-role=cancel]").click()
    count = entries.count()
    second = entries.nth(1)
    dismissed_quote = second.locator(".suggestion-quote").text_content().strip("“”").rstrip("…")
    second.get_by_role("button", name="Dismiss").click()
    page.wait_for_function(
        f"() => document.querySelectorAll('.annotate-suggestions-list .suggestion').length"
        f" === {count - 1}"
    )
    page.wait_for_load_state("networkidle")
    row = Suggestion.objects.get(source=article, quote__startswith=dismissed_quote)
    assert row.status == "dismissed"
    assert row.decided_by == editor
