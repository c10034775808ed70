"""API tokens: issued and revoked with a record of who did it, never named by their key."""

import logging

import pytest
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from claims.models import TokenEvent
from claims.services.tokens import Via, token_issue, token_revoke

pytestmark = pytest.mark.django_db

User = get_user_model()


@pytest.fixture
def admin_user():
    return User.objects.create_superuser("ada-admin", password="x" * 20)


@pytest.fixture
def researcher():
    return User.objects.create_user("rex-researcher")


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def issue_in_admin(admin_client, user) -> str:
    response = admin_client.post("/admin/claims/issuedtoken/add/", {"user": user.pk})
    assert response.status_code == 200, response.content
    return Token.objects.get(user=user).key


def logged_text() -> str:
    return " ".join(
        f"{entry.object_id} {entry.object_repr} {entry.change_message}"
        for entry in LogEntry.objects.all()
    )


def test_a_token_issued_in_the_admin_is_shown_once_and_logged_without_its_key(
    admin_client, researcher, caplog
):
    caplog.set_level(logging.DEBUG)
    response = admin_client.post("/admin/claims/issuedtoken/add/", {"user": researcher.pk})
    key = Token.objects.get(user=researcher).key

    assert key in response.content.decode()
    assert "not shown again" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = LogEntry.objects.get()
    assert entry.action_flag == ADDITION
    assert entry.object_repr == f"Token for rex-researcher ({key[:8]}…)"
    assert entry.object_id == str(researcher.pk)
    assert key not in logged_text()
    assert key not in caplog.text


def test_the_token_list_and_page_show_only_the_keys_first_characters(admin_client, researcher):
    key = issue_in_admin(admin_client, researcher)

    listing = admin_client.get("/admin/claims/issuedtoken/").content.decode()
    page = admin_client.get(f"/admin/claims/issuedtoken/{researcher.pk}/change/").content.decode()

    for html in (listing, page):
        assert f"{key[:8]}…" in html
        assert key not in html
        assert key[:20] not in html


def test_a_token_issued_in_the_admin_is_recorded_with_the_admin_who_issued_it(
    admin_client, admin_user, researcher
):
    key = issue_in_admin(admin_client, researcher)

    event = TokenEvent.objects.get()
    assert event.action == TokenEvent.Action.ISSUED
    assert (event.key_prefix, event.username, event.user) == (key[:8], "rex-researcher", researcher)
    assert (event.actor, event.actor_name, event.via) == (admin_user, "ada-admin", Via.ADMIN)


def test_a_token_revoked_in_the_admin_is_recorded_and_logged_without_its_key(
    admin_client, admin_user, researcher
):
    key = issue_in_admin(admin_client, researcher)

    response = admin_client.post(
        f"/admin/claims/issuedtoken/{researcher.pk}/delete/", {"post": "yes"}
    )

    assert response.status_code == 302
    assert not Token.objects.exists()
    revoked = TokenEvent.objects.get(action=TokenEvent.Action.REVOKED)
    assert (revoked.key_prefix, revoked.actor, revoked.via) == (key[:8], admin_user, Via.ADMIN)
    assert (
        LogEntry.objects.filter(action_flag=DELETION)
        .get()
        .object_repr.startswith("Token for rex-researcher (")
    )
    assert key not in logged_text()
    # The message after the deletion names the token without its key.
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [f"Token for rex-researcher ({key[:8]}…) was revoked."]


def test_no_admin_address_for_a_token_holds_its_key(admin_client, researcher):
    key = issue_in_admin(admin_client, researcher)

    page = admin_client.get(f"/admin/claims/issuedtoken/{researcher.pk}/change/").content.decode()

    assert f"/admin/claims/issuedtoken/{researcher.pk}/delete/" in page
    assert f"/{key}/" not in page


def test_drf_create_token_issues_a_token_recorded_with_who_ran_it(researcher, capsys):
    call_command("drf_create_token", "rex-researcher")

    key = Token.objects.get(user=researcher).key
    assert f"Generated token {key} for user rex-researcher" in capsys.readouterr().out
    event = TokenEvent.objects.get()
    assert event.via == Via.COMMAND
    assert event.actor is None
    assert event.actor_name.endswith("(command line)")
    assert event.key_prefix == key[:8]


def test_drf_create_token_records_the_administrator_named_with_by(admin_user, researcher):
    call_command("drf_create_token", "rex-researcher", by="ada-admin", stdout=None)

    event = TokenEvent.objects.get()
    assert (event.actor, event.actor_name) == (admin_user, "ada-admin (command line)")


def test_drf_create_token_reset_records_the_revocation_and_the_new_token(researcher):
    call_command("drf_create_token", "rex-researcher")
    first = Token.objects.get().key

    call_command("drf_create_token", "rex-researcher", reset_token=True)

    second = Token.objects.get().key
    assert second != first
    assert [(e.action, e.key_prefix) for e in TokenEvent.objects.order_by("id")] == [
        ("issued", first[:8]),
        ("revoked", first[:8]),
        ("issued", second[:8]),
    ]


def test_drf_create_token_for_an_unknown_user_is_a_clear_error():
    with pytest.raises(CommandError, match="user nobody does not exist"):
        call_command("drf_create_token", "nobody")


def test_a_token_written_past_the_service_is_recorded_too(researcher):
    token = Token.objects.create(user=researcher)
    token.delete()

    assert [(e.action, e.via) for e in TokenEvent.objects.order_by("id")] == [
        ("issued", Via.CODE),
        ("revoked", Via.CODE),
    ]


def test_deleting_a_user_records_the_revocation_of_their_token(admin_user, researcher):
    token_issue(user=researcher, actor=admin_user, via=Via.ADMIN)

    researcher.delete()

    revoked = TokenEvent.objects.get(action=TokenEvent.Action.REVOKED)
    assert revoked.username == "rex-researcher"
    assert TokenEvent.objects.get(action=TokenEvent.Action.ISSUED).user is None
    if connection.vendor == "postgresql":
        connection.check_constraints()


def test_the_service_issues_at_most_one_token_per_user(admin_user, researcher):
    first, created = token_issue(user=researcher, actor=admin_user, via=Via.ADMIN)
    again, created_again = token_issue(user=researcher, actor=admin_user, via=Via.ADMIN)

    assert (created, created_again) == (True, False)
    assert again.key == first.key
    assert TokenEvent.objects.count() == 1

    token_revoke(token=first, actor=admin_user, via=Via.ADMIN)
    assert not Token.objects.exists()
    assert TokenEvent.objects.count() == 2


def test_the_migration_rewrote_old_log_entries_that_named_a_token_by_its_key(researcher):
    import importlib

    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    token = Token.objects.create(user=researcher)
    entry = LogEntry.objects.create(
        user=researcher,
        content_type=ContentType.objects.get(app_label="authtoken", model="tokenproxy"),
        object_id=str(researcher.pk),
        object_repr=token.key,
        action_flag=ADDITION,
    )
    migration = importlib.import_module("claims.migrations.0018_token_audit")

    migration.redact_token_log_entries(apps, None)

    entry.refresh_from_db()
    assert entry.object_repr == f"Token for rex-researcher ({token.key[:8]}…)"
    assert entry.object_id == str(researcher.pk)
