from django.apps import AppConfig


class FactcheckConfig(AppConfig):
    """The project's own wiring: system checks that span the apps."""

    name = "factcheck"
    verbose_name = "Fact-check tracker"

    def ready(self) -> None:
        from factcheck import checks  # noqa: F401  (registers the checks)
