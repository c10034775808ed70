"""The annotate page and the endpoints behind its buttons."""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from claims.annotate.text import Span, render_text, segments
from claims.models import AnchorStatus, Appearance, Claim, Evidence, Rating, Speaker
from claims.services import evidence_create
from sources.anchoring import CONTEXT_LENGTH
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    SourceFactory,
    SpeakerFactory,
    StaffUserFactory,
)

TEXT = (
    "Missiles hit two bases\n\n"
    "The Pentagon said “no casualties” were reported.\u00a0Officials disagreed — twice.\n"
    "A later count 😀 found 109 injured. The Pentagon said so."
)
SENTENCE = "Officials disagreed — twice."

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return SourceFactory(text=TEXT)


def page_url(source):
    return reverse("admin:sources_source_annotate", args=[source.pk])


def action_url(source, action):
    return reverse("admin:sources_source_annotate_action", args=[source.pk, action])


def selection(source, quote: str, prefix: str) -> dict:
    """The fields the page's script fills in for a selection of ``quote``."""
    text = source.text
    start = text.index(quote)
    end = start + len(quote)
    return {
        f"{prefix}-exact": quote,
        f"{prefix}-start": start,
        f"{prefix}-end": end,
        f"{prefix}-prefix": text[max(0, start - CONTEXT_LENGTH) : start],
        f"{prefix}-suffix": text[end : end + CONTEXT_LENGTH],
        f"{prefix}-content_hash": source.content_hash,
    }


def new_claim(source, quote=SENTENCE, **fields) -> dict:
    return (
        selection(source, quote, "claim")
        | {
            "claim-label": "officials disagreed",
            "claim-text": quote,
            "claim-speaker": "",
            "claim-new_speaker": "",
            "claim-new_speaker_kind": Speaker.Kind.PERSON,
            "claim-attribution": Claim.Attribution.PARAPHRASE,
            "claim-stated_on": "2020-01-08",
        }
        | fields
    )


# The text as offset-carrying pieces


