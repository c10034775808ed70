"""Issuing and revoking API tokens, each recorded (TokenEvent) with who did it.

The admin (claims/admin/tokens.py) and ``manage.py drf_create_token`` (the project's
command of DRF's name) call these. A token written any other way (a shell, a
script, a user's deletion) is recorded too, as "other code" (claims/signals.py).
"""

import contextvars
import getpass
from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib.auth.models import User
from django.db import transaction
from rest_framework.authtoken.models import Token

from claims.models.tokens import KEY_PREFIX_LENGTH, TokenEvent

Via = TokenEvent.Via

# Set while a service function writes, so that the receivers below do not record it again.
_recording = contextvars.ContextVar("token_service_recording", default=False)


def command_line_actor() -> str:
    """Who runs a command: the operating system's account (no one is signed in)."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):
        account = "an unknown account"
    return f"{account} (command line)"


def _record(action: str, token: Token, *, actor, actor_name: str, via: str) -> TokenEvent:
    return TokenEvent.objects.create(
        action=action,
        key_prefix=token.key[:KEY_PREFIX_LENGTH],
        user_id=token.user_id,
        username=token.user.get_username(),
        actor=actor,
        actor_name=actor_name,
        via=via,
    )


@contextmanager
def _by_service() -> Iterator[None]:
    reset = _recording.set(True)
    try:
        yield
    finally:
        _recording.reset(reset)


def _actor_name(actor, actor_name: str | None) -> str:
    if actor_name:
        return actor_name
    return actor.get_username() if actor is not None else command_line_actor()


def token_issue(
    *,
    user: User,
    actor: User | None,
    via: str,
    actor_name: str | None = None,
    replace: bool = False,
) -> tuple[Token, bool]:
    """The user's token, made now unless they have one (``replace``: a new one instead
    of theirs, which is revoked); True when it was made. ``actor`` is the signed-in
    user who asked, None from the command line (``actor_name`` then says who)."""
    name = _actor_name(actor, actor_name)
    with transaction.atomic(), _by_service():
        if replace:
            for old in Token.objects.select_related("user").filter(user=user):
                _record(TokenEvent.Action.REVOKED, old, actor=actor, actor_name=name, via=via)
                old.delete()
        token, created = Token.objects.select_related("user").get_or_create(user=user)
        if created:
            _record(TokenEvent.Action.ISSUED, token, actor=actor, actor_name=name, via=via)
    return token, created


def token_revoke(
    *,
    token: Token,
    actor: User | None,
    via: str,
    actor_name: str | None = None,
) -> None:
    """Delete ``token``: its key no longer signs anyone in."""
    name = _actor_name(actor, actor_name)
    with transaction.atomic(), _by_service():
        _record(TokenEvent.Action.REVOKED, token, actor=actor, actor_name=name, via=via)
        # By key: the admin's proxy of a token (TokenProxy) answers .pk with its user's id.
        Token.objects.filter(key=token.key).delete()


def token_record_outside_service(action: str, token: Token) -> None:
    """Record a token issued or deleted past the functions above (claims/signals.py):
    by other code, or with its user (deleting a user deletes their token)."""
    if _recording.get():
        return
    # No link to the user: this may run while the user is being deleted.
    TokenEvent.objects.create(
        action=action,
        key_prefix=token.key[:KEY_PREFIX_LENGTH],
        username=token.user.get_username(),
        actor_name="other code",
        via=Via.CODE,
    )
