"""Importing other fact-checkers' ClaimReview: each review once, on the claim it
reviews (matched, or a new draft with its speaker), its rating mapped; again, nothing
changes. Through import_claimreview, the API (a job) and the admin."""

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from claims.models import Claim, Evidence, ExternalReview, Speaker
from jobs.models import Job
from tests.factories import ClaimFactory, SpeakerFactory
from tests.helpers import run_python, token_client

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


def review(url, claim, rating, *, publisher="PolitiFact", language="en", author="Joe Bloggs"):
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim,
        "datePublished": "2020-01-09",
        "inLanguage": language,
        "author": {
            "@type": "Organization",
            "name": publisher,
            "url": f"https://{publisher}.example/",
        },
        "reviewRating": {"@type": "Rating", "alternateName": rating},
        "itemReviewed": {
            "@type": "Claim",
            "author": {"@type": "Person", "name": author},
            "datePublished": "2020-01-08",
            "firstAppearance": {"@type": "CreativeWork", "url": "https://news.example/a"},
        },
    }


FEED = {
    "@context": "https://schema.org",
    "@type": "DataFeed",
    "dataFeedElement": [
        {
            "@type": "DataFeedItem",
            "item": [
                review("https://politifact.example/1", "No Americans were harmed.", "Pants on Fire")
            ],
        },
        {
            "@type": "DataFeedItem",
            "item": [
                review(
                    "https://afp.example/2",
                    "Aucune victime américaine.",
                    "Faux",
                    publisher="AFP Factuel",
                    language="fr",
                ),
                review("https://politifact.example/3", "The base was empty.", "Cherry-picked"),
            ],
        },
    ],
}


