import pytest

from sources.anchoring import CONTEXT_LENGTH, AnchorError, resolve_anchor

# Curly quotes, an em dash and a non-breaking space, as in the seed articles.
TEXT = (
    "The minister said “no casualties” were reported.\u00a0"
    "Officials disagreed — twice. Officials disagreed again."
)


def test_a_quote_is_anchored_at_its_code_point_offsets():
    anchor = resolve_anchor(TEXT, exact="no casualties")

    assert TEXT[anchor.start : anchor.end] == "no casualties"
    assert anchor.start == TEXT.index("no casualties")
    assert anchor.prefix == TEXT[max(0, anchor.start - CONTEXT_LENGTH) : anchor.start]
    assert anchor.suffix == TEXT[anchor.end : anchor.end + CONTEXT_LENGTH]


def test_offsets_are_turned_into_the_quote_and_its_context():
    start = TEXT.index("twice")

    anchor = resolve_anchor(TEXT, start=start, end=start + 5)

    assert anchor.exact == "twice"
    assert anchor.prefix.endswith("disagreed — ")
    assert anchor.suffix.startswith(". Officials")


def test_offsets_count_code_points_not_bytes_past_non_ascii_characters():
    anchor = resolve_anchor(TEXT, exact="twice")

    before = "The minister said “no casualties” were reported.\u00a0Officials disagreed — "
    assert anchor.start == len(before)


def test_a_quote_typed_with_straight_quotes_and_plain_spaces_finds_the_curly_original():
    typed = '"no casualties" were reported. Officials disagreed - twice'

    anchor = resolve_anchor(TEXT, exact=typed)

    assert anchor.exact == "“no casualties” were reported.\u00a0Officials disagreed — twice"
    assert TEXT[anchor.start : anchor.end] == anchor.exact


def test_quote_and_offsets_that_agree_are_accepted():
    start = TEXT.index("twice")

    assert resolve_anchor(TEXT, exact="twice", start=start, end=start + 5).start == start


def test_a_quote_not_in_the_text_is_refused():
    with pytest.raises(AnchorError, match="is not in the source text") as error:
        resolve_anchor(TEXT, exact="imminent attack")

    assert error.value.field == "exact"


def test_a_repeated_quote_without_context_is_refused_with_its_offsets():
    with pytest.raises(AnchorError, match="occurs 2 times") as error:
        resolve_anchor(TEXT, exact="Officials disagreed")

    assert str(TEXT.index("Officials disagreed")) in error.value.message


def test_a_prefix_tells_a_repeated_quote_apart():
    anchor = resolve_anchor(TEXT, exact="Officials disagreed", prefix="twice. ")

    assert anchor.start == TEXT.rindex("Officials disagreed")


def test_a_suffix_tells_a_repeated_quote_apart():
    anchor = resolve_anchor(TEXT, exact="Officials disagreed", suffix=" — twice")

    assert anchor.start == TEXT.index("Officials disagreed")


def test_a_prefix_that_matches_no_occurrence_is_refused():
    with pytest.raises(AnchorError, match="not with that prefix"):
        resolve_anchor(TEXT, exact="Officials disagreed", prefix="nobody ")


@pytest.mark.parametrize(
    ("start", "end", "field", "message"),
    [
        (-1, 4, "start", "cannot be negative"),
        (0, len(TEXT) + 1, "end", "past the end of the text"),
        (10, 10, "end", "must be greater than the start"),
        (12, 5, "end", "must be greater than the start"),
        (None, 5, "start", "Give the start offset"),
        (5, None, "end", "Give the end offset"),
    ],
)
def test_offsets_out_of_range_are_refused(start, end, field, message):
    with pytest.raises(AnchorError, match=message) as error:
        resolve_anchor(TEXT, start=start, end=end)

    assert error.value.field == field


def test_a_quote_that_disagrees_with_the_offsets_is_refused():
    with pytest.raises(AnchorError, match="does not match the text at offsets 0–3"):
        resolve_anchor(TEXT, exact="twice", start=0, end=3)


def test_a_blank_quote_is_refused():
    with pytest.raises(AnchorError, match="only white space"):
        resolve_anchor(TEXT, exact="   ")


def test_nothing_can_be_anchored_in_a_source_without_text():
    with pytest.raises(AnchorError, match="no stored text"):
        resolve_anchor("", exact="anything")
