"""The export and report routes of the API: files, filters, who sees what, errors, streaming."""

import datetime
import json

import pytest
from django.db import connection, connections
from django.db.models.query import QuerySet
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from claims.exports.report import pdf as report_pdf
from claims.models import Claim
from claims.services import claim_transition, verdict_record
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SpeakerFactory,
    TagFactory,
)
from tests.helpers import JAN, claim_ids_in, csv_rows, publish, rating

pytestmark = pytest.mark.django_db

State = Claim.ReviewState

CSV = "/api/v1/claims/export.csv"
JSONL = "/api/v1/claims/export.jsonl"
CLAIMREVIEW = "/api/v1/claims/export.jsonld"
ANNOTATIONS = "/api/v1/annotations/export.jsonld"
HTML = "/api/v1/claims/report.html"
PDF = "/api/v1/claims/report.pdf"
ROUTES = [CSV, JSONL, CLAIMREVIEW, ANNOTATIONS, HTML, PDF]


def fetch(client, url: str) -> bytes:
    """The whole file, read the way a client reads it (streamed or not)."""
    response = client.get(url)
    assert response.status_code == 200, getattr(response, "content", b"")
    return response.getvalue()


def exported_ids(url: str, content: bytes) -> list[int]:
    """The ids of the claims a file covers, in its order, whatever its format."""
    path = url.split("?")[0]
    kinds = {
        CSV: "csv",
        JSONL: "jsonl",
        CLAIMREVIEW: "claimreview",
        ANNOTATIONS: "annotations",
        HTML: "html",
    }
    assert path in kinds, f"no reader for {url}"
    return claim_ids_in(kinds[path], content)


def listed_ids(client, query: str) -> list[int]:
    response = client.get(f"/api/v1/claims/?{query}&page_size=500")
    assert response.status_code == 200, response.content
    assert response.json()["next"] is None
    return sorted(item["id"] for item in response.json()["results"])


def error(client, url: str, status: int) -> dict:
    response = client.get(url)
    assert response.status_code == status, getattr(response, "content", b"")
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == status
    return body


# Every file --------------------------------------------------------------------------------


FILES = [
    (CSV, "text/csv; charset=utf-8", "attachment", "claims", "csv"),
    (JSONL, "application/x-ndjson", "attachment", "claims", "jsonl"),
    (CLAIMREVIEW, "application/ld+json", "attachment", "claimreview", "jsonld"),
    (
        ANNOTATIONS,
        'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"',
        "attachment",
        "annotations",
        "jsonld",
    ),
    (HTML, "text/html; charset=utf-8", "inline", "claim-report", "html"),
]


@pytest.mark.parametrize(("url", "content_type", "disposition", "stem", "extension"), FILES)
def test_each_export_is_a_streamed_file_named_for_today(
    anonymous, published_claim, url, content_type, disposition, stem, extension
):
    response = anonymous.get(url)

    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == content_type
    name = f"{stem}-{timezone.localdate().isoformat()}.{extension}"
    assert response["Content-Disposition"] == f'{disposition}; filename="{name}"'
    assert exported_ids(url, response.getvalue()) == [published_claim.pk]


def test_the_pdf_report_is_a_whole_pdf_file_shown_inline(anonymous, published_claim):
    response = anonymous.get(PDF)

    assert response.status_code == 200
    assert not response.streaming
    assert response["Content-Type"] == "application/pdf"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == f'inline; filename="claim-report-{today}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_a_report_carries_the_title_asked_for(anonymous, published_claim):
    html = fetch(anonymous, f"{HTML}?title=Strike+claims&tag=iran").decode()

    assert "<title>Strike claims</title>" in html


# Who sees what -----------------------------------------------------------------------------


@pytest.fixture
def claims_in_every_state(editor, reviewer):
    """One claim per review state, each with an appearance (so each has annotations)."""
    claims = {}
    for state in (State.PUBLISHED, State.RETRACTED):
        claim = ClaimFactory(label=f"a {state} claim", text=f"Said and {state}.")
        AppearanceFactory(claim=claim)
        claims[state] = publish(claim, editor=editor, reviewer=reviewer)
    claims[State.RETRACTED] = claim_transition(
        claim=claims[State.RETRACTED], to=State.RETRACTED, by=reviewer, reason="Misattributed."
    )
    for state in (State.DRAFT, State.IN_RESEARCH, State.IN_REVIEW):
        claim = ClaimFactory(label=f"a {state} claim", text=f"Said, {state}.", review_state=state)
        AppearanceFactory(claim=claim)
        EvidenceFactory(claim=claim)
        claims[state] = claim
    verdict_record(
        claim=claims[State.IN_REVIEW],
        rating=rating("false"),
        rationale="Refuted, not yet reviewed.",
        evidence=[claims[State.IN_REVIEW].evidence.get()],
        by=editor,
    )
    return claims