def write(tmp_path, data, name="feed.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data) if not isinstance(data, str) else data, encoding="utf-8")
    return str(path)


def import_claimreview(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        call_command("import_claimreview", *args, stdout=out, stderr=io.StringIO())
    except SystemExit as exit:
        return int(exit.code or 0), out.getvalue()
    return 0, out.getvalue()


def test_a_feed_is_imported_once_each_review_on_its_claim_new_or_the_same_in_french(tmp_path):
    status, out = import_claimreview(write(tmp_path, FEED))

    # AFP's review, in French, is of the claim PolitiFact's first review is of: the
    # similar-claim matcher joins it to that claim (claims/read/similar.py).
    assert (status, out) == (
        0,
        "imported 3 reviews (2 claims created, 1 matched), 0 already known, 1 unmapped\n",
    )
    reviews = {r.url: r for r in ExternalReview.objects.select_related("rating", "claim")}
    assert reviews["https://politifact.example/1"].rating.slug == "false"
    assert reviews["https://afp.example/2"].rating.slug == "false"
    assert reviews["https://politifact.example/3"].rating is None  # unmapped
    assert reviews["https://politifact.example/3"].textual_rating == "Cherry-picked"
    claims = Claim.objects.all()
    assert {claim.review_state for claim in claims} == {State.DRAFT}  # nothing published
    assert {claim.speaker.name for claim in claims} == {"Joe Bloggs"}
    assert Speaker.objects.count() == 1
    first = reviews["https://politifact.example/1"].claim
    assert reviews["https://afp.example/2"].claim == first
    assert reviews["https://afp.example/2"].claim_match == ExternalReview.ClaimMatch.SIMILAR
    assert first.stated_on.isoformat() == "2020-01-08"
    assert [a.source.url for a in first.appearances.all()] == ["https://news.example/a"]


def test_importing_the_same_feed_again_changes_nothing(tmp_path):
    path = write(tmp_path, FEED)
    import_claimreview(path)
    history = ExternalReview.history.count()

    assert import_claimreview(path) == (
        0,
        "imported 0 reviews (0 claims created, 0 matched), 3 already known, 1 unmapped\n",
    )
    assert ExternalReview.objects.count() == 3
    assert Claim.objects.count() == 2
    assert ExternalReview.history.count() == history


def test_a_changed_review_is_updated_in_place(tmp_path):
    import_claimreview(write(tmp_path, FEED))
    changed = json.loads(json.dumps(FEED))
    changed["dataFeedElement"][0]["item"][0]["reviewRating"]["alternateName"] = "Mostly False"

    import_claimreview(write(tmp_path, changed))

    updated = ExternalReview.objects.get(url="https://politifact.example/1")
    assert (updated.textual_rating, updated.rating.slug) == ("Mostly False", "mostly-false")
    assert ExternalReview.objects.count() == 3


def test_a_review_of_a_known_claim_joins_it(tmp_path):
    speaker = SpeakerFactory(name="Jane Minister", aliases="The Minister\nJ. Minister")
    claim = ClaimFactory(text="The base wasn’t empty.", speaker=speaker)
    data = review(
        "https://fullfact.example/9", "The  base WASN'T empty", "False", author="J. Minister"
    )

    status, out = import_claimreview(write(tmp_path, data))

    assert status == 0
    assert out == "imported 1 reviews (0 claims created, 1 matched), 0 already known, 0 unmapped\n"
    assert ExternalReview.objects.get().claim == claim
    assert Speaker.objects.count() == 1  # matched by its alias


def test_a_speaker_is_matched_by_wikidata_id_first(tmp_path):
    speaker = SpeakerFactory(name="Donald J. Trump", wikidata_id="Q22686")
    data = review("https://x.example/1", "A claim.", "False", author="Trump")
    data["itemReviewed"]["author"]["sameAs"] = "https://www.wikidata.org/wiki/Q22686"

    import_claimreview(write(tmp_path, data))

    assert ExternalReview.objects.get().claim.speaker == speaker


def test_a_review_without_a_url_or_claim_is_skipped_and_named_and_the_rest_imported(tmp_path):
    broken = {
        "@context": "https://schema.org",
        "@graph": [
            review("", "No URL here.", "False"),
            review("https://ok.example/1", "A fine claim.", "True"),
            review("https://ok.example/2", "", "False"),
        ],
    }

    status, out = import_claimreview(write(tmp_path, broken))

    assert status == 0
    assert out.startswith("imported 1 reviews (1 claims created, 0 matched), 0 already known")
    assert "2 skipped" in out
    assert "no review URL" in out
    assert "no claim text" in out
    assert ExternalReview.objects.count() == 1
    assert Claim.objects.count() == 1  # never a half-made claim


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("just some words", "neither JSON nor an HTML page"),
        ('{"name": "no reviews"}', "ClaimReview"),
    ],
)
def test_an_input_without_claimreview_fails_the_command(tmp_path, content, message):
    status, out = import_claimreview(write(tmp_path, content, "input.txt"))

    assert status == 1
    assert out.startswith("failed ")
    assert message.lower() in out.lower()
    assert not ExternalReview.objects.exists()


def test_a_missing_file_fails_and_the_other_inputs_are_imported(tmp_path):
    status, out = import_claimreview(str(tmp_path / "missing.json"), write(tmp_path, FEED))

    assert status == 1
    lines = out.splitlines()
    assert lines[0].startswith(f"failed {tmp_path / 'missing.json'}: cannot read the file")
    assert "imported 3 reviews" in lines[1]


READ_BACK = """
import json
import django
django.setup()
from claims.models import ExternalReview
print(json.dumps([
    [r.claim.text, r.claim.speaker.name if r.claim.speaker else None, r.rating and r.rating.slug]
    for r in ExternalReview.objects.select_related("claim__speaker", "rating").order_by("id")
]))
"""


def test_our_own_feed_imported_into_an_empty_database_gives_back_our_claims_and_ratings(
    anonymous, published_claim, tmp_path
):
    feed = tmp_path / "ours.json"
    feed.write_bytes(anonymous.get("/api/v1/claims/feed.json", HTTP_HOST="localhost").getvalue())
    empty = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    assert run_python("manage.py", "migrate", "-v0", DATABASE_URL=empty).returncode == 0

    imported = run_python("manage.py", "import_claimreview", str(feed), DATABASE_URL=empty)
    read_back = run_python("-c", READ_BACK, DATABASE_URL=empty)

    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("imported 1 reviews (1 claims created, 0 matched)")
    claim = published_claim
    assert json.loads(read_back.stdout) == [[claim.text, claim.speaker.name, claim.verdict.slug]]


