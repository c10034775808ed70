from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    """The project's own wiring: system checks that span the apps, and moments sent
    to PostgreSQL in UTC (factcheck/pgtypes.py)."""

    name = "factcheck"
    verbose_name = "Fact-check tracker"

    def ready(self) -> None:
        from factcheck import (
            checks,  # noqa: F401  (registers the checks)
            pgtypes,
        )

        pgtypes.register()
