"""Who sees which claims, and with which verdict, through every door: the API, the
exports and reports, and the admin (claims/read/visibility.py decides for all).

The scenario of every test: a claim published as false, then given a new verdict
(mostly true) that awaits review; a draft nobody published; and, for editors, the
same claims as they are now.
"""

import csv
import datetime
import io
import json
import re

import pytest
from django.urls import reverse

from claims.exports import FORMATS
from claims.exports.report import pdf as report_pdf
from claims.models import Claim, Rating
from claims.services import claim_transition, claim_update, verdict_record
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    TagFactory,
)
from tests.helpers import token_client

State = Claim.ReviewState
DAY = datetime.date(2020, 1, 16)
CLAIMS = "/api/v1/claims/"
EXPORTS = {
    "csv": "/api/v1/claims/export.csv",
    "jsonl": "/api/v1/claims/export.jsonl",
    "claimreview": "/api/v1/claims/export.jsonld",
    "annotations": "/api/v1/annotations/export.jsonld",
    "html": "/api/v1/claims/report.html",
}
CLAIM_ID = re.compile(r"/api/v1/claims/(\d+)/")


def rate(claim, slug, *, by, evidence) -> Claim:
    verdict_record(
        claim=claim,
        rating=Rating.objects.get(slug=slug),
        rationale=f"Rated {slug}.",
        evidence=[evidence],
        holds_from=DAY,
        by=by,
    )
    return Claim.objects.get(pk=claim.pk)


@pytest.fixture
def article(db):
    return SourceFactory(title="Strike report")


@pytest.fixture
def revised(editor, reviewer, article):
    """Published as false; now rated mostly true, awaiting review."""
    claim = ClaimFactory(label="no casualties", text="No Americans were harmed in the strike.")
    AppearanceFactory(claim=claim, source=article)
    evidence = EvidenceFactory(claim=claim)
    claim = claim_transition(claim=claim, to=State.IN_RESEARCH, by=editor)
    claim = claim_transition(claim=claim, to=State.IN_REVIEW, by=editor)
    claim = rate(claim, "false", by=editor, evidence=evidence)
    claim = claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)
    claim = rate(claim, "mostly-true", by=editor, evidence=evidence)
    assert claim.review_state == State.IN_REVIEW
    return claim


@pytest.fixture
def draft(article):
    claim = ClaimFactory(label="secret draft", text="A draft about casualties nobody published.")
    AppearanceFactory(claim=claim, source=article)
    return claim


