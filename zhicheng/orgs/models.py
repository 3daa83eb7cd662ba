"""Organisations (employers, offices, committees), acceptance points and memberships."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhicheng.core.storage import private_files


class Organisation(models.Model):
    """An employer or an office that takes part in reviews.

    Employers register themselves and need a platform administrator's approval; offices
    and committee bodies are created by administrators and are approved from the start.
    """

    class Kind(models.TextChoices):
        EMPLOYER = "employer", "用人单位"
        HR_BUREAU = "hr_bureau", "人力社保局"
        TITLE_OFFICE = "title_office", "职改办"
        INDUSTRY_BODY = "industry_body", "行业主管部门"
        ASSOCIATION = "association", "行业协会（学会）"

    class Nature(models.TextChoices):
        PUBLIC_INSTITUTION = "public_institution", "事业单位"
        STATE_OWNED = "state_owned", "国有企业/公有制单位"
        PRIVATE = "private", "民营企业/非公有制单位"
        SOCIAL_ORGANISATION = "social_organisation", "社会团体"

    class Size(models.TextChoices):
        LARGE_MEDIUM = "large_medium", "大中型企业"
        SMALL_MICRO = "small_micro", "小微型企业"

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "已通过"
        REJECTED = "rejected", "未通过"

    class AdminLevel(models.TextChoices):
        COUNTY = "county", "县级"
        CITY = "city", "市级"
        PROVINCE = "province", "省级"

    kind = models.CharField("类型", max_length=20, choices=Kind.choices, db_index=True)
    name = models.CharField("名称", max_length=100)
    region = models.ForeignKey("reference.Region", verbose_name="所在地", on_delete=models.PROTECT)
    admin_level = models.CharField("层级", max_length=10, choices=AdminLevel.choices, blank=True)
    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True, null=True, blank=True)
    nature = models.CharField("单位性质", max_length=24, choices=Nature.choices, blank=True)
    annual_revenue_wan = models.DecimalField(
        "年营业收入（万元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    staff_count = models.PositiveIntegerField("从业人员数", null=True, blank=True)
    address = models.CharField("单位地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField("未通过原因", max_length=300, blank=True)
    authorisation_letter = models.FileField(
        "授权委托证明", upload_to="authorisation_letters/", storage=private_files, blank=True
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("注册时间", default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "单位"
        indexes = [models.Index(fields=["kind", "status", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def size(self) -> str:
        """大中型 when yearly revenue > 20 million yuan and staff > 200 (DOMAIN §3)."""
        if self.annual_revenue_wan is None or self.staff_count is None:
            return ""
        if self.annual_revenue_wan > 2000 and self.staff_count > 200:
            return self.Size.LARGE_MEDIUM
        return self.Size.SMALL_MICRO

    def get_size_display(self) -> str:
        return self.Size(self.size).label if self.size else ""


class Committee(models.Model):
    """A review committee (评委会) formed by an organising body."""

    name = models.CharField("名称", max_length=100, unique=True)
    organising_body = models.ForeignKey(
        Organisation, verbose_name="组建单位", on_delete=models.PROTECT, related_name="committees"
    )
    specialty = models.ForeignKey(
        "reference.Specialty", verbose_name="专业", null=True, blank=True, on_delete=models.PROTECT
    )
    levels = models.ManyToManyField("reference.TitleLevel", verbose_name="评审级别", blank=True)
    region = models.ForeignKey("reference.Region", verbose_name="评审范围", on_delete=models.PROTECT)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "评审委员会"

    def __str__(self) -> str:
        return self.name


class AcceptancePoint(models.Model):
    """A place that receives applications (职称申报受理点), run by an office for a region."""

    name = models.CharField("名称", max_length=100, unique=True)
    office = models.ForeignKey(
        Organisation, verbose_name="所属部门", on_delete=models.PROTECT, related_name="acceptance_points"
    )
    region = models.ForeignKey("reference.Region", verbose_name="受理范围", on_delete=models.PROTECT)

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = verbose_name_plural = "职称申报受理点"

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    """Roles granted within an organisation; ``ROLE_PERMISSIONS`` maps them to codes."""

    EMPLOYER_ADMIN = "employer_admin", "单位经办人"
    OFFICE_REVIEWER = "office_reviewer", "审核人员"
    COMMITTEE_SECRETARY = "committee_secretary", "评委会办公室"
    CITY_TITLE_OFFICER = "city_title_officer", "市职改办"
    EXPERT = "expert", "评审专家"


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.EMPLOYER_ADMIN: frozenset({"org.manage", "archive.review", "application.review"}),
    Role.OFFICE_REVIEWER: frozenset({"application.review", "roster.export"}),
    Role.COMMITTEE_SECRETARY: frozenset(
        {"application.review", "plan.manage", "evaluation.manage", "roster.export", "policy.read"}
    ),
    Role.CITY_TITLE_OFFICER: frozenset(
        {"application.review", "results.publish", "integrity.manage", "roster.export", "policy.read"}
    ),
    Role.EXPERT: frozenset({"evaluation.score"}),
}


class Membership(models.Model):
    """A user's role in an organisation (or on a committee, for experts and secretaries)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name="单位", on_delete=models.CASCADE, related_name="memberships"
    )
    committee = models.ForeignKey(
        Committee, verbose_name="评委会", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField("角色", max_length=24, choices=Role.choices)
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("授权时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "角色授权"
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation", "role"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"

    @property
    def permission_codes(self) -> frozenset[str]:
        return ROLE_PERMISSIONS.get(self.role, frozenset())
