from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "zhicheng.orgs"
    label = "orgs"
    verbose_name = "单位与角色"

    def ready(self) -> None:
        from zhicheng.orgs import permissions  # noqa: F401  (registers rules)
