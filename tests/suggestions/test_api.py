"""GET /api/v1/sources/<id>/suggestions/ and the decisions on a suggestion."""

import pytest

from claims.models import Speaker, Suggestion
from claims.suggestions import services
from claims.suggestions.jobs import KIND
from jobs.models import Job
from tests.factories import AppearanceFactory, OutletFactory, SourceFactory, SpeakerFactory

ARTICLE = (
    "Storm Leaves 40,000 Homes Without Power\n"
    "By Jane Smith\n"
    "The storm cut power to 40,000 homes in Galway on Tuesday, the Electricity Supply Board "
    "said.\n"
    "“Crews restored 12,000 connections overnight,” said Mary O’Brien, the board’s "
    "spokeswoman.\n"
    "She added that most homes would have power again by Friday.\n"
    "What a night it was!\n"
)


def url(source) -> str:
    return f"/api/v1/sources/{source.pk}/suggestions/"


@pytest.fixture
def article(db):
    return SourceFactory(text=ARTICLE, outlet=OutletFactory(name="Western Post"))


def results(client, source, **params):
    response = client.get(url(source), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_editors_and_reviewers_get_the_suggestions_others_are_refused(
    article, editor_client, reviewer_client, researcher_client, anonymous
):
    assert editor_client.get(url(article)).status_code == 200
    assert reviewer_client.get(url(article)).status_code == 200
    assert researcher_client.get(url(article)).status_code == 403
    assert anonymous.get(url(article)).status_code in (401, 403)


def test_suggestions_are_the_check_worthy_sentences_by_position_with_exact_offsets(
    article, editor_client
):
    body = results(editor_client, article)
    assert body["supported"] is True
    assert body["language"] == "en"
    found = body["results"]
    assert found, body
    assert [row["start"] for row in found] == sorted(row["start"] for row in found)
    for row in found:
        assert ARTICLE[row["start"] : row["end"]] == row["quote"]
        assert 0 <= row["score"] <= 1
        assert row["reasons"]
    quotes = [row["quote"] for row in found]
    assert any(quote.startswith("The storm cut power") for quote in quotes)
    assert "By Jane Smith" not in quotes
    assert "What a night it was!" not in quotes


def test_the_speaker_is_matched_to_a_known_speaker_by_alias(article, editor_client):
    board = SpeakerFactory(name="Electricity Supply Board", kind=Speaker.Kind.AGENCY, aliases="ESB")
    storm = next(
        row
        for row in results(editor_client, article, min_score=0)["results"]
        if row["quote"].startswith("The storm")
    )
    assert storm["attribution"] == "paraphrase"
    assert storm["speaker"] == {"name": board.name, "id": board.pk, "kind": "agency"}


def test_a_quote_and_its_carried_he_added_have_a_proposed_new_speaker(article, editor_client):
    rows = {
        row["quote"][:12]: row for row in results(editor_client, article, min_score=0)["results"]
    }
    quoted, added = rows["“Crews resto"], rows["She added th"]
    assert quoted["attribution"] == "direct_quote"
    assert quoted["speaker"] == {"name": "Mary O’Brien", "id": None, "kind": "person"}
    assert added["speaker"]["name"] == "Mary O’Brien"


def test_min_score_filters_and_bad_values_are_a_400(article, editor_client):
    everything = results(editor_client, article, min_score=0)["results"]
    nothing = results(editor_client, article, min_score=1)["results"]
    assert len(everything) > len(results(editor_client, article)["results"]) >= len(nothing)
    for bad in ("high", "-0.1", "1.5", "nan"):
        response = editor_client.get(url(article), {"min_score": bad})
        assert response.status_code == 400
        assert "min_score" in response.content.decode()


def test_an_empty_source_has_no_suggestions(db, editor_client):
    source = SourceFactory(text="")
    body = results(editor_client, source)
    assert body["results"] == []
    assert body["status"] == "ready"


def test_an_unknown_source_is_a_404(db, editor_client):
    assert editor_client.get("/api/v1/sources/999999/suggestions/").status_code == 404


def test_a_non_english_source_says_suggestions_do_not_know_its_language(db, editor_client):
    source = SourceFactory(
        language="de-DE", text="Die Regierung sagte am Montag, 300 Menschen seien gestorben."
    )
    body = results(editor_client, source)
    assert body["language"] == "de"
    assert body["supported"] is False
    assert "English" in body["detail"]
    assert body["results"] == []


def test_a_text_tagged_english_that_reads_as_french_gets_no_suggestions(db, editor_client):
    source = SourceFactory(
        language="en",
        text="Le gouvernement a annoncé lundi que 300 personnes étaient mortes dans "
        "l'inondation, selon le ministère de l'Intérieur.",
    )
    body = results(editor_client, source)
    assert body["language"] == "fr"
    assert body["supported"] is False
    assert body["results"] == []


def test_a_text_without_sentence_boundaries_is_no_error(db, editor_client):
    source = SourceFactory(text="lorem ipsum dolor " * 250)
    assert results(editor_client, source)["status"] == "ready"


def test_a_long_source_is_scored_by_a_job(db, editor_client, task_worker, monkeypatch):
    monkeypatch.setattr(services, "INLINE_MAX_CHARS", 200)
    text = ("The council said 1,200 people moved to Cork in 2019. " * 10000)[:500_000]
    source = SourceFactory(text=text)
    assert Job.objects.filter(kind=KIND, params__source_id=source.pk).count() == 1
    body = results(editor_client, source)
    assert body["status"] == "computing"
    assert body["results"] == []
    assert body["job"].startswith("/api/v1/jobs/")
    # Asking again does not start another job.
    results(editor_client, source)
    assert Job.objects.filter(kind=KIND, params__source_id=source.pk).count() == 1


def test_a_long_sources_job_stores_its_suggestions(
    db, editor_client, task_worker, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_MAX_CHARS", 200)
    with django_capture_on_commit_callbacks(execute=True):
        source = SourceFactory(text="The council said 1,200 people moved to Cork in 2019.\n" * 8)
    task_worker()
    job = Job.objects.get(kind=KIND, params__source_id=source.pk)
    assert job.status == Job.Status.SUCCEEDED, job.error
    body = results(editor_client, source, min_score=0)
    assert body["status"] == "ready"
    assert len(body["results"]) == 8


def test_a_dismissed_suggestion_is_hidden_for_everyone_and_stays_dismissed_after_a_resave(
    article, editor_client, reviewer_client
):
    row = next(
        r for r in results(editor_client, article)["results"] if r["quote"].startswith("The storm")
    )
    response = editor_client.post(f"{url(article)}{row['id']}/dismiss/")
    assert response.status_code == 200
    assert response.json()["status"] == "dismissed"
    assert row["quote"] not in [r["quote"] for r in results(reviewer_client, article)["results"]]
    stored = Suggestion.objects.get(pk=row["id"])
    assert stored.decided_by is not None
    assert stored.history.first().history_user is not None

    article.text = "Update: the figures changed.\n" + ARTICLE
    article.save()
    after = results(editor_client, article, min_score=0)["results"]
    assert row["quote"] not in [r["quote"] for r in after]
    stored.refresh_from_db()
    assert stored.status == "dismissed"
    assert article.text[stored.start : stored.end] == stored.quote


def test_a_researcher_cannot_dismiss(article, editor_client, researcher_client):
    row = results(editor_client, article)["results"][0]
    assert researcher_client.post(f"{url(article)}{row['id']}/dismiss/").status_code == 403
    assert Suggestion.objects.get(pk=row["id"]).status == "open"


def test_a_suggestion_of_another_source_is_a_404(article, editor_client):
    row = results(editor_client, article)["results"][0]
    other = SourceFactory()
    assert editor_client.post(f"{url(other)}{row['id']}/dismiss/").status_code == 404


def test_a_suggestion_overlapping_an_appearance_is_not_shown(article, editor_client):
    start = ARTICLE.index("The storm cut power")
    AppearanceFactory(
        source=article, start=start, end=start + 30, exact=ARTICLE[start : start + 30]
    )
    quotes = [r["quote"] for r in results(editor_client, article, min_score=0)["results"]]
    assert not any(quote.startswith("The storm cut power") for quote in quotes)
    assert any(quote.startswith("“Crews") for quote in quotes)


def test_the_sources_admin_page_says_how_many_suggestions_are_open(article, editor_admin):
    services.suggestions_refresh(source=article)
    count = services.open_count(article, min_score=0.5)
    response = editor_admin.get(f"/admin/sources/source/{article.pk}/change/")
    assert response.status_code == 200
    assert f"{count} open claim suggestion" in response.content.decode()


def test_the_sources_admin_page_says_when_suggestions_are_not_computed_yet(db, editor_admin):
    source = SourceFactory(text=ARTICLE)  # saved in the test's transaction: never committed
    response = editor_admin.get(f"/admin/sources/source/{source.pk}/change/")
    assert "not computed yet" in response.content.decode()
