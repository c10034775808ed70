"""DRF's drf_create_token, audited: the token is issued through claims.services.tokens,
which records who ran the command (the operating system's account, or --by)."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from claims.services.tokens import Via, command_line_actor, token_issue


class Command(BaseCommand):
    help = (
        "Issue an API token for a user and print it (once: keep it safe). --reset revokes "
        "their token and issues a new one. Each is recorded with who ran the command."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "-r",
            "--reset",
            action="store_true",
            dest="reset_token",
            help="Revoke the user's token and issue a new one.",
        )
        parser.add_argument(
            "--by",
            metavar="USERNAME",
            help="The administrator running the command, recorded with the token "
            "(default: the operating system's account).",
        )

    def handle(self, *args, username, reset_token=False, by=None, **options):
        User = get_user_model()
        try:
            user = User._default_manager.get_by_natural_key(username)
        except User.DoesNotExist:
            raise CommandError(
                f"Cannot create the token: user {username} does not exist."
            ) from None
        actor = None
        if by:
            try:
                actor = User._default_manager.get_by_natural_key(by)
            except User.DoesNotExist:
                raise CommandError(f"--by: user {by} does not exist.") from None
        token, created = token_issue(
            user=user,
            actor=actor,
            via=Via.COMMAND,
            actor_name=f"{actor.get_username()} (command line)" if actor else command_line_actor(),
            replace=reset_token,
        )
        # The one place the key is shown: to whoever runs the command, on its output.
        self.stdout.write(f"Generated token {token.key} for user {username}")
        if not created:
            self.stdout.write("(the user's existing token; --reset issues a new one)")
