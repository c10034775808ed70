"""The audit trail of API tokens: who issued or revoked whose token, and how.

A token's key is a password: it is never stored here, nor in the admin's log. The
first characters (KEY_PREFIX_LENGTH) are kept, enough to tell one token from another
when the admin shows them; they do not help anyone guess the rest (40 hex digits).
"""

from django.conf import settings
from django.db import models
from rest_framework.authtoken.models import TokenProxy

KEY_PREFIX_LENGTH = 8


def token_label(*, username: str, key: str) -> str:
    """How the admin and the audit name a token: never by its whole key."""
    return f"Token for {username} ({key[:KEY_PREFIX_LENGTH]}…)"


class TokenEvent(models.Model):
    """One API token issued or revoked (claims.services.tokens records them)."""

    class Action(models.TextChoices):
        ISSUED = "issued", "issued"
        REVOKED = "revoked", "revoked"

    class Via(models.TextChoices):
        ADMIN = "admin", "the admin"
        COMMAND = "command", "a management command"
        CODE = "code", "other code (a shell, a script)"

    action = models.CharField(max_length=10, choices=Action.choices)
    key_prefix = models.CharField(
        max_length=KEY_PREFIX_LENGTH, help_text="The key's first characters, never all of it."
    )
    # The names are kept as text too: the record outlives the accounts.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Whose token it is.")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The signed-in user who did it; empty from the command line.",
    )
    actor_name = models.CharField(
        max_length=200, help_text="Who did it: a username, or the command line's account."
    )
    via = models.CharField(max_length=10, choices=Via.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # The admin's list of a user's token events, newest first.
            models.Index(fields=["username", "-created_at"], name="tokenevent_user_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.key_prefix}… for {self.username} {self.action} by {self.actor_name}"


class IssuedToken(TokenProxy):
    """An API token as the admin shows it: named by its user and the key's first
    characters (claims/admin/tokens.py), so that no page title, message or admin log
    entry holds the key."""

    class Meta:
        proxy = True
        verbose_name = "API token"
        verbose_name_plural = "API tokens"

    def __str__(self) -> str:
        return token_label(username=self.user.get_username(), key=self.key)
