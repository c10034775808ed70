"""Attribution kind: the outlet's own reporting.

A claim the source asserts in its own voice, quoting no one, is of kind
``outlet``; its speaker is the outlet itself (a Speaker of kind media), so such a
claim must have one. Suggestions use the claim's kinds (one enum), so only their
label changes.

DemoAccount keeps the passwords of the accounts a local demo creates
(setup_demo), so that each run prints the same ones.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

ATTRIBUTION_CHOICES = [
    ("direct_quote", "Direct quote"),
    ("paraphrase", "Paraphrase"),
    ("reported", "Reported by a third party"),
    ("anonymous", "Anonymous"),
    ("outlet", "Outlet's own reporting"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_suggestions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="claim",
            name="attribution",
            field=models.CharField(
                choices=ATTRIBUTION_CHOICES, default="direct_quote", max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="attribution",
            field=models.CharField(
                choices=ATTRIBUTION_CHOICES, default="direct_quote", max_length=20
            ),
        ),
        migrations.AlterField(
            model_name="historicalsuggestion",
            name="attribution",
            field=models.CharField(choices=ATTRIBUTION_CHOICES, max_length=20),
        ),
        migrations.AlterField(
            model_name="suggestion",
            name="attribution",
            field=models.CharField(choices=ATTRIBUTION_CHOICES, max_length=20),
        ),
        migrations.AddConstraint(
            model_name="claim",
            constraint=models.CheckConstraint(
                condition=~models.Q(attribution="outlet") | models.Q(speaker__isnull=False),
                name="claim_outlet_reporting_has_speaker",
                violation_error_message="The outlet's own reporting names the outlet as its "
                "speaker.",
            ),
        ),
        migrations.CreateModel(
            name="DemoAccount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("password", models.CharField(max_length=128)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "user",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="demo_account",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"ordering": ["id"]},
        ),
    ]
