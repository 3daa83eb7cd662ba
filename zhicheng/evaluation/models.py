"""The committee's evaluation of qualified applications (DOMAIN §9–§10).

``Decision`` is the committee's confirmed outcome for one application — what the result
publicity, the city office's publication and the certificates read.
"""

from __future__ import annotations

from django.db import models


class Decision(models.Model):
    """The committee's vote on one application, once confirmed (locked)."""

    application = models.OneToOneField(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="decision"
    )
    yes = models.PositiveSmallIntegerField("同意票")
    no = models.PositiveSmallIntegerField("不同意票")
    abstain = models.PositiveSmallIntegerField("弃权票")
    passed = models.BooleanField("评审通过")
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True, help_text="确认后结果锁定，不可更改")

    class Meta:
        verbose_name = verbose_name_plural = "评审表决结果"

    def __str__(self) -> str:
        return f"{self.application} · {'通过' if self.passed else '未通过'}（{self.yes}/{self.cast}）"

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain
