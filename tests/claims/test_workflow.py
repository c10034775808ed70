import datetime

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from claims.models import Claim, ConcurrentEditError, ImmutableRecordError, VerdictEntry
from claims.services import TRANSITIONS, claim_transition, verdict_record
from factcheck.history import UntrackedWriteError, acting_user
from tests.factories import ClaimFactory, EvidenceFactory, VerdictEntryFactory
from tests.helpers import JAN, publish, rating

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


@pytest.fixture
def claim():
    return ClaimFactory(review_state=State.IN_REVIEW)


@pytest.fixture
def refuting(claim):
    return EvidenceFactory(claim=claim, stance="refutes")


# Review states ---------------------------------------------------------------------------


@pytest.mark.parametrize(("frm", "to"), [pair for pair in TRANSITIONS if pair[1] != "published"])
def test_each_allowed_transition_succeeds(frm, to, reviewer):
    claim = ClaimFactory(review_state=frm)

    claim_transition(claim=claim, to=to, by=reviewer, reason="Because.")

    claim.refresh_from_db()
    assert claim.review_state == to


REFUSED = [
    (f, t) for f in State.values for t in State.values if f != t and (f, t) not in TRANSITIONS
]


@pytest.mark.parametrize(("frm", "to"), REFUSED)
def test_each_other_transition_is_refused_with_the_allowed_ones_named(frm, to, reviewer):
    claim = ClaimFactory(review_state=frm)

    with pytest.raises(ValidationError, match="cannot go from") as error:
        claim_transition(claim=claim, to=to, by=reviewer, reason="Because.")

    assert "it can go to" in error.value.message_dict["to"][0]
    claim.refresh_from_db()
    assert claim.review_state == frm


def test_an_unknown_state_is_refused(claim, reviewer):
    with pytest.raises(ValidationError, match="is not a review state"):
        claim_transition(claim=claim, to="approved", by=reviewer)


def test_publishing_needs_a_second_reviewer(claim, refuting, reviewer, second_reviewer):
    verdict_record(
        claim=claim, rating=rating("false"), rationale="R.", evidence=[refuting], by=reviewer
    )

    with pytest.raises(PermissionDenied, match="four-eyes"):
        claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)
    claim_transition(claim=claim, to=State.PUBLISHED, by=second_reviewer)

    claim.refresh_from_db()
    assert claim.review_state == State.PUBLISHED
    assert claim.published_entry.recorded_by == reviewer


def test_publishing_records_when_the_verdict_was_approved(
    claim, refuting, reviewer, second_reviewer
):
    verdict_record(
        claim=claim, rating=rating("false"), rationale="R.", evidence=[refuting], by=reviewer
    )
    before = timezone.now()

    claim_transition(claim=claim, to=State.PUBLISHED, by=second_reviewer)

    claim.refresh_from_db()
    assert before <= claim.published_at <= timezone.now()


def test_an_editor_cannot_publish(claim, refuting, editor, reviewer):
    verdict_record(
        claim=claim, rating=rating("false"), rationale="R.", evidence=[refuting], by=reviewer
    )

    with pytest.raises(PermissionDenied, match="reviewer role"):
        claim_transition(claim=claim, to=State.PUBLISHED, by=editor)


def test_a_researcher_cannot_move_a_claim(researcher):
    claim = ClaimFactory(review_state=State.DRAFT)

    with pytest.raises(PermissionDenied):
        claim_transition(claim=claim, to=State.IN_RESEARCH, by=researcher)


def test_publishing_needs_a_recorded_verdict(claim, reviewer):
    with pytest.raises(ValidationError, match="Record a verdict"):
        claim_transition(claim=claim, to=State.PUBLISHED, by=reviewer)


def test_retracting_needs_a_reason_which_is_kept(editor, reviewer, second_reviewer):
    claim = publish(ClaimFactory(review_state=State.IN_REVIEW), editor=editor, reviewer=reviewer)

    with pytest.raises(ValidationError, match="Say why"):
        claim_transition(claim=claim, to=State.RETRACTED, by=second_reviewer)
    claim_transition(claim=claim, to=State.RETRACTED, by=second_reviewer, reason="Misquoted.")

    claim.refresh_from_db()
    assert claim.retraction_reason == "Misquoted."
    assert claim.history.first().history_change_reason == "Misquoted."


