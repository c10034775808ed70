"""The seed fixture: both articles, every claim in them, anchored to the exact span."""

import datetime
import hashlib
import json
from collections import Counter

import pytest
from django.apps import apps

from claims.models import Appearance, Claim, Evidence, Rating, Speaker
from fixtures import build_seed
from sources.anchoring import CONTEXT_LENGTH
from sources.models import Source, content_hash
from tests.factories import ClaimFactory, SourceFactory

# The seed texts as given in the shared seeds folder. A copy that differs by
# one byte (a straightened quote, a dropped non-breaking space, an added final
# newline) fails here.
SEED_TEXT_SHA256 = {
    "000_b50473b03e29cf9f.txt": "ef54f655d1a7baff63d76456caa6ad12b469e3aa5c504742c0d38c3f2d2d2632",
    "002_b8250ef491ce8d10.txt": "cf74b3bf9e853e45febae42864b28106d877f3d3d8abb359a697b3f229630e6f",
}


def seed_records() -> list[dict]:
    return json.loads(build_seed.SEED_JSON.read_bytes().decode("utf-8"))


def anchored_quotes() -> list[Appearance | Evidence]:
    return [
        *Appearance.objects.filter(start__isnull=False).select_related("source"),
        *Evidence.objects.filter(start__isnull=False).select_related("source"),
    ]


def test_the_seed_loads_every_record_of_the_fixture(seed):
    in_fixture = Counter(record["model"] for record in seed_records())

    assert {label: apps.get_model(label).objects.count() for label in in_fixture} == in_fixture
    assert Source.objects.with_text().count() == 2
    assert Claim.objects.count() == len(build_seed.CLAIMS)


def test_every_seed_anchor_matches_the_stored_text_at_its_offsets(seed):
    quotes = anchored_quotes()

    assert len(quotes) == Appearance.objects.filter(source__in=Source.objects.with_text()).count()
    for quote in quotes:
        text = quote.source.text
        assert text[quote.start : quote.end] == quote.exact
        assert quote.prefix == text[max(0, quote.start - CONTEXT_LENGTH) : quote.start]
        assert quote.suffix == text[quote.end : quote.end + CONTEXT_LENGTH]


def test_seed_offsets_count_code_points_past_curly_quotes_and_non_breaking_spaces(seed):
    appearance = Appearance.objects.get(claim__label="Operation Martyr Soleimani")
    before = appearance.source.text[: appearance.start]

    assert "\xa0" in before
    assert "’" in before
    assert appearance.exact.startswith("Iranian state TV said")
    assert appearance.source.text[appearance.start : appearance.end] == appearance.exact


def test_metadata_only_seed_sources_have_no_anchors(seed):
    for quote in [*Appearance.objects.all(), *Evidence.objects.all()]:
        if not quote.source.text:
            assert (quote.exact, quote.prefix, quote.suffix) == ("", "", "")
            assert quote.start is None
            assert quote.end is None


def test_every_seed_source_hash_is_the_hash_of_its_text(seed):
    for source in Source.objects.all():
        assert source.content_hash == content_hash(source.text)


@pytest.mark.parametrize("name", sorted(SEED_TEXT_SHA256))
def test_the_seed_articles_are_stored_byte_for_byte(seed, name):
    copy = (build_seed.SEED_TEXTS_DIR / name).read_bytes()
    title = next(source.title for source in build_seed.SOURCES if source.text_file == name)

    assert hashlib.sha256(copy).hexdigest() == SEED_TEXT_SHA256[name]
    assert Source.objects.get(title=title).text.encode("utf-8") == copy


def test_the_builder_writes_exactly_the_committed_seed_json():
    committed = build_seed.SEED_JSON.read_bytes().decode("utf-8")

    assert build_seed.render(build_seed.build_fixture()) == committed


def test_every_seed_claim_has_exactly_one_first_appearance(seed):
    for claim in Claim.objects.prefetch_related("appearances"):
        assert [a.is_first for a in claim.appearances.all()].count(True) == 1


def test_published_seed_claims_have_a_verdict_a_rationale_and_evidence(seed):
    published = Claim.objects.published()

    assert published.count() == 5
    for claim in published:
        assert claim.verdict.slug != Rating.UNVERIFIED
        assert claim.rationale
        assert claim.evidence.exists()
        assert all(item.note for item in claim.evidence.all())


def test_seed_claims_still_in_research_have_no_verdict_yet(seed):
    for claim in Claim.objects.exclude(review_state=Claim.ReviewState.PUBLISHED):
        assert claim.review_state in {Claim.ReviewState.DRAFT, Claim.ReviewState.IN_RESEARCH}
        assert claim.verdict.slug == Rating.UNVERIFIED
        assert claim.rationale == ""


