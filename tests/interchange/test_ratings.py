"""The map from the ratings other fact-checkers publish to ours: the seeded labels, by
language, then numbers placed on our scale; mapping a label later remaps the imported
reviews; the admin's mappings and its list of unmapped ratings."""

import itertools

import pytest
from django.core.exceptions import ValidationError

from claims.interchange.ratings import SEED, map_rating, remap_reviews, seed_rating_map
from claims.models import ExternalReview, RatingMapping, rating_key
from claims.services.ratings_map import (
    rating_mapping_create,
    rating_mapping_update,
    rating_mappings_delete,
)
from tests.factories import ClaimFactory, OutletFactory, StaffUserFactory
from tests.helpers import admin_url, inline_data, rating

pytestmark = pytest.mark.django_db

_urls = itertools.count()


def external_review(textual_rating: str = "", language: str = "en", **fields) -> ExternalReview:
    """A review imported from another fact-checker, with no rating of ours yet."""
    return ExternalReview.objects.create(
        claim=fields.pop("claim", None) or ClaimFactory(),
        publisher=fields.pop("publisher", None) or OutletFactory(),
        url=f"https://checker.example/reviews/{next(_urls)}",
        textual_rating=textual_rating,
        language=language,
        **fields,
    )


def slug_of(found) -> str | None:
    return None if found is None else found.slug


# The seeded labels -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "language", "slug"),
    [
        ("Pants on Fire", "en", "false"),
        ("Mostly True", "en", "mostly-true"),
        ("Four Pinocchios", "en", "false"),
        ("One Pinocchio", "en", "mostly-true"),
        ("Geppetto Checkmark", "en", "true"),
        ("Mixture", "en", "half-true"),
        ("Unproven", "en", "unsupported"),
        ("Misleading", "en", "mostly-false"),
        ("Missing context", "en", "half-true"),
        ("Trompeur", "fr", "mostly-false"),
        ("Manque de contexte", "fr", "half-true"),
        ("Infondé", "fr", "unsupported"),
        ("Engañoso", "es", "mostly-false"),
        ("Verdadero, pero...", "es", "mostly-true"),
        ("Inchequeable", "es", "unsupported"),
        ("Größtenteils falsch", "de", "mostly-false"),
        ("Fehlender Kontext", "de", "half-true"),
        ("Frei erfunden", "de", "false"),
    ],
)
def test_a_seeded_label_maps_to_our_rating_in_its_language(label, language, slug):
    assert slug_of(map_rating(label, language, None, None, None)) == slug


def test_every_seeded_label_is_in_the_map_once_for_its_language():
    keys = [(rating_key(label), language) for label, language, _ in SEED]

    assert len(SEED) >= 60
    assert len(set(keys)) == len(keys)
    assert {language for _, language in keys} == {"en", "fr", "es", "de"}
    stored = {(m.key, m.language): m.rating.slug for m in RatingMapping.objects.all()}
    for (key, language), (_, _, slug) in zip(keys, SEED, strict=True):
        assert stored[key, language] == slug


def test_seeding_again_keeps_what_editors_changed():
    pants = RatingMapping.objects.get(key="pants on fire", language="en")
    rating_mapping_update(mapping=pants, data={"rating": rating("mostly-false")})

    assert seed_rating_map() == 0
    pants.refresh_from_db()
    assert pants.rating.slug == "mostly-false"


def test_satire_is_left_unmapped():
    assert map_rating("Satire", "en", None, None, None) is None
    assert map_rating("Labeled Satire", "en", None, None, None) is None


@pytest.mark.parametrize(
    ("label", "language"),
    [
        ("PANTS ON FIRE!", "en"),
        ("  pants   on fire. ", "en"),
        ("«Pants on fire»", "en"),
        ("Pants on Fire", "en-US"),
        ("Pants on Fire", "EN"),
    ],
)
def test_a_label_matches_whatever_its_case_spacing_punctuation_or_region(label, language):
    assert slug_of(map_rating(label, language, None, None, None)) == "false"


def test_a_label_of_another_language_does_not_map():
    assert map_rating("Faux", "en", None, None, None) is None
    assert slug_of(map_rating("Faux", "fr", None, None, None)) == "false"


def test_a_mapping_for_the_language_comes_before_one_for_any_language():
    rating_mapping_create(
        data={"textual_rating": "Rubbish", "language": "", "rating": rating("mostly-false")}
    )
    rating_mapping_create(
        data={"textual_rating": "Rubbish", "language": "en", "rating": rating("false")}
    )

    assert slug_of(map_rating("rubbish", "en", None, None, None)) == "false"
    assert slug_of(map_rating("rubbish", "fr", None, None, None)) == "mostly-false"
    assert slug_of(map_rating("rubbish", "", None, None, None)) == "mostly-false"


