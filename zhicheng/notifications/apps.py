from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhicheng.notifications"
    label = "notifications"
    verbose_name = "消息通知"

    def ready(self) -> None:
        from zhicheng.notifications import permissions  # noqa: F401 - registers rules
