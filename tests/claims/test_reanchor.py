"""Re-anchoring quotes when a source's text changes."""

import pytest
from django.urls import reverse

from claims.models import AnchorStatus, Appearance, Evidence
from claims.services import evidence_create, relocate
from factcheck.history import acting_user
from sources.anchoring import anchor_at
from tests.factories import AppearanceFactory, ClaimFactory, SourceFactory, UserFactory

pytestmark = pytest.mark.django_db

TEXT = (
    "Early Wednesday, Iran fired missiles at two bases. "
    "According to a Pentagon statement, “more than a dozen” ballistic missiles were fired. "
    "It is not clear yet whether there were casualties."
)
QUOTE = "“more than a dozen” ballistic missiles"


def relocated(new_text: str, quote: str = QUOTE, old_text: str = TEXT):
    start = old_text.index(quote)
    stored = anchor_at(old_text, start, start + len(quote))
    return relocate(
        new_text,
        exact=stored.exact,
        prefix=stored.prefix,
        suffix=stored.suffix,
        start=stored.start,
        end=stored.end,
    )


# Finding a quote again


def test_an_unchanged_text_keeps_the_anchor():
    found = relocated(TEXT)

    assert found.anchor.start == TEXT.index(QUOTE)


def test_an_insertion_before_the_quote_moves_it():
    new_text = "UPDATED 9:40 a.m. " + TEXT

    found = relocated(new_text)

    assert found.anchor.start == TEXT.index(QUOTE) + len("UPDATED 9:40 a.m. ")
    assert new_text[found.anchor.start : found.anchor.end] == QUOTE


def test_an_insertion_just_before_the_quote_still_finds_it_by_the_rest_of_its_context():
    new_text = TEXT.replace(QUOTE, "as many as " + QUOTE)

    found = relocated(new_text)

    assert new_text[found.anchor.start : found.anchor.end] == QUOTE
    assert found.anchor.prefix.endswith("statement, as many as ")


def test_an_insertion_inside_the_quote_orphans_it():
    new_text = TEXT.replace("a dozen” ballistic", "a dozen” Iranian ballistic")

    found = relocated(new_text)

    assert found.anchor is None
    assert found.reason == "The quote is no longer in the source text."


def test_an_insertion_after_the_quote_keeps_its_offsets_and_takes_the_new_context():
    new_text = TEXT.replace(QUOTE + " were", QUOTE + " (short-range) were")

    found = relocated(new_text)

    assert found.anchor.start == TEXT.index(QUOTE)
    assert found.anchor.suffix.startswith(" (short-range) were")


def test_a_deleted_quote_is_orphaned():
    found = relocated(TEXT.replace("According to a Pentagon statement, " + QUOTE, "Missiles"))

    assert found.anchor is None
    assert found.reason == "The quote is no longer in the source text."


def test_an_emptied_text_orphans_every_quote():
    assert relocated("").reason == "The source has no stored text any more."


def test_a_quote_repeated_with_the_same_context_is_ambiguous_and_orphaned():
    new_text = "Updated. " + TEXT + "\n\n" + TEXT  # a re-import that doubled the article

    found = relocated(new_text)

    assert found.anchor is None
    assert "now occurs 2 times" in found.reason


def test_a_repeated_quote_is_told_apart_by_its_context():
    new_text = "Earlier, " + QUOTE + " were reported. " + TEXT

    found = relocated(new_text)

    assert found.anchor.start == new_text.rindex(QUOTE)


def test_a_repeated_quote_whose_context_changed_everywhere_is_orphaned():
    new_text = f"First {QUOTE} here. Then {QUOTE} there."

    found = relocated(new_text)

    assert found.anchor is None
    assert "now occurs 2 times" in found.reason


def test_straightened_quotes_in_a_reimport_still_find_the_quote():
    new_text = TEXT.replace("“", '"').replace("”", '"')

    found = relocated(new_text)

    assert found.anchor.exact == '"more than a dozen" ballistic missiles'
    assert found.anchor.start == TEXT.index(QUOTE)


# When a source is saved


@pytest.fixture
def article():
    return SourceFactory(text=TEXT)


@pytest.fixture
def appearance(article):
    return AppearanceFactory(source=article, exact=QUOTE)


def edit(source, new_text: str, user=None):
    source.text = new_text
    if user is None:
        source.save()
        return
    with acting_user(user):
        source.save()


