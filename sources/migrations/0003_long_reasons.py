"""Reasons up to the documented maximum.

Placeholder reserved for a change in progress: its operations are added with
the model change it belongs to.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sources", "0002_source_intake"),
    ]

    operations: list = []