def test_no_casualties_is_the_presidents_claim_refuted_by_the_pentagon(seed):
    claim = Claim.objects.get(label="no casualties")
    first = claim.first_appearance

    assert claim.speaker.name == "Donald Trump"
    assert claim.speaker.wikidata_id == "Q22686"
    assert claim.speaker_role == "President of the United States"
    assert str(claim.stated_on) == "2020-01-08"
    assert claim.verdict.slug == "false"
    assert first.source.text == ""
    assert first.source.outlet.name == "The White House"
    # Slate's hypothetical "if there are no casualties" is not an appearance of it.
    assert list(claim.appearances.all()) == [first]
    assert {(e.stance, e.source.outlet.name) for e in claim.evidence.all()} == {
        (Evidence.Stance.REFUTES, "U.S. Department of Defense")
    }
    assert claim.evidence.count() == 2


def test_imminent_attack_is_the_administrations_claim_left_unsupported(seed):
    claim = Claim.objects.get(label="imminent attack")

    assert claim.speaker.name == "Trump administration"
    assert claim.speaker.parent.name == "U.S. government"
    assert claim.attribution == Claim.Attribution.PARAPHRASE
    assert str(claim.stated_on) == "2020-01-03"
    assert claim.verdict.slug == "unsupported"
    assert str(claim.first_appearance.source.published_at.date()) == "2020-01-03"
    assert "“imminent attack”" in claim.appearances.get(start__isnull=False).exact
    assert sorted((e.stance, e.source.outlet.name) for e in claim.evidence.all()) == [
        (Evidence.Stance.CONTEXT, "Fox News"),
        (Evidence.Stance.REFUTES, "CBS News"),
        (Evidence.Stance.REFUTES, "The White House"),
    ]


def test_the_seed_speakers_form_a_sensible_hierarchy(seed):
    pentagon = Speaker.objects.get(wikidata_id="Q11209")

    assert pentagon.parent.name == "U.S. government"
    assert "the Pentagon" in pentagon.alias_list
    assert Speaker.objects.get(name="Islamic Revolutionary Guard Corps").parent.name == (
        "Government of Iran"
    )


def test_every_seed_record_passes_the_models_own_validation(seed):
    for label in {record["model"] for record in seed_records()}:
        for record in apps.get_model(label).objects.all():
            if isinstance(record, Appearance | Evidence):
                anchor = (record.exact, record.prefix, record.suffix, record.start, record.end)
                record.full_clean()
                # clean() re-resolves the anchor; it must agree with the fixture.
                assert (record.exact, record.prefix, record.suffix, record.start, record.end) == (
                    anchor
                )
            else:
                record.full_clean()


def test_new_records_can_be_added_after_loading_the_seed(seed):
    # loaddata sets explicit ids; on PostgreSQL the sequences must move past them.
    source = SourceFactory()
    claim = ClaimFactory()

    assert source.pk > len(build_seed.SOURCES)
    assert claim.pk > len(build_seed.CLAIMS)


def verdicts_as_of(claim: Claim, *days: str) -> list[str]:
    return [
        entry.rating.slug if entry else None
        for entry in (claim.verdict_as_of(datetime.date.fromisoformat(day)) for day in days)
    ]


def test_no_casualties_was_unverified_on_8_january_and_false_from_16_january(seed):
    claim = Claim.objects.get(label="no casualties")

    assert verdicts_as_of(claim, "2020-01-07", "2020-01-08", "2020-01-15", "2020-01-16") == [
        None,
        "unverified",
        "unverified",
        "false",
    ]


def test_imminent_attack_was_unverified_at_first_and_unsupported_from_14_february(seed):
    claim = Claim.objects.get(label="imminent attack")

    assert verdicts_as_of(claim, "2020-01-07", "2020-02-13", "2020-02-14") == [
        "unverified",
        "unverified",
        "unsupported",
    ]


def test_each_published_seed_claim_publishes_its_latest_verdict_entry(seed):
    for claim in Claim.objects.published():
        latest = claim.verdict_entries.in_timeline_order().last()
        assert claim.published_entry == latest
        assert claim.verdict == latest.rating
        assert claim.rationale == latest.rationale
        for entry in claim.verdict_entries.exclude(rating__slug=Rating.UNVERIFIED):
            assert entry.evidence.exists()
            assert {item.claim_id for item in entry.evidence.all()} == {claim.pk}