class Pieces(HTMLParser):
    """Collects (data-start, text) of every element that carries an offset."""

    def __init__(self):
        super().__init__()
        self.pieces, self._open = [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "data-start" in attrs:
            self._open = [int(attrs["data-start"]), ""]
            self.pieces.append(self._open)

    def handle_endtag(self, tag):
        self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[1] += data


def test_the_rendered_pieces_rebuild_the_text_at_their_offsets():
    parser = Pieces()
    parser.feed(render_text(TEXT, [Span("a1", 26, 60, "#c62828")]))

    assert "".join(text for _, text in parser.pieces) == TEXT
    for start, text in parser.pieces:
        assert TEXT[start : start + len(text)] == text


def test_line_breaks_make_paragraphs_and_stay_in_the_text_as_hidden_pieces():
    html = render_text(TEXT, [])

    assert html.count('<p class="annotate-p">') == 3
    assert html.count('class="annotate-break"') == 2
    assert f'data-start="{TEXT.index("The Pentagon")}"' in html


def test_overlapping_quotes_split_into_segments_listing_every_covering_quote():
    outer = Span("a1", 0, 10, "#111111")
    inner = Span("e2", 3, 6, "#222222", is_evidence=True)
    crossing = Span("a3", 5, 12, "#333333")

    cut = [
        (s.start, s.end, [span.key for span in s.spans])
        for s in segments("x" * 14, [outer, inner, crossing])
    ]

    assert cut == [
        (0, 3, ["a1"]),
        (3, 5, ["e2", "a1"]),
        (5, 6, ["e2", "a3", "a1"]),
        (6, 10, ["a3", "a1"]),
        (10, 12, ["a3"]),
        (12, 14, []),
    ]


def test_adjacent_quotes_each_begin_with_their_own_tab_stop():
    html = render_text("aaaabbbb", [Span("a1", 0, 4, "#111111"), Span("a2", 4, 8, "#222222")])

    assert html.count('tabindex="0"') == 2
    assert 'data-first="a1"' in html
    assert 'data-first="a2"' in html


def test_an_overlap_shows_the_inner_quotes_colour_and_underlines_the_next():
    html = render_text("abcdef", [Span("a1", 0, 6, "#111111"), Span("a2", 2, 4, "#222222")])

    assert 'class="hl hl-overlap hl-start" data-hl="#222222" data-hl2="#111111"' in html


def test_the_text_is_escaped():
    html = render_text("<script>alert(1)</script>", [Span("a1", 0, 8, "#111111")])

    assert "<script>" not in html
    assert "&lt;script&gt;" in html


# The page


def test_the_page_highlights_every_quote_in_its_claims_verdict_colour(editor_admin, article):
    false = Rating.objects.get(slug="false")
    claim = ClaimFactory(label="no casualties", verdict=false)
    appearance = AppearanceFactory(claim=claim, source=article, exact="“no casualties”")
    evidence = evidence_create(
        claim=ClaimFactory(), source=article, stance="refutes", exact="found 109 injured"
    )

    response = editor_admin.get(page_url(article))

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(
        rf'<mark [^>]*data-hl="{false.colour}"[^>]*data-anchors="a{appearance.pk}"', html
    )
    assert f'data-anchors="e{evidence.pk}"' in html
    assert "hl-evidence" in html
    anchors = response.context["anchors"]
    assert anchors[f"a{appearance.pk}"]["verdict"] == "False"
    assert anchors[f"a{appearance.pk}"]["speaker"] == str(claim.speaker)


def test_the_side_panel_lists_the_claims_in_text_order(editor_admin, article):
    later = ClaimFactory(label="later claim")
    AppearanceFactory(claim=later, source=article, exact="found 109 injured")
    earlier = ClaimFactory(label="earlier claim")
    AppearanceFactory(claim=earlier, source=article, exact=SENTENCE)

    response = editor_admin.get(page_url(article))

    assert [entry.claim.label for entry in response.context["claims"]] == [
        "earlier claim",
        "later claim",
    ]


def test_an_editor_gets_the_buttons(editor_admin, article):
    html = editor_admin.get(page_url(article)).content.decode()

    for action in ("claim", "attach", "evidence"):
        assert f'data-action="{action}"' in html


def test_a_researcher_reads_the_page_without_the_buttons(client, researcher, article):
    # Researchers see public claims only (tests/read/test_visibility.py).
    AppearanceFactory(source=article, claim=ClaimFactory(review_state=Claim.ReviewState.PUBLISHED))
    client.force_login(researcher)

    response = client.get(page_url(article))

    assert response.status_code == 200
    assert "data-anchors=" in response.content.decode()
    assert "data-action=" not in response.content.decode()
    assert response.context["forms"] == {}


@pytest.mark.parametrize("action", ["claim", "attach", "evidence", "repair"])
def test_a_researcher_cannot_post_to_any_button(client, researcher, article, action):
    client.force_login(researcher)

    response = client.post(action_url(article, action), new_claim(article))

    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_someone_who_may_not_view_claims_cannot_open_the_page(client, article):
    user = StaffUserFactory(is_superuser=False)
    user.user_permissions.add(Permission.objects.get(codename="view_source"))
    client.force_login(user)

    assert client.get(page_url(article)).status_code == 403


def test_the_page_needs_a_staff_login(client, article):
    response = client.get(page_url(article))

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_source_page_links_to_the_annotate_page(staff_client, article):
    response = staff_client.get(reverse("admin:sources_source_change", args=[article.pk]))

    assert page_url(article) in response.content.decode()


# Creating from a selection


def test_a_new_claim_is_created_from_a_selection_with_its_appearance(editor_admin, editor, article):
    response = editor_admin.post(action_url(article, "claim"), new_claim(article))

    claim = Claim.objects.get()
    appearance = claim.appearances.get()
    assert response.status_code == 302
    assert response["Location"] == f"{page_url(article)}#a{appearance.pk}"
    assert (claim.label, claim.text, claim.attribution) == (
        "officials disagreed",
        SENTENCE,
        Claim.Attribution.PARAPHRASE,
    )
    assert appearance.source == article
    assert appearance.start == TEXT.index(SENTENCE)
    assert TEXT[appearance.start : appearance.end] == appearance.exact == SENTENCE
    assert appearance.is_first
    assert claim.history.latest().history_user == editor
    assert appearance.history.latest().history_user == editor


def test_a_selection_after_an_astral_character_counts_code_points(editor_admin, article):
    quote = "found 109 injured"

    editor_admin.post(action_url(article, "claim"), new_claim(article, quote))

    appearance = Appearance.objects.get()
    # 😀 is one code point (two UTF-16 units in the browser).
    assert appearance.start == TEXT.index(quote)
    assert TEXT[appearance.start : appearance.end] == quote


def test_a_selection_across_paragraphs_sent_with_crlf_line_breaks_is_stored_as_in_the_text(
    editor_admin, article
):
    quote = "twice.\nA later count"
    data = {
        name: value.replace("\n", "\r\n") if isinstance(value, str) else value
        for name, value in new_claim(article, quote).items()
    }

    response = editor_admin.post(action_url(article, "claim"), data)

    appearance = Appearance.objects.get()
    assert response.status_code == 302
    assert appearance.exact == quote
    assert TEXT[appearance.start : appearance.end] == quote


def test_a_tampered_anchor_is_refused_with_a_message_and_nothing_is_saved(editor_admin, article):
    data = new_claim(article)
    data["claim-start"] += 3
    data["claim-end"] += 3

    response = editor_admin.post(action_url(article, "claim"), data)

    assert response.status_code == 200
    assert "The selection does not match the source text" in response.content.decode()
    assert response.context["open_form"] == "claim"
    assert not Claim.objects.exists()
    assert not Appearance.objects.exists()


def test_a_quote_that_is_not_in_the_text_is_refused(editor_admin, article):
    data = new_claim(article) | {"claim-exact": "Officials agreed — twice."}

    response = editor_admin.post(action_url(article, "claim"), data)

    assert "The selection does not match the source text" in response.content.decode()
    assert not Claim.objects.exists()


def test_wrong_context_around_the_selection_is_refused(editor_admin, article):
    data = new_claim(article) | {"claim-prefix": "something else entirely"}

    response = editor_admin.post(action_url(article, "claim"), data)

    assert "The text around the selection does not match" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_selection_from_an_older_version_of_the_text_is_refused(editor_admin, article):
    data = new_claim(article)
    article.text = "Breaking: " + TEXT
    article.save()

    response = editor_admin.post(action_url(article, "claim"), data)

    assert "The source text changed after this page was opened" in response.content.decode()
    assert not Claim.objects.exists()


def test_a_new_claim_takes_a_known_speaker(editor_admin, article):
    pentagon = SpeakerFactory(name="U.S. Department of Defense")

    editor_admin.post(
        action_url(article, "claim"), new_claim(article, **{"claim-speaker": pentagon.pk})
    )

    assert Claim.objects.get().speaker == pentagon


def test_a_new_speaker_is_created_unless_one_of_that_name_exists(editor_admin, article):
    SpeakerFactory(name="Officials")
    data = new_claim(article, **{"claim-new_speaker": "officials"})
    editor_admin.post(action_url(article, "claim"), data)
    data = new_claim(
        article,
        "found 109 injured",
        **{"claim-new_speaker": "Pentagon doctors", "claim-new_speaker_kind": "military"},
    )
    editor_admin.post(action_url(article, "claim"), data)

    speakers = [claim.speaker for claim in Claim.objects.order_by("pk")]
    assert speakers[0].name == "Officials"
    assert (speakers[1].name, speakers[1].kind) == ("Pentagon doctors", "military")
    assert Speaker.objects.count() == 2


def test_a_claim_without_a_label_is_refused_and_the_form_stays_open(editor_admin, article):
    response = editor_admin.post(
        action_url(article, "claim"), new_claim(article, **{"claim-label": ""})
    )

    assert response.status_code == 200
    assert response.context["forms"]["claim"].errors["label"]
    assert not Claim.objects.exists()


def test_creating_a_claim_takes_the_add_claim_permission(client, article):
    user = StaffUserFactory(is_superuser=False)
    for codename in ("view_source", "view_claim", "add_appearance"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(user)

    response = client.post(action_url(article, "claim"), new_claim(article))

    assert response.status_code == 403
    assert not Claim.objects.exists()


def test_attaching_takes_only_the_add_appearance_permission(client, article):
    user = StaffUserFactory(is_superuser=False)
    for codename in ("view_source", "view_claim", "add_appearance"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    claim = ClaimFactory()
    client.force_login(user)

    response = client.post(
        action_url(article, "attach"),
        selection(article, SENTENCE, "attach") | {"attach-claim": claim.pk, "attach-note": ""},
    )

    assert response.status_code == 302
    assert claim.appearances.get().exact == SENTENCE


def test_attaching_adds_an_appearance_to_an_existing_claim(editor_admin, article):
    claim = ClaimFactory()
    first = AppearanceFactory(claim=claim)
    data = selection(article, SENTENCE, "attach") | {"attach-claim": claim.pk, "attach-note": "2nd"}

    response = editor_admin.post(action_url(article, "attach"), data)

    added = claim.appearances.exclude(pk=first.pk).get()
    assert response.status_code == 302
    assert (added.source, added.exact, added.note) == (article, SENTENCE, "2nd")
    assert added.start == TEXT.index(SENTENCE)
    assert not added.is_first


def test_attaching_the_same_span_twice_is_refused(editor_admin, article):
    claim = ClaimFactory()
    data = selection(article, SENTENCE, "attach") | {"attach-claim": claim.pk}
    editor_admin.post(action_url(article, "attach"), data)

    response = editor_admin.post(action_url(article, "attach"), data)

    assert "This claim is already anchored at this place." in response.content.decode()
    assert claim.appearances.count() == 1


def test_a_tampered_attach_is_refused(editor_admin, article):
    claim = ClaimFactory()
    data = selection(article, SENTENCE, "attach") | {"attach-claim": claim.pk}
    data["attach-exact"] = "Officials disagreed — thrice."

    response = editor_admin.post(action_url(article, "attach"), data)

    assert response.status_code == 200
    assert not claim.appearances.exists()


def test_a_selection_is_added_as_evidence_with_its_stance(editor_admin, article):
    claim = ClaimFactory()
    data = selection(article, "found 109 injured", "evidence") | {
        "evidence-claim": claim.pk,
        "evidence-stance": Evidence.Stance.REFUTES,
        "evidence-note": "",
    }

    response = editor_admin.post(action_url(article, "evidence"), data)

    evidence = claim.evidence.get()
    assert response.status_code == 302
    assert evidence.stance == Evidence.Stance.REFUTES
    assert TEXT[evidence.start : evidence.end] == evidence.exact == "found 109 injured"


def test_a_tampered_evidence_quote_is_refused(editor_admin, article):
    claim = ClaimFactory()
    data = selection(article, "found 109 injured", "evidence") | {
        "evidence-claim": claim.pk,
        "evidence-stance": Evidence.Stance.REFUTES,
    }
    data["evidence-end"] = len(TEXT) + 5

    response = editor_admin.post(action_url(article, "evidence"), data)

    assert response.status_code == 200
    assert not Evidence.objects.exists()


def test_adding_evidence_takes_the_add_evidence_permission(client, article):
    user = StaffUserFactory(is_superuser=False)
    for codename in ("view_source", "view_claim", "add_appearance"):
        user.user_permissions.add(Permission.objects.get(codename=codename))
    claim = ClaimFactory()
    client.force_login(user)
    data = selection(article, "found 109 injured", "evidence") | {
        "evidence-claim": claim.pk,
        "evidence-stance": Evidence.Stance.SUPPORTS,
    }

    assert client.post(action_url(article, "evidence"), data).status_code == 403
    assert not Evidence.objects.exists()


# Orphans on the page


def orphan(appearance, reason="The quote is no longer in the source text."):
    appearance.anchor_status = AnchorStatus.ORPHANED
    appearance.orphaned_reason = reason
    appearance.save()
    return appearance


def test_the_page_lists_orphaned_quotes_without_highlighting_them(editor_admin, article):
    lost = orphan(AppearanceFactory(source=article, exact="found 109 injured"))

    response = editor_admin.get(page_url(article))

    html = response.content.decode()
    assert response.context["orphans"] == [lost]
    assert "The quote is no longer in the source text." in html
    assert f'data-quote="a{lost.pk}"' in html
    assert f"a{lost.pk}" not in response.context["anchors"]


def test_an_orphan_is_anchored_again_on_a_new_selection(editor_admin, editor, article):
    lost = orphan(AppearanceFactory(source=article, exact="found 109 injured"))
    data = selection(article, SENTENCE, "repair") | {"repair-quote": f"a{lost.pk}"}

    response = editor_admin.post(action_url(article, "repair"), data)

    lost.refresh_from_db()
    assert response.status_code == 302
    assert lost.anchor_status == AnchorStatus.ANCHORED
    assert lost.orphaned_reason == ""
    assert TEXT[lost.start : lost.end] == lost.exact == SENTENCE
    assert lost.history.latest().history_user == editor


def test_repairing_a_quote_of_another_source_is_refused(editor_admin, article):
    elsewhere = orphan(AppearanceFactory())
    data = selection(article, SENTENCE, "repair") | {"repair-quote": f"a{elsewhere.pk}"}

    response = editor_admin.post(action_url(article, "repair"), data)

    elsewhere.refresh_from_db()
    assert "That quote is not in this source any more." in response.content.decode()
    assert elsewhere.is_orphaned


# Speaker suggestions


def test_a_speaker_named_in_the_sentence_is_suggested(editor_admin, article):
    pentagon = SpeakerFactory(name="U.S. Department of Defense", aliases="the Pentagon\nDoD")
    SpeakerFactory(name="Iran")
    start = TEXT.index("“no casualties”")
    url = reverse("admin:sources_source_annotate_speakers", args=[article.pk])

    response = editor_admin.get(url, {"start": start, "end": start + 15})

    assert response.json()["results"] == [
        {"id": pentagon.pk, "text": "U.S. Department of Defense", "matched": "Pentagon"}
    ]


def test_a_speaker_who_is_said_to_speak_comes_before_one_merely_named():
    from claims.annotate.speakers import suggest_speakers

    SpeakerFactory(name="Donald Trump", aliases="President Trump")
    SpeakerFactory(name="U.S. Department of Defense", aliases="the Pentagon")
    text = "The Pentagon confirmed that the attack was carried out on orders of President Trump."

    names = [s.speaker.name for s in suggest_speakers(text, 28, 38)]

    assert names == ["U.S. Department of Defense", "Donald Trump"]


def test_suggestions_need_offsets_inside_the_text(editor_admin, article):
    url = reverse("admin:sources_source_annotate_speakers", args=[article.pk])

    assert editor_admin.get(url, {"start": 0, "end": len(TEXT) + 1}).status_code == 400
    assert editor_admin.get(url, {"start": "x"}).status_code == 400
