"""The claim report: HTML streamed in chunks, and the same report as a PDF."""

import datetime
import re
import sys
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Iterator
from html import unescape

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext

from claims.exports.report import (
    PdfUnavailable,
    ReportTooLarge,
    pdf_support_problem,
    reading,
    render_report_html,
    render_report_pdf,
)
from claims.models import Claim, Rating
from claims.read.visibility import claims_visible_to
from claims.services import claim_transition, verdict_record
from factcheck.api.links import Links
from fixtures.build_seed import SEED_JSON
from sources.models import Source
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    RatingFactory,
    SourceFactory,
    SpeakerFactory,
    TagFactory,
    VerdictEntryFactory,
)

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"
GENERATED_AT = datetime.datetime(2026, 3, 1, 9, 30, tzinfo=datetime.UTC)


@pytest.fixture
def seed(db):
    call_command("loaddata", SEED_JSON, verbosity=0)


def public_claims():
    return claims_visible_to(AnonymousUser())


def report(claims=None, *, public: bool = False, **options) -> str:
    """The whole report (newsroom view of every claim unless told otherwise)."""
    claims = Claim.objects.all() if claims is None else claims
    options = {"links": Links(), "title": "Claims report", "filters": [], **options}
    return "".join(render_report_html(claims, public=public, **options))


def public_report(**options) -> str:
    return report(public_claims(), public=True, **options)


_BLOCK = re.compile(r"</?(?:p|li|tr|th|td|h\d|dt|dd|caption|blockquote)\b[^>]*>")


def text_of(html: str) -> str:
    """What a reader sees: the text without tags (blocks apart), whitespace collapsed."""
    return " ".join(unescape(re.sub(r"<[^>]+>", "", _BLOCK.sub(" ", html))).split())


def claim_block(html: str, claim: Claim) -> str:
    return re.search(rf'<article class="claim" id="claim-{claim.pk}">.*?</article>', html, re.S)[0]


