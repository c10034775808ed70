"""Reasons and rationales up to the documented maximum.

Placeholder reserved for a change in progress: its operations are added with
the model change it belongs to.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0016_outlet_reporting"),
    ]

    operations: list = []
