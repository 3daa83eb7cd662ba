from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """The six-step application (职称申报) to a review plan, its submission and timeline."""

    name = "zhicheng.applications"
    label = "applications"
    verbose_name = "职称申报"

    def ready(self) -> None:
        from zhicheng.applications import notices, permissions  # noqa: F401  (register rules and message templates)
