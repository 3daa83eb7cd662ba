from django.apps import AppConfig


class PlansConfig(AppConfig):
    """Review plans (评审申报计划), their review chain, plan search and recommendation."""

    name = "zhicheng.plans"
    label = "plans"
    verbose_name = "评审申报计划"

    def ready(self) -> None:
        from zhicheng.plans import permissions  # noqa: F401  (registers rules)
