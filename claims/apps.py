from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims"

    def ready(self) -> None:
        # Connects the receivers that re-anchor quotes when a source's text changes.
        from claims import signals  # noqa: F401
