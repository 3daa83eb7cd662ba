"""Public portal content: notices (通知公告)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class Notice(models.Model):
    title = models.CharField("标题", max_length=200)
    body = models.TextField("正文")
    document_number = models.CharField("文号", max_length=60, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    is_published = models.BooleanField("已发布", default=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = verbose_name_plural = "通知公告"

    def __str__(self) -> str:
        return self.title
