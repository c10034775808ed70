from django.core.management import BaseCommand

from claims.roles import setup_roles


class Command(BaseCommand):
    help = (
        "Create the Editor, Reviewer and Researcher groups with least-privilege "
        "permissions (safe to re-run; resets them to the defined set)."
    )

    def handle(self, *args, **options):
        for name, count in setup_roles().items():
            self.stdout.write(f"{name}: {count} permissions")
        self.stdout.write(
            self.style.SUCCESS("Roles ready. Add users to a group in the admin (Users → Groups).")
        )