def test_a_transition_on_a_stale_version_is_refused(reviewer):
    claim = ClaimFactory(review_state=State.DRAFT)

    with pytest.raises(ConcurrentEditError):
        claim_transition(claim=claim, to=State.IN_RESEARCH, by=reviewer, expected_version=7)


# Verdict timeline ------------------------------------------------------------------------


def test_a_verdict_needs_a_rationale(claim, refuting, editor):
    with pytest.raises(ValidationError) as error:
        verdict_record(
            claim=claim, rating=rating("false"), rationale="  ", evidence=[refuting], by=editor
        )

    assert "rationale" in error.value.message_dict
    assert not VerdictEntry.objects.exists()


def test_a_verdict_other_than_unverified_needs_evidence(claim, editor):
    with pytest.raises(ValidationError) as error:
        verdict_record(claim=claim, rating=rating("false"), rationale="R.", by=editor)

    assert "at least one evidence item" in error.value.message_dict["evidence"][0]


def test_an_unverified_verdict_needs_no_evidence(claim, editor):
    entry = verdict_record(claim=claim, rating=rating("unverified"), rationale="Early.", by=editor)

    assert entry.recorded_by == editor


def test_a_verdict_cannot_rest_on_another_claims_evidence(claim, editor):
    elsewhere = EvidenceFactory()

    with pytest.raises(ValidationError, match="this claim only"):
        verdict_record(
            claim=claim, rating=rating("false"), rationale="R.", evidence=[elsewhere], by=editor
        )


def test_a_verdict_cannot_hold_from_the_future(claim, editor):
    with pytest.raises(ValidationError, match="future"):
        verdict_record(
            claim=claim,
            rating=rating("unverified"),
            rationale="R.",
            holds_from=datetime.date.today() + datetime.timedelta(days=2),
            by=editor,
        )


def test_a_researcher_cannot_record_a_verdict(claim, researcher):
    with pytest.raises(PermissionDenied):
        verdict_record(claim=claim, rating=rating("unverified"), rationale="R.", by=researcher)


def test_the_current_verdict_is_the_latest_entry_and_a_backfill_does_not_replace_it(
    claim, refuting, editor
):
    verdict_record(
        claim=claim,
        rating=rating("false"),
        rationale="Pentagon: 11 treated.",
        evidence=[refuting],
        holds_from=JAN[16],
        by=editor,
    )
    verdict_record(
        claim=claim, rating=rating("unverified"), rationale="Early.", holds_from=JAN[8], by=editor
    )

    claim.refresh_from_db()
    assert claim.verdict.slug == "false"
    assert claim.rationale == "Pentagon: 11 treated."


def test_the_verdict_as_of_a_date_before_between_and_after_entries(claim, refuting, editor):
    verdict_record(
        claim=claim, rating=rating("unverified"), rationale="Early.", holds_from=JAN[8], by=editor
    )
    verdict_record(
        claim=claim,
        rating=rating("false"),
        rationale="R.",
        evidence=[refuting],
        holds_from=JAN[16],
        by=editor,
    )

    assert claim.verdict_as_of(JAN[7]) is None
    assert claim.verdict_as_of(JAN[8]).rating.slug == "unverified"
    assert claim.verdict_as_of(JAN[15]).rating.slug == "unverified"
    assert claim.verdict_as_of(JAN[16]).rating.slug == "false"
    assert claim.verdict_as_of(datetime.date(2021, 1, 1)).rating.slug == "false"


def test_a_correction_on_the_same_day_wins_over_the_entry_it_corrects(claim, refuting, editor):
    verdict_record(
        claim=claim,
        rating=rating("false"),
        rationale="R.",
        evidence=[refuting],
        holds_from=JAN[16],
        by=editor,
    )
    verdict_record(
        claim=claim,
        rating=rating("mostly-false"),
        rationale="Corrected.",
        evidence=[refuting],
        holds_from=JAN[16],
        by=editor,
    )

    assert claim.verdict_as_of(JAN[20]).rating.slug == "mostly-false"


