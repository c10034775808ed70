"""Prepare a local demo: seed data, audit history, an admin account to log in with."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.db import transaction
from django.test.utils import override_settings

from claims.models import Claim
from claims.services.matching import embed_claims
from sources.models import Source

SEED_FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "seed.json"
PASSWORD_FILE = Path(settings.BASE_DIR) / ".demo-admin-password"


class Command(BaseCommand):
    help = (
        "Load the seed articles and claims into an empty database, record their "
        "initial audit history, and create a superuser whose credentials are printed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin", help="Superuser name (admin).")

    def handle(self, *args, username: str, **options):
        self.load_seed()
        self.stdout.write("Recording initial audit history…")
        call_command("populate_history", auto=True, verbosity=0)
        # Claims loaded from fixtures have no embeddings yet; the ones that do are skipped.
        embedded = embed_claims()
        if embedded:
            self.stdout.write(f"Embedded {embedded} claims for similar-claim matching.")
        password = self.ensure_admin(username)
        self.stdout.write(self.style.SUCCESS("Log in to the admin with:"))
        self.stdout.write(f"    username: {username}")
        if password is None:
            self.stdout.write(
                "    password: (changed since it was created; set a new one with "
                f"`python manage.py changepassword {username}`)"
            )
        else:
            self.stdout.write(f"    password: {password}")

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
    def ensure_admin(self, username: str) -> str | None:
        """Create the superuser once; return its password, or None if it was changed."""
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username=username, email="", password=password)
            PASSWORD_FILE.write_text(password + "\n")
            PASSWORD_FILE.chmod(0o600)
            return password
        stored = PASSWORD_FILE.read_text().strip() if PASSWORD_FILE.exists() else ""
        return stored if stored and user.check_password(stored) else None
