"""Token audit records, and no token key left in the admin's log.

TokenEvent records who issued or revoked whose API token, and IssuedToken is the
admin's view of a token, named without its key (claims/models/tokens.py).
Before it, adding a token in DRF's admin wrote the whole key into the admin's log
(object_repr); those entries are rewritten here to name the token by its user and
the key's first characters.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

PREFIX = 8


def redact_token_log_entries(apps, schema_editor):
    LogEntry = apps.get_model("admin", "LogEntry")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    tokens = apps.get_model("authtoken", "Token").objects
    for entry in LogEntry.objects.filter(content_type__app_label="authtoken").iterator():
        key = entry.object_repr
        if key.startswith("Token for "):
            continue
        owner = tokens.filter(key=key).values_list("user_id", flat=True).first()
        if owner is None and entry.object_id.isdigit():
            owner = int(entry.object_id)  # DRF's admin pointed at a token by its user's id
        username = User.objects.filter(pk=owner).values_list("username", flat=True).first()
        entry.object_repr = f"Token for {username or 'a removed user'} ({key[:PREFIX]}…)"
        entry.object_id = str(owner) if owner is not None else ""
        entry.save(update_fields=["object_repr", "object_id"])


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_long_reasons"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("authtoken", "0004_alter_tokenproxy_options"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="TokenEvent",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "action",
                    models.CharField(
                        choices=[("issued", "issued"), ("revoked", "revoked")], max_length=10
                    ),
                ),
                (
                    "key_prefix",
                    models.CharField(
                        help_text="The key's first characters, never all of it.", max_length=8
                    ),
                ),
                ("username", models.CharField(help_text="Whose token it is.", max_length=150)),
                (
                    "actor_name",
                    models.CharField(
                        help_text="Who did it: a username, or the command line's account.",
                        max_length=200,
                    ),
                ),
                (
                    "via",
                    models.CharField(
                        choices=[
                            ("admin", "the admin"),
                            ("command", "a management command"),
                            ("code", "other code (a shell, a script)"),
                        ],
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "actor",
                    models.ForeignKey(
                        blank=True,
                        help_text="The signed-in user who did it; empty from the command line.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at", "-id"],
                "indexes": [
                    models.Index(fields=["username", "-created_at"], name="tokenevent_user_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="IssuedToken",
            fields=[],
            options={
                "verbose_name": "API token",
                "verbose_name_plural": "API tokens",
                "proxy": True,
                "indexes": [],
                "constraints": [],
            },
            bases=("authtoken.tokenproxy",),
        ),
        migrations.RunPython(redact_token_log_entries, migrations.RunPython.noop),
    ]
