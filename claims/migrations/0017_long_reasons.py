"""Reasons, rationales and notes up to the documented maximum (factcheck/limits.py):
the history's change reason becomes text (it was varchar(100), so a longer
transition or retraction reason failed to save), and the fields carry the validator.
"""

from django.db import migrations, models

import factcheck.limits


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_outlet_reporting"),
    ]

    operations = [
        migrations.AlterField(
            model_name="appearance",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="rationale",
            field=models.TextField(
                blank=True,
                help_text="Why the verdict is what it is.",
                validators=[factcheck.limits.validate_reason_length],
            ),
        ),
        migrations.AlterField(
            model_name="claim",
            name="retraction_reason",
            field=models.TextField(
                blank=True, editable=False, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="claimlink",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="evidence",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalappearance",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalappearance",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="rationale",
            field=models.TextField(
                blank=True,
                help_text="Why the verdict is what it is.",
                validators=[factcheck.limits.validate_reason_length],
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaim",
            name="retraction_reason",
            field=models.TextField(
                blank=True, editable=False, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalclaimlink",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalclaimlink",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalevidence",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalevidence",
            name="note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalexternalreview",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalrating",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalratingmapping",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalspeaker",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalsuggestion",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicaltag",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalverdictentry",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicalverdictentry",
            name="rationale",
            field=models.TextField(validators=[factcheck.limits.validate_reason_length]),
        ),
        migrations.AlterField(
            model_name="verdictentry",
            name="rationale",
            field=models.TextField(validators=[factcheck.limits.validate_reason_length]),
        ),
    ]
