import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse

from claims.management.commands import setup_demo
from claims.models import Claim, DemoAccount, Rating
from claims.roles import EDITOR, RESEARCHER, REVIEWER
from fixtures import build_seed
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture(autouse=True)
def debug_on(settings, tmp_path, monkeypatch):
    settings.DEBUG = True
    # An old demo's password file, if any, is not this test's.
    monkeypatch.setattr(setup_demo, "PASSWORD_FILE", tmp_path / "demo-admin-password")


def printed_passwords(output: str) -> dict[str, str]:
    return dict(re.findall(r"username: (\S+)\s+password: (\S+)", output))


def logs_in(username: str, password: str):
    user = User.objects.get(username=username)
    assert user.is_active
    assert user.check_password(password), username
    return user


def run(capsys) -> str:
    call_command("setup_demo")
    return capsys.readouterr().out


def test_setup_demo_loads_the_seed_and_prints_working_credentials(capsys):
    output = run(capsys)

    assert Claim.objects.count() == len(build_seed.CLAIMS)
    assert logs_in("admin", printed_passwords(output)["admin"]).is_superuser


def test_setup_demo_makes_an_editor_a_reviewer_and_a_researcher_in_their_groups(capsys):
    passwords = printed_passwords(run(capsys))

    assert set(passwords) == {"admin", "editor", "reviewer", "researcher"}
    for username, group in [("editor", EDITOR), ("reviewer", REVIEWER), ("researcher", RESEARCHER)]:
        user = logs_in(username, passwords[username])
        assert user.is_staff
        assert not user.is_superuser
        assert [g.name for g in user.groups.all()] == [group]
    assert User.objects.get(username="reviewer").has_perm("claims.publish_claim")
    assert not User.objects.get(username="editor").has_perm("claims.publish_claim")


def test_a_second_run_creates_nothing_and_prints_the_same_passwords(capsys):
    first = printed_passwords(run(capsys))
    users, accounts = User.objects.count(), DemoAccount.objects.count()

    second = printed_passwords(run(capsys))

    assert second == first
    assert (User.objects.count(), DemoAccount.objects.count()) == (users, accounts) == (4, 4)


def test_the_passwords_are_kept_in_the_database_not_beside_it(capsys):
    passwords = printed_passwords(run(capsys))

    assert {a.user.username: a.password for a in DemoAccount.objects.all()} == passwords
    assert not setup_demo.PASSWORD_FILE.exists()


def test_setup_demo_is_refused_without_debug(settings, capsys):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="only with DEBUG=true"):
        call_command("setup_demo")

    assert not User.objects.exists()
    assert not Claim.objects.exists()


def test_on_a_database_without_the_demo_data_no_role_accounts_are_made(capsys):
    ClaimFactory()

    output = run(capsys)

    assert Claim.objects.count() == 1
    assert "does not hold the demo data" in output
    assert set(printed_passwords(output)) == {"admin"}
    assert not User.objects.filter(username__in=["editor", "reviewer", "researcher"]).exists()


def test_the_seed_history_starts_with_one_creation_record_per_claim(capsys):
    run(capsys)

    for claim in Claim.objects.all():
        assert [row.history_type for row in claim.history.all()] == ["+"]


def test_running_setup_demo_again_keeps_edits(capsys):
    run(capsys)
    claim = Claim.objects.get(label="no casualties")
    claim.text = "Edited by an editor."
    claim.save()

    output = run(capsys)

    assert "not loaded again" in output
    claim.refresh_from_db()
    assert claim.text == "Edited by an editor."


def test_a_changed_password_is_not_printed(capsys):
    first = printed_passwords(run(capsys))
    editor = User.objects.get(username="editor")
    editor.set_password("something-else-entirely")
    editor.save()

    output = run(capsys)

    assert "changepassword editor" in output
    assert printed_passwords(output)["admin"] == first["admin"]


def test_the_demo_accounts_run_the_four_eyes_workflow_straight_away(client, capsys):
    passwords = printed_passwords(run(capsys))
    # A claim still in research, with evidence recorded, waiting for its verdict.
    claim = Claim.objects.get(label="IRGC warns against further retaliation")
    evidence = claim.evidence.create(
        source=Claim.objects.get(label="no casualties").evidence.first().source,
        stance="context",
        note="Context for the warning.",
    )

    def sign_in(username: str) -> None:
        client.logout()
        response = client.post(
            reverse("admin:login"),
            {"username": username, "password": passwords[username], "next": "/admin/"},
        )
        assert response.status_code == 302, username

    sign_in("editor")
    recorded = client.post(
        reverse("admin:claims_claim_verdict", args=[claim.pk]),
        {
            "rating": Rating.objects.get(slug="true").pk,
            "rationale": "The Guards' warning is on record.",
            "holds_from": "2020-01-08",
            "evidence": [evidence.pk],
            "version": claim.version,
        },
    )
    assert recorded.status_code == 302, recorded.content[:2000]
    claim.refresh_from_db()
    sent = client.post(
        reverse("admin:claims_claim_transition", args=[claim.pk]),
        {"to": "in_review", "reason": "", "version": claim.version},
    )
    assert sent.status_code == 302
    claim.refresh_from_db()

    sign_in("reviewer")
    published = client.post(
        reverse("admin:claims_claim_transition", args=[claim.pk]),
        {"to": "published", "reason": "", "version": claim.version},
    )

    assert published.status_code == 302
    claim.refresh_from_db()
    assert claim.review_state == Claim.ReviewState.PUBLISHED
    assert claim.published_entry.recorded_by.username == "editor"
