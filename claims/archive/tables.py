"""What the archive holds: every table of the project's apps and Django's, in order.

The one place that names them; tests/test_archive.py checks that every installed
model is here or in LEFT_OUT, so a new model cannot be forgotten.
"""

from django.db.models import Q

# Each table's foreign keys point at tables above it, with two exceptions the
# restore relies on deferred foreign-key checks for: Speaker.parent (a speaker
# may belong to one with a higher id) and Claim.published_entry (claims come
# before their verdict entries, which point back at them). Both databases check
# foreign keys at commit (Django declares them DEFERRABLE INITIALLY DEFERRED), so
# the order only has to be right by the end of the transaction, and
# claim_published_has_entry, a row check, sees published_entry already set.
MODELS = (
    "auth.group",
    "auth.group_permissions",
    "auth.user",
    "auth.user_groups",
    "auth.user_user_permissions",
    "claims.tokenevent",
    "sources.outlet",
    "sources.source",
    "claims.speaker",
    "claims.tag",
    "claims.rating",
    "claims.ratingmapping",
    "claims.claim",
    "claims.claim_tags",
    "claims.appearance",
    "claims.evidence",
    "claims.verdictentry",
    "claims.verdictentryevidence",
    "claims.externalreview",
    "claims.claimlink",
    "claims.suggestion",
    "sources.historicaloutlet",
    "sources.historicalsource",
    "claims.historicalspeaker",
    "claims.historicaltag",
    "claims.historicalrating",
    "claims.historicalclaim",
    "claims.historicalclaim_tags",
    "claims.historicalappearance",
    "claims.historicalevidence",
    "claims.historicalverdictentry",
    "claims.historicalratingmapping",
    "claims.historicalexternalreview",
    "claims.historicalclaimlink",
    "claims.historicalsuggestion",
    "admin.logentry",
)

# Made before anyone can import (the scale by migration claims 0002, the map of
# others' ratings by claims 0013, the groups
# by setup_roles), so an empty database may hold them; the archive's rows replace
# them. Listed in the order they are cleared.
REPLACED_ON_IMPORT = (
    "auth.group_permissions",
    "auth.group",
    "claims.ratingmapping",
    "claims.rating",
)

# Every other model, and why it is not in the archive.
LEFT_OUT = {
    "authtoken.token": "API tokens are secrets: issue new ones after a restore",
    "authtoken.tokenproxy": "the admin's view of authtoken.token",
    "claims.issuedtoken": "the project admin's view of authtoken.token",
    "axes.accessattempt": "failed sign-ins (django-axes): a restore starts with no lockout",
    "axes.accesslog": "sign-ins and their addresses (django-axes), not the newsroom's record",
    "axes.accessfailurelog": "failed sign-ins and their addresses (django-axes)",
    "axes.accessattemptexpiration": "when each failed sign-in's lockout ends (django-axes)",
    "sessions.session": "sign-in sessions: everyone signs in again after a restore",
    "contenttypes.contenttype": "made by migrate, with ids of its own in each database; "
    "the archive names content types by app label and model",
    "auth.permission": "made by migrate, with ids of its own in each database; "
    "the archive names permissions by codename, app label and model",
    "jobs.job": "background jobs are transient (their results are deleted after "
    "JOB_KEEP_DAYS); make a report again after a restore",
    "django_tasks_database.dbtaskresult": "the task queue's own records of jobs.job",
    "django_rq.dashboard": "not a table: django-rq's admin page for its queues",
    "claims.demoaccount": "the local demo's passwords (setup_demo, DEBUG only), which "
    "no archive may hold; setup_demo makes the demo accounts again",
    "claims.claimembedding": "computed from each claim's text by the model: the restore "
    "starts a job that embeds them again (manage.py index_claims does it too)",
}

# Rows of an archived table that stay out, and why. The admin's log entries about API
# tokens: written by DRF's admin before claims 0018 (which redacted them), they named
# each token by its key; the token audit (claims.tokenevent) is archived instead.
ROWS_LEFT_OUT = {
    "admin.logentry": Q(content_type__app_label="authtoken")
    | Q(content_type__app_label="claims", content_type__model="issuedtoken"),
}


def archived_rows(model, label: str, using: str):
    """The rows of ``model`` (table ``label``) that the archive holds."""
    rows = model._base_manager.using(using)
    if label in ROWS_LEFT_OUT:
        rows = rows.exclude(ROWS_LEFT_OUT[label])
    return rows


# Rows fetched per query on export, and inserted per statement on import.
# Sources carry whole documents, and each historical source a copy of one, so
# fewer of them are held at a time.
CHUNK_SIZE = 1000
CHUNK_SIZES = {"sources.source": 100, "sources.historicalsource": 100}
