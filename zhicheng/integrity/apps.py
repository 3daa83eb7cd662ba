from django.apps import AppConfig


class IntegrityConfig(AppConfig):
    """The integrity archive (职称评审诚信档案) and the bans it imposes on applying."""

    name = "zhicheng.integrity"
    label = "integrity"
    verbose_name = "诚信档案"
