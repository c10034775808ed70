"""The demo data as a fact-check editor corrected it, claim by claim, by name.

Each test states one fact of the public record (see /work/shared/seeds/README.md
and the articles) that the seed must get right.
"""

import datetime

import pytest

from claims.models import Appearance, Claim, Evidence, Speaker, VerdictEntry
from sources.models import Source

pytestmark = pytest.mark.django_db

OUTLET = Claim.Attribution.OUTLET


def claim(label: str) -> Claim:
    return Claim.objects.select_related("speaker", "verdict").get(label=label)


def test_trump_threatened_to_make_iraq_pay_is_trumps_paraphrase_of_5_january(seed):
    found = claim("Trump threatened to make Iraq pay for the base")

    assert found.speaker.name == "Donald Trump"
    assert found.attribution == Claim.Attribution.PARAPHRASE
    assert found.stated_on == datetime.date(2020, 1, 5)


def test_khameneis_instruction_is_dated_3_january_as_the_report_dates_it(seed):
    found = claim("response should be a direct attack by Iranian forces")

    assert found.speaker.name == "Ali Khamenei"
    assert found.attribution == Claim.Attribution.REPORTED
    assert found.stated_on == datetime.date(2020, 1, 3)


def test_harsh_retaliation_quotes_only_its_two_words(seed):
    found = claim("harsh retaliation")

    assert found.attribution == Claim.Attribution.PARAPHRASE
    assert "“harsh retaliation”" in found.text


def test_the_un_claim_is_antiwars_report_of_what_the_un_said(seed):
    found = claim("the world can’t handle another war")
    evidence = found.evidence.get()

    assert found.speaker.name == "Antiwar.com"
    assert found.attribution == OUTLET
    assert found.text.startswith("The UN responded")
    assert evidence.source.outlet.name == "United Nations"
    assert "“cannot afford another war in the Gulf”" in evidence.note
    assert found.verdict.slug == "mostly-true"
    # The rationale says why: the report is not the UN's wording.
    assert "cannot afford another war in the Gulf" in found.rationale
    assert "not the UN’s wording" in found.rationale


def test_no_casualties_has_no_appearance_on_slates_hypothetical(seed):
    found = claim("no casualties")

    assert not found.appearances.filter(source__title__startswith="Iran Launches").exists()
    assert not Appearance.objects.filter(exact="no casualties").exists()


def test_a_dozen_missiles_is_true_from_the_pentagons_account_of_8_january(seed):
    found = claim("more than a dozen ballistic missiles")
    entry = found.published_entry

    assert found.verdict.slug == "true"
    assert entry.holds_from == datetime.date(2020, 1, 8)
    assert [e.source.published_at.date() for e in entry.evidence.all()] == [
        datetime.date(2020, 1, 8)
    ]
    assert found.verdict_as_of(datetime.date(2020, 1, 7)).rating.slug == "unverified"
    assert found.verdict_as_of(datetime.date(2020, 1, 8)).rating.slug == "true"


def test_every_seed_source_an_evidence_item_rests_on_is_dated(seed):
    for item in Evidence.objects.select_related("source"):
        assert item.source.published_at is not None, item


@pytest.mark.parametrize(
    "label",
    [
        "killing seven people",
        "3,500 more troops",
        "750 sent and 4,000 announced",
        "rockets killed a US contractor",
        "five militia bases struck, 25 killed",
        "high-ranking PMU officials killed",
        "formal complaints via the Swiss Embassy",
        "missile strike on bases hosting U.S. troops",
        "directly claimed by Iran",
        "al-Asad hosts Iraqi personnel and Americans",
        "exit from the 2015 nuclear deal",
        "explosion at al-Asad on Tuesday",
    ],
)
def test_what_an_outlet_states_in_its_own_voice_is_the_outlets_own_reporting(seed, label):
    found = claim(label)
    outlet = found.first_appearance.source.outlet

    assert found.attribution == OUTLET
    assert found.speaker.name == outlet.name
    assert found.speaker.kind == Speaker.Kind.MEDIA


def test_no_outlet_speaker_is_marked_as_quoted_directly(seed):
    assert not Claim.objects.filter(
        speaker__kind=Speaker.Kind.MEDIA,
        speaker__name__in=["Antiwar.com", "Slate"],
        attribution=Claim.Attribution.DIRECT_QUOTE,
    ).exists()


def test_the_photo_captions_tuesday_is_a_claim_to_check_against_wednesday_local_time(seed):
    found = claim("explosion at al-Asad on Tuesday")
    appearance = found.first_appearance

    assert appearance.exact.endswith("in\xa0Iraq on Tuesday.")
    assert "Early Wednesday morning local time" in appearance.source.text
    assert "Wednesday" in appearance.note


def test_verdict_entries_are_recorded_after_their_claim_and_evidence(seed):
    entries = VerdictEntry.objects.select_related("claim").prefetch_related("evidence")
    assert entries.exists()
    for entry in entries:
        assert entry.recorded_at > entry.claim.created_at, entry
        for item in entry.evidence.all():
            assert entry.recorded_at > item.created_at, entry
        published = entry.claim.published_at
        if published is not None:
            assert entry.recorded_at <= published


def test_a_claims_verdict_entries_are_recorded_in_the_order_they_hold(seed):
    for found in Claim.objects.filter(verdict_entries__isnull=False).distinct():
        entries = list(found.verdict_entries.order_by("holds_from", "id"))
        recorded = [entry.recorded_at for entry in entries]
        assert recorded == sorted(recorded), found


def test_slates_article_was_published_the_us_evening_of_7_january(seed):
    slate = Source.objects.get(title__startswith="Iran Launches Missile Attack")

    assert slate.published_at == datetime.datetime(2020, 1, 8, 1, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("name", "wikidata_id"),
    [("Ali Khamenei", "Q57336"), ("Islamic Revolutionary Guard Corps", "Q271110")],
)
def test_speakers_carry_their_wikidata_ids(seed, name, wikidata_id):
    assert Speaker.objects.get(name=name).wikidata_id == wikidata_id
