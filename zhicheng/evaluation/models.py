"""The committee's evaluation of qualified applications (DOMAIN §9–§10).

- ``Expert`` / ``ExpertRelation``: a committee's expert pool (专家库) and the relations its
  experts declared (they never judge those persons).
- ``Panel`` / ``PanelDraw`` / ``PanelMember`` / ``Assignment``: the panel (专业审议组) of a plan,
  drawn at random with avoidance; each draw keeps its seed and candidates, so it can be
  recomputed (``draw.py``); each member judges the applicants they are not in conflict with.
- ``ScoreScale`` / ``ExamResult``: the exam's and interview's full marks and raw scores.
- ``PanelScore``: a member's recommendation, points for flagged items and comment.
- ``VoteSession`` / ``BallotReceipt`` / ``VoteTally``: the secret vote. Who voted (receipts)
  and how (per-application counters) are stored apart, and the counters hold no row per
  ballot, so nothing in the database links a member to a choice.
- ``Decision``: the committee's confirmed outcome for one application — what the result
  publicity, the city office's publication and the certificates read.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhicheng.core.fields import BlindIndexField, SealedCharField

USER = settings.AUTH_USER_MODEL


class Expert(models.Model):
    """An expert in a committee's pool. A linked user account lets the expert log in to score
    and vote; without one the office records on the expert's behalf only the draw."""

    committee = models.ForeignKey(
        "orgs.Committee", verbose_name="所属评委会", on_delete=models.PROTECT, related_name="experts"
    )
    user = models.ForeignKey(
        USER, verbose_name="登录账号", null=True, blank=True, on_delete=models.PROTECT, related_name="expert_entries"
    )
    name = models.CharField("姓名", max_length=40)
    title_level = models.ForeignKey(
        "reference.TitleLevel", verbose_name="职称", on_delete=models.PROTECT, related_name="+"
    )
    specialty = models.CharField("专业", max_length=60)
    region = models.ForeignKey("reference.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    employer = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="工作单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="experts",
        help_text="用于回避：专家不评审本单位的申报人",
    )
    is_active = models.BooleanField("在库（可抽取）", default=True)
    created_at = models.DateTimeField("入库时间", default=timezone.now)

    class Meta:
        ordering = ["committee", "name", "pk"]
        verbose_name = verbose_name_plural = "评审专家"
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"], condition=Q(user__isnull=False), name="expert_user_once_per_committee"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.title_level.name}）"