def test_saving_a_new_text_moves_the_quotes_and_records_who_did(article, appearance):
    editor = UserFactory()

    edit(article, "UPDATED: " + TEXT, user=editor)

    appearance.refresh_from_db()
    assert appearance.start == TEXT.index(QUOTE) + len("UPDATED: ")
    assert article.text[appearance.start : appearance.end] == appearance.exact == QUOTE
    assert appearance.prefix == article.text[appearance.start - 32 : appearance.start]
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    record = appearance.history.latest()
    assert record.history_user == editor
    assert record.history_change_reason == "Re-anchored: the source text changed"


def test_evidence_quotes_move_too(article):
    evidence = evidence_create(
        claim=ClaimFactory(), source=article, stance="supports", exact="not clear yet"
    )

    edit(article, "UPDATED: " + TEXT)

    evidence.refresh_from_db()
    assert article.text[evidence.start : evidence.end] == "not clear yet"


def test_a_quote_deleted_from_the_text_is_orphaned_and_keeps_its_old_anchor(article, appearance):
    old = (appearance.exact, appearance.prefix, appearance.suffix, appearance.start)

    edit(article, TEXT.replace(QUOTE, "missiles"))

    appearance.refresh_from_db()
    assert appearance.anchor_status == AnchorStatus.ORPHANED
    assert appearance.orphaned_reason == "The quote is no longer in the source text."
    assert (appearance.exact, appearance.prefix, appearance.suffix, appearance.start) == old
    assert appearance.end == appearance.start + len(appearance.exact)


def test_an_orphan_is_anchored_again_when_its_quote_comes_back(article, appearance):
    edit(article, TEXT.replace(QUOTE, "missiles"))
    edit(article, "Corrected: " + TEXT)

    appearance.refresh_from_db()
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert appearance.orphaned_reason == ""
    assert article.text[appearance.start : appearance.end] == QUOTE


def test_a_save_that_leaves_the_text_alone_touches_no_quote(article, appearance):
    records = appearance.history.count()

    article.title = "A new title"
    article.save()

    assert appearance.history.count() == records


def test_every_appearance_of_a_claim_moves_without_colliding(article):
    claim = ClaimFactory()
    first = AppearanceFactory(claim=claim, source=article, exact="Iran fired missiles")
    second = AppearanceFactory(claim=claim, source=article, exact="two bases")
    third = AppearanceFactory(claim=claim, source=article, exact="Pentagon statement")
    # Shifts each quote right by exactly the distance to the next one's old start.
    new_text = TEXT.replace("Early Wednesday, ", "Early Wednesday, " + " " * 10)

    edit(article, new_text)

    for appearance, quote in ((first, "Iran fired missiles"), (second, "two bases")):
        appearance.refresh_from_db()
        assert new_text[appearance.start : appearance.end] == quote
    third.refresh_from_db()
    assert new_text[third.start : third.end] == "Pentagon statement"


def test_a_quote_may_move_onto_the_old_place_of_an_orphan_of_the_same_claim(article):
    claim = ClaimFactory()
    gone = AppearanceFactory(claim=claim, source=article, exact="Early Wednesday")
    moving = AppearanceFactory(claim=claim, source=article, exact="Iran fired missiles")
    new_text = TEXT.replace("Early Wednesday, ", "")

    edit(article, new_text)

    gone.refresh_from_db()
    moving.refresh_from_db()
    assert gone.is_orphaned
    assert moving.start == gone.start == 0
    assert not moving.is_orphaned


def test_a_failed_reanchoring_leaves_the_text_unsaved(article, appearance, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Appearance, "save", refuse)

    with pytest.raises(RuntimeError):
        edit(article, "UPDATED: " + TEXT)

    article.refresh_from_db()
    assert article.text == TEXT


def test_validating_an_orphan_does_not_pin_it_to_the_new_text(article, appearance):
    edit(article, TEXT.replace(QUOTE, "missiles") + " " + QUOTE)
    appearance.refresh_from_db()
    # The quote is back once but with none of its context: that stays the editor's call.
    assert appearance.is_orphaned or article.text[appearance.start : appearance.end] == QUOTE
    appearance.anchor_status = AnchorStatus.ORPHANED
    appearance.save()
    stored = (appearance.start, appearance.end)

    appearance.full_clean()

    assert (appearance.start, appearance.end) == stored
    assert appearance.is_orphaned


# In the admin


def orphaned(article, appearance):
    edit(article, TEXT.replace(QUOTE, "missiles"))
    appearance.refresh_from_db()
    return appearance