def claim_ids(html: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<article class="claim" id="claim-(\d+)">', html)]


def chart_bars(html: str) -> dict[str, tuple[str, str]]:
    """The verdict chart's bars: label → (fill colour, "count (share)")."""
    svg = ET.fromstring(re.search(r'<svg[^>]*class="distribution".*?</svg>', html, re.S)[0])
    bars = {}
    for bar in svg.iter(f"{SVG}g"):
        label = bar.find(f"{SVG}text[@class='bar-label']").text
        value = bar.find(f"{SVG}text[@class='bar-value']").text
        bars[label] = (bar.find(f"{SVG}rect").get("fill"), value)
    return bars


def verdict_badges(html: str) -> list[str]:
    return re.findall(r'<span class="verdict-badge"[^>]*>(?:<svg.*?</svg>)?([^<]*)</span>', html)


def scorecard(html: str, name: str) -> str:
    """A speaker's scorecard row as text (its bar drawn in SVG left out)."""
    rows = re.findall(r'<tr class="scorecard[^"]*">.*?</tr>', html, re.S)
    row = next(row for row in rows if name in row)
    return text_of(re.sub(r"<svg.*?</svg>", "", row, flags=re.S))


def rating(slug: str) -> Rating:
    return Rating.objects.get(slug=slug)


# Heading and chart ------------------------------------------------------------------------


def test_the_report_opens_with_its_title_filters_and_date(seed):
    html = public_report(
        title="Soleimani strike: the record",
        filters=[("Verdict", "False"), ("Speaker", "Donald Trump")],
        generated_at=GENERATED_AT,
    )
    heading = text_of(html.split('<section class="summary"')[0])

    assert "<title>Soleimani strike: the record</title>" in html
    assert "Soleimani strike: the record" in heading
    assert "Verdict: False" in heading
    assert "Speaker: Donald Trump" in heading
    assert "1 March 2026, 09:30 UTC" in heading
    assert "Published fact-checks only" in heading


def test_a_report_without_filters_says_so(seed):
    assert "Filters None: every claim published." in text_of(public_report())


def test_the_chart_has_a_bar_per_verdict_with_its_count_and_share(seed):
    bars = chart_bars(report())

    assert {label: value for label, (_, value) in bars.items()} == {
        "True": "1 (3%)",
        "Mostly true": "1 (3%)",
        "False": "2 (6%)",
        "Unsupported": "1 (3%)",
        "Unverified": "26 (84%)",
    }


def test_each_bar_is_drawn_in_its_ratings_colour(seed):
    bars = chart_bars(public_report())

    assert {label: colour for label, (colour, _) in bars.items()} == {
        rating.label: rating.colour
        for rating in Rating.objects.exclude(slug__in=["half-true", "mostly-false", "unverified"])
    }


def test_the_chart_has_a_table_saying_the_same_in_text(seed):
    table = text_of(re.search(r'<table class="distribution-table">.*?</table>', report(), re.S)[0])

    assert "Unverified 26 84%" in table
    assert "False 2 6%" in table
    assert "All 31 100%" in table


def test_a_report_without_claims_says_none_match_and_draws_no_chart(seed):
    html = report(Claim.objects.none())

    assert "No claims match these filters." in html
    assert 'class="distribution"' not in html
    assert claim_ids(html) == []


# Claims -----------------------------------------------------------------------------------


def test_a_published_claim_shows_its_quote_in_context_speaker_verdict_and_rationale(seed):
    claim = Claim.objects.get(label="there were Iraqi casualties")
    block = claim_block(public_report(), claim)
    quote = re.search(r'<blockquote class="in-context">.*?</blockquote>', block, re.S)[0]

    assert text_of(quote) == (
        "…f U.S. troops were forced out.) Early reports suggest there were Iraqi casualties. "
        "As such, this could also be vie…"
    )
    assert "<mark>Early reports suggest there were Iraqi casualties.</mark>" in quote
    text = text_of(block)
    assert "Early reports (unnamed group) · Anonymous" in text
    assert "Verdict: False" in text
    assert claim.published_entry.rationale in text
    assert "Iran Launches Missile Attack in Retaliation for Soleimani Strike, Slate" in text


def test_a_claim_shows_its_speakers_role(seed):
    text = text_of(claim_block(public_report(), Claim.objects.get(label="no casualties")))

    assert "Donald Trump (person, President of the United States)" in text


def test_the_first_appearance_is_listed_first_and_marked(seed):
    claim = Claim.objects.get(label="imminent attack")
    text = text_of(claim_block(public_report(), claim))
    first = claim.first_appearance.source.title

    assert text.index(first) < text.index("first appearance") < text.index("Iran Launches")
    assert (
        "the purpose of the Soleimani strike, according to the administration, was to prevent "
        "an “imminent attack” by Iran on U.S. forces"
    ) in text


def test_a_published_claim_links_its_evidence_with_stance_and_note(seed):
    claim = Claim.objects.get(label="no casualties")
    block = claim_block(public_report(), claim)
    sources = Links().prefix("sources")

    for evidence in claim.evidence.select_related("source"):
        # Metadata-only sources have no web address: the link is their record.
        assert f'<a href="{sources}{evidence.source_id}/">{evidence.source.title}</a>' in block
        assert evidence.note in text_of(block)
    assert text_of(block).count("Refutes") == 2


def test_a_source_with_a_web_address_is_linked_to_it(seed):
    claim = Claim.objects.get(label="3,500 more troops")
    source = claim.first_appearance.source

    assert f'<a href="{source.url}">{source.title}</a>' in claim_block(report(), claim)


def test_a_published_claim_shows_its_verdict_timeline(seed):
    claim = Claim.objects.get(label="no casualties")
    block = claim_block(public_report(), claim)
    timeline = re.search(r'<ol class="timeline">.*?</ol>', block, re.S)[0]
    entries = [text_of(entry) for entry in re.findall(r"<li.*?</li>", timeline, re.S)]

    assert [entry.split(" ", 4)[:4] for entry in entries] == [
        ["8", "Jan", "2020", "Unverified"],
        ["16", "Jan", "2020", "False"],
        ["10", "Feb", "2020", "False"],
    ]
    for entry, recorded in zip(entries, claim.verdict_entries.in_timeline_order(), strict=True):
        assert recorded.rationale in entry
    assert "Rests on evidence 1, 2" in entries[2]


def test_claims_come_in_id_order(seed):
    assert claim_ids(report()) == sorted(Claim.objects.values_list("pk", flat=True))


# What the public sees ---------------------------------------------------------------------


def test_a_public_report_shows_only_public_claims(seed):
    html = public_report()
    draft = Claim.objects.get(label="missile strike on bases hosting U.S. troops")

    assert claim_ids(html) == sorted(Claim.objects.published().values_list("pk", flat=True))
    assert draft.text not in html
    assert "Unverified" not in chart_bars(html)
    assert "Newsroom report" not in html


def test_a_newsroom_report_says_it_is_not_for_distribution(seed):
    assert "Do not distribute it outside the newsroom." in text_of(report())


@pytest.fixture
def retracted_with_newer_verdict(seed, editor, reviewer):
    """The claim "no casualties", retracted, then given a newer verdict that no reviewer
    approved (a retracted claim stays public: the public must keep seeing the old one)."""
    claim = Claim.objects.get(label="no casualties")
    claim = claim_transition(
        claim=claim, to=Claim.ReviewState.RETRACTED, by=reviewer, reason="Sourcing re-examined."
    )
    verdict_record(
        claim=claim,
        rating=rating("half-true"),
        rationale="A newer verdict nobody has approved.",
        evidence=[claim.evidence.first()],
        holds_from=datetime.date(2020, 3, 1),
        by=editor,
    )
    return claim


def test_a_public_report_shows_the_published_verdict_not_a_newer_unapproved_one(
    retracted_with_newer_verdict,
):
    html = public_report()
    text = text_of(claim_block(html, retracted_with_newer_verdict))

    assert "Verdict: False" in text
    assert "Retracted. Sourcing re-examined." in text
    assert "A newer verdict nobody has approved." not in html
    assert "Half true" not in html
    assert chart_bars(html)["False"][1] == "2 (40%)"


def test_the_newsroom_report_shows_the_newer_verdict(retracted_with_newer_verdict):
    html = report()
    text = text_of(claim_block(html, retracted_with_newer_verdict))

    assert "Verdict: Half true" in text
    assert "A newer verdict nobody has approved." in text
    assert chart_bars(html)["Half true"][1] == "1 (3%)"


@pytest.mark.parametrize("public", [True, False])
@pytest.mark.parametrize(
    "as_of",
    [None, datetime.date(2019, 1, 1), datetime.date(2020, 1, 10), datetime.date(2020, 6, 1)],
)
def test_the_chart_counts_the_verdicts_shown_on_the_claims(
    retracted_with_newer_verdict, public, as_of
):
    claims = public_claims() if public else Claim.objects.all()
    html = report(claims, public=public, as_of=as_of)
    badges = verdict_badges(html)

    assert {label: value.split(" ")[0] for label, (_, value) in chart_bars(html).items()} == {
        label: str(badges.count(label)) for label in set(badges)
    }


def test_a_report_as_of_a_date_shows_the_verdict_then_in_force(seed):
    claim = Claim.objects.get(label="no casualties")
    html = public_report(as_of=datetime.date(2020, 1, 10))
    text = text_of(claim_block(html, claim))

    assert "Verdict on 10 January 2020: Unverified" in text
    assert "16 Jan 2020 False (after 10 Jan 2020)" in text
    assert "Verdicts as of 10 January 2020" in text_of(html)


# Speaker scorecards -----------------------------------------------------------------------


def test_a_speaker_with_few_claims_carries_a_small_sample_caveat(seed):
    card = scorecard(report(), "Donald Trump")

    assert card.startswith("Donald Trump Small sample — n = 3; don't generalise. 3")
    assert "False 1 (33%)" in card
    assert "Unverified 2 (67%)" in card


def test_a_speaker_with_five_claims_or_more_carries_no_caveat(db):
    speaker = SpeakerFactory(name="Busy Speaker")
    ClaimFactory.create_batch(5, speaker=speaker)

    card = scorecard(report(), "Busy Speaker")

    assert "Small sample" not in card
    assert card == "Busy Speaker 5 Unverified 5 (100%)"


def test_scorecards_count_the_published_verdict_for_the_public(retracted_with_newer_verdict):
    assert "False 1 (100%)" in scorecard(public_report(), "Donald Trump")


def test_unattributed_claims_are_one_group_after_the_speakers(db):
    ClaimFactory.create_batch(2, speaker=None)
    ClaimFactory(speaker=SpeakerFactory(name="Named Speaker"))
    html = report()
    rows = re.findall(r'<tr class="scorecard[^"]*">.*?</tr>', html, re.S)

    assert len(rows) == 2
    assert text_of(rows[-1]).startswith("Unattributed Small sample — n = 2")
    assert "Named Speaker" in rows[0]


# Escaping ---------------------------------------------------------------------------------


def test_user_text_is_escaped_everywhere(db):
    scripted = RatingFactory(slug="scripted", label="<script>alert('rating')</script>")
    claim = ClaimFactory(
        label="<script>alert('label')</script>",
        text="<img src=x onerror=alert(1)>",
        speaker=SpeakerFactory(name="<b>Bold</b>"),
        verdict=scripted,
    )
    AppearanceFactory(claim=claim, source=SourceFactory(title="<script>alert('title')</script>"))
    EvidenceFactory(claim=claim, source=SourceFactory(url="javascript:alert(1)", text=""))

    html = report(title="<script>alert('report')</script>", filters=[("q", "<script>")])

    assert "<script" not in html.lower()
    assert "<img" not in html
    assert "<b>" not in html
    assert "javascript:" not in html
    assert "&lt;script&gt;alert(&#x27;label&#x27;)&lt;/script&gt;" in html
    assert "&lt;script&gt;alert(&#x27;rating&#x27;)&lt;/script&gt;" in html


# Sources appendix -------------------------------------------------------------------------


def test_the_sources_appendix_lists_each_cited_source_once(seed):
    html = public_report()
    appendix = html.split('<section class="appendix"')[1]
    public = public_claims()
    cited = Source.objects.filter(
        Q(appearances__claim__in=public) | Q(evidence__claim__in=public)
    ).distinct()
    listed = re.findall(r'<li id="source-(\d+)">', appendix)
    slate = Source.objects.get(title__startswith="Iran Launches Missile Attack")

    assert sorted(int(pk) for pk in listed) == sorted(cited.values_list("pk", flat=True))
    assert len(listed) == len(set(listed))
    assert public.filter(appearances__source=slate).count() > 1  # cited by several claims
    assert html.count(f'id="source-{slate.pk}"') == 1


def test_the_appendix_gives_a_sources_web_address_or_says_it_has_none(seed):
    appendix = text_of(report().split('<section class="appendix"')[1])

    assert "https://news.antiwar.com/2020/01/03/us-to-send-3500-more-troops" in appendix
    assert "No web address; known by its metadata." in appendix


# Streaming and queries --------------------------------------------------------------------


def test_the_html_comes_in_chunks_claims_batch_by_batch(seed, monkeypatch):
    monkeypatch.setattr(reading, "BATCH_SIZE", 10)

    chunks = render_report_html(
        Claim.objects.all(), public=False, links=Links(), title="Report", filters=[]
    )

    assert isinstance(chunks, Iterator)
    pieces = list(chunks)
    with_claims = [piece for piece in pieces if claim_ids(piece)]
    assert 'class="distribution"' in pieces[0]
    assert claim_ids(pieces[0]) == []
    assert [len(claim_ids(piece)) for piece in with_claims] == [10, 10, 10, 1]
    assert pieces[-1].rstrip().endswith("</html>")
    assert "".join(pieces).count("<html") == 1


def make_claims(count: int) -> None:
    tag = TagFactory()
    for _ in range(count):
        claim = ClaimFactory(review_state=Claim.ReviewState.PUBLISHED)
        claim.tags.add(tag)
        AppearanceFactory(claim=claim)
        EvidenceFactory(claim=claim)
        VerdictEntryFactory(claim=claim)


def queries_for_report(public: bool) -> int:
    with CaptureQueriesContext(connection) as captured:
        report(Claim.objects.all(), public=public)
    return len(captured)


@pytest.mark.parametrize("public", [True, False])
def test_the_number_of_queries_does_not_grow_with_the_number_of_claims(public):
    make_claims(5)
    five = queries_for_report(public)
    make_claims(45)
    fifty = queries_for_report(public)

    assert Claim.objects.count() == 50
    assert fifty == five


def test_a_sliced_queryset_is_reported_as_sliced(seed):
    first_three = Claim.objects.order_by("id")[:3]

    assert claim_ids(report(first_three)) == [1, 2, 3]


# PDF --------------------------------------------------------------------------------------


def pdf_pages(pdf: bytes) -> list[bytes]:
    """The page objects of a PDF, read from its compressed object streams."""
    objects = pdf
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            objects += zlib.decompress(stream)
        except zlib.error:
            continue
    return re.findall(rb"/Type\s*/Page(?![s\w]).*?/MediaBox\s*\[([^\]]*)\]", objects, re.S)


def test_the_pdf_report_has_a4_pages(seed):
    pdf = render_report_pdf(
        public_claims(), public=True, links=Links(), title="Published claims", filters=[]
    )
    pages = pdf_pages(pdf)

    assert pdf.startswith(b"%PDF-")
    assert len(pages) > 1
    width, height = (float(n) for n in pages[0].split()[2:])
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_a_pdf_of_more_claims_than_the_limit_is_refused_before_any_work(seed, settings):
    settings.REPORT_PDF_MAX_CLAIMS = 4

    with CaptureQueriesContext(connection) as captured, pytest.raises(ReportTooLarge) as error:
        render_report_pdf(public_claims(), public=True, links=Links(), title="R", filters=[])

    assert "at most 4 claims" in str(error.value)
    assert "Narrow the filters" in str(error.value)
    assert len(captured) == 1  # the count


def test_a_pdf_of_exactly_the_limit_is_made(seed, settings):
    settings.REPORT_PDF_MAX_CLAIMS = 5

    pdf = render_report_pdf(public_claims(), public=True, links=Links(), title="R", filters=[])

    assert pdf.startswith(b"%PDF-")


def test_pdf_support_is_available_on_this_machine():
    assert pdf_support_problem() is None


def test_without_pango_the_problem_names_the_library_and_how_to_install_it(without_pango):
    problem = pdf_support_problem()

    assert "libpango-1.0-0" in problem
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in problem
    assert "requirements.txt" in problem


def test_without_weasyprint_the_problem_says_to_install_the_requirements(monkeypatch):
    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint: ImportError

    problem = pdf_support_problem()

    assert "WeasyPrint" in problem
    assert "pip install -r requirements.txt" in problem


def test_a_pdf_asked_for_without_its_libraries_is_refused_with_the_problem(seed, without_pango):
    with pytest.raises(PdfUnavailable, match="apt-get install libpango"):
        render_report_pdf(public_claims(), public=True, links=Links(), title="R", filters=[])


def test_without_its_libraries_a_pdf_is_refused_before_the_claims_are_counted(
    seed, settings, without_pango
):
    settings.REPORT_PDF_MAX_CLAIMS = 1

    with CaptureQueriesContext(connection) as captured, pytest.raises(PdfUnavailable):
        render_report_pdf(public_claims(), public=True, links=Links(), title="R", filters=[])

    assert len(captured) == 0
