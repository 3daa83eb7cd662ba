from django.apps import AppConfig


class EligibilityConfig(AppConfig):
    """The policy engine's Django face: API, batch command, self-check and policy reader."""

    name = "zhicheng.eligibility"
    label = "eligibility"
    verbose_name = "申报条件自测"

    def ready(self) -> None:
        from zhicheng.eligibility import permissions  # noqa: F401  (registers rules)
