"""The claim's page in the admin: its quotes in their sentences, anchors behind a fold."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import AnchorStatus, Appearance, Evidence
from claims.read.context import WINDOW, quote_in_context, with_context
from claims.services import verdict_record
from tests.factories import AppearanceFactory, ClaimFactory, EvidenceFactory, SourceFactory
from tests.helpers import rating

pytestmark = pytest.mark.django_db

TEXT = (
    "Officials met on Monday. The minister said no casualties were reported at the base. "
    "Others disagreed!\nA new paragraph."
)


def in_context(quote):
    """``quote`` read again the way the claim page reads it."""
    return quote_in_context(with_context(type(quote).objects.filter(pk=quote.pk)).get())


def test_a_quote_is_shown_in_its_sentence_with_its_source_and_outlet():
    source = SourceFactory(title="Strike report", text=TEXT, outlet__name="Slate")
    appearance = AppearanceFactory(source=source, exact="no casualties")

    shown = in_context(appearance)

    assert (shown.before, shown.quote, shown.after) == (
        "The minister said ",
        "no casualties",
        " were reported at the base.",
    )
    assert (shown.source_title, shown.outlet_name) == ("Strike report", "Slate")
    assert (shown.clipped_before, shown.clipped_after) == (False, False)
    assert shown.key == f"a{appearance.pk}"


def test_a_sentence_ends_at_a_line_break_or_an_exclamation_too():
    source = SourceFactory(text=TEXT)
    evidence = Evidence(claim=ClaimFactory(), source=source, exact="disagreed", stance="refutes")
    evidence.full_clean()  # the offsets, from the quote
    evidence.save()

    shown = in_context(evidence)

    assert (shown.before, shown.quote, shown.after) == ("Others ", "disagreed", "!")
    assert shown.key == f"e{evidence.pk}"
    assert shown.kind == "evidence"


def test_a_quote_that_ends_its_sentence_takes_nothing_after_it():
    source = SourceFactory(text=TEXT)
    appearance = AppearanceFactory(source=source, exact="reported at the base.")

    shown = in_context(appearance)

    assert (shown.before, shown.after) == ("The minister said no casualties were ", "")


def test_a_sentence_longer_than_the_window_is_cut_and_says_so():
    long_sentence = "word " * (WINDOW // 2) + "the quote here " + "word " * (WINDOW // 2) + "."
    appearance = AppearanceFactory(source=SourceFactory(text=long_sentence), exact="the quote here")

    shown = in_context(appearance)

    assert (shown.clipped_before, shown.clipped_after) == (True, True)
    assert len(shown.before) == WINDOW
    assert len(shown.after) == WINDOW


def test_an_orphaned_quote_is_shown_with_the_context_it_was_stored_with():
    appearance = AppearanceFactory(source=SourceFactory(text=TEXT), exact="no casualties")
    appearance.anchor_status, appearance.orphaned_reason = AnchorStatus.ORPHANED, "Text changed."
    appearance.save()

    shown = in_context(appearance)

    assert shown.orphaned
    assert (shown.before, shown.after) == (appearance.prefix, appearance.suffix)


def test_an_evidence_item_known_by_its_address_only_has_no_quote():
    evidence = EvidenceFactory(source=SourceFactory(text=""))

    shown = in_context(evidence)

    assert shown.by_address_only
    assert (shown.before, shown.quote, shown.after) == ("", "", "")


def test_the_context_is_cut_by_the_database_not_read_from_the_whole_text():
    appearance = AppearanceFactory(source=SourceFactory(text=TEXT))

    read = with_context(Appearance.objects.filter(pk=appearance.pk)).get()

    assert "text" in read.source.get_deferred_fields()


def test_reading_a_claims_quotes_in_context_is_one_query_however_many(
    django_assert_num_queries,
):
    claim = ClaimFactory()
    for _ in range(4):
        AppearanceFactory(claim=claim, source=SourceFactory(text=TEXT))
    one = ClaimFactory()
    AppearanceFactory(claim=one, source=SourceFactory(text=TEXT))

    for wanted in (one, claim):
        with django_assert_num_queries(1):
            shown = [
                quote_in_context(q) for q in with_context(Appearance.objects.filter(claim=wanted))
            ]
        assert all(quote.quote == "no casualties" for quote in shown)


# The page ------------------------------------------------------------------------------------


@pytest.fixture
def claim_with_quotes(db):
    claim = ClaimFactory(label="no casualties")
    source = SourceFactory(title="Strike report", text=TEXT)
    appearance = AppearanceFactory(claim=claim, source=source)
    evidence = EvidenceFactory(claim=claim, source=SourceFactory(text=""))
    return claim, appearance, evidence


def test_the_claim_page_shows_each_quote_in_its_sentence_linked_to_its_place_in_the_text(
    staff_client, claim_with_quotes
):
    claim, appearance, _ = claim_with_quotes

    page = staff_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()

    assert "The minister said <mark>no casualties</mark> were reported at the base." in page
    annotate = reverse("admin:sources_source_annotate", args=[appearance.source_id])
    assert f'href="{annotate}#a{appearance.pk}"' in page
    assert "No quote: by address only." in page


def test_the_anchor_fields_of_a_stored_quote_wait_behind_adjust_anchor(
    staff_client, claim_with_quotes
):
    claim, _, _ = claim_with_quotes

    page = staff_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()

    # One fold per stored row, closed; the empty template row "Add another" copies is open.
    folds = re.findall(r"<details( open)?><summary>\s*<h4[^>]*>Adjust anchor</h4>", page)
    assert folds.count("") == 2
    exact = page.index('name="appearances-0-exact"')
    fold = page.rindex("Adjust anchor", 0, exact)
    assert page.rindex("<details>", 0, exact) < fold


def test_the_claim_page_has_no_empty_extra_rows(staff_client, claim_with_quotes):
    claim, _, _ = claim_with_quotes

    response = staff_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))

    formsets = {
        formset.formset.prefix: formset for formset in response.context["inline_admin_formsets"]
    }
    assert formsets["appearances"].formset.total_form_count() == 1
    assert formsets["evidence"].formset.total_form_count() == 1
    # "Add another" still has its template row.
    assert 'id="appearances-empty"' in response.content.decode()


def page_data(client, claim, appearance, evidence) -> dict:
    """What the claim page posts back unchanged, for its claim, one appearance and one
    evidence item."""
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    form = client.get(url).context["adminform"].form
    data = {
        **{name: value for name, value in form.initial.items() if value is not None},
        "tags": [],
        "loaded_version": claim.version,
        "appearances-TOTAL_FORMS": "1",
        "appearances-INITIAL_FORMS": "1",
        "appearances-0-id": appearance.pk,
        "appearances-0-claim": claim.pk,
        "appearances-0-source": appearance.source_id,
        "appearances-0-exact": appearance.exact,
        "appearances-0-prefix": appearance.prefix,
        "appearances-0-suffix": appearance.suffix,
        "appearances-0-start": appearance.start,
        "appearances-0-end": appearance.end,
        "appearances-0-is_first": "on",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "1",
        "evidence-0-id": evidence.pk,
        "evidence-0-claim": claim.pk,
        "evidence-0-source": evidence.source_id,
        "evidence-0-stance": evidence.stance,
    }
    return {key: value for key, value in data.items() if key != "speaker" or value}


def test_a_new_appearance_added_from_the_claim_page_is_saved(staff_client, claim_with_quotes):
    claim, appearance, evidence = claim_with_quotes
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    other = SourceFactory(text=TEXT)
    data = {
        **page_data(staff_client, claim, appearance, evidence),
        "appearances-TOTAL_FORMS": "2",
        "appearances-1-claim": claim.pk,
        "appearances-1-source": other.pk,
        "appearances-1-exact": "Others disagreed",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 302, response.context and [
        f.errors for f in response.context["inline_admin_formsets"][0].formset
    ]
    added = Appearance.objects.get(claim=claim, source=other)
    assert added.start == TEXT.index("Others disagreed")
    assert Evidence.objects.filter(claim=claim).count() == 1


def test_a_quote_refused_on_the_claim_page_opens_its_anchor_with_the_error(
    staff_client, claim_with_quotes
):
    claim, appearance, evidence = claim_with_quotes
    url = reverse("admin:claims_claim_change", args=[claim.pk])
    data = {
        **page_data(staff_client, claim, appearance, evidence),
        "appearances-0-exact": "words the source never had",
    }

    response = staff_client.post(url, data)

    assert response.status_code == 200
    page = response.content.decode()
    exact = page.index('name="appearances-0-exact"')
    fold = page.rindex('aria-labelledby="appearances-0-1-heading"', 0, exact)
    # Not folded: the quote and its error are in sight.
    assert "<details>" not in page[fold:exact]
    assert "is not in the source text" in page[fold:]


def test_the_verdict_timeline_is_a_table(staff_client, staff_user, claim_with_quotes):
    claim, _, _ = claim_with_quotes
    verdict_record(claim=claim, rating=rating("unverified"), rationale="Not yet.", by=staff_user)

    page = staff_client.get(reverse("admin:claims_claim_change", args=[claim.pk])).content.decode()

    assert '<table class="verdict-timeline">' in page
    assert "<td>Not yet.</td>" in page


# One date format, the workflow forms, the site's icon and "View site" ------------------------


def test_the_verdict_form_takes_its_date_in_the_admins_widget_as_iso(staff_client):
    claim = ClaimFactory()

    page = staff_client.get(reverse("admin:claims_claim_verdict", args=[claim.pk])).content
    page = page.decode()

    assert 'class="vDateField' in page
    assert 'type="date"' not in page
    assert '<div class="submit-row">' in page
    assert '<fieldset class="module aligned">' in page


def test_the_lists_and_pages_write_dates_as_iso(staff_client):
    import datetime

    ClaimFactory(label="dated", stated_on=datetime.date(2020, 1, 8))

    page = staff_client.get(reverse("admin:claims_claim_changelist")).content.decode()

    assert "2020-01-08" in page
    assert "Jan. 8, 2020" not in page


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"].endswith("factcheck/favicon.svg")


def test_view_site_leads_to_the_api_docs(staff_client):
    page = staff_client.get(reverse("admin:index")).content.decode()

    assert 'href="/api/docs/">View site</a>' in page


def test_the_claim_page_costs_the_same_queries_however_many_quotes(staff_client):
    def queries_for(quotes: int) -> int:
        claim = ClaimFactory()
        sources = [SourceFactory(title=f"Article with quote {n}") for n in range(quotes)]
        for source in sources:
            AppearanceFactory(claim=claim, source=source)
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        staff_client.get(url)  # the session and permissions, read once
        with CaptureQueriesContext(connection) as queries:
            page = staff_client.get(url).content.decode()
        # Each row's source box still names its source.
        for source in sources:
            assert f'<option value="{source.pk}" selected>{source}</option>' in page
        return len(queries.captured_queries)

    assert queries_for(1) == queries_for(4)


def test_a_researcher_reads_a_published_claims_page_with_its_quotes(
    client, researcher, published_claim
):
    client.force_login(researcher)

    response = client.get(reverse("admin:claims_claim_change", args=[published_claim.pk]))

    assert response.status_code == 200
    assert "<mark>no casualties</mark>" in response.content.decode()
