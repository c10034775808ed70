"""Move claims through the review workflow from the command line, as a named user."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import BaseCommand, CommandError

from claims.models import Claim, ConcurrentEditError
from claims.services import claim_transition
from factcheck.history import acting_user
from factcheck.limits import check_reason


class Command(BaseCommand):
    help = (
        "Move claims to another review state with the same rules as the admin and the "
        "API, recording USER as the actor in the audit history. Example: "
        "`transition_claims --user rita --to in_review --from-state in_research`."
    )

    def add_arguments(self, parser):
        parser.add_argument("ids", nargs="*", type=int, help="Claim ids.")
        parser.add_argument("--user", required=True, help="Username of the acting person.")
        parser.add_argument("--to", required=True, choices=Claim.ReviewState.values)
        parser.add_argument(
            "--from-state",
            choices=Claim.ReviewState.values,
            help="Instead of ids: every claim currently in this state.",
        )
        parser.add_argument("--reason", default="", help="Why (required for a retraction).")

    def handle(self, *args, ids, user, to, from_state, reason, **options):
        try:
            check_reason(reason, field="reason")
        except ValidationError as error:
            raise CommandError(f"--reason: {' '.join(error.messages)}") from None
        try:
            actor = get_user_model().objects.get(username=user, is_active=True)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No active user named “{user}”.") from None
        if bool(ids) == bool(from_state):
            raise CommandError("Give claim ids, or --from-state, but not both.")
        claims = (
            Claim.objects.filter(pk__in=ids)
            if ids
            else Claim.objects.filter(review_state=from_state)
        )
        missing = set(ids) - set(claims.values_list("pk", flat=True))
        if missing:
            raise CommandError(f"No claim with id {', '.join(map(str, sorted(missing)))}.")

        moved = refused = 0
        total = claims.count()
        with acting_user(actor):
            for number, claim in enumerate(claims.order_by("pk").iterator(), start=1):
                try:
                    claim_transition(claim=claim, to=to, by=actor, reason=reason)
                except (ValidationError, PermissionDenied, ConcurrentEditError) as error:
                    refused += 1
                    messages = getattr(error, "messages", None) or [str(error)]
                    self.stderr.write(
                        f"[{number}/{total}] #{claim.pk} {claim}: {' '.join(messages)}"
                    )
                else:
                    moved += 1
                    self.stdout.write(f"[{number}/{total}] #{claim.pk} {claim}: now {to}")
        self.stdout.write(self.style.SUCCESS(f"{moved} moved, {refused} refused."))
        if refused:
            raise CommandError(f"{refused} claim(s) could not be moved; see above.")
