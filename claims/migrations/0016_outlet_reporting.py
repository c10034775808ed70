"""Attribution kind: the outlet's own reporting.

Placeholder reserved for a change in progress: its operations are added with
the model change it belongs to.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0015_suggestions"),
    ]

    operations: list = []
