"""The newsroom's roles as Django groups, with the least privilege each needs.

Configuring the rating scale and deleting claims or sources stay with
superusers: a retraction, not a deletion, is how a published claim goes away.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction

EDITOR, REVIEWER, RESEARCHER = "Editor", "Reviewer", "Researcher"

READABLE = [
    ("sources", "outlet"),
    ("sources", "source"),
    ("claims", "speaker"),
    ("claims", "tag"),
    ("claims", "rating"),
    ("claims", "claim"),
    ("claims", "appearance"),
    ("claims", "evidence"),
    ("claims", "verdictentry"),
    ("claims", "externalreview"),
    ("claims", "ratingmapping"),
    # Links between claims ("Possible duplicates"): editors decide them.
    ("claims", "claimlink"),
    # The Jobs page (each sees the jobs they started): a PDF report's job, say.
    ("jobs", "job"),
]
EDITABLE = [
    ("sources", "outlet"),
    ("sources", "source"),
    ("claims", "speaker"),
    ("claims", "tag"),
    ("claims", "claim"),
    ("claims", "appearance"),
    ("claims", "evidence"),
    # The map from other organisations' published ratings to ours.
    ("claims", "ratingmapping"),
]


def _codenames() -> dict[str, set[tuple[str, str]]]:
    view = {(app, f"view_{model}") for app, model in READABLE}
    edit = {(app, f"{action}_{model}") for app, model in EDITABLE for action in ("add", "change")}
    edit |= {
        ("claims", "delete_appearance"),
        ("claims", "delete_evidence"),
        ("claims", "add_verdictentry"),
        ("claims", "change_claimlink"),
    }
    review = {("claims", "publish_claim"), ("claims", "retract_claim")}
    return {
        RESEARCHER: view,
        EDITOR: view | edit,
        REVIEWER: view | edit | review,
    }


@transaction.atomic
def setup_roles() -> dict[str, int]:
    """Create or update the groups so they hold exactly their permissions.

    Safe to re-run: a permission added to a group by hand is taken away again.
    Returns the number of permissions of each group.
    """
    counts = {}
    for name, codenames in _codenames().items():
        permissions = []
        for app_label, codename in sorted(codenames):
            permissions.append(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions)
        counts[name] = len(permissions)
    return counts
