"""Integrity records (诚信档案, DOMAIN §11).

A person found to have falsified documents or materials, or who hid serious misconduct, is
recorded here; the record carries the ban on applying: by default no new application for
3 years from 1 January of the year after the finding (``default_ban``). Application
submission refuses while a ban is active (``selectors.active_ban``), and the policy engine
receives the bans as the profile's ``integrity`` list.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

BAN_YEARS = 3


def default_ban(found_on: date) -> tuple[date, date]:
    """3 years from the following year: found in 2023 → banned 2024-01-01 to 2026-12-31."""
    return date(found_on.year + 1, 1, 1), date(found_on.year + BAN_YEARS, 12, 31)


class IntegrityRecord(models.Model):
    class Kind(models.TextChoices):
        FALSIFIED = "falsified", "伪造、变造证书或申报材料"
        PLAGIARISM = "plagiarism", "剽窃他人成果"
        FALSE_UNIT_PROOF = "false_unit_proof", "单位出具虚假证明"
        MISCONDUCT = "misconduct", "隐瞒严重违纪违法行为"

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="当事人", on_delete=models.PROTECT, related_name="integrity_records"
    )
    kind = models.CharField("失信类型", max_length=20, choices=Kind.choices)
    description = models.TextField("事实与处理")
    found_on = models.DateField("认定日期")
    banned_from = models.DateField("限制申报开始日")
    banned_until = models.DateField("限制申报截止日")
    document_number = models.CharField("处理文号", max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="记录人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("记录时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True, help_text="经复查撤销的记录不再限制申报")

    class Meta:
        ordering = ["-found_on", "-pk"]
        verbose_name = verbose_name_plural = "诚信档案记录"
        indexes = [models.Index(fields=["person", "banned_until"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.found_on:%Y-%m-%d}）"

    def clean(self) -> None:
        if self.banned_from and self.banned_until and self.banned_until < self.banned_from:
            raise ValidationError({"banned_until": "限制申报截止日不能早于开始日。"})

    def is_active_on(self, day: date) -> bool:
        return self.revoked_at is None and self.banned_from <= day <= self.banned_until
