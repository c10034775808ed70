import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def codenames(group_name: str) -> set[str]:
    return set(Group.objects.get(name=group_name).permissions.values_list("codename", flat=True))


def test_setup_roles_creates_the_three_groups(capsys):
    call_command("setup_roles")

    assert set(Group.objects.values_list("name", flat=True)) == {"Editor", "Reviewer", "Researcher"}
    assert "Roles ready" in capsys.readouterr().out


def test_setup_roles_can_be_run_again_and_resets_hand_made_changes():
    call_command("setup_roles")
    editor = Group.objects.get(name="Editor")
    editor.permissions.add(Permission.objects.get(codename="publish_claim"))

    call_command("setup_roles")

    assert Group.objects.count() == 3
    assert "publish_claim" not in codenames("Editor")


def test_a_researcher_can_only_read():
    call_command("setup_roles")

    assert codenames("Researcher")
    assert all(name.startswith("view_") for name in codenames("Researcher"))


def test_an_editor_edits_and_records_verdicts_but_cannot_publish_or_delete_claims():
    call_command("setup_roles")

    editor = codenames("Editor")
    assert {"change_claim", "add_appearance", "add_verdictentry"} <= editor
    assert not {"publish_claim", "retract_claim", "delete_claim", "delete_source"} & editor
    assert not {"change_rating", "change_verdictentry", "delete_verdictentry"} & editor


def test_a_reviewer_may_publish_and_retract():
    call_command("setup_roles")

    assert {"publish_claim", "retract_claim"} <= codenames("Reviewer")
    assert codenames("Editor") < codenames("Reviewer")
