"""export_claims: every format to a file, the API's filters, --public, failures, progress."""

import csv
import dataclasses
import io
import json

import pytest
from django.core.management import CommandError, call_command

from claims.exports import FORMATS
from claims.management.commands.export_claims import Progress
from claims.models import Claim
from tests.factories import AppearanceFactory, ClaimFactory, TagFactory
from tests.helpers import Terminal, csv_ids, publish

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


@pytest.fixture
def claims(editor, reviewer):
    """A published claim tagged iran, a published one tagged strike, a draft tagged iran."""
    iran, strike = TagFactory(slug="iran"), TagFactory(slug="strike")
    made = {}
    for name, tag in (("iran", iran), ("strike", strike)):
        claim = ClaimFactory(label=f"published about {name}")
        claim.tags.add(tag)
        AppearanceFactory(claim=claim)
        made[name] = publish(claim, editor=editor, reviewer=reviewer)
    made["draft"] = ClaimFactory(label="a draft about iran")
    made["draft"].tags.add(iran)
    AppearanceFactory(claim=made["draft"])
    return made


def export(tmp_path, *args, name: str = "claims.out", stderr=None) -> bytes:
    output = tmp_path / name
    call_command("export_claims", *args, "--output", str(output), stderr=stderr or io.StringIO())
    assert not (tmp_path / f"{name}.partial").exists()
    return output.read_bytes()


def ids(*claims) -> list[int]:
    return sorted(claim.pk for claim in claims)


def left_in(tmp_path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir())


# Formats -----------------------------------------------------------------------------------


def test_csv_is_written_with_a_header_and_a_row_per_claim(tmp_path, claims):
    content = export(tmp_path, "--format", "csv")

    assert content.decode("utf-8-sig").startswith("id,url,label,text,")
    assert csv_ids(content) == ids(*claims.values())


def test_json_lines_are_written_a_claim_per_line(tmp_path, claims):
    content = export(tmp_path, "--format", "jsonl")

    lines = [json.loads(line) for line in content.splitlines()]
    assert [line["id"] for line in lines] == ids(*claims.values())
    # A command has no request: addresses are on the configured site.
    assert lines[0]["url"] == f"http://127.0.0.1:8000/api/v1/claims/{lines[0]['id']}/"


def test_claimreview_is_written_for_the_published_claims(tmp_path, claims):
    content = export(tmp_path, "--format", "claimreview")

    reviews = json.loads(content)
    assert [review["@type"] for review in reviews] == ["ClaimReview", "ClaimReview"]
    assert sorted(review["url"] for review in reviews) == [
        f"http://127.0.0.1:8000/api/v1/claims/{pk}/" for pk in ids(claims["iran"], claims["strike"])
    ]


def test_annotations_are_written_for_every_appearance(tmp_path, claims):
    content = export(tmp_path, "--format", "annotations")

    annotations = json.loads(content)
    assert len(annotations) == 3 + 2  # three appearances, evidence of the two published
    assert {note["type"] for note in annotations} == {"Annotation"}


def test_the_html_report_is_written_with_its_title(tmp_path, claims):
    content = export(tmp_path, "--format", "html", "--title", "Iran, January").decode()

    assert content.startswith("<!DOCTYPE html>")
    assert "<title>Iran, January</title>" in content
    for claim in claims.values():
        assert claim.label in content


def test_the_pdf_report_is_written(tmp_path, claims):
    content = export(tmp_path, "--format", "pdf")

    assert content.startswith(b"%PDF")


def test_without_pango_the_command_says_what_to_install_and_writes_nothing(
    tmp_path, claims, without_pango
):
    with pytest.raises(CommandError, match=r"libpango-1\.0-0") as raised:
        export(tmp_path, "--format", "pdf")

    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in str(raised.value)
    assert left_in(tmp_path) == []


def test_a_pdf_report_over_the_limit_is_a_command_error_and_leaves_no_file(
    tmp_path, claims, settings
):
    settings.REPORT_PDF_MAX_CLAIMS = 2

    with pytest.raises(CommandError, match="at most 2 claims"):
        export(tmp_path, "--format", "pdf")

    assert left_in(tmp_path) == []


# Selection ---------------------------------------------------------------------------------


def test_public_leaves_drafts_out(tmp_path, claims):
    public = csv_ids(export(tmp_path, "--format", "csv", "--public"))
    newsroom = csv_ids(export(tmp_path, "--format", "csv"))

    assert public == ids(claims["iran"], claims["strike"])
    assert claims["draft"].pk in newsroom


def test_filters_are_the_apis_and_all_must_match(tmp_path, claims):
    content = export(tmp_path, "--format", "csv", "--review_state", "published", "--tag", "iran")

    assert csv_ids(content) == ids(claims["iran"])


