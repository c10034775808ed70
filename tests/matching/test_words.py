"""How the matcher reads words and numbers (claims/read/words.py)."""

import pytest

from claims.read.words import key, weight, words


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("Eleven service members were treated", "en", {11}),
        ("one thousand people, 1,000 people, a thousand people", "en", {1000}),
        ("unemployment fell to 3.5% in May", "en", {3.5}),
        ("le chômage a baissé à 3,5 %", "fr", {3.5}),
        ("two hundred and five; twenty one", "en", {205, 21}),
        ("six and a half thousand migrant workers", "en", {6500}),
        ("Britain sends the EU £350m a week", "en", {350_000_000}),
        ("a 2bn fine and 14k jobs", "en", {2_000_000_000, 14_000}),
        ("45 774 personnes ont traversé la Manche", "fr", {45774}),
        ("à plus de 42 000.", "fr", {42000}),
        ("2,5 millones de encuentros", "es", {2_500_000}),
        ("150 UN staff members", "en", {150}),  # "UN" is not the French "un"
        ("no one was hurt once", "en", set()),  # "one" alone, English "once": not numbers
        ("an advert from the 1950s", "en", {1950}),
        ("January 14, 2020", "en", {2020}),  # the day of a date is not a number stated
    ],
)
def test_numbers_are_values_however_they_are_written(text, language, expected):
    assert words(text, language).numbers == expected


def test_a_word_and_its_inflections_share_a_key():
    assert key("casualties") == key("casualty")
    assert key("Américaine") == key("americain")
    assert key("Iran's") == key("Iran")


def test_rare_words_weigh_more_than_common_ones():
    assert weight("Khamenei") > weight("ballistic") > weight("the")


def test_names_and_direction_are_read():
    read = words("Unemployment in Spain fell while jobs were lost in Portugal", "en")
    assert {"spain", "portug"} <= read.names
    assert read.direction == "down"
    assert not words("STOP POSING says #ImpeachTrump", "en").names  # shouted, hashtag
    assert words("Prices rose and then fell", "en").direction == ""