def export_ids(name: str, content: bytes) -> set[int]:
    if name == "csv":
        return {int(row["id"]) for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    if name == "jsonl":
        return {json.loads(line)["id"] for line in content.splitlines()}
    if name == "html":
        return {int(pk) for pk in re.findall(rb'id="claim-(\d+)"', content)}
    return {int(pk) for pk in CLAIM_ID.findall(content.decode())}


def export_verdicts(name: str, content: bytes) -> set[str]:
    """The verdicts a file shows (CSV slugs, JSON Lines slugs, ClaimReview labels)."""
    if name == "csv":
        rows = csv.DictReader(io.StringIO(content.decode("utf-8-sig")))
        return {row["verdict"] for row in rows}
    if name == "jsonl":
        return {json.loads(line)["verdict"]["slug"] for line in content.splitlines()}
    assert name == "claimreview"
    return {review["reviewRating"]["alternateName"] for review in json.loads(content)}


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


# The seen verdict: the public keeps the approved one -----------------------------------------


def test_a_revised_claim_stays_in_the_public_list_with_its_approved_verdict(anonymous, revised):
    results = anonymous.get(CLAIMS).json()["results"]

    assert [(c["id"], c["verdict"]["slug"], c["review_state"]) for c in results] == [
        (revised.pk, "false", "published")
    ]
    assert results[0]["rationale"] == "Rated false."
    assert [entry["rating"]["slug"] for entry in results[0]["verdict_timeline"]] == ["false"]


def test_a_revised_claim_keeps_its_approved_verdict_in_its_detail_and_search(anonymous, revised):
    detail = anonymous.get(f"{CLAIMS}{revised.pk}/").json()
    found = anonymous.get(CLAIMS, {"q": "harmed"}).json()["results"]

    assert (detail["verdict"]["slug"], detail["review_state"]) == ("false", "published")
    assert [(c["id"], c["verdict"]["slug"]) for c in found] == [(revised.pk, "false")]


def test_the_public_history_of_a_revised_claim_shows_only_its_publication(anonymous, revised):
    entries = anonymous.get(f"{CLAIMS}{revised.pk}/history/").json()["results"]

    # The new verdict awaiting review changed nothing the public sees: no empty entry.
    [published] = entries
    assert published["review_state"] == "published"
    assert {"field": "review_state", "old": None, "new": "published"} in published["changes"]
    assert published["user"] is None


def test_the_public_filters_on_the_verdict_and_state_it_sees(anonymous, revised):
    def ids(**params):
        return [c["id"] for c in anonymous.get(CLAIMS, params).json()["results"]]

    assert ids(verdict="false") == [revised.pk]
    assert ids(verdict="mostly-true") == []
    assert ids(review_state="published") == [revised.pk]
    assert ids(review_state="in_review") == []


@pytest.mark.parametrize("name", ["csv", "jsonl", "claimreview"])
def test_every_public_export_holds_the_revised_claim_with_its_approved_verdict(
    anonymous, revised, name
):
    content = body(anonymous.get(EXPORTS[name]))

    assert export_ids(name, content) == {revised.pk}
    assert export_verdicts(name, content) == ({"False"} if name == "claimreview" else {"false"})


@pytest.mark.parametrize("name", ["html", "pdf"])
def test_the_public_reports_hold_the_revised_claim_with_its_approved_verdict(
    anonymous, revised, name, pdf_report_html
):
    response = anonymous.get(f"/api/v1/claims/report.{name}")

    content = body(response)
    if name == "pdf":
        assert content.startswith(b"%PDF")
        content = "".join(pdf_report_html).encode()
    report = content.decode()
    assert export_ids("html", content) == {revised.pk}
    assert "Rated false." in report
    assert "Rated mostly-true." not in report


def test_the_public_annotations_hold_the_revised_claim(anonymous, revised):
    annotations = body(anonymous.get(EXPORTS["annotations"]))

    assert export_ids("annotations", annotations) == {revised.pk}


def test_the_public_csv_says_published_for_a_revised_claim(anonymous, revised):
    rows = list(
        csv.DictReader(io.StringIO(body(anonymous.get(EXPORTS["csv"])).decode("utf-8-sig")))
    )

    assert [(row["review_state"], row["rationale"]) for row in rows] == [
        ("published", "Rated false.")
    ]


def test_editors_see_the_new_verdict_awaiting_review(editor_client, revised):
    detail = editor_client.get(f"{CLAIMS}{revised.pk}/").json()
    rows = body(editor_client.get(EXPORTS["jsonl"])).splitlines()

    assert (detail["verdict"]["slug"], detail["review_state"]) == ("mostly-true", "in_review")
    assert [json.loads(row)["verdict"]["slug"] for row in rows] == ["mostly-true"]


def test_a_reopened_retraction_leaves_the_public_until_published_again(
    anonymous, revised, reviewer
):
    claim = claim_transition(claim=revised, to=State.IN_RESEARCH, by=reviewer)
    claim = claim_transition(claim=claim, to=State.IN_REVIEW, by=reviewer)
    claim = claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)
    retracted = claim_transition(claim=claim, to=State.RETRACTED, by=reviewer, reason="Wrong.")
    assert [c["review_state"] for c in anonymous.get(CLAIMS).json()["results"]] == ["retracted"]

    claim_transition(claim=retracted, to=State.IN_RESEARCH, by=reviewer)

    assert anonymous.get(CLAIMS).json()["results"] == []
    assert anonymous.get(f"{CLAIMS}{revised.pk}/").status_code == 404


# Every door, every role -------------------------------------------------------------------


@pytest.fixture
def api_client_of(request, anonymous):
    """The API client of a role by name ("anonymous", "researcher", "editor", "reviewer")."""

    def client(role: str):
        if role == "anonymous":
            return anonymous
        return token_client(request.getfixturevalue(role))

    return client


NEWSROOM = {"editor": True, "reviewer": True, "researcher": False, "anonymous": False}


@pytest.mark.parametrize("role", list(NEWSROOM))
def test_the_api_and_its_exports_show_drafts_to_the_newsroom_only(
    api_client_of, role, revised, draft
):
    client = api_client_of(role)
    expected = {revised.pk, draft.pk} if NEWSROOM[role] else {revised.pk}

    assert {c["id"] for c in client.get(CLAIMS).json()["results"]} == expected
    assert client.get(f"{CLAIMS}{draft.pk}/").status_code == (200 if NEWSROOM[role] else 404)
    assert client.get(f"{CLAIMS}{draft.pk}/appearances/").status_code == (
        200 if NEWSROOM[role] else 404
    )
    for name in ("csv", "jsonl", "annotations", "html"):
        assert export_ids(name, body(client.get(EXPORTS[name]))) == expected, name


@pytest.fixture
def admin_client_of(request, client):
    """An admin session of a role by name ("researcher", "editor", "reviewer")."""

    def signed_in(role: str):
        client.force_login(request.getfixturevalue(role))
        return client

    return signed_in


ADMIN_ROLES = ["researcher", "editor", "reviewer"]


