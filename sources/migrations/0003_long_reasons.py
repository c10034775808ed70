"""Reasons and notes up to the documented maximum (factcheck/limits.py): the
history's change reason becomes text (it was varchar(100)), and the outlet's
reliability note carries the validator.
"""

from django.db import migrations, models

import factcheck.limits


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_source_intake"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicaloutlet",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="historicaloutlet",
            name="reliability_note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
        migrations.AlterField(
            model_name="historicalsource",
            name="history_change_reason",
            field=models.TextField(null=True),
        ),
        migrations.AlterField(
            model_name="outlet",
            name="reliability_note",
            field=models.TextField(
                blank=True, validators=[factcheck.limits.validate_reason_length]
            ),
        ),
    ]
