"""The demo's accounts: their passwords, kept so that every run prints the same ones.

Only claims.management.commands.setup_demo writes here, and only on a local demo
(DEBUG on, the seed data loaded): a production database has no rows.
"""

from django.conf import settings
from django.db import models


class DemoAccount(models.Model):
    """An account setup_demo created, with the password it printed.

    The password is the one generated for the demo; when it no longer logs the
    user in (someone changed it), setup_demo says so instead of printing it.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="demo_account"
    )
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"demo account {self.user}"