def changelist_ids(response) -> set[int]:
    return {claim.pk for claim in response.context["cl"].result_list}


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_admin_shows_drafts_to_the_newsroom_only(admin_client_of, role, revised, draft):
    client = admin_client_of(role)
    newsroom = NEWSROOM[role]
    expected = {revised.pk, draft.pk} if newsroom else {revised.pk}

    changelist = client.get(reverse("admin:claims_claim_changelist"))
    searched = client.get(reverse("admin:claims_claim_changelist"), {"q": "draft"})
    change = client.get(reverse("admin:claims_claim_change", args=[draft.pk]))
    history = client.get(reverse("admin:claims_claim_history", args=[draft.pk]))
    appearances = client.get(reverse("admin:claims_appearance_changelist"))

    assert changelist_ids(changelist) == expected
    assert changelist_ids(searched) == ({draft.pk} if newsroom else set())
    assert change.status_code == (200 if newsroom else 302)  # admin: "does not exist"
    assert history.status_code == (200 if newsroom else 404)
    assert {a.claim_id for a in appearances.context["cl"].result_list} == expected


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_annotate_page_highlights_drafts_for_the_newsroom_only(
    admin_client_of, role, revised, draft, article
):
    client = admin_client_of(role)

    page = client.get(reverse("admin:sources_source_annotate", args=[article.pk]))

    listed = {entry.claim.pk for entry in page.context["claims"]}
    assert listed == ({revised.pk, draft.pk} if NEWSROOM[role] else {revised.pk})
    verdicts = {entry.claim.pk: entry.rating.slug for entry in page.context["claims"]}
    assert verdicts[revised.pk] == ("mostly-true" if NEWSROOM[role] else "false")


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_claim_autocomplete_offers_drafts_to_the_newsroom_only(
    admin_client_of, role, revised, draft
):
    client = admin_client_of(role)
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "claims", "model_name": "appearance", "field_name": "claim", "term": ""},
    )

    offered = {int(result["id"]) for result in response.json()["results"]}
    assert offered == ({revised.pk, draft.pk} if NEWSROOM[role] else {revised.pk})


@pytest.fixture
def pdf_report_html(monkeypatch):
    """The HTML a PDF report is laid out from, as the PDF export renders it."""
    rendered: list[str] = []
    render = report_pdf.render_report_html

    def keeping(*args, **kwargs):
        for chunk in render(*args, **kwargs):
            rendered.append(chunk)
            yield chunk

    monkeypatch.setattr(report_pdf, "render_report_html", keeping)
    return rendered


@pytest.mark.parametrize("role", ADMIN_ROLES)
@pytest.mark.parametrize("name", [*FORMATS])
def test_every_admin_export_action_holds_what_the_viewer_may_see(
    admin_client_of, role, name, revised, draft, pdf_report_html
):
    client = admin_client_of(role)

    response = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": f"export_{name}", "_selected_action": [revised.pk, draft.pk]},
    )

    content = body(response)
    if name == "pdf":
        assert content.startswith(b"%PDF")
        name, content = "html", "".join(pdf_report_html).encode()
    if name in ("claimreview", "feed"):  # published fact-checks only, for everyone
        expected = {revised.pk}
    else:
        expected = {revised.pk, draft.pk} if NEWSROOM[role] else {revised.pk}
    assert export_ids(name, content) == expected


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_admin_shows_each_viewer_the_verdict_they_see(admin_client_of, role, revised):
    client = admin_client_of(role)

    changelist = client.get(reverse("admin:claims_claim_changelist")).content.decode()
    csv_export = client.post(
        reverse("admin:claims_claim_changelist"),
        {"action": "export_csv", "_selected_action": [revised.pk]},
    )

    shown = re.search(r'<td class="field-verdict_column">(.*?)</td>', changelist)[1]
    state = re.search(r'<td class="field-review_state_column">(.*?)</td>', changelist)[1]
    if NEWSROOM[role]:
        assert ("Mostly true" in shown, state) == (True, "In review")
        assert export_verdicts("csv", body(csv_export)) == {"mostly-true"}
    else:
        assert ("False" in shown, state) == (True, "Published")
        assert export_verdicts("csv", body(csv_export)) == {"false"}


def test_a_researcher_filters_the_admin_list_on_the_state_and_verdict_they_see(
    admin_client_of, revised
):
    client = admin_client_of("researcher")
    changelist = reverse("admin:claims_claim_changelist")
    false = Rating.objects.get(slug="false")
    mostly_true = Rating.objects.get(slug="mostly-true")

    def ids(**params):
        return changelist_ids(client.get(changelist, params))

    assert ids(review_state__exact="published") == {revised.pk}
    assert ids(review_state__exact="in_review") == set()
    assert ids(verdict__id__exact=false.pk) == {revised.pk}
    assert ids(verdict__id__exact=mostly_true.pk) == set()


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_the_speaker_and_tag_lists_count_the_claims_the_viewer_may_see(
    admin_client_of, role, revised, draft, editor
):
    speaker, tag = revised.speaker, TagFactory(slug="strike")
    claim_update(claim=revised, data={"tags": [tag]}, by=editor)
    claim_update(claim=draft, data={"speaker": speaker, "tags": [tag]}, by=editor)
    client = admin_client_of(role)

    speakers = client.get(reverse("admin:claims_speaker_changelist"))
    tags = client.get(reverse("admin:claims_tag_changelist"))

    expected = 2 if NEWSROOM[role] else 1
    counts = {s.pk: s.claim_count for s in speakers.context["cl"].result_list}
    assert counts[speaker.pk] == expected
    assert [t.claim_count for t in tags.context["cl"].result_list] == [expected]