def test_a_repeated_filter_keeps_claims_matching_any_of_its_values(tmp_path, claims):
    content = export(tmp_path, "--format", "jsonl", "--public", "--tag", "iran", "--tag", "strike")

    assert [json.loads(line)["id"] for line in content.splitlines()] == ids(
        claims["iran"], claims["strike"]
    )


def test_as_of_gives_the_verdict_in_force_on_that_day(tmp_path, claims):
    # publish() records the verdict as holding from 16 January 2020.
    before = export(tmp_path, "--format", "csv", "--tag", "strike", "--as_of", "2020-01-15")
    after = export(tmp_path, "--format", "csv", "--tag", "strike", "--as_of", "2020-01-16")

    [row_before] = csv.DictReader(io.StringIO(before.decode("utf-8-sig")))
    [row_after] = csv.DictReader(io.StringIO(after.decode("utf-8-sig")))
    assert (row_before["verdict"], row_after["verdict"]) == ("", "false")


@pytest.mark.parametrize(
    ("option", "value"),
    [("--tag", "nope"), ("--review_state", "lost"), ("--as_of", "yesterday")],
)
def test_a_bad_filter_names_its_option_and_leaves_no_file(tmp_path, claims, option, value):
    with pytest.raises(CommandError, match=f"^{option}: "):
        export(tmp_path, "--format", "csv", option, value)

    assert left_in(tmp_path) == []


# Failures ----------------------------------------------------------------------------------


@pytest.fixture
def failing_csv(monkeypatch):
    """The CSV writer breaks down after its first chunk."""
    real = FORMATS["csv"]

    def write(claims, **options):
        chunks = real.write(claims, **options)
        yield next(chunks)
        raise RuntimeError("The database went away.")

    monkeypatch.setitem(FORMATS, "csv", dataclasses.replace(real, write=write))


def test_a_failure_mid_write_leaves_no_file(tmp_path, claims, failing_csv):
    with pytest.raises(RuntimeError, match="went away"):
        export(tmp_path, "--format", "csv")

    assert left_in(tmp_path) == []


def test_a_failure_mid_write_leaves_an_earlier_export_as_it_was(tmp_path, claims, failing_csv):
    (tmp_path / "claims.out").write_bytes(b"yesterday's export")

    with pytest.raises(RuntimeError, match="went away"):
        export(tmp_path, "--format", "csv")

    assert left_in(tmp_path) == ["claims.out"]
    assert (tmp_path / "claims.out").read_bytes() == b"yesterday's export"


def test_an_unwritable_output_is_a_command_error(tmp_path, claims):
    with pytest.raises(CommandError, match="Cannot write"):
        export(tmp_path, "--format", "csv", name="missing-folder/claims.csv")


# Progress ----------------------------------------------------------------------------------


def test_progress_shows_done_out_of_total_and_ends_at_100_percent():
    stream = io.StringIO()
    progress = Progress(1500, stream, enabled=True)

    progress(500)
    progress(1000)
    progress.close()

    updates = stream.getvalue().split("\r")[1:]
    assert "500/1,500 (33%)" in updates[0]
    assert updates[-1].endswith("1,500/1,500 (100%)\n")
    assert "#" * 30 in updates[-1]


def test_progress_of_nothing_to_export_is_complete():
    stream = io.StringIO()
    progress = Progress(0, stream, enabled=True)

    progress(0)

    assert stream.getvalue().endswith("0/0 (100%)")


def test_disabled_progress_prints_nothing():
    stream = io.StringIO()
    progress = Progress(1500, stream, enabled=False)

    progress(1500)
    progress.close()

    assert stream.getvalue() == ""


def test_on_a_terminal_the_command_draws_the_bar_to_100_percent(tmp_path, claims):
    stderr = Terminal()

    export(tmp_path, "--format", "jsonl", stderr=stderr)

    assert "\rExporting claims [" in stderr.getvalue()
    assert "3/3 (100%)\n" in stderr.getvalue()


def test_off_a_terminal_the_command_only_says_what_it_wrote(tmp_path, claims):
    stderr = io.StringIO()

    content = export(tmp_path, "--format", "csv", stderr=stderr)

    assert stderr.getvalue() == (
        f"Wrote 3 claim(s) as CSV to {tmp_path / 'claims.out'} ({len(content):,} bytes).\n"
    )


def test_without_output_the_export_goes_to_standard_output(claims):
    out = io.StringIO()

    call_command("export_claims", "--format", "csv", "--public", stdout=out)

    assert csv_ids(out.getvalue().encode()) == ids(claims["iran"], claims["strike"])


def test_a_pdf_is_not_written_to_a_text_stream():
    with pytest.raises(CommandError, match="give --output"):
        call_command("export_claims", "--format", "pdf", stdout=io.StringIO())
