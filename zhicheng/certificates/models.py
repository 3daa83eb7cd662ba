"""Results and certificates (DOMAIN §10).

- ``ResultPublicity``: the committee office puts a plan's confirmed decisions (``evaluation.
  Decision``) on the public portal for the plan's number of working days; each applicant shown
  is a ``PublicityEntry`` holding only what the public may read (name, employer, level,
  specialty, result — never an ID number or a phone).
- ``Objection``: anyone may object during the period; the committee office records how it was
  handled. Publication waits until every objection is handled.
- ``Certificate``: issued when the city office publishes the result (approved); the number
  carries a check character (``numbers``), the QR code a random ``token`` that leads to the
  public verification page. A revoked title withdraws the certificate (``revoked_at``,
  ``revocation_reason`` in general terms), which the verification page then says.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhicheng.core.fields import SealedCharField
from zhicheng.lib.idnumbers import mask_id_number


class ResultPublicity(models.Model):
    """A plan's results on public display (评审结果公示) from ``starts_on`` to ``ends_on``."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name="评审计划", on_delete=models.PROTECT, related_name="result_publicities"
    )
    title = models.CharField("公示标题", max_length=200)
    note = models.TextField("公示说明", blank=True, help_text="如：异议受理电话、地址")
    working_days = models.PositiveSmallIntegerField("公示工作日数")
    starts_on = models.DateField("公示开始日")
    ends_on = models.DateField("公示截止日", help_text="公示期最后一个工作日")
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField("发布时间", default=timezone.now)
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_number = models.CharField("公布文号", max_length=60, blank=True)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = verbose_name_plural = "评审结果公示"

    def __str__(self) -> str:
        return self.title

    def is_open_on(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def status_on(self, day: date) -> str:
        if self.published_at:
            return "已公布"
        if day < self.starts_on:
            return "未开始"
        return "公示中" if day <= self.ends_on else "公示期满，待公布"


class PublicityEntry(models.Model):
    """One applicant in a publicity, as the public sees them."""

    publicity = models.ForeignKey(
        ResultPublicity, verbose_name="公示", on_delete=models.CASCADE, related_name="entries"
    )
    application = models.OneToOneField(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="result_entry"
    )
    position = models.PositiveIntegerField("序号")
    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    level = models.CharField("资格名称", max_length=40)
    specialty = models.CharField("专业", max_length=100, blank=True)
    passed = models.BooleanField("评审结果")

    class Meta:
        ordering = ["publicity", "position"]
        verbose_name = verbose_name_plural = "公示名单"

    def __str__(self) -> str:
        return f"{self.name}（{self.result_label}）"

    @property
    def result_label(self) -> str:
        return "通过" if self.passed else "未通过"


class Objection(models.Model):
    """An objection lodged on the portal during a publicity, and how the office handled it."""

    publicity = models.ForeignKey(
        ResultPublicity, verbose_name="公示", on_delete=models.PROTECT, related_name="objections"
    )
    entry = models.ForeignKey(
        PublicityEntry,
        verbose_name="所涉人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="objections",
    )
    name = models.CharField("反映人姓名", max_length=40)
    contact = models.CharField("联系方式", max_length=80)
    text = models.TextField("异议内容")
    ip = models.GenericIPAddressField("来源 IP", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    handling = models.TextField("处理情况", blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="处理人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        verbose_name = verbose_name_plural = "公示异议"

    def __str__(self) -> str:
        return f"{self.name} · {self.submitted_at:%Y-%m-%d}"

    @property
    def is_handled(self) -> bool:
        return self.handled_at is not None


class CertificateSequence(models.Model):
    """The last serial used for one number prefix (city, year, level); rows are locked to count."""

    prefix = models.CharField("编号前缀", max_length=9, unique=True)
    last = models.PositiveIntegerField("已用序号", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "证书编号序列"

    def __str__(self) -> str:
        return f"{self.prefix}：{self.last}"


class Certificate(models.Model):
    """An electronic certificate of a professional title (专业技术资格电子证书)."""

    number = models.CharField("证书编号", max_length=20, unique=True)
    token = models.CharField("验证码", max_length=64, unique=True, editable=False)
    application = models.OneToOneField(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="certificate"
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    holder_name = models.CharField("姓名", max_length=50)
    id_number = SealedCharField("证件号码", max_length=18, blank=True)
    gender = models.CharField("性别", max_length=4, blank=True)
    employer = models.CharField("工作单位", max_length=100, blank=True)
    series = models.CharField("职称系列", max_length=60, blank=True)
    title = models.CharField("资格名称", max_length=40)
    grade = models.CharField("资格层级", max_length=10, blank=True)
    specialty = models.CharField("专业", max_length=100, blank=True)
    committee = models.CharField("评审委员会", max_length=100)
    issuer = models.CharField("发证机关", max_length=100, blank=True)
    issued_on = models.DateField("发证日期")
    document_number = models.CharField("公布文号", max_length=60)
    publicity = models.ForeignKey(
        ResultPublicity,
        verbose_name="结果公示",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="签发人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("签发时间", default=timezone.now)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revocation_reason = models.CharField(
        "撤销原因（公开）", max_length=200, blank=True, help_text="概括说明，验证页面公开显示"
    )
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤销人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    integrity_record = models.ForeignKey(
        "integrity.IntegrityRecord",
        verbose_name="诚信档案记录",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_certificates",
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = verbose_name_plural = "电子证书"

    def __str__(self) -> str:
        return f"{self.number} · {self.holder_name} · {self.title}"

    @property
    def is_valid(self) -> bool:
        return self.revoked_at is None

    @property
    def masked_id_number(self) -> str:
        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def filename(self) -> str:
        return f"{self.number}-{self.holder_name}-电子证书.pdf"
