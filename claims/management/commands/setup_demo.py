"""Prepare a local demo: seed data, audit history, and an account for each role.

Runs only with DEBUG on. On a database holding the demo data (the seed, loaded
here or by an earlier run), it creates a superuser and an ``editor``, a
``reviewer`` and a ``researcher`` in their groups (claims.roles), once, and
prints their names and passwords: the same ones on every run, kept in the
database (claims.models.DemoAccount). On a database holding other data, only the
superuser is made: the role accounts belong to the demo.
"""

import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import BaseCommand, CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from claims.models import Claim, DemoAccount
from claims.roles import EDITOR, RESEARCHER, REVIEWER, setup_roles
from claims.services.matching import embed_claims
from sources.models import Source

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
# Where earlier versions kept the superuser's password; read once to adopt it.
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-admin-password"


@dataclass(frozen=True)
class Role:
    username: str
    group: str
    does: str


ROLES = [
    Role("editor", EDITOR, "records claims, evidence and verdicts, and sends them to review"),
    Role("reviewer", REVIEWER, "approves (publishes) or sends back verdicts others recorded"),
    Role("researcher", RESEARCHER, "reads everything, changes nothing"),
]


def seed_text_hashes() -> set[str]:
    """The content hashes of the seed's articles: how the demo data is recognised."""
    records = json.loads(SEED_FIXTURE.read_bytes().decode("utf-8"))
    return {
        record["fields"]["content_hash"]
        for record in records
        if record["model"] == "sources.source" and record["fields"]["text"]
    }


def is_demo_database() -> bool:
    return Source.objects.filter(content_hash__in=seed_text_hashes()).exists()


class Command(BaseCommand):
    help = (
        "Local demo only (DEBUG=true): load the seed articles and claims into an empty "
        "database, record their initial audit history, set up the roles, and create a "
        "superuser and an editor, a reviewer and a researcher whose credentials are printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Superuser name (admin).")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError(
                "setup_demo prepares a local demo and runs only with DEBUG=true. In "
                "production, run setup_roles and create accounts with createsuperuser."
            )
        self.load_seed()
        self.stdout.write("Recording initial audit history…")
        call_command("populate_history", auto=True, verbosity=0)
        # Claims loaded from fixtures have no embeddings yet; the ones that do are skipped.
        embedded = embed_claims()
        if embedded:
            self.stdout.write(f"Embedded {embedded} claims for similar-claim matching.")
        setup_roles()
        self.stdout.write("Roles ready: Editor, Reviewer, Researcher.")
        accounts = [(username, "superuser", "everything", self.ensure_account(username, None))]
        if is_demo_database():
            for demo in ROLES:
                password = self.ensure_account(demo.username, demo.group)
                accounts.append((demo.username, demo.group, demo.does, password))
        else:
            self.stdout.write(
                "This database does not hold the demo data: no editor, reviewer or "
                "researcher demo accounts are made (create users and add them to a group)."
            )
        self.stdout.write(self.style.SUCCESS("Log in to the admin with (local demo only):"))
        for name, role, does, password in accounts:
            if password is None:
                shown = (
                    "(not the one setup_demo made, or changed since; set a new one with "
                    f"`python manage.py changepassword {name}`)"
                )
            else:
                shown = password
            self.stdout.write(f"    username: {name:<10}  password: {shown}")
            self.stdout.write(f"        {role}: {does}")

    def load_seed(self) -> None:
        if Source.objects.exists() or Claim.objects.exists():
            self.stdout.write(
                f"Data present ({Claim.objects.count()} claims, {Source.objects.count()} "
                "sources): the seed is not loaded again, so that your edits are kept."
            )
            return
        self.stdout.write(f"Loading the seed data from {SEED_FIXTURE.name}…")
        # loaddata sets tags after saving each claim, which history would record as
        # an anonymous edit; the seed's history starts with populate_history instead.
        with override_settings(SIMPLE_HISTORY_ENABLED=False):
            call_command("loaddata", str(SEED_FIXTURE), verbosity=0)
        self.stdout.write(
            f"Loaded {Source.objects.count()} sources and {Claim.objects.count()} claims."
        )

    @transaction.atomic
    def ensure_account(self, username: str, group: str | None) -> str | None:
        """Create the account once (a superuser without a group); return its
        password, or None if it was changed since or was not made here."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            if group is None:
                user = User.objects.create_superuser(username=username, email="", password=password)
            else:
                user = User.objects.create_user(
                    username=username, email="", password=password, is_staff=True
                )
                user.groups.add(Group.objects.get(name=group))
            DemoAccount.objects.create(user=user, password=password)
            return password
        account = DemoAccount.objects.filter(user=user).first()
        if account is None and group is None and PASSWORD_FILE.exists():
            stored = PASSWORD_FILE.read_text().strip()
            if stored and user.check_password(stored):
                account = DemoAccount.objects.create(user=user, password=stored)
        if account is None or not user.check_password(account.password):
            return None
        return account.password
