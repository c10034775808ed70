"""Sentences, features and attributions of a text, without the database."""

from claims.suggestions.attribution import attribute
from claims.suggestions.features import features
from claims.suggestions.scoring import FURNITURE_CAP, score_sentences
from claims.suggestions.segment import MAX_SENTENCE, sentences


def test_sentence_offsets_are_code_points_of_the_stored_text_even_past_non_ascii():
    text = "Héllo “world” — 😀 twice.\u00a0Iran’s army fired 12 missiles.\nA headline without stop"
    found = sentences(text)
    assert [s.text for s in found] == [
        "Héllo “world” — 😀 twice.",
        "Iran’s army fired 12 missiles.",
        "A headline without stop",
    ]
    assert all(text[s.start : s.end] == s.text for s in found)


def test_abbreviations_do_not_end_a_sentence():
    found = sentences("The U.S. military said 3.5 million people, e.g. Dr. Smith, left. Then none.")
    assert len(found) == 2


def test_a_text_without_sentence_boundaries_is_cut_into_bounded_pieces():
    text = "word " * 5000
    found = sentences(text)
    assert len(found) > 1
    assert all(len(s.text) <= MAX_SENTENCE for s in found)
    assert all(text[s.start : s.end] == s.text for s in found)


def test_an_empty_or_blank_text_has_no_sentences():
    assert sentences("") == []
    assert sentences("  \n\n ") == []


def test_reasons_name_the_checkable_content_of_a_sentence():
    reasons = features(
        "The ministry said on Monday that 1,200 people were killed in Aleppo, "
        "30% more than in 2019."
    ).reasons
    assert "number" in reasons
    assert "percentage" in reasons
    assert "date" in reasons
    assert "attributed: said" in reasons
    assert any(reason.startswith("names: ") and "Aleppo" in reason for reason in reasons)
    assert "comparison: more than" in reasons


def test_opinion_hedges_and_questions_are_named_as_such():
    assert "opinion: i think" in features("I think this is a wonderful country.").reasons
    assert "hedged: might" in features("The talks might resume at some point.").reasons
    assert "question" in features("Did the minister know about it?").reasons


def test_article_furniture_scores_low_whatever_else_it_has():
    furniture = [
        "By Jane Smith and Tom Jones",
        "Photo: Reuters/Handout 2020",
        "Jason Ditz is Senior Editor for Antiwar.com. He has 20 years of experience.",
        "Author: Jason Ditz",
    ]
    scored = score_sentences(furniture)
    assert all(score <= FURNITURE_CAP for score, _ in scored)
    assert all("article furniture" in found.reasons for _, found in scored)


def test_a_factual_statistic_scores_above_an_opinion():
    (fact, _), (opinion, _) = score_sentences(
        [
            "Unemployment fell to 3.5 percent in December, the lowest rate since 1969.",
            "I love this country and I think we are going to be great again.",
        ]
    )
    assert fact > 0.5 > opinion


def test_a_direct_quote_names_its_speaker_after_the_quote():
    found = attribute("“We will not back down,” Defense Secretary Mark Esper said on Sunday.")
    assert (found.kind, found.speaker, found.speaker_kind) == (
        "direct_quote",
        "Mark Esper",
        "person",
    )


def test_a_paraphrase_names_its_subject():
    found = attribute("The Pentagon confirmed that the attack was carried out on orders of Trump.")
    assert (found.kind, found.speaker, found.speaker_kind) == ("paraphrase", "Pentagon", "military")


def test_a_third_partys_report_of_what_someone_told_is_reported_with_that_someone():
    found = attribute(
        "The New York Times reported on Monday that Supreme Leader Ali Khamenei had told "
        "officials that the response should be direct."
    )
    assert (found.kind, found.speaker) == ("reported", "Ali Khamenei")


def test_a_report_by_an_outlet_is_reported_by_that_outlet():
    found = attribute("According to a report by the Associated Press, 300 homes were destroyed.")
    assert (found.kind, found.speaker, found.speaker_kind) == (
        "reported",
        "Associated Press",
        "media",
    )


def test_an_unnamed_group_is_anonymous():
    for sentence, group in [
        ("Officials said 12 people died in the blast.", "Officials"),
        ("Analysts have said this attack was an act of war.", "Analysts"),
        ("Early reports suggest there were Iraqi casualties.", "Early reports"),
    ]:
        found = attribute(sentence)
        assert (found.kind, found.speaker, found.speaker_kind) == (
            "anonymous",
            group,
            "unnamed_group",
        )


def test_no_one_named_is_the_outlets_own_assertion():
    found = attribute("On Friday, a series of rockets hit an Iraqi base, killing a US contractor.")
    assert (found.kind, found.speaker) == ("outlet", "")


def test_he_added_carries_the_speaker_of_the_sentence_before():
    first = attribute("Defense Secretary Mark Esper said the strike had worked.")
    carried = attribute("He added that 11 soldiers were treated for concussions.", first)
    assert (carried.kind, carried.speaker) == ("paraphrase", "Mark Esper")
    quoted = attribute("“The base was nearly empty at the time,” he said.", first)
    assert (quoted.kind, quoted.speaker) == ("direct_quote", "Mark Esper")


def test_a_name_merely_mentioned_in_the_sentence_before_is_not_the_speaker():
    before = attribute("Trump visited the base in Iraq on Thursday.")
    assert before.kind == "outlet"
    found = attribute("He said the base had been empty for weeks.", before)
    assert (found.kind, found.speaker) == ("outlet", "")


def test_speakers_are_matched_by_name_alias_a_longer_name_or_a_surname():
    from claims.models import Speaker
    from claims.suggestions.speakers import SpeakerIndex

    pentagon = Speaker(pk=1, name="U.S. Department of Defense", aliases="the Pentagon\nDoD")
    guards = Speaker(pk=2, name="Islamic Revolutionary Guard Corps", aliases="Revolutionary Guards")
    esper = Speaker(pk=3, name="Mark Esper", kind=Speaker.Kind.PERSON)
    index = SpeakerIndex.load([pentagon, guards, esper])

    assert index.match("Pentagon") == pentagon
    assert index.match("the U.S. Department of Defense") == pentagon
    assert index.match("Iran’s Revolutionary Guards") == guards
    assert index.match("Esper") == esper
    assert index.match("Mark Twain") is None


def test_an_interviews_answer_is_a_direct_quote_of_the_named_interviewee():
    from claims.suggestions.attribution import answer_speaker

    found = answer_speaker("Marchetti: We carried 212 million passengers last year.")
    assert (found.kind, found.speaker) == ("direct_quote", "Marchetti")
    assert answer_speaker("Q: Why did the tram slip?") is None