def test_a_new_verdict_on_a_published_claim_goes_back_to_review_and_the_public_keeps_the_old(
    editor, reviewer, second_reviewer
):
    claim = publish(ClaimFactory(review_state=State.IN_REVIEW), editor=editor, reviewer=reviewer)
    evidence = claim.evidence.get()

    verdict_record(
        claim=claim,
        rating=rating("mostly-false"),
        rationale="Softened.",
        evidence=[evidence],
        holds_from=JAN[20],
        by=editor,
    )

    claim.refresh_from_db()
    assert claim.review_state == State.IN_REVIEW
    assert claim.verdict.slug == "mostly-false"
    assert claim.published_entry.rating.slug == "false"
    assert claim.verdict_as_of(JAN[25], public=True).rating.slug == "false"

    claim_transition(claim=claim, to=State.PUBLISHED, by=second_reviewer)
    claim.refresh_from_db()
    assert claim.verdict_as_of(JAN[25], public=True).rating.slug == "mostly-false"


def test_verdict_entries_are_never_edited_or_deleted(claim):
    entry = VerdictEntryFactory(claim=claim)

    entry.rationale = "Rewritten."
    with pytest.raises(ImmutableRecordError):
        entry.save()
    with pytest.raises(ImmutableRecordError):
        entry.delete()
    with pytest.raises(ImmutableRecordError):
        VerdictEntry.objects.filter(pk=entry.pk).delete()

    assert VerdictEntry.objects.get(pk=entry.pk).rationale == "Not yet checked."


# Re-check dates --------------------------------------------------------------------------


def test_claims_past_their_recheck_date_are_due():
    due = ClaimFactory(recheck_on=JAN[10])
    ClaimFactory(recheck_on=JAN[20])
    ClaimFactory(recheck_on=None)

    assert list(Claim.objects.due_for_recheck(JAN[15])) == [due]


# Audit history ---------------------------------------------------------------------------


def test_a_transition_is_recorded_in_history_with_the_acting_user(reviewer):
    claim = ClaimFactory(review_state=State.DRAFT)

    claim_transition(claim=claim, to=State.IN_RESEARCH, by=reviewer)

    latest = claim.history.first()
    assert latest.review_state == State.IN_RESEARCH
    assert latest.history_user == reviewer
    assert latest.history_change_reason == "Draft → In research"


def test_a_recorded_verdict_is_in_history_with_its_author(claim, editor):
    entry = verdict_record(claim=claim, rating=rating("unverified"), rationale="R.", by=editor)

    assert entry.history.get().history_user == editor
    assert claim.history.first().history_user == editor


def test_code_outside_a_request_can_name_the_acting_user(editor):
    with acting_user(editor):
        claim = ClaimFactory()

    assert claim.history.get().history_user == editor


TRACKED = [
    m
    for m in apps.get_models()
    if hasattr(m, "history") and not m.__name__.startswith("Historical")
]


@pytest.mark.parametrize("model", TRACKED, ids=lambda m: m.__name__)
@pytest.mark.parametrize("operation", ["update", "bulk_update", "bulk_create"])
def test_no_tracked_model_can_be_bulk_written_past_its_history(model, operation):
    queryset = model.objects.all()
    calls = {
        "update": lambda: queryset.update(),
        "bulk_update": lambda: queryset.bulk_update([], ["pk"]),
        "bulk_create": lambda: queryset.bulk_create([]),
    }

    with pytest.raises(UntrackedWriteError, match="would bypass the audit history"):
        calls[operation]()


def test_every_domain_model_is_tracked():
    domain = [
        m
        for m in apps.get_models()
        if m._meta.app_label in {"claims", "sources"}
        and not m.__name__.startswith("Historical")
        and not m._meta.auto_created
    ]
    untracked = {m.__name__ for m in domain if not hasattr(m, "history")}

    # The link between an immutable verdict entry and its evidence is part of the
    # entry: written once with it, never changed. A claim's embedding is computed
    # from its text (whose changes are tracked), never edited by anyone. A token event
    # is itself an audit record, written once; an issued token is the admin's view of
    # DRF's token, whose key no history may hold. A demo account's password is the
    # local demo's (setup_demo), written once, and no history should copy it.
    assert untracked == {
        "VerdictEntryEvidence",
        "ClaimEmbedding",
        "TokenEvent",
        "IssuedToken",
        "DemoAccount",
    }
