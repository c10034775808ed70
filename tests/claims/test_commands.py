import pytest
from django.core.management import CommandError, call_command

from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

State = Claim.ReviewState


def test_transition_claims_moves_claims_and_records_the_named_user(reviewer, capsys):
    claims = [ClaimFactory(review_state=State.DRAFT) for _ in range(2)]

    call_command(
        "transition_claims",
        *[str(c.pk) for c in claims],
        user=reviewer.username,
        to=State.IN_RESEARCH,
    )

    for claim in claims:
        claim.refresh_from_db()
        assert claim.review_state == State.IN_RESEARCH
        assert claim.history.first().history_user == reviewer
    assert "2 moved, 0 refused." in capsys.readouterr().out


def test_transition_claims_by_state_reports_what_it_refused(reviewer, capsys):
    ClaimFactory(review_state=State.IN_RESEARCH)

    with pytest.raises(CommandError, match="could not be moved"):
        call_command(
            "transition_claims",
            user=reviewer.username,
            to=State.PUBLISHED,
            from_state=State.IN_RESEARCH,
        )

    assert "cannot go from In research to Published" in capsys.readouterr().err


def test_transition_claims_needs_a_known_user(db):
    with pytest.raises(CommandError, match="No active user named"):
        call_command("transition_claims", "1", user="nobody", to=State.IN_RESEARCH)


def test_transition_claims_names_missing_ids(reviewer):
    with pytest.raises(CommandError, match="No claim with id 999"):
        call_command("transition_claims", "999", user=reviewer.username, to=State.IN_RESEARCH)
