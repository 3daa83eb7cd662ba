from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "zhicheng.archive"
    label = "archive"
    verbose_name = "业绩档案"

    def ready(self) -> None:
        from zhicheng.archive import permissions  # noqa: F401  (registers rules)
        from zhicheng.notifications.message_templates import MessageTemplate, register

        register(MessageTemplate("archive_reviewed", "业绩档案审核结果", ("approved", "rejected", "reason")))