def test_editing_the_text_in_the_admin_says_what_happened_to_the_quotes(
    staff_client, article, appearance
):
    url = reverse("admin:sources_source_change", args=[article.pk])
    data = {
        "title": article.title,
        "url": article.url,
        "outlet": article.outlet_id,
        "kind": article.kind,
        "authors": "",
        "language": "en",
        "text": TEXT.replace(QUOTE, "missiles"),
    }

    response = staff_client.post(url, data, follow=True)

    html = " ".join(response.content.decode().split())
    assert "The text changed: 0 quote(s) moved with the text; 1 quote(s) orphaned." in html
    appearance.refresh_from_db()
    assert appearance.is_orphaned
    assert appearance.history.latest().history_user.username == "editor"


def test_the_appearance_list_filters_orphans(staff_client, article, appearance):
    orphaned(article, appearance)
    AppearanceFactory(source=article, exact="not clear yet")

    response = staff_client.get(
        reverse("admin:claims_appearance_changelist"), {"anchor_status__exact": "orphaned"}
    )

    assert list(response.context["cl"].result_list) == [appearance]


def test_the_evidence_list_filters_orphans(staff_client, article):
    evidence = evidence_create(
        claim=ClaimFactory(), source=article, stance="refutes", exact="not clear yet"
    )
    edit(article, TEXT.replace("not clear yet", "unclear"))

    response = staff_client.get(
        reverse("admin:claims_evidence_changelist"), {"anchor_status__exact": "orphaned"}
    )

    assert list(response.context["cl"].result_list) == [evidence]


def test_the_source_page_warns_of_orphans_and_links_to_them(staff_client, article, appearance):
    orphaned(article, appearance)

    response = staff_client.get(reverse("admin:sources_source_change", args=[article.pk]))

    html = " ".join(response.content.decode().split())
    assert "1 quote of this source no longer matches its text" in html
    orphans_url = response.context["orphaned_appearances_url"]
    assert orphans_url in html.replace("&amp;", "&")
    listed = staff_client.get(orphans_url).context["cl"].result_list
    assert list(listed) == [appearance]


def test_editing_an_orphans_quote_in_the_admin_anchors_it_again(staff_client, article, appearance):
    orphaned(article, appearance)
    url = reverse("admin:claims_appearance_change", args=[appearance.pk])
    data = {
        "claim": appearance.claim_id,
        "source": article.pk,
        "is_first": "on",
        "exact": "not clear yet",
        "prefix": appearance.prefix,
        "suffix": appearance.suffix,
        "start": appearance.start,
        "end": appearance.end,
        "note": "",
    }

    response = staff_client.post(url, data)

    appearance.refresh_from_db()
    assert response.status_code == 302
    assert appearance.anchor_status == AnchorStatus.ANCHORED
    assert article.text[appearance.start : appearance.end] == "not clear yet"


def test_saving_an_orphan_unchanged_in_the_admin_keeps_it_orphaned(
    staff_client, article, appearance
):
    orphaned(article, appearance)
    url = reverse("admin:claims_appearance_change", args=[appearance.pk])
    data = {
        "claim": appearance.claim_id,
        "source": article.pk,
        "is_first": "on",
        "exact": appearance.exact,
        "prefix": appearance.prefix,
        "suffix": appearance.suffix,
        "start": appearance.start,
        "end": appearance.end,
        "note": "checked",
    }

    staff_client.post(url, data)

    appearance.refresh_from_db()
    assert appearance.note == "checked"
    assert appearance.is_orphaned


def test_orphans_keep_their_quote_in_the_database(article):
    appearance = Appearance(
        claim=ClaimFactory(), source=article, anchor_status=AnchorStatus.ORPHANED
    )

    with pytest.raises(Exception, match="orphan_keeps_its_quote"):
        appearance.save()


def test_evidence_without_a_quote_is_left_alone(article):
    evidence = Evidence.objects.create(
        claim=ClaimFactory(), source=SourceFactory(text=""), stance="context"
    )

    edit(article, "UPDATED: " + TEXT)

    evidence.refresh_from_db()
    assert evidence.anchor_status == AnchorStatus.ANCHORED
    assert evidence.start is None


def test_saving_the_source_page_without_touching_the_text_keeps_it_byte_for_byte(staff_client):
    text = "Title\n\nFirst paragraph, “quoted”.\nSecond line.\n"
    source = SourceFactory(text=text)
    appearance = AppearanceFactory(source=source, exact="First paragraph")
    url = reverse("admin:sources_source_change", args=[source.pk])
    data = {
        "title": source.title,
        "url": source.url,
        "outlet": source.outlet_id,
        "kind": source.kind,
        "authors": "",
        "language": "en",
        # What a browser sends back for the untouched textarea.
        "text": text.replace("\n", "\r\n"),
    }

    staff_client.post(url, data)

    source.refresh_from_db()
    assert source.text == text
    assert appearance.history.count() == 1
