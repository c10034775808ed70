"""GET /api/v1/claims/similar/ and /claims/{id}/similar/: anyone asks, each viewer is
matched against the claims they may see, bad input is a 400 that names the problem."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.interchange.importing import import_claimreview
from claims.models import ClaimEmbedding, ExternalReview
from claims.services import claim_create
from tests.factories import ClaimFactory
from tests.helpers import publish, token_client

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/similar/"


@pytest.fixture
def strike_claims(editor):
    harmed = claim_create(
        data={"label": "no casualties", "text": "No Americans were harmed in the Iranian strikes."},
        by=editor,
    )
    treated = claim_create(
        data={
            "label": "11 treated",
            "text": "Eleven U.S. service members were treated for concussion after the attack.",
        },
        by=editor,
    )
    return harmed, treated


def test_the_newsroom_finds_a_paraphrase_with_its_score_reasons_and_threshold(
    editor, strike_claims
):
    harmed, _ = strike_claims
    answer = token_client(editor).get(URL, {"text": "no U.S. casualties from Iran's strikes"})
    assert answer.status_code == 200
    body = answer.json()
    first = body["results"][0]
    assert first["claim"]["id"] == harmed.pk
    assert first["claim"]["label"] == "no casualties"  # as in the claims list
    assert 0 <= first["score"] <= 1
    assert first["score"] >= body["threshold"]
    assert first["reasons"]


def test_the_public_and_researchers_are_matched_against_public_claims_only(
    client, editor, reviewer, researcher, strike_claims
):
    _, treated = strike_claims
    publish(treated, editor=editor, reviewer=reviewer)
    for viewer in (client, token_client(researcher)):
        results = viewer.get(URL, {"text": "No Americans were harmed in the strikes"}).json()
        assert {r["claim"]["id"] for r in results["results"]} <= {treated.pk}


def test_a_claims_similar_claims_leave_out_itself_and_the_claims_linked_to_it(
    editor, strike_claims
):
    harmed, _ = strike_claims
    twin = claim_create(
        data={"label": "none harmed", "text": "Not a single American was hurt in Iran's strikes."},
        by=editor,
    )
    api = token_client(editor)
    found = [
        r["claim"]["id"] for r in api.get(f"/api/v1/claims/{harmed.pk}/similar/").json()["results"]
    ]
    assert harmed.pk not in found
    assert found[0] == twin.pk
    linked = api.post(f"/api/v1/claims/{harmed.pk}/links/", {"other": twin.pk, "kind": "dismissed"})
    assert linked.status_code in (200, 201)
    found = [
        r["claim"]["id"] for r in api.get(f"/api/v1/claims/{harmed.pk}/similar/").json()["results"]
    ]
    assert twin.pk not in found


def test_a_claim_the_viewer_may_not_see_has_no_similar_claims_page(client, strike_claims):
    assert client.get(f"/api/v1/claims/{strike_claims[0].pk}/similar/").status_code == 404


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({}, "text", "empty"),
        ({"text": "   "}, "text", "empty"),
        ({"text": "word " * 20_000}, "text", "characters"),
        ({"text": "a claim", "limit": "0"}, "limit", "1 to 50"),
        ({"text": "a claim", "limit": "500"}, "limit", "1 to 50"),
        ({"text": "a claim", "limit": "many"}, "limit", "whole number"),
        ({"text": "a claim", "language": "klingonese"}, "language", "language tag"),
    ],
)
def test_bad_input_is_a_400_naming_the_parameter(client, db, params, field, words):
    answer = client.get(URL, params)
    assert answer.status_code == 400
    assert words in json.dumps(answer.json())
    assert field in json.dumps(answer.json())


def test_a_text_in_an_unknown_script_is_answered(client, db):
    answer = client.get(URL, {"text": "ꯑꯃꯁꯨꯡ ꯃꯤꯑꯣꯏ ꯁꯤꯈ꯭ꯔꯦ 𓀀𓀁𓀂"})
    assert answer.status_code == 200
    assert answer.json()["results"] == []


def test_the_similar_page_takes_the_same_number_of_queries_for_one_match_or_many(
    editor, django_assert_max_num_queries
):
    api = token_client(editor)
    claim_create(data={"label": "strike", "text": "Iran fired missiles at Al Asad."}, by=editor)
    api.get(URL, {"text": "a first search loads the index"})
    with CaptureQueriesContext(connection) as one:
        api.get(URL, {"text": "Iran fired missiles at Al Asad", "limit": "50"})
    for number in range(12):
        claim_create(
            data={
                "label": f"strike {number}",
                "text": f"Iran fired {number + 2} missiles at Al Asad.",
            },
            by=editor,
        )
    with django_assert_max_num_queries(len(one.captured_queries)):
        found = api.get(URL, {"text": "Iran fired missiles at Al Asad", "limit": "50"}).json()
    assert len(found["results"]) == 13


def test_index_claims_embeds_the_claims_missing_an_embedding_once(db, capsys):
    ClaimFactory.create_batch(3)
    call_command("index_claims")
    assert ClaimEmbedding.objects.count() == 3
    assert "3 claims embedded" in capsys.readouterr().out
    call_command("index_claims")
    assert "0 claims embedded" in capsys.readouterr().out
    call_command("index_claims", "--all")
    assert "3 claims embedded" in capsys.readouterr().out


def feed(claim_text: str, url: str) -> io.BytesIO:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": url,
        "author": {
            "@type": "Organization",
            "name": "Les Vérificateurs",
            "url": "https://verif.example",
        },
        "claimReviewed": claim_text,
        "inLanguage": "fr",
        "reviewRating": {"@type": "Rating", "alternateName": "Faux"},
    }
    return io.BytesIO(json.dumps(review).encode())


def test_an_imported_review_of_a_claim_in_other_words_joins_that_claim_and_says_so(
    editor, strike_claims
):
    harmed, _ = strike_claims
    import_claimreview(
        feed(
            "Aucun Américain n'a été blessé lors des frappes iraniennes.", "https://verif.example/1"
        )
    )
    review = ExternalReview.objects.get(url="https://verif.example/1")
    assert review.claim == harmed
    assert review.claim_match == ExternalReview.ClaimMatch.SIMILAR
    assert review.claim_match_score >= 0.8


def test_an_imported_review_of_another_fact_gets_a_new_claim(editor, strike_claims):
    import_claimreview(
        feed(
            "Cent neuf soldats ont reçu un diagnostic de lésion cérébrale.",
            "https://verif.example/2",
        )
    )
    review = ExternalReview.objects.get(url="https://verif.example/2")
    assert review.claim not in strike_claims
    assert review.claim_match == ExternalReview.ClaimMatch.NEW