class ExpertRelation(models.Model):
    """A relation an expert declared with a person (matched by ID number)."""

    class Kind(models.TextChoices):
        KIN = "kin", "亲属关系"
        TEACHER = "teacher_student", "师生关系"
        COLLEAGUE = "colleague", "同事或合作关系"
        OTHER = "other", "其他可能影响公正评审的关系"

    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="relations")
    person_name = models.CharField("姓名", max_length=40)
    id_number = SealedCharField("身份证件号码", max_length=18)
    id_number_index = BlindIndexField("证件号码检索码", source="id_number")
    kind = models.CharField("关系", max_length=20, choices=Kind.choices)
    note = models.CharField("说明", max_length=200, blank=True)
    recorded_by = models.ForeignKey(USER, verbose_name="登记人", on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField("申报时间", default=timezone.now)

    class Meta:
        ordering = ["declared_at", "pk"]
        verbose_name = verbose_name_plural = "专家申报的回避关系"
        constraints = [
            models.UniqueConstraint(
                fields=["expert", "id_number_index"],
                name="expert_relation_once",
                violation_error_message="该专家已申报与此人的回避关系。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.expert.name} — {self.person_name}（{self.get_kind_display()}）"


class Panel(models.Model):
    """A plan's panel (专业审议组), drawn once; declining members are replaced by new draws."""

    plan = models.OneToOneField("plans.Plan", verbose_name="评审计划", on_delete=models.PROTECT, related_name="panel")
    size = models.PositiveSmallIntegerField("组成人数")
    created_by = models.ForeignKey(USER, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "专业审议组"

    def __str__(self) -> str:
        return f"{self.plan.number} 专业审议组（{self.size} 人）"


class PanelDraw(models.Model):
    """One random draw: its seed, the candidates it drew from (sorted ids) and whom it chose."""

    class Kind(models.TextChoices):
        INITIAL = "initial", "组建抽取"
        REPLACEMENT = "replacement", "替补抽取"

    panel = models.ForeignKey(Panel, verbose_name="专业审议组", on_delete=models.PROTECT, related_name="draws")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    seed = models.CharField("随机种子", max_length=64)
    size = models.PositiveSmallIntegerField("抽取人数")
    candidates = models.JSONField("候选专家", help_text="抽取时符合条件的专家编号（升序）")
    chosen = models.JSONField("抽中专家", help_text="按抽中顺序的专家编号")
    replaces = models.ForeignKey(
        "PanelMember", verbose_name="替补对象", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    drawn_by = models.ForeignKey(USER, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        ordering = ["drawn_at", "pk"]
        verbose_name = verbose_name_plural = "专家抽取记录"


class PanelMember(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "在组"
        DECLINED = "declined", "已谢绝（已替补）"

    panel = models.ForeignKey(Panel, verbose_name="专业审议组", on_delete=models.PROTECT, related_name="members")
    expert = models.ForeignKey(Expert, verbose_name="专家", on_delete=models.PROTECT, related_name="panel_seats")
    draw = models.ForeignKey(PanelDraw, verbose_name="抽取记录", on_delete=models.PROTECT, related_name="members")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    decline_reason = models.CharField("谢绝原因", max_length=200, blank=True)
    declined_at = models.DateTimeField("谢绝时间", null=True, blank=True)

    class Meta:
        ordering = ["panel", "pk"]
        verbose_name = verbose_name_plural = "专业审议组成员"
        constraints = [models.UniqueConstraint(fields=["panel", "expert"], name="panel_member_once")]

    def __str__(self) -> str:
        return str(self.expert)

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class Assignment(models.Model):
    """A member judges an applicant. Withdrawn (never deleted) when the member declines or a
    conflict comes to light; only assignments with ``withdrawn_at`` empty count."""

    member = models.ForeignKey(PanelMember, verbose_name="专家", on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey(
        "applications.Application",
        verbose_name="申报",
        on_delete=models.PROTECT,
        related_name="evaluation_assignments",
    )
    created_at = models.DateTimeField("分配时间", default=timezone.now)
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_reason = models.CharField("撤回原因", max_length=100, blank=True)

    class Meta:
        ordering = ["application", "member"]
        verbose_name = verbose_name_plural = "评审分配"
        constraints = [models.UniqueConstraint(fields=["member", "application"], name="assignment_once")]


class PanelScore(models.Model):
    """A member's judgement of one assigned application (量化评分与推荐意见)."""

    class Recommendation(models.TextChoices):
        STRONG = "strong", "重点推荐"
        GENERAL = "general", "一般推荐"
        NOT_RECOMMENDED = "not_recommended", "不推荐"

    assignment = models.OneToOneField(
        Assignment, verbose_name="评审分配", on_delete=models.PROTECT, related_name="score"
    )
    recommendation = models.CharField("推荐意见", max_length=16, choices=Recommendation.choices)
    flagged_points = models.JSONField(
        "酌情量分", default=dict, blank=True, help_text="由专家酌情量分的项目：项目编号 → 分数（字符串）"
    )
    comment = models.TextField("评审意见", blank=True)
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    updated_at = models.DateTimeField("修改时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "专家评分"

    def points(self) -> dict[str, Decimal]:
        return {item: Decimal(value) for item, value in self.flagged_points.items()}


class ScoreScale(models.Model):
    """The full marks of a plan's exam and interview (raw scores are scaled to 25 and 20)."""

    plan = models.OneToOneField(
        "plans.Plan", verbose_name="评审计划", on_delete=models.PROTECT, related_name="score_scale"
    )
    exam_full_marks = models.DecimalField(
        "理论考试满分", max_digits=6, decimal_places=2, default=Decimal(100), validators=[MinValueValidator(1)]
    )
    interview_full_marks = models.DecimalField(
        "面试答辩满分", max_digits=6, decimal_places=2, default=Decimal(100), validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = verbose_name_plural = "考试面试满分"


class ExamResult(models.Model):
    """An applicant's raw exam and interview scores (empty: not entered yet)."""

    application = models.OneToOneField(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="exam_result"
    )
    exam_raw = models.DecimalField("理论考试成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    interview_raw = models.DecimalField("面试答辩成绩", max_digits=6, decimal_places=2, null=True, blank=True)
    updated_by = models.ForeignKey(USER, verbose_name="录入人", on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField("录入时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "考试面试成绩"


class VoteSession(models.Model):
    """A plan's committee vote: opened (and reopened) and closed by the office, then confirmed."""

    class Status(models.TextChoices):
        OPEN = "open", "投票中"
        CLOSED = "closed", "投票已结束"
        CONFIRMED = "confirmed", "结果已确认"

    plan = models.OneToOneField(
        "plans.Plan", verbose_name="评审计划", on_delete=models.PROTECT, related_name="vote_session"
    )
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField("开始时间", default=timezone.now)
    closed_at = models.DateTimeField("结束时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name="确认人", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    pass_rate_reason = models.TextField("通过率超过 75% 的理由", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "评委会表决"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_confirmed(self) -> bool:
        return self.status == self.Status.CONFIRMED


class BallotReceipt(models.Model):
    """That a member voted in a session — never how."""

    session = models.ForeignKey(VoteSession, verbose_name="表决", on_delete=models.PROTECT, related_name="receipts")
    member = models.ForeignKey(PanelMember, verbose_name="专家", on_delete=models.PROTECT, related_name="receipts")
    cast_at = models.DateTimeField("投票时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "投票记录"
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_ballot_per_member")]


class VoteTally(models.Model):
    """Anonymous counts of one applicant's votes: each ballot adds to them, no row per ballot."""

    session = models.ForeignKey(VoteSession, verbose_name="表决", on_delete=models.PROTECT, related_name="tallies")
    application = models.ForeignKey(
        "applications.Application", verbose_name="申报", on_delete=models.PROTECT, related_name="+"
    )
    yes = models.PositiveIntegerField("同意票", default=0)
    no = models.PositiveIntegerField("不同意票", default=0)
    abstain = models.PositiveIntegerField("弃权票", default=0)

    class Meta:
        ordering = ["application"]
        verbose_name = verbose_name_plural = "计票"
        constraints = [models.UniqueConstraint(fields=["session", "application"], name="tally_once")]

    @property
    def cast(self) -> int:
        return self.yes + self.no + self.abstain


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
