import importlib.abc
import sys

import pytest
from django.core.cache import caches
from django.core.management import call_command
from rest_framework.test import APIClient

from claims.models import Claim
from claims.read.vectors import claim_index
from claims.services import verdict_record
from fixtures import build_seed
from tests.factories import (
    AppearanceFactory,
    ClaimFactory,
    EvidenceFactory,
    SourceFactory,
    StaffUserFactory,
    TagFactory,
)
from tests.helpers import publish, rating, run_python, token_client

State = Claim.ReviewState


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """A read replica alias, "replica1", reading the test database (a test mirror), for
    tests/test_replicas.py; reads go to it only where a test lists it in
    settings.DATABASE_REPLICAS."""
    from django.conf import settings

    default = settings.DATABASES["default"]
    replica = default.copy()
    replica["ATOMIC_REQUESTS"] = False
    replica["TEST"] = {**default.get("TEST", {}), "MIRROR": "default"}
    if default["ENGINE"].endswith("sqlite3"):
        # SQLite's shared in-memory test database locks a table another connection has
        # written to in a test's open transaction; this connection reads past the lock.
        replica["OPTIONS"] = {
            **default.get("OPTIONS", {}),
            "init_command": "PRAGMA read_uncommitted = 1",
        }
    settings.DATABASES.setdefault("replica1", replica)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Files the product writes (job results) go to the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def task_worker(monkeypatch):
    """Runs the jobs queued so far, as ``scripts/worker --batch`` does, in this process and
    the test's transaction."""
    from django_tasks_db.management.commands import db_worker

    # The worker closes connections between tasks, as it should; here that would end the
    # test's transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    return lambda: call_command("worker", "--batch", verbosity=0)


@pytest.fixture(scope="module")
def shared_database_url(tmp_path_factory, django_db_setup) -> str:
    """A database that processes the tests start can share: a migrated SQLite file of
    its own, or on PostgreSQL the test database (they see what is committed there)."""
    from django.db import connection

    if connection.vendor == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('shared') / 'db.sqlite3'}"
        migrated = run_python("manage.py", "migrate", "--noinput", "-v0", DATABASE_URL=url)
        assert migrated.returncode == 0, migrated.stderr
        return url
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.fixture(autouse=True)
def fresh_claim_index():
    """Each process's index of claim embeddings (claims/read/vectors.py) starts empty
    in every test: the database it mirrors is rolled back after each."""
    claim_index().reset()
    yield
    claim_index().reset()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The default hasher is slow on purpose; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff_user(db):
    return StaffUserFactory(username="editor")


@pytest.fixture
def staff_client(client, staff_user):
    """The admin, signed in as a superuser."""
    client.force_login(staff_user)
    return client


@pytest.fixture
def editor_admin(client, editor):
    """The admin, signed in as an Editor (a session, as a browser has; not an API token)."""
    client.force_login(editor)
    return client


@pytest.fixture
def roles(db):
    from claims.roles import setup_roles

    setup_roles()


def _member_of(group_name: str, username: str):
    from django.contrib.auth.models import Group

    user = StaffUserFactory(username=username, is_superuser=False)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def editor(roles):
    return _member_of("Editor", "erin-editor")


@pytest.fixture
def reviewer(roles):
    return _member_of("Reviewer", "rita-reviewer")


@pytest.fixture
def second_reviewer(roles):
    return _member_of("Reviewer", "sam-reviewer")


@pytest.fixture
def researcher(roles):
    return _member_of("Researcher", "rob-researcher")


# Data -------------------------------------------------------------------------------------


@pytest.fixture
def seed(db):
    """The demo data of fixtures/seed.json, which fixtures/build_seed.py writes."""
    call_command("loaddata", build_seed.SEED_JSON, verbosity=0)


# Claims in each review state ---------------------------------------------------------------


@pytest.fixture
def published_claim(editor, reviewer):
    """A published claim with a tag and an appearance anchored in a source."""
    claim = ClaimFactory(label="no casualties", text="No Americans were harmed.")
    claim.tags.add(TagFactory(slug="iran", name="Iran"))
    AppearanceFactory(claim=claim, source=SourceFactory(title="Strike report"))
    return publish(claim, editor=editor, reviewer=reviewer)


@pytest.fixture
def draft_claim(db):
    claim = ClaimFactory(label="a draft about casualties", text="Secret casualties draft.")
    AppearanceFactory(claim=claim)
    EvidenceFactory(claim=claim)
    return claim


@pytest.fixture
def claim_in_review(editor):
    claim = ClaimFactory(
        label="casualties under review",
        text="Casualties still under review.",
        review_state=State.IN_REVIEW,
    )
    AppearanceFactory(claim=claim)
    verdict_record(
        claim=claim,
        rating=rating("unverified"),
        rationale="Not checked yet.",
        by=editor,
    )
    return claim


# API clients ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_throttles():
    # Request counts live in the cache, and the statistics that searches read
    # (claims/read/search.py); each test starts with none. scripts/test runs the
    # suite on a cache of its own process (tests/test_cache.py starts processes on
    # the shared one).
    for backend in caches.all():
        backend.clear()
    yield
    for backend in caches.all():
        backend.clear()


@pytest.fixture
def anonymous(db):
    return APIClient()


@pytest.fixture
def researcher_client(researcher):
    return token_client(researcher)


@pytest.fixture
def editor_client(editor):
    return token_client(editor)


@pytest.fixture
def reviewer_client(reviewer):
    return token_client(reviewer)


@pytest.fixture
def superuser_client(staff_user):
    return token_client(staff_user)


# PDF reports -------------------------------------------------------------------------------


class PangoMissing(importlib.abc.MetaPathFinder):
    """Fails ``import weasyprint`` as cffi does on a server without Pango."""

    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0': not found")
        return None


@pytest.fixture
def without_pango(monkeypatch):
    """WeasyPrint failing to load, as on a server without Pango."""
    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(sys, "meta_path", [PangoMissing(), *sys.meta_path])