PUBLIC_VIEW = {
    CSV: (State.PUBLISHED, State.RETRACTED),
    JSONL: (State.PUBLISHED, State.RETRACTED),
    # ClaimReview is what the newsroom published: a retraction is not a fact-check.
    CLAIMREVIEW: (State.PUBLISHED,),
    ANNOTATIONS: (State.PUBLISHED, State.RETRACTED),
    HTML: (State.PUBLISHED, State.RETRACTED),
}


@pytest.mark.parametrize("url", PUBLIC_VIEW)
@pytest.mark.parametrize("client_name", ["anonymous", "researcher_client"])
def test_unpublished_claims_reach_neither_anonymous_clients_nor_researchers(
    claims_in_every_state, url, client_name, request
):
    client = request.getfixturevalue(client_name)

    exported = exported_ids(url, fetch(client, url))

    assert exported == [claims_in_every_state[state].pk for state in PUBLIC_VIEW[url]]


@pytest.mark.parametrize("url", [CSV, JSONL, ANNOTATIONS, HTML])
def test_an_editor_exports_claims_in_every_state(claims_in_every_state, editor_client, url):
    exported = exported_ids(url, fetch(editor_client, url))

    assert exported == sorted(claim.pk for claim in claims_in_every_state.values())


@pytest.mark.parametrize("client_name", ["anonymous", "researcher_client"])
def test_the_pdf_report_is_laid_out_from_the_public_claims_only(
    claims_in_every_state, client_name, request, monkeypatch
):
    client = request.getfixturevalue(client_name)
    laid_out = []
    render_html = report_pdf.render_report_html

    def spy(claims, **options):
        laid_out.append((sorted(claims.values_list("pk", flat=True)), options["public"]))
        return render_html(claims, **options)

    monkeypatch.setattr(report_pdf, "render_report_html", spy)  # as the PDF calls it

    pdf = fetch(client, PDF)

    assert pdf.startswith(b"%PDF")
    public = sorted(claims_in_every_state[state].pk for state in PUBLIC_VIEW[CSV])
    assert laid_out == [(public, True)]


@pytest.fixture
def reconsidered_claim(editor, reviewer, published_claim):
    """Published as false, retracted, then rated true by an editor: not yet reviewed."""
    claim = claim_transition(
        claim=published_claim, to=State.RETRACTED, by=reviewer, reason="Wrong speaker."
    )
    verdict_record(
        claim=claim,
        rating=rating("true"),
        rationale="Reconsidered.",
        evidence=[claim.evidence.first()],
        by=editor,
    )
    return claim


@pytest.mark.parametrize("client_name", ["anonymous", "researcher_client"])
def test_the_public_exports_the_published_verdict_not_the_one_awaiting_review(
    reconsidered_claim, client_name, request
):
    client = request.getfixturevalue(client_name)

    [row] = csv_rows(fetch(client, CSV))
    [line] = fetch(client, JSONL).splitlines()
    claim = json.loads(line)

    assert (row["verdict"], row["rationale"]) == ("false", "Rated false on the evidence.")
    assert claim["verdict"]["slug"] == "false"
    assert [entry["rating"]["slug"] for entry in claim["verdict_timeline"]] == ["false"]


def test_an_editor_exports_the_newest_verdict(reconsidered_claim, editor_client):
    [row] = csv_rows(fetch(editor_client, CSV))
    [line] = fetch(editor_client, JSONL).splitlines()

    assert (row["verdict"], row["rationale"]) == ("true", "Reconsidered.")
    assert json.loads(line)["verdict"]["slug"] == "true"


def test_as_of_exports_the_verdict_in_force_on_that_day(anonymous, editor, reviewer):
    claim = ClaimFactory(review_state=State.IN_REVIEW)
    evidence = EvidenceFactory(claim=claim)
    verdict_record(
        claim=claim,
        rating=rating("unsupported"),
        rationale="Nothing supports it yet.",
        evidence=[evidence],
        holds_from=JAN[8],
        by=editor,
    )
    claim.refresh_from_db()
    publish(claim, editor=editor, reviewer=reviewer, slug="false", holds_from=JAN[16])

    def verdict(query: str = "") -> str:
        [row] = csv_rows(fetch(anonymous, f"{CSV}{query}"))
        return row["verdict"]

    assert verdict() == "false"
    assert verdict("?as_of=2020-01-20") == "false"
    assert verdict("?as_of=2020-01-10") == "unsupported"
    assert verdict("?as_of=2020-01-05") == ""


