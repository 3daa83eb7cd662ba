from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "zhicheng.notifications"
    label = "notifications"
