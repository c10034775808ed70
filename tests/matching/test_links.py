"""Links between claims: the one place they are written (claims.services.links) and
how they are read (claims.read.links): the pair, the decision, the group."""

import itertools

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError

from claims.models import ClaimLink
from claims.read.links import (
    claim_group,
    decided_partner_ids,
    dismissed_pairs,
    group_verdicts,
    links_of,
    same_group_ids,
)
from claims.services.links import (
    claim_link_remove,
    claim_link_set,
    claim_link_suggest,
    claim_links_decide,
    claim_links_from_form,
)
from factcheck.api.links import Links
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db
Kind = ClaimLink.Kind
LINKS = Links(root="http://testserver/api/v1/")


@pytest.fixture
def pair(db):
    return ClaimFactory(text="No Americans were harmed."), ClaimFactory(text="No U.S. casualties.")


def test_a_link_is_stored_once_for_the_pair_whichever_claim_it_starts_from(pair, editor):
    first, second = pair
    claim_link_set(claim=second, other=first, kind=Kind.RELATED, by=editor)
    link = claim_link_set(claim=first, other=second, kind=Kind.SAME, by=editor)

    assert ClaimLink.objects.count() == 1
    assert (link.claim_id, link.other_id) == (first.pk, second.pk)
    assert link.kind == Kind.SAME


def test_a_decision_records_who_made_it_and_when_in_the_audit_history(pair, editor, reviewer):
    first, second = pair
    claim_link_set(claim=first, other=second, kind=Kind.SAME, by=editor, note="same figures")
    link = claim_link_set(claim=first, other=second, kind=Kind.RELATED, by=reviewer)

    assert link.decided_by == reviewer
    assert link.decided_at is not None
    history = list(link.history.order_by("history_date"))
    assert [(row.kind, row.history_user) for row in history] == [
        (Kind.SAME, editor),
        (Kind.RELATED, reviewer),
    ]


def test_a_claim_cannot_be_linked_to_itself(pair, editor):
    with pytest.raises(ValidationError, match="cannot be linked to itself"):
        claim_link_set(claim=pair[0], other=pair[0], kind=Kind.SAME, by=editor)


def test_a_link_to_a_claim_that_does_not_exist_is_refused(pair, editor):
    with pytest.raises(ValidationError, match="There is no claim 999999"):
        claim_link_set(claim=pair[0], other=999999, kind=Kind.SAME, by=editor)


@pytest.mark.parametrize("kind", ["suggested", "duplicate", ""])
def test_an_editor_decides_same_related_or_dismissed_only(pair, editor, kind):
    with pytest.raises(ValidationError, match="not a kind of link"):
        claim_link_set(claim=pair[0], other=pair[1], kind=kind, by=editor)
    assert not ClaimLink.objects.exists()


def test_a_decision_on_a_link_that_changed_since_the_editor_saw_it_is_refused(pair, editor):
    claim_link_set(claim=pair[0], other=pair[1], kind=Kind.DISMISSED, by=editor)

    with pytest.raises(ValidationError, match="changed since you saw it"):
        claim_link_set(claim=pair[0], other=pair[1], kind=Kind.SAME, by=editor, expected="")
    assert ClaimLink.objects.get().kind == Kind.DISMISSED


def test_a_suggestion_opens_a_pair_and_updates_its_score(pair):
    claim_link_suggest(claim=pair[1], other=pair[0], score=0.7, reasons=["meaning: 0.70"])
    link = claim_link_suggest(claim=pair[0], other=pair[1], score=0.9, reasons=["meaning: 0.90"])

    assert link is not None
    assert (link.kind, link.score, link.reasons) == (Kind.SUGGESTED, 0.9, ["meaning: 0.90"])
    assert link.decided_at is None
    assert ClaimLink.objects.count() == 1


def test_a_dismissed_pair_is_never_suggested_again(pair, editor):
    claim_link_set(claim=pair[0], other=pair[1], kind=Kind.DISMISSED, by=editor)

    assert claim_link_suggest(claim=pair[0], other=pair[1], score=0.95, reasons=[]) is None
    link = ClaimLink.objects.get()
    assert (link.kind, link.score) == (Kind.DISMISSED, None)


def test_bulk_decisions_decide_each_suggestion_with_its_own_history(editor):
    claims = [ClaimFactory() for _ in range(4)]
    for other in claims[1:]:
        claim_link_suggest(claim=claims[0], other=other, score=0.8, reasons=[])

    decided = claim_links_decide(ClaimLink.objects.all(), kind=Kind.SAME, by=editor)

    assert decided == 3
    assert set(ClaimLink.objects.values_list("kind", flat=True)) == {Kind.SAME}
    assert ClaimLink.history.filter(history_user=editor).count() == 3
    assert claim_links_decide(ClaimLink.objects.all(), kind=Kind.SAME, by=editor) == 0