# Filters -----------------------------------------------------------------------------------


@pytest.fixture
def newsroom(editor, reviewer):
    """Five claims differing in state, tags, speaker, words and date; and two speakers."""
    pentagon = SpeakerFactory(name="The Pentagon", kind="military")
    trump = SpeakerFactory(name="Donald Trump", kind="person")
    iran, strike = TagFactory(slug="iran"), TagFactory(slug="strike")

    def claim(label, text, speaker, stated_on, tags, **extra):
        made = ClaimFactory(
            label=label, text=text, speaker=speaker, stated_on=datetime.date(*stated_on), **extra
        )
        made.tags.add(*tags)
        return made

    missiles = claim(
        "more than a dozen ballistic missiles",
        "Iran launched a dozen missiles.",
        pentagon,
        (2020, 1, 8),
        [iran],
    )
    casualties = claim(
        "no casualties",
        "No Americans were harmed in the attack.",
        trump,
        (2020, 1, 8),
        [iran, strike],
    )
    return {
        "missiles": publish(missiles, editor=editor, reviewer=reviewer, slug="true"),
        "casualties": publish(casualties, editor=editor, reviewer=reviewer, slug="false"),
        "sovereignty": claim(
            "attaque contre la souveraineté",
            "Une attaque contre l'Irak.",
            None,
            (2020, 1, 5),
            [],
            review_state=State.PUBLISHED,
        ),
        "intercepted": claim(
            "missiles were intercepted",
            "All the missiles were intercepted.",
            trump,
            (2020, 1, 9),
            [strike],
        ),
        "evacuated": claim(
            "the base was evacuated",
            "The base was evacuated in time.",
            pentagon,
            (2020, 1, 3),
            [iran],
            review_state=State.IN_REVIEW,
        ),
        "pentagon": pentagon,
        "trump": trump,
    }


PUBLISHED = {"missiles", "casualties", "sovereignty"}
FILTERS = [
    # query, what an editor gets, what the public gets
    ("review_state=published", PUBLISHED, PUBLISHED),
    ("review_state=draft&review_state=in_review", {"intercepted", "evacuated"}, set()),
    ("tag=iran", {"missiles", "casualties", "evacuated"}, {"missiles", "casualties"}),
    (
        "tag=iran&tag=strike",
        {"missiles", "casualties", "intercepted", "evacuated"},
        {"missiles", "casualties"},
    ),
    ("speaker={trump}", {"casualties", "intercepted"}, {"casualties"}),
    ("q=missiles", {"missiles", "intercepted"}, {"missiles"}),
    (
        "stated_on_after=2020-01-06&stated_on_before=2020-01-08",
        {"missiles", "casualties"},
        {"missiles", "casualties"},
    ),
    ("review_state=published&tag=iran", {"missiles", "casualties"}, {"missiles", "casualties"}),
    ("verdict=false", {"casualties"}, {"casualties"}),
]


@pytest.mark.parametrize(
    ("query", "for_editors", "for_public"), FILTERS, ids=[query for query, *_ in FILTERS]
)
@pytest.mark.parametrize("url", [CSV, JSONL])
@pytest.mark.parametrize("client_name", ["anonymous", "editor_client"])
def test_an_export_holds_the_claims_the_list_shows_for_the_same_filters(
    newsroom, query, for_editors, for_public, url, client_name, request
):
    client = request.getfixturevalue(client_name)
    query = query.format(**{name: obj.pk for name, obj in newsroom.items()})
    expected = for_editors if client_name == "editor_client" else for_public

    exported = exported_ids(url, fetch(client, f"{url}?{query}"))

    assert exported == listed_ids(client, query)
    assert exported == sorted(newsroom[name].pk for name in expected)


def test_a_report_holds_the_claims_matching_its_filters(newsroom, anonymous):
    html = fetch(anonymous, f"{HTML}?tag=iran&title=Iran").decode()

    assert exported_ids(HTML, html.encode()) == sorted(
        [newsroom["missiles"].pk, newsroom["casualties"].pk]
    )


# Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ROUTES)
def test_an_unknown_parameter_is_refused_by_name(anonymous, url):
    body = error(anonymous, f"{url}?colour=red", 400)

    assert body["code"] == "invalid"
    assert list(body["errors"]) == ["colour"]
    assert "colour" in body["message"]


