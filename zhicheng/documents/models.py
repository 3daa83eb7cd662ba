"""Background export jobs (a plan's roster, a batch of review forms): what was asked, how far
the job has got, and the file it produced (private storage, served only through a view that
checks the creator's permission again)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhicheng.core.storage import private_files


class ExportJob(models.Model):
    class Kind(models.TextChoices):
        ROSTER = "roster", "评审对象资格审查花名册（Excel）"
        REVIEW_FORMS = "review_forms", "评审表批量导出（ZIP）"

    class Status(models.TextChoices):
        QUEUED = "queued", "排队中"
        RUNNING = "running", "生成中"
        DONE = "done", "已完成"
        FAILED = "failed", "失败"

    public_id = models.UUIDField("标识", default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    parameters = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.QUEUED, db_index=True)
    progress = models.PositiveIntegerField("已完成", default=0)
    total = models.PositiveIntegerField("总数", default=0)
    result = models.FileField("结果文件", upload_to="exports/%Y/%m/", storage=private_files, blank=True)
    result_name = models.CharField("下载文件名", max_length=200, blank=True)
    error = models.TextField("错误信息", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="export_jobs"
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "导出任务"
        indexes = [models.Index(fields=["created_by", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.progress * 100 / self.total) if self.total else 0