def test_removing_a_link_lets_the_pair_be_suggested_again(pair, editor):
    claim_link_set(claim=pair[0], other=pair[1], kind=Kind.DISMISSED, by=editor)

    assert claim_link_remove(claim=pair[1], other=pair[0], by=editor) is True
    assert claim_link_suggest(claim=pair[0], other=pair[1], score=0.8, reasons=[]) is not None
    assert ClaimLink.history.filter(history_type="-").get().history_user == editor


def test_the_choices_of_a_new_claims_form_become_its_links(pair, editor):
    claim = ClaimFactory()
    count = claim_links_from_form(
        claim=claim,
        data={"link_same_as": f"{pair[0].pk}", "link_dismissed": f" {pair[1].pk}, "},
        by=editor,
    )

    assert count == 2
    assert dict(ClaimLink.objects.values_list("claim_id", "kind")) == {
        pair[0].pk: Kind.SAME,
        pair[1].pk: Kind.DISMISSED,
    }


def test_the_matcher_leaves_out_the_pairs_an_editor_decided(pair, editor):
    open_suggestion = ClaimFactory()
    claim_link_set(claim=pair[0], other=pair[1], kind=Kind.DISMISSED, by=editor)
    claim_link_suggest(claim=pair[0], other=open_suggestion, score=0.8, reasons=[])

    assert decided_partner_ids(pair[0].pk) == {pair[1].pk}
    assert decided_partner_ids(pair[1].pk) == {pair[0].pk}
    assert dismissed_pairs([pair[1].pk, pair[0].pk, open_suggestion.pk]) == {
        (pair[0].pk, pair[1].pk)
    }


def test_a_group_is_every_claim_joined_by_same_links_transitively(editor):
    a, b, c, d, related = (ClaimFactory() for _ in range(5))
    claim_link_set(claim=a, other=b, kind=Kind.SAME, by=editor)
    claim_link_set(claim=c, other=b, kind=Kind.SAME, by=editor)
    claim_link_set(claim=d, other=c, kind=Kind.SAME, by=editor)
    claim_link_set(claim=a, other=related, kind=Kind.RELATED, by=editor)

    assert same_group_ids(d.pk) == {a.pk, b.pk, c.pk, d.pk}
    assert [claim.pk for claim in claim_group(a, user=editor)] == [a.pk, b.pk, c.pk, d.pk]
    assert [claim.pk for claim in claim_group(related, user=editor)] == [related.pk]


def test_a_group_takes_one_query_per_round(editor, django_assert_num_queries):
    chain = [ClaimFactory() for _ in range(4)]
    for first, second in itertools.pairwise(chain):
        claim_link_set(claim=first, other=second, kind=Kind.SAME, by=editor)

    # From one end: three rounds that find claims, one that finds none.
    with django_assert_num_queries(4):
        assert same_group_ids(chain[0].pk) == {claim.pk for claim in chain}


def test_the_public_sees_the_public_claims_of_a_group_with_their_approved_verdicts(
    published_claim, draft_claim, editor
):
    other = ClaimFactory(label="said again")
    claim_link_set(claim=published_claim, other=draft_claim, kind=Kind.SAME, by=editor)
    claim_link_set(claim=draft_claim, other=other, kind=Kind.SAME, by=editor)

    public = AnonymousUser()
    assert claim_group(published_claim, user=public) == [published_claim]
    assert group_verdicts(published_claim.pk, user=public, links=LINKS) == []
    seen = group_verdicts(other.pk, user=editor, links=LINKS)
    assert [(claim["id"], claim["verdict"]["slug"]) for claim in seen] == [
        (published_claim.pk, "false"),
        (draft_claim.pk, "unverified"),
    ]


def test_the_public_sees_editors_findings_not_suggestions_or_dismissals(
    published_claim, editor, reviewer
):
    from tests.helpers import publish

    same = publish(ClaimFactory(), editor=editor, reviewer=reviewer, slug="true")
    dismissed = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
    suggested = publish(ClaimFactory(), editor=editor, reviewer=reviewer)
    claim_link_set(claim=published_claim, other=same, kind=Kind.SAME, by=editor, note="ours")
    claim_link_set(claim=published_claim, other=dismissed, kind=Kind.DISMISSED, by=editor)
    claim_link_suggest(claim=published_claim, other=suggested, score=0.7, reasons=[])

    public = links_of(published_claim, user=AnonymousUser(), links=LINKS)
    newsroom = links_of(published_claim, user=editor, links=LINKS)

    assert [(link["claim"]["id"], link["kind"]) for link in public] == [(same.pk, "same")]
    assert (public[0]["note"], public[0]["decided_by"]) == ("", None)
    assert public[0]["claim"]["verdict"]["slug"] == "true"
    assert {link["kind"] for link in newsroom} == {"same", "dismissed", "suggested"}
    assert {link["decided_by"] for link in newsroom if link["kind"] == "same"} == {editor.username}
