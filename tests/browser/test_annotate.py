"""The annotate page in a real browser, against a live server holding the seed data."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from claims.models import Appearance, Speaker
from fixtures import build_seed
from sources.models import Source

# The live server reads what the test writes, so the test cannot run inside a transaction.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE = "Iran Launches Missile Attack in Retaliation for Soleimani Strike"
SENTENCE = "It’s not clear yet how much damage the missiles caused or if there were any casualties."

# Selects ``sentence`` with a DOM Range over the rendered text, as a mouse would.
SELECT = """sentence => {
  const article = document.getElementById("annotate-text");
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.hidden) continue;
    nodes.push([node, text.length]);
    text += node.data;
  }
  const from = text.indexOf(sentence);
  const to = from + sentence.length;
  const at = offset => {
    const [node, base] = nodes.filter(([, base]) => base <= offset).pop();
    return [node, offset - base];
  };
  const range = document.createRange();
  range.setStart(...at(from));
  range.setEnd(...at(to - 1));
  range.setEnd(range.endContainer, range.endOffset + 1);
  const selection = window.getSelection();
  selection.removeAllRanges();
  selection.addRange(range);
  return from;
}"""


@pytest.fixture
def seed(transactional_db):
    """The seed data on the default rating scale.

    A transactional test empties the tables when it ends, the scale that a data
    migration wrote included; it is written again here (get_or_create) first.
    """
    scale = importlib.import_module("claims.migrations.0002_default_rating_scale")
    scale.add_default_scale(apps, None)
    call_command("loaddata", build_seed.SEED_JSON, verbosity=0)


def log_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")


def test_an_editor_creates_a_claim_from_a_selected_sentence(
    seed, live_server, page, editor, artifacts
):
    article = Source.objects.get(title=ARTICLE)
    seeded = list(article.appearances.filter(start__isnull=False))
    keys = [f"a{a.pk}" for a in seeded]
    evidence = article.evidence.filter(start__isnull=False).values_list("pk", flat=True)
    keys += [f"e{pk}" for pk in evidence]
    log_in(page, live_server, editor)

    page.goto(f"{live_server.url}/admin/sources/source/{article.pk}/annotate/")

    # Every seeded quote is highlighted, and its highlight reads as its quote.
    begun = page.eval_on_selector_all(
        "#annotate-text mark[data-first]", "ms => ms.flatMap(m => m.dataset.first.split(' '))"
    )
    assert sorted(begun) == sorted(keys)
    for appearance in seeded[:5]:
        shown = page.eval_on_selector_all(
            f'#annotate-text mark[data-anchors~="a{appearance.pk}"]',
            "marks => marks.map(m => m.textContent).join('')",
        )
        assert shown == appearance.exact

    page.evaluate(SELECT, SENTENCE)
    page.wait_for_function(
        "() => document.getElementById('annotate-selected').textContent.includes('casualties')"
    )
    page.keyboard.press("n")
    form = page.locator("#annotate-form-claim")
    form.wait_for(state="visible")
    assert form.locator("[data-role=quote] strong").text_content() == SENTENCE
    form.locator("#id_claim-label").fill("damage unclear")
    form.locator("#id_claim-attribution").select_option("paraphrase")
    # The speaker, through the admin's own autocomplete.
    form.locator(".select2-selection").click()
    page.locator(".select2-search__field").fill("Slate")
    page.locator(".select2-results__option", has_text="Slate").first.click()
    form.locator("input[type=submit]").click()

    page.wait_for_selector("ul.messagelist")
    assert "Claim “damage unclear” created" in page.inner_text("ul.messagelist")
    # On SQLite the live server shares the test's connection (it answers one request
    # at a time for that reason: tests/browser/conftest.py): let its last request (the
    # browser asks for /favicon.ico too) end before the test reads the database.
    page.wait_for_load_state("networkidle")
    appearance = Appearance.objects.select_related("claim").get(claim__label="damage unclear")
    assert appearance.source == article
    assert appearance.start == article.text.index(SENTENCE)
    assert appearance.end == appearance.start + len(SENTENCE)
    assert article.text[appearance.start : appearance.end] == appearance.exact == SENTENCE
    assert appearance.claim.speaker == Speaker.objects.get(name="Slate")
    assert appearance.claim.attribution == "paraphrase"
    new_highlight = page.locator(f'#annotate-text mark[data-first~="a{appearance.pk}"]')
    new_highlight.wait_for()
    new_highlight.scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "annotate.png")