@pytest.mark.parametrize("url", [CSV, JSONL, CLAIMREVIEW, ANNOTATIONS])
def test_only_reports_take_a_title(anonymous, url):
    body = error(anonymous, f"{url}?title=Mine", 400)

    assert list(body["errors"]) == ["title"]


@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("tag", "nope"),
        ("as_of", "yesterday"),
        ("review_state", "lost"),
        ("stated_on_after", "soon"),
    ],
)
def test_a_bad_value_is_refused_naming_its_parameter(anonymous, url, name, value):
    body = error(anonymous, f"{url}?{name}={value}", 400)

    assert list(body["errors"]) == [name]
    assert body["message"].startswith(f"{name}: ")


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/claims/export.xml",
        "/api/v1/claims/export.json",
        "/api/v1/annotations/export.csv",
        "/api/v1/claims/report.docx",
    ],
)
def test_an_unknown_extension_is_a_json_404(anonymous, url):
    body = error(anonymous, url, 404)

    assert body["code"] == "not_found"


def test_a_pdf_report_over_the_limit_is_refused_with_a_message(anonymous, settings):
    settings.REPORT_PDF_MAX_CLAIMS = 2
    for _ in range(3):
        ClaimFactory(review_state=State.PUBLISHED)

    body = error(anonymous, PDF, 400)

    assert "at most 2 claims" in body["message"]
    assert list(body["errors"]) == ["non_field_errors"]


def test_a_pdf_report_at_the_limit_is_made(anonymous, settings):
    settings.REPORT_PDF_MAX_CLAIMS = 2
    for _ in range(2):
        ClaimFactory(review_state=State.PUBLISHED)

    assert fetch(anonymous, PDF).startswith(b"%PDF")


def test_without_pdf_support_the_pdf_report_is_unavailable_and_says_why(
    anonymous, published_claim, without_pango
):
    body = error(anonymous, PDF, 503)

    assert "libpango-1.0-0" in body["message"]
    assert "apt-get install libpango-1.0-0 libpangoft2-1.0-0" in body["message"]
    assert fetch(anonymous, HTML)  # the HTML report needs no PDF support


# Streaming ---------------------------------------------------------------------------------


def test_the_jsonl_export_reads_claims_through_a_chunked_iterator_while_it_is_sent(
    anonymous, monkeypatch
):
    ClaimFactory.create_batch(3, review_state=State.PUBLISHED)
    iterated, cursors = [], []
    iterator = QuerySet.iterator
    database = type(connections["default"])
    chunked_cursor = database.chunked_cursor

    def spy_iterator(queryset, chunk_size=None):
        iterated.append((queryset.model, chunk_size))
        return iterator(queryset, chunk_size=chunk_size)

    def spy_chunked_cursor(wrapper):
        cursor = chunked_cursor(wrapper)
        cursors.append(cursor)
        return cursor

    monkeypatch.setattr(QuerySet, "iterator", spy_iterator)
    monkeypatch.setattr(database, "chunked_cursor", spy_chunked_cursor)

    response = anonymous.get(JSONL)
    assert response.streaming
    assert iterated == []  # nothing is read before the response is sent
    lines = b"".join(response.streaming_content).splitlines()

    assert len(lines) == 3
    assert iterated == [(Claim, 500)]
    assert len(cursors) == 1
    if connection.vendor == "postgresql":
        import psycopg

        # A named cursor: PostgreSQL sends the rows a chunk at a time as they are fetched.
        assert isinstance(cursors[0].cursor, psycopg.ServerCursor)


def add_public_claims(count: int, tag) -> None:
    for _ in range(count):
        claim = ClaimFactory(review_state=State.PUBLISHED)
        claim.tags.add(tag)
        AppearanceFactory(claim=claim)
        EvidenceFactory(claim=claim)


def jsonl_export(client) -> tuple[int, int]:
    """(queries run, lines written) for the whole JSONL export."""
    with CaptureQueriesContext(connection) as captured:
        content = fetch(client, JSONL)
    return len(captured), len(content.splitlines())


def test_the_jsonl_export_runs_as_many_queries_for_60_claims_as_for_5(anonymous):
    tag = TagFactory(slug="strike")
    add_public_claims(5, tag)
    jsonl_export(anonymous)  # warm up

    few = jsonl_export(anonymous)
    add_public_claims(55, tag)
    many = jsonl_export(anonymous)

    assert (few[1], many[1]) == (5, 60)
    assert many[0] == few[0]


def test_every_refused_parameter_is_named_at_once(anonymous):
    response = anonymous.get("/api/v1/claims/export.csv?tag=nope&as_of=yesterday&colour=red")

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"tag", "as_of", "colour"}
