import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command

from claims.management.commands import setup_demo
from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def password_file(tmp_path, monkeypatch):
    path = tmp_path / "demo-admin-password"
    monkeypatch.setattr(setup_demo, "PASSWORD_FILE", path)
    return path


def printed_password(output: str) -> str:
    return next(line.split(": ", 1)[1] for line in output.splitlines() if "password:" in line)


def test_setup_demo_loads_the_seed_and_prints_working_credentials(capsys):
    call_command("setup_demo")

    output = capsys.readouterr().out
    assert Claim.objects.count() == 30
    assert "username: admin" in output
    assert authenticate(username="admin", password=printed_password(output)).is_superuser


def test_the_seed_history_starts_with_one_creation_record_per_claim(capsys):
    call_command("setup_demo")

    for claim in Claim.objects.all():
        assert [row.history_type for row in claim.history.all()] == ["+"]


def test_running_setup_demo_again_keeps_edits_and_prints_the_same_password(capsys):
    call_command("setup_demo")
    first = printed_password(capsys.readouterr().out)
    claim = Claim.objects.get(label="no casualties")
    claim.text = "Edited by an editor."
    claim.save()

    call_command("setup_demo")

    output = capsys.readouterr().out
    assert "not loaded again" in output
    assert printed_password(output) == first
    claim.refresh_from_db()
    assert claim.text == "Edited by an editor."


def test_setup_demo_does_not_load_the_seed_over_existing_data(capsys):
    ClaimFactory()

    call_command("setup_demo")

    assert Claim.objects.count() == 1


def test_a_changed_admin_password_is_not_printed(capsys):
    call_command("setup_demo")
    admin = authenticate(username="admin", password=printed_password(capsys.readouterr().out))
    admin.set_password("something-else-entirely")
    admin.save()

    call_command("setup_demo")

    assert "changepassword admin" in capsys.readouterr().out
