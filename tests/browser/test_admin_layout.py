"""The admin's pages measured in a real browser at 1400 px, the sidebar open, on the seed data."""

import importlib

import pytest
from django.apps import apps
from django.core.management import call_command

from claims.models import Appearance, Claim
from fixtures import build_seed

# The live server reads what the test writes, so the test cannot run inside a transaction.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = 1400
LISTS = [
    "claims/claim",
    "claims/appearance",
    "claims/evidence",
    "sources/source",
    "claims/verdictentry",
]


@pytest.fixture
def seed(transactional_db):
    """The seed data on the default rating scale (written again: a transactional test
    empties the tables the data migration filled)."""
    scale = importlib.import_module("claims.migrations.0002_default_rating_scale")
    scale.add_default_scale(apps, None)
    call_command("loaddata", build_seed.SEED_JSON, verbosity=0)


@pytest.fixture
def wide(browser, live_server, staff_user):
    """A page 1400 px wide, signed in as a superuser (who has the longest sidebar), that
    records every answer of 400 or more."""
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.failed = []
    page.on(
        "response", lambda r: page.failed.append((r.status, r.url)) if r.status >= 400 else None
    )
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.fill("#id_username", staff_user.username)
    page.fill("#id_password", "correct horse battery staple")
    page.click("input[type=submit]")
    page.wait_for_url(f"{live_server.url}/admin/")
    yield page
    # The pages' own requests (the claim page's "Checked before?", the annotate page's
    # suggestions) end before the test's tables are emptied, which they would block.
    page.wait_for_load_state("networkidle")
    context.close()


def test_the_no_casualties_claim_page_fits_in_2500_px(seed, live_server, wide, artifacts):
    claim = Claim.objects.get(label="no casualties")

    wide.goto(f"{live_server.url}/admin/claims/claim/{claim.pk}/change/")
    # Measured once "Checked before?" has answered: its matches are part of the page.
    wide.wait_for_function(
        "() => { const box = document.querySelector('.similar-claims');"
        " return box && !box.hasAttribute('aria-busy')"
        " && box.querySelector('.similar-status').textContent !== ''; }"
    )
    wide.screenshot(path=artifacts / "claim-page-1400.png", full_page=True)

    assert wide.is_visible("#nav-sidebar")
    height = wide.evaluate("document.documentElement.scrollHeight")
    assert height <= 2500, f"The claim page is {height} px tall."
    assert wide.evaluate("document.documentElement.scrollWidth") <= WIDTH
    assert not wide.failed


@pytest.mark.parametrize("changelist", LISTS)
def test_a_list_fits_the_screen_beside_the_sidebar(seed, live_server, wide, artifacts, changelist):
    wide.goto(f"{live_server.url}/admin/{changelist}/")
    wide.screenshot(path=artifacts / f"list-{changelist.replace('/', '-')}-1400.png")

    assert wide.is_visible("#nav-sidebar")
    assert wide.evaluate("document.documentElement.scrollWidth") <= WIDTH
    # The admin scrolls a wide table inside its box, which the page's width does not
    # show: the box must not need to either.
    inner, box = wide.evaluate(
        "() => { const r = document.querySelector('#changelist .results');"
        " return [r.scrollWidth, r.clientWidth]; }"
    )
    assert inner <= box, f"The {changelist} list is {inner} px wide in a {box} px box."
    assert wide.evaluate("document.querySelectorAll('#result_list tbody tr').length") > 0
    assert not wide.failed


def test_a_cut_cell_keeps_its_whole_text_in_the_tooltip(seed, live_server, wide):
    wide.goto(f"{live_server.url}/admin/claims/appearance/")

    cut = wide.evaluate(
        "() => Array.from(document.querySelectorAll('#result_list .clip'))"
        ".filter(cell => cell.scrollWidth > cell.clientWidth)"
        ".map(cell => [cell.title, cell.textContent])"
    )

    assert cut, "No cell of the appearances list is long enough to be cut."
    assert all(title == text for title, text in cut)


def test_a_quote_on_the_claim_page_opens_its_place_in_the_annotate_page(seed, live_server, wide):
    appearance = Appearance.objects.exclude(exact="").filter(anchor_status="anchored").first()

    wide.goto(f"{live_server.url}/admin/claims/claim/{appearance.claim_id}/change/")
    wide.click(f"a[href$='#a{appearance.pk}']")
    wide.wait_for_url(f"**/annotate/#a{appearance.pk}")

    mark = wide.locator(f"[data-first~='a{appearance.pk}']")
    mark.wait_for()
    assert mark.is_visible()
    box = mark.bounding_box()
    assert 0 <= box["y"] <= 900, "The quote was not scrolled into view."


def test_the_front_page_shows_the_work_queue_and_the_site_its_icon(seed, live_server, wide):
    wide.goto(f"{live_server.url}/admin/")

    assert wide.is_visible("#work-queue")
    icon = wide.get_attribute("link[rel=icon]", "href")
    assert wide.request.get(f"{live_server.url}{icon}").ok
    assert wide.request.get(f"{live_server.url}/favicon.ico").ok
    assert wide.get_attribute("#user-tools a[href='/api/docs/']", "href") == "/api/docs/"
    assert not wide.failed