def test_a_review_of_unknown_language_takes_the_rating_its_label_has_in_every_language():
    assert slug_of(map_rating("Pants on Fire", "", None, None, None)) == "false"
    # "Satire" is seeded nowhere; a label mapped differently by language stays unmapped.
    rating_mapping_create(
        data={"textual_rating": "Bof", "language": "fr", "rating": rating("half-true")}
    )
    rating_mapping_create(
        data={"textual_rating": "Bof", "language": "de", "rating": rating("false")}
    )
    assert map_rating("Bof", "", None, None, None) is None


# Numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "best", "worst", "slug"),
    [
        (1, 5, 1, "false"),
        (5, 5, 1, "true"),
        (3, 5, 1, "half-true"),
        (4, 5, 1, "mostly-true"),
        (0, 10, 0, "false"),
        (10, 10, 0, "true"),
        (7, 10, 0, "mostly-true"),  # 3.8 on our 1..5
        (2.4, 5, 1, "mostly-false"),  # a ratingValue between two of our steps
        (3.6, 5, 1, "mostly-true"),
        (1.5, 5, 1, "false"),  # halfway: the less true
        (2, 3, None, "half-true"),  # worstRating 1 when missing
        (0.75, 1, 0, "mostly-true"),
    ],
)
def test_an_unknown_label_with_numbers_is_placed_proportionally_on_our_scale(
    value, best, worst, slug
):
    assert slug_of(map_rating("Quatre étoiles", "fr", value, best, worst)) == slug
    assert slug_of(map_rating("", "", value, best, worst)) == slug


@pytest.mark.parametrize(
    ("value", "best", "worst"),
    [
        (3, None, 1),  # no best
        (None, 5, 1),  # no value
        (3, 1, 5),  # best not above worst
        (3, 3, 3),
        (6, 5, 1),  # off the scale
        (0, 5, None),
    ],
)
def test_numbers_that_do_not_place_a_rating_leave_it_unmapped(value, best, worst):
    assert map_rating("Quatre étoiles", "fr", value, best, worst) is None


def test_a_label_comes_before_its_numbers():
    # Pinocchios: more is worse, the numbers would say the opposite.
    assert slug_of(map_rating("Four Pinocchios", "en", 4, 4, 1)) == "false"


def test_an_unknown_label_without_numbers_is_unmapped():
    assert map_rating("Cuento chino", "es", None, None, None) is None


# Remapping -----------------------------------------------------------------------------------


def test_mapping_a_label_later_maps_the_reviews_already_imported():
    claim, outlet = ClaimFactory(), OutletFactory()
    tale = external_review("Cuento chino", "es", claim=claim, publisher=outlet)
    shouting = external_review("CUENTO CHINO!", "es-AR", publisher=outlet)
    other_language = external_review("Cuento chino", "fr")
    mapped = external_review("Falso", "es", rating=rating("false"))

    rating_mapping_create(
        data={"textual_rating": "Cuento chino", "language": "es", "rating": rating("false")}
    )

    for review in (tale, shouting, other_language, mapped):
        review.refresh_from_db()
    assert [tale.rating.slug, shouting.rating.slug] == ["false", "false"]
    assert other_language.rating is None
    assert mapped.rating.slug == "false"


def test_changing_or_deleting_a_mapping_remaps_its_reviews():
    pants = external_review("Pants on Fire")
    numbers = external_review("Pants on Fire", rating_value=5, best_rating=5, worst_rating=1)
    mapping = RatingMapping.objects.get(key="pants on fire", language="en")

    rating_mapping_update(mapping=mapping, data={"rating": rating("mostly-false")})
    pants.refresh_from_db()
    assert pants.rating.slug == "mostly-false"

    rating_mappings_delete(mappings=[mapping])
    pants.refresh_from_db()
    numbers.refresh_from_db()
    assert pants.rating is None
    assert numbers.rating.slug == "true"  # its numbers, now that its label is unmapped


def test_remap_reviews_counts_the_reviews_it_changed():
    external_review("Poppycock")
    external_review("poppycock!")
    external_review("False")
    RatingMapping.objects.create(textual_rating="Poppycock", language="en", rating=rating("false"))

    assert remap_reviews() == 3  # the "False" review was imported unmapped too
    assert remap_reviews() == 0
    assert not ExternalReview.objects.filter(rating=None).exists()


