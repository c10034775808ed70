"""The similar-claim matcher (claims/read/similar.py): what it finds, how it scores,
and what it refuses."""

import pytest

from claims.models import ClaimEmbedding
from claims.read.selection import Newsroom
from claims.read.similar import SimilarInputError, similar_claims, suggest_threshold
from claims.services import claim_create
from claims.services.matching import embed_claims
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

CATALOGUE = {
    "casualties": "No Americans were harmed in the Iranian missile strikes on the Al Asad base.",
    "concussion": "Eleven U.S. service members were treated for concussion after the attack.",
    "diagnosed": "109 U.S. troops were diagnosed with traumatic brain injuries after the strike.",
    "missiles": "Iran fired more than a dozen ballistic missiles at two bases in Iraq.",
    "unemployment": "Unemployment in Spain fell to 11.6 percent in the second quarter of 2024.",
    "vaccine": "The measles vaccine does not cause autism, a study of 650,000 children found.",
}


@pytest.fixture
def catalogue(editor):
    return {
        name: claim_create(data={"label": name, "text": text}, by=editor)
        for name, text in CATALOGUE.items()
    }


def best(text, **kwargs):
    return similar_claims(text, user=Newsroom(), **kwargs)


def test_a_claim_saved_through_the_service_is_embedded_at_once(catalogue):
    assert ClaimEmbedding.objects.filter(claim__in=catalogue.values()).count() == len(CATALOGUE)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("no U.S. casualties in Iran's attack on Al Asad", "casualties"),
        ("11 American soldiers got treatment for concussions following the strike", "concussion"),
        ("more than 12 ballistic missiles were launched by Iran against Iraqi bases", "missiles"),
        (
            "aucune victime américaine dans les frappes iraniennes sur la base d'Al Asad",
            "casualties",
        ),
        ("Spaniens Arbeitslosigkeit sank im zweiten Quartal 2024 auf 11,6 Prozent", "unemployment"),
        (
            "un estudio de 650.000 niños halló que la vacuna contra el sarampión no causa autismo",
            "vaccine",
        ),
    ],
)
def test_a_paraphrase_or_translation_finds_its_claim_first_above_the_threshold(
    catalogue, text, expected
):
    matches = best(text)
    assert matches[0].claim == catalogue[expected]
    assert matches[0].score >= suggest_threshold()


def test_a_claim_stating_other_numbers_scores_below_the_threshold(catalogue):
    matches = {
        m.claim.label: m for m in best("11 service members were treated for concussions", limit=6)
    }
    assert matches["concussion"].score >= suggest_threshold()
    assert matches["diagnosed"].score < suggest_threshold()
    assert any(reason.startswith("different numbers") for reason in matches["diagnosed"].reasons)


def test_scores_are_between_zero_and_one_best_first_with_reasons(catalogue):
    matches = best("Iran launched ballistic missiles at bases in Iraq", limit=6)
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert all(0 <= s <= 1 for s in scores)
    assert any(r.startswith("meaning:") for r in matches[0].reasons)
    assert any(r.startswith("shared words:") for r in matches[0].reasons)


def test_lexical_matching_works_without_embeddings(db):
    claim = ClaimFactory(
        text="The Pentagon confirmed that 34 troops suffered traumatic brain injuries."
    )
    matches = best("34 troops suffered brain injuries, the Pentagon said", method="lexical")
    assert matches[0].claim == claim


def test_a_claim_without_an_embedding_is_still_found_by_its_words(db):
    claim = ClaimFactory(
        text="The Pentagon confirmed that 34 troops suffered traumatic brain injuries."
    )
    assert not ClaimEmbedding.objects.exists()
    assert best("Pentagon: 34 troops with traumatic brain injuries")[0].claim == claim


def test_the_public_is_matched_against_public_claims_only(catalogue, published_claim, anonymous):
    from django.contrib.auth.models import AnonymousUser

    embed_claims([published_claim.pk])
    found = similar_claims(published_claim.text, user=AnonymousUser(), limit=10)
    assert [m.claim for m in found] == [published_claim]


def test_excluded_claims_are_not_returned(catalogue):
    matches = best(CATALOGUE["casualties"], exclude_ids=[catalogue["casualties"].pk])
    assert catalogue["casualties"] not in [m.claim for m in matches]


def test_a_text_in_a_script_the_model_does_not_know_still_gets_lexical_matches(db):
    claim = ClaimFactory(text="ꯑꯃꯁꯨꯡ ꯃꯤꯑꯣꯏ ꯱꯰꯰ ꯁꯤꯈ꯭ꯔꯦ Al Asad")
    assert best("ꯑꯃꯁꯨꯡ ꯃꯤꯑꯣꯏ ꯁꯤꯈ꯭ꯔꯦ")[0].claim == claim


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n\t "}, "text"),
        ({"text": "x" * 100_000}, "text"),
        ({"text": "a claim", "limit": 0}, "limit"),
        ({"text": "a claim", "limit": 51}, "limit"),
        ({"text": "a claim", "limit": "five"}, "limit"),
        ({"text": "a claim", "language": "xx"}, "language"),
        ({"text": "a claim", "method": "magic"}, "method"),
    ],
)
def test_bad_input_is_refused_with_the_parameter_named(db, kwargs, field):
    text = kwargs.pop("text")
    with pytest.raises(SimilarInputError) as refused:
        similar_claims(text, user=Newsroom(), **kwargs)
    assert refused.value.field == field
    assert str(refused.value)
