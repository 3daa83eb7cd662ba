from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Official documents: the review form, publicity form, 破格 forms (PDF), the roster (XLSX)
    and background export jobs."""

    name = "zhicheng.documents"
    label = "documents"
    verbose_name = "文书与导出"

    def ready(self) -> None:
        from zhicheng.documents import permissions  # noqa: F401  (registers rules)