def test_a_label_already_mapped_for_its_language_is_refused():
    with pytest.raises(ValidationError, match="already mapped"):
        rating_mapping_create(
            data={"textual_rating": "pants on fire!", "language": "EN", "rating": rating("true")}
        )


# The admin -----------------------------------------------------------------------------------


def test_the_mappings_list_links_to_the_unmapped_ratings(staff_client):
    response = staff_client.get(admin_url(RatingMapping, "changelist"), {"language": "de"})

    assert response.status_code == 200
    assert admin_url(RatingMapping, "unmapped") in response.content.decode()
    listed = {mapping.textual_rating for mapping in response.context["cl"].result_list}
    assert "Frei erfunden" in listed
    assert "Pants on Fire" not in listed


def test_a_mapping_added_in_the_admin_maps_its_reviews_and_names_its_editor(
    staff_client, staff_user
):
    review = external_review("Poppycock")

    response = staff_client.post(
        admin_url(RatingMapping, "add"),
        {"textual_rating": "Poppycock", "language": "en", "rating": rating("false").pk},
    )

    assert response.status_code == 302
    mapping = RatingMapping.objects.get(key="poppycock")
    assert mapping.history.get().history_user == staff_user
    review.refresh_from_db()
    assert review.rating.slug == "false"


def test_the_admin_refuses_a_label_already_mapped_for_its_language(staff_client):
    response = staff_client.post(
        admin_url(RatingMapping, "add"),
        {"textual_rating": "PANTS ON FIRE", "language": "en", "rating": rating("true").pk},
    )

    assert response.status_code == 200
    assert "already mapped for this language" in response.content.decode()
    assert RatingMapping.objects.filter(key="pants on fire").count() == 1


def test_a_mapping_changed_or_deleted_in_the_admin_remaps_its_reviews(staff_client):
    review = external_review("Pants on Fire")
    mapping = RatingMapping.objects.get(key="pants on fire", language="en")

    staff_client.post(
        admin_url(RatingMapping, "change", mapping.pk),
        {"textual_rating": "Pants on Fire", "language": "en", "rating": rating("half-true").pk},
    )
    review.refresh_from_db()
    assert review.rating.slug == "half-true"

    staff_client.post(admin_url(RatingMapping, "delete", mapping.pk), {"post": "yes"})
    review.refresh_from_db()
    assert review.rating is None


def test_a_rating_changed_in_the_mappings_list_remaps_its_reviews(staff_client):
    review = external_review("Frei erfunden", "de")
    mapping = RatingMapping.objects.get(key="frei erfunden", language="de")

    response = staff_client.post(
        f"{admin_url(RatingMapping, 'changelist')}?q=frei+erfunden",
        {
            **inline_data("form", [{"id": mapping.pk, "rating": rating("mostly-false").pk}], 1),
            "_save": "Save",
        },
    )

    assert response.status_code == 302
    review.refresh_from_db()
    assert review.rating.slug == "mostly-false"


def test_the_unmapped_ratings_are_listed_most_frequent_first_with_a_link_to_map_them(
    staff_client,
):
    for _ in range(3):
        external_review("Cuento chino", "es")
    external_review("cuento chino!", "es-MX")  # the same label, as the map compares it
    external_review("Satire", "en")
    external_review("Satire", "de")
    external_review("Pants on Fire", "en", rating=rating("false"))  # mapped
    external_review("", "en")  # no label to map

    response = staff_client.get(admin_url(RatingMapping, "unmapped"))

    assert response.status_code == 200
    rows = [
        (row["rating"].textual_rating, row["rating"].language, row["rating"].count)
        for row in response.context["rows"]
    ]
    assert rows == [("Cuento chino", "es", 4), ("Satire", "de", 1), ("Satire", "en", 1)]
    add = response.context["rows"][0]["add_url"]
    assert add == f"{admin_url(RatingMapping, 'add')}?textual_rating=Cuento+chino&language=es"
    assert add.replace("&", "&amp;") in response.content.decode()

    form = staff_client.get(add).context["adminform"].form
    assert (form.initial["textual_rating"], form.initial["language"]) == ("Cuento chino", "es")


def test_the_unmapped_ratings_page_needs_the_right_to_see_mappings(client):
    client.force_login(StaffUserFactory(is_superuser=False))  # staff, in no role

    response = client.get(admin_url(RatingMapping, "unmapped"))

    assert response.status_code == 403
