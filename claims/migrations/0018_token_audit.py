"""Token audit records.

Placeholder reserved for a change in progress: its operations are added with
the model change it belongs to.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0017_long_reasons"),
    ]

    operations: list = []
