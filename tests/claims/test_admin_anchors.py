"""Anchoring appearances and evidence in their sources, from the claim page and the
appearance pages: by quote or offsets, errors, one first appearance, one claim per span."""

import pytest

from claims.models import Appearance, Claim, Evidence
from tests.factories import AppearanceFactory, ClaimFactory, SourceFactory
from tests.helpers import (
    SOURCE_TEXT,
    admin_url,
    appearance_row,
    claim_form_data,
    inline_data,
    new_appearance_row,
)


def test_a_claim_with_an_appearance_anchored_by_quote_is_saved_with_its_offsets(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    # Typed with straight quotes and a plain space; the text has curly ones and a no-break space.
    typed = '"no casualties" were reported. Officials'
    data = claim_form_data(appearances=[new_appearance_row(source, exact=typed)])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 302
    appearance = Appearance.objects.get()
    assert SOURCE_TEXT[appearance.start : appearance.end] == appearance.exact
    assert appearance.exact == "“no casualties” were reported.\u00a0Officials"
    assert appearance.prefix == "The minister said "
    assert appearance.is_first


def test_a_claim_with_an_appearance_anchored_by_offsets_gets_its_quote(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    data = claim_form_data(appearances=[new_appearance_row(source, start=4, end=12)])

    staff_client.post(admin_url(Claim, "add"), data)

    assert Appearance.objects.get().exact == "minister"


def test_evidence_can_be_added_with_or_without_a_quote(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    broadcast = SourceFactory(text="")
    evidence = [
        {"source": source.pk, "stance": "refutes", "exact": "Officials disagreed"},
        {"source": broadcast.pk, "stance": "context", "note": "Said on air."},
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(evidence=evidence))

    assert response.status_code == 302
    quoted, unquoted = Evidence.objects.order_by("id")
    assert SOURCE_TEXT[quoted.start : quoted.end] == "Officials disagreed"
    assert unquoted.start is None
    assert unquoted.note == "Said on air."


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"exact": "no survivors"}, "is not in the source text"),
        ({"exact": "twice"}, "occurs 2 times in the text"),
        ({"start": 10, "end": 500}, "is past the end of the text"),
        ({"start": 12, "end": 4}, "must be greater than the start offset"),
        ({"start": 4}, "Give the end offset as well as the start."),
        ({"exact": "minister", "start": 0, "end": 8}, "does not match the text at offsets"),
        ({}, "Give the quote as it appears in the source, or its offsets."),
    ],
    ids=[
        "quote not in text",
        "ambiguous quote",
        "offset past the end",
        "end before start",
        "start without end",
        "quote and offsets disagree",
        "no anchor at all",
    ],
)
def test_the_claim_form_shows_appearance_anchor_errors_and_saves_nothing(
    staff_client, row, message
):
    source = SourceFactory(text="Twice, he said it twice. " + SOURCE_TEXT)
    data = claim_form_data(appearances=[new_appearance_row(source, **row)])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Claim.objects.exists()
    assert not Appearance.objects.exists()


def test_a_quote_in_a_source_without_text_is_refused(staff_client):
    broadcast = SourceFactory(text="")
    data = claim_form_data(evidence=[{"source": broadcast.pk, "stance": "refutes", "exact": "x"}])

    response = staff_client.post(admin_url(Claim, "add"), data)

    assert response.status_code == 200
    assert "This source has no stored text" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_claim_form_refuses_two_first_appearances(staff_client):
    first, second = SourceFactory(text=SOURCE_TEXT), SourceFactory(text=SOURCE_TEXT)
    rows = [
        new_appearance_row(first, exact="no casualties", is_first=True),
        new_appearance_row(second, exact="no casualties", is_first=True),
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(appearances=rows))

    assert response.status_code == 200
    assert "Tick only one appearance as the first appearance" in response.content.decode()
    assert not Claim.objects.exists()


def test_the_claim_form_refuses_the_same_span_twice(staff_client):
    source = SourceFactory(text=SOURCE_TEXT)
    # The same words, once typed and once given by their offsets.
    rows = [
        new_appearance_row(source, exact="no casualties"),
        new_appearance_row(source, start=19, end=32),
    ]

    response = staff_client.post(admin_url(Claim, "add"), claim_form_data(appearances=rows))

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert not Appearance.objects.exists()