# The API ---------------------------------------------------------------------------------

REVIEWS = "/api/v1/external-reviews/"


@pytest.fixture
def imported(tmp_path):
    import_claimreview(write(tmp_path, FEED))
    return ExternalReview.objects.order_by("id")


def test_the_list_shows_the_reviews_of_the_claims_a_viewer_may_see(imported, editor, anonymous):
    assert len(token_client(editor).get(REVIEWS).json()["results"]) == 3
    # Imported claims are drafts: the public sees none of their reviews.
    assert anonymous.get(REVIEWS).json()["results"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("unmapped=true", ["https://politifact.example/3"]),
        ("rating=false", ["https://afp.example/2", "https://politifact.example/1"]),
        ("reviewed_after=2020-01-10", []),
    ],
)
def test_the_list_filters(imported, editor, query, expected):
    results = token_client(editor).get(f"{REVIEWS}?{query}").json()["results"]

    assert sorted(item["review_url"] for item in results) == expected


def test_a_claims_detail_shows_its_external_reviews(imported, editor):
    review = imported.first()

    body = token_client(editor).get(f"/api/v1/claims/{review.claim_id}/").json()

    assert [item["review_url"] for item in body["external_reviews"]] == [
        r.url for r in ExternalReview.objects.filter(claim_id=review.claim_id)
    ]
    assert review.url in [item["review_url"] for item in body["external_reviews"]]
    assert body["external_reviews"][0]["textual_rating"] == review.textual_rating


def test_an_editor_imports_a_feed_through_the_api_as_a_job(
    editor, task_worker, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("feed.json", json.dumps(FEED).encode(), "application/json")
    client = token_client(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{REVIEWS}import/", {"file": upload}, format="multipart")
    assert response.status_code == 202
    task_worker()

    job = client.get(response["Location"]).json()
    assert job["status"] == "succeeded"
    assert job["stage"].startswith("imported 3 reviews")
    assert ExternalReview.objects.count() == 3


def test_only_editors_and_reviewers_import_reviews(researcher_client, anonymous):
    body = {"url": "https://feeds.example/claimreview.json"}
    assert researcher_client.post(f"{REVIEWS}import/", body, format="json").status_code == 403
    assert anonymous.post(f"{REVIEWS}import/", body, format="json").status_code == 401
    assert not Job.objects.exists()


# The admin ---------------------------------------------------------------------------------


def test_the_admin_lists_reviews_and_shows_them_on_their_claim(imported, staff_client):
    changelist = staff_client.get(reverse("admin:claims_externalreview_changelist"))
    review = imported.first()
    claim_page = staff_client.get(reverse("admin:claims_claim_change", args=[review.claim_id]))

    assert reverse("admin:claims_externalreview_import") in changelist.content.decode()
    assert review.url in claim_page.content.decode()


def test_a_review_is_cited_as_evidence_from_the_admin(imported, staff_client):
    review = imported.first()

    staff_client.post(
        reverse("admin:claims_externalreview_changelist"),
        {"action": "cite_as_evidence", "_selected_action": [review.pk]},
    )

    evidence = Evidence.objects.get()
    assert (evidence.claim, evidence.source.url) == (review.claim, review.url)
    assert evidence.stance == Evidence.Stance.REFUTES  # rated false


def test_the_admin_import_page_starts_a_job(staff_client):
    upload = SimpleUploadedFile("feed.json", json.dumps(FEED).encode(), "application/json")

    response = staff_client.post(reverse("admin:claims_externalreview_import"), {"file": upload})

    job = Job.objects.get()
    assert response["Location"] == reverse("admin:jobs_job_change", args=[job.pk])
