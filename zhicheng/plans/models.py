"""Review plans (评审申报计划) and their review chain (DOMAIN §6).

A plan binds a committee's yearly review to a policy (``zhicheng.rules``), the levels and
application types it offers, its acceptance points, its dates and the ordered offices an
application passes through (``PlanStage``). The application wizard (issue 5, items 3+) reads
everything it needs from here: the subspecialties, levels and application types to choose
from, the acceptance points, the policy and the plan's own dates for the engine's profile,
and the stages for routing.

Times: the individual window is stored as two aware datetimes. The end is inclusive to the
last microsecond of the last day in Asia/Shanghai (``23:59:59.999999``), which the pages show
as "23:59:59" like the provincial platform (seed 003). Deadlines of employers and offices are
dates whose whole day (Asia/Shanghai) counts.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.utils import timezone

from zhicheng.orgs.models import Organisation

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59, 999999)


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def end_of_day(day: date) -> datetime:
    """The inclusive end of ``day`` in Asia/Shanghai."""
    return datetime.combine(day, END_OF_DAY, tzinfo=SHANGHAI)


class PlanQuerySet(models.QuerySet):
    def published(self) -> PlanQuerySet:
        return self.filter(is_published=True)

    def open_at(self, moment: datetime | None = None) -> PlanQuerySet:
        moment = moment or timezone.now()
        return self.filter(individual_start__lte=moment, individual_end__gte=moment)

    def not_closed_at(self, moment: datetime | None = None) -> PlanQuerySet:
        return self.filter(individual_end__gte=moment or timezone.now())


class Plan(models.Model):
    """A committee's review plan for one year: what it reviews, under which policy, when."""

    class Status(models.TextChoices):
        UPCOMING = "upcoming", "未开始"
        OPEN = "open", "申报中"
        CLOSED = "closed", "已截止"

    number = models.CharField("计划编号", max_length=40, unique=True, help_text="如：2022-00533")
    year = models.PositiveSmallIntegerField("年度", db_index=True)
    name = models.CharField("计划名称", max_length=200)
    committee = models.ForeignKey(
        "orgs.Committee", verbose_name="评审委员会", on_delete=models.PROTECT, related_name="plans"
    )
    series = models.ForeignKey("reference.Series", verbose_name="职称系列", on_delete=models.PROTECT, related_name="+")
    specialty = models.ForeignKey(
        "reference.Specialty", verbose_name="专业", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subspecialties = models.ManyToManyField(
        "reference.Subspecialty", verbose_name="子专业", blank=True, related_name="plans"
    )
    levels = models.ManyToManyField("reference.TitleLevel", verbose_name="申报级别", related_name="plans")
    application_types = models.JSONField(
        "申报类型", default=list, blank=True, help_text="POLICY_API 的 application_type 取值；空表示政策允许的全部类型"
    )
    policy_id = models.CharField("适用政策", max_length=40)
    acceptance_points = models.ManyToManyField(
        "orgs.AcceptancePoint", verbose_name="受理点", blank=True, related_name="plans"
    )
    individual_start = models.DateTimeField("个人申报开始时间")
    individual_end = models.DateTimeField("个人申报截止时间")
    employer_deadline = models.DateField("单位推荐截止日", null=True, blank=True)
    seniority_cutoff = models.DateField("资历计算截止日")
    achievements_cutoff = models.DateField("业绩截止日")
    publicity_working_days = models.PositiveSmallIntegerField("单位公示工作日数", default=5)
    remark = models.TextField("备注", blank=True)
    is_published = models.BooleanField("已发布", default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="创建人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-individual_start", "number"]
        verbose_name = verbose_name_plural = "评审申报计划"
        indexes = [models.Index(fields=["is_published", "individual_end", "individual_start"])]

    def __str__(self) -> str:
        return f"{self.name}（编号：{self.number}）"

    @property
    def individual_last_day(self) -> date:
        return timezone.localtime(self.individual_end, SHANGHAI).date()

    def status_at(self, moment: datetime | None = None) -> str:
        moment = moment or timezone.now()
        if moment < self.individual_start:
            return self.Status.UPCOMING
        if moment > self.individual_end:
            return self.Status.CLOSED
        return self.Status.OPEN

    def is_open(self, moment: datetime | None = None) -> bool:
        return self.status_at(moment) == self.Status.OPEN

    def status_text(self, moment: datetime | None = None) -> str:
        """ "申报中（截止 …）" / "…开始申报" / "已截止" for the pages."""
        status = self.status_at(moment)
        if status == self.Status.OPEN:
            return f"申报中，{self.individual_last_day:%Y-%m-%d} 23:59:59 截止"
        if status == self.Status.UPCOMING:
            start = timezone.localtime(self.individual_start, SHANGHAI)
            return f"{start:%Y-%m-%d %H:%M} 开始申报"
        return "已截止"

    def application_type_names(self) -> list[str]:
        from zhicheng.rules import vocab

        return [vocab.APPLICATION_TYPE_NAMES.get(t, t) for t in self.application_types]


class PlanStage(models.Model):
    """One office of the review chain, in order (employer → … → committee → city HR)."""

    class OfficeKind(models.TextChoices):
        EMPLOYER = "employer", "用人单位"
        ACCEPTANCE_POINT = "acceptance_point", "受理点（县级人力社保部门）"
        HR_BUREAU = Organisation.Kind.HR_BUREAU.value, Organisation.Kind.HR_BUREAU.label
        TITLE_OFFICE = Organisation.Kind.TITLE_OFFICE.value, Organisation.Kind.TITLE_OFFICE.label
        INDUSTRY_BODY = Organisation.Kind.INDUSTRY_BODY.value, Organisation.Kind.INDUSTRY_BODY.label
        ASSOCIATION = Organisation.Kind.ASSOCIATION.value, Organisation.Kind.ASSOCIATION.label
        COMMITTEE = "committee", "评委会办公室"

    plan = models.ForeignKey(Plan, verbose_name="计划", on_delete=models.CASCADE, related_name="stages")
    order = models.PositiveSmallIntegerField("顺序")
    office_kind = models.CharField("审核部门类型", max_length=20, choices=OfficeKind.choices)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name="指定单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="留空：按申报人所在单位或受理点确定",
    )
    label = models.CharField("环节名称", max_length=100, help_text="如：县级人力社保部门资格审查")
    deadline = models.DateField("截止日", null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = verbose_name_plural = "审核环节"
        constraints = [models.UniqueConstraint(fields=["plan", "order"], name="plan_stage_order_unique")]

    def __str__(self) -> str:
        return f"{self.order}. {self.label}"