def test_the_claim_form_refuses_a_span_someone_else_just_added(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    data = claim_form_data(claim)
    # Another editor anchors a second appearance while this page is open...
    AppearanceFactory(claim=claim, source=appearance.source, exact="Officials disagreed")
    # ...and this editor, not seeing it, anchors the same words.
    data |= inline_data(
        "appearances",
        [
            appearance_row(appearance),
            new_appearance_row(appearance.source, exact="Officials disagreed"),
        ],
        initial=1,
    )

    response = staff_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert claim.appearances.count() == 2


def test_switching_the_first_appearance_moves_the_mark(staff_client):
    first = AppearanceFactory()
    claim = first.claim
    later = AppearanceFactory(claim=claim, source=SourceFactory())
    assert Appearance.objects.get(pk=first.pk).is_first
    rows = [appearance_row(first, is_first=False), appearance_row(later, is_first=True)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    first.refresh_from_db()
    later.refresh_from_db()
    assert later.is_first
    assert not first.is_first


def test_deleting_the_first_appearance_hands_the_mark_on(staff_client):
    first = AppearanceFactory()
    claim = first.claim
    other = AppearanceFactory(claim=claim, source=SourceFactory())
    # The editor unticks the box of the row being deleted, as one tidies up.
    rows = [appearance_row(first, is_first=False, DELETE=True), appearance_row(other)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    assert list(claim.appearances.all()) == [other]
    other.refresh_from_db()
    assert other.is_first


def test_a_new_quote_on_an_anchored_appearance_is_looked_up_again(staff_client):
    appearance = AppearanceFactory()  # "no casualties", anchored with its offsets
    claim = appearance.claim
    rows = [appearance_row(appearance, exact="Officials disagreed")]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    text = appearance.source.text
    assert text[appearance.start : appearance.end] == "Officials disagreed"
    assert appearance.prefix.endswith("reported.\u00a0")


def test_new_offsets_on_an_anchored_appearance_take_the_quote_there(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    rows = [appearance_row(appearance, start=4, end=12)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    assert appearance.exact == "minister"


def test_moving_an_appearance_to_another_source_finds_the_quote_there(staff_client):
    appearance = AppearanceFactory()
    claim = appearance.claim
    elsewhere = SourceFactory(text="Reports of no casualties came first.")
    rows = [appearance_row(appearance, source=elsewhere.pk)]

    response = staff_client.post(
        admin_url(Claim, "change", claim.pk), claim_form_data(claim, appearances=rows)
    )

    assert response.status_code == 302
    appearance.refresh_from_db()
    assert (appearance.source, appearance.start, appearance.prefix) == (
        elsewhere,
        11,
        "Reports of ",
    )


def test_an_appearance_can_be_added_on_its_own_page(staff_client):
    claim = ClaimFactory()
    source = SourceFactory(text=SOURCE_TEXT)
    data = {"claim": claim.pk, "source": source.pk, "exact": "Officials disagreed", "note": ""}

    response = staff_client.post(admin_url(Appearance, "add"), data)

    assert response.status_code == 302
    appearance = Appearance.objects.get()
    assert SOURCE_TEXT[appearance.start : appearance.end] == "Officials disagreed"


def test_the_appearance_page_refuses_a_span_already_taken(staff_client):
    taken = AppearanceFactory()
    data = {"claim": taken.claim_id, "source": taken.source_id, "exact": "no casualties"}

    response = staff_client.post(admin_url(Appearance, "add"), data)

    assert response.status_code == 200
    assert "This claim is already anchored at this place." in response.content.decode()
    assert Appearance.objects.count() == 1


def test_deleting_appearances_from_the_list_keeps_a_first_appearance(staff_client):
    def appearance_published(day, **kwargs):
        source = SourceFactory(published_at=f"2020-01-{day:02}T12:00:00Z")
        return AppearanceFactory(source=source, **kwargs)

    kept = appearance_published(5)
    claim = kept.claim
    earliest = appearance_published(3, claim=claim)
    marked = appearance_published(9, claim=claim, is_first=True)
    # Deleting the marked one hands the mark to the earliest, which goes next.
    data = {"action": "delete_selected", "_selected_action": [marked.pk, earliest.pk]}

    response = staff_client.post(admin_url(Appearance, "changelist"), data | {"post": "yes"})

    assert response.status_code == 302
    assert list(claim.appearances.all()) == [kept]
    kept.refresh_from_db()
    assert kept.is_first
