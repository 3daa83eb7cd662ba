"""Applications (职称申报) to a review plan: the six-step draft and what was submitted.

An ``Application`` is one person's application to one plan at one level. While a draft it
holds the wizard's answers (photo, pledge, information, chosen archive records, attachments,
expert recommendations); at submission the whole of it, with the archive records as they
were and the engine's verdict, is frozen into ``snapshot`` — reviewers read the snapshot,
so later archive edits never change what they see.

Invariants kept by the database, whatever the timing of requests:
- one *active* application per person per plan year: ``active_year`` is the plan's year
  while the application counts and NULL otherwise (a draft, or one that ended), and is
  unique per applicant;
- an expert recommends at most two applicants per plan: a submitted recommendation holds
  one of the expert's two ``slot`` numbers in that plan.

Every status change is a ``StatusChange`` row (who, when, from, to, why) besides the audit log.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from zhicheng.core.fields import BlindIndexField, SealedCharField
from zhicheng.core.storage import private_files

MAX_RECOMMENDATIONS_PER_EXPERT = 2


class Application(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交，单位审核中"
        IN_REVIEW = "in_review", "资格审查中"
        RETURNED = "returned", "已退回修改"
        REJECTED = "rejected", "审核未通过"
        WITHDRAWN = "withdrawn", "已撤回"
        QUALIFIED = "qualified", "资格审查通过"
        APPROVED = "approved", "评审通过"
        NOT_APPROVED = "not_approved", "评审未通过"
        REVOKED = "revoked", "已撤销职称"

    class PublicityOutcome(models.TextChoices):
        NO_OBJECTION = "no_objection", "公示无异议"
        OBJECTION = "objection", "公示有异议"

    class QualificationType(models.TextChoices):
        TITLE = "title", "专业技术职务任职资格"
        VOCATIONAL = "vocational", "职业资格"
        NONE = "none", "无"

    public_id = models.UUIDField("标识", default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField("申报编号", max_length=60, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申报人", on_delete=models.PROTECT, related_name="applications"
    )
    plan = models.ForeignKey(
        "plans.Plan", verbose_name="评审计划", on_delete=models.PROTECT, related_name="applications"
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    active_year = models.PositiveSmallIntegerField("有效申报年度", null=True, blank=True, editable=False)

    # Step 3 — information (申报信息)
    level = models.ForeignKey(
        "reference.TitleLevel", verbose_name="申报级别", on_delete=models.PROTECT, related_name="+"
    )
    application_type = models.CharField("申报方式", max_length=20, blank=True)
    subspecialty = models.ForeignKey(
        "reference.Subspecialty",
        verbose_name="子专业",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    qualification_type = models.CharField("资格类型", max_length=12, choices=QualificationType.choices, blank=True)
    has_appointment = models.BooleanField("有专业技术职务聘任", null=True, blank=True)
    acceptance_point = models.ForeignKey(
        "orgs.AcceptancePoint", verbose_name="受理点", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    claims = models.JSONField("申报人声明的条件", default=list, blank=True)
    self_score_remarks = models.JSONField("破格自评赋分备注", default=dict, blank=True)
    info_saved_at = models.DateTimeField("申报信息保存时间", null=True, blank=True)

    # Step 1 — photo
    photo = models.FileField("照片", upload_to="photos/%Y/", storage=private_files, blank=True)
    photo_width = models.PositiveSmallIntegerField("照片宽度", null=True, blank=True)
    photo_height = models.PositiveSmallIntegerField("照片高度", null=True, blank=True)

    # Step 2 — the authenticity pledge (真实性保证书)
    pledge_version = models.CharField("保证书版本", max_length=20, blank=True)
    pledge_signed_at = models.DateTimeField("保证书签署时间", null=True, blank=True)
    pledge_signed_from = models.GenericIPAddressField("签署 IP", null=True, blank=True)

    # Step 4 — archive records: when the selection was last brought up to date
    records_refreshed_at = models.DateTimeField("档案提取时间", null=True, blank=True)

    # Submission and the review chain (workflow.py moves these)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    district = models.ForeignKey(
        "reference.Region",
        verbose_name="所在地区",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="提交时工作单位所在的县（市、区）",
    )
    stage_order = models.PositiveSmallIntegerField("当前审核环节", null=True, blank=True)
    current_office = models.ForeignKey(
        "orgs.Organisation",
        verbose_name="当前审核单位",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications_to_review",
    )
    stage_entered_at = models.DateTimeField("进入当前环节时间", null=True, blank=True)
    stage_deadline = models.DateField("当前环节截止日", null=True, blank=True)
    publicity_ends_on = models.DateField("单位公示截止日", null=True, blank=True)
    publicity_outcome = models.CharField("公示结果", max_length=16, choices=PublicityOutcome.choices, blank=True)
    publicity_handling = models.TextField("异议处理情况", blank=True)
    snapshot = models.JSONField("提交时的申报内容", null=True, blank=True, editable=False)
    needs_claim_review = models.BooleanField(
        "须核实声明条件", default=False, help_text="符合条件依赖申报人声明、须由审核人员核实"
    )
    engine_eligible = models.BooleanField("政策引擎判定符合条件", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "职称申报"
        constraints = [
            models.UniqueConstraint(fields=["applicant", "active_year"], name="application_one_active_per_year"),
            models.UniqueConstraint(
                fields=["applicant", "plan"], condition=Q(status="draft"), name="application_one_draft_per_plan"
            ),
        ]
        indexes = [
            models.Index(fields=["plan", "status"]),
            models.Index(fields=["current_office", "status", "stage_deadline"]),
            # the work list's default order: an office's page is an index walk, not a sort
            models.Index(fields=["current_office", "stage_deadline", "submitted_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan.name} · {self.level}（{self.get_status_display()}）"

    @property
    def is_draft(self) -> bool:
        return self.status == self.Status.DRAFT

    @property
    def is_editable(self) -> bool:
        """The applicant may change it: a draft, or an application returned for changes."""
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def in_review(self) -> bool:
        return self.status in (self.Status.SUBMITTED, self.Status.IN_REVIEW)

    @property
    def application_type_label(self) -> str:
        from zhicheng.rules import vocab

        return vocab.APPLICATION_TYPE_NAMES.get(self.application_type, self.application_type)


class SelectedRecord(models.Model):
    """An archive record drawn into a draft, with the approval it was drawn at."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="selected_records")
    record = models.ForeignKey("archive.Record", verbose_name="档案记录", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField("提取时的审核时间", null=True)

    class Meta:
        verbose_name = verbose_name_plural = "提取的档案记录"
        constraints = [models.UniqueConstraint(fields=["application", "record"], name="selected_record_once")]


class Attachment(models.Model):
    """A file of step 5 (相关附件)."""

    class Kind(models.TextChoices):
        TAX_CERTIFICATE = "tax_certificate", "完税证明（年收入超过 12 万元）"
        MOUNTAIN_COUNTY = "mountain_county", "山区县工作经历专项证明"
        SELF_SCORE_FORM = "self_score_form", "破格申报自评赋分表（签字盖章扫描件）"
        OTHER = "other", "其他佐证材料"

    public_id = models.UUIDField("文件标识", default=uuid.uuid4, unique=True, editable=False)
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    kind = models.CharField("附件类型", max_length=20, choices=Kind.choices)
    file = models.FileField("文件", upload_to="attachments/%Y/%m/", storage=private_files)
    file_kind = models.CharField("格式", max_length=4)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        ordering = ["kind", "uploaded_at", "pk"]
        verbose_name = verbose_name_plural = "申报附件"

    def __str__(self) -> str:
        return f"{self.get_kind_display()}：{self.original_name}"


class ExpertRecommendation(models.Model):
    """A named expert's recommendation (专家署名推荐), needed by some 破格 routes."""

    class TitleLevel(models.TextChoices):
        SENIOR = "senior_engineer", "高级工程师（副高级）"
        PROFESSOR = "professor_engineer", "正高级工程师"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="recommendations")
    plan = models.ForeignKey("plans.Plan", on_delete=models.PROTECT, related_name="+")
    expert_name = models.CharField("专家姓名", max_length=40)
    expert_id_number = SealedCharField("专家身份证件号码", max_length=20)
    expert_id_index = BlindIndexField("专家证件号码检索码", source="expert_id_number")
    title_level = models.CharField("专家职称", max_length=20, choices=TitleLevel.choices)
    specialty = models.CharField("专家专业", max_length=60)
    employer_name = models.CharField("专家工作单位", max_length=100)
    province = models.CharField("专家职称取得省份", max_length=20, default="浙江")
    is_relevant = models.BooleanField("专业与申报专业相关", default=True)
    letter = models.FileField("推荐信", upload_to="recommendations/%Y/", storage=private_files)
    letter_name = models.CharField("推荐信文件名", max_length=200)
    slot = models.PositiveSmallIntegerField("推荐名额序号", null=True, blank=True, editable=False)
    created_at = models.DateTimeField("添加时间", default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = verbose_name_plural = "专家推荐"
        constraints = [
            models.UniqueConstraint(fields=["plan", "expert_id_index", "slot"], name="expert_recommendation_slot"),
            models.CheckConstraint(
                condition=Q(slot__isnull=True) | Q(slot__gte=1, slot__lte=MAX_RECOMMENDATIONS_PER_EXPERT),
                name="expert_recommendation_slot_range",
            ),
            models.UniqueConstraint(fields=["application", "expert_id_index"], name="expert_recommends_once"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_name}（{self.get_title_level_display()}）"


class StatusChange(models.Model):
    """One move of an application's status: who, when, from, to, why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", "提交申报"
        RESUBMIT = "resubmit", "修改后重新提交"
        WITHDRAW = "withdraw", "撤回申报"
        APPROVE = "approve", "审核通过"
        RETURN = "return", "退回修改"
        REJECT = "reject", "审核不通过"
        PUBLISH_PASS = "publish_pass", "公布评审通过"
        PUBLISH_FAIL = "publish_fail", "公布评审未通过"
        REVOKE = "revoke", "撤销职称"

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField("原状态", max_length=20)
    to_status = models.CharField("新状态", max_length=20)
    action = models.CharField("操作", max_length=40, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("意见或原因", blank=True)
    office = models.ForeignKey(
        "orgs.Organisation", verbose_name="审核单位", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    stage_order = models.PositiveSmallIntegerField("审核环节", null=True, blank=True)
    stage_label = models.CharField("环节名称", max_length=100, blank=True)
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = verbose_name_plural = "申报状态变更"
        indexes = [models.Index(fields=["office", "application"])]


class Routing(models.Model):
    """An office an application reached, and when it last arrived there (recorded by
    ``workflow._enter``): what an office may see of past applications, and its history view,
    newest first, straight from the ``(office, arrived_at)`` index."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="routings")
    office = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")
    arrived_at = models.DateTimeField("到达时间")

    class Meta:
        verbose_name = verbose_name_plural = "申报到达的审核单位"
        constraints = [models.UniqueConstraint(fields=["office", "application"], name="routing_once")]
        indexes = [models.Index(fields=["office", "arrived_at"])]


class PlanOffice(models.Model):
    """An office that an application of ``plan`` reached (recorded on arrival, never removed):
    which plans an office handles, and whether it takes part in one, is one index lookup
    instead of a walk through the applications and their history."""

    plan = models.ForeignKey("plans.Plan", on_delete=models.CASCADE, related_name="+")
    office = models.ForeignKey("orgs.Organisation", on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "计划的审核单位"
        constraints = [models.UniqueConstraint(fields=["office", "plan"], name="plan_office_once")]


class DeadlineExtension(models.Model):
    """An office's extension of one applicant's deadline at its stage, with the reason."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="extensions")
    stage_order = models.PositiveSmallIntegerField("审核环节")
    previous_deadline = models.DateField("原截止日", null=True, blank=True)
    deadline = models.DateField("延长至")
    reason = models.TextField("延期原因")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    granted_at = models.DateTimeField("批准时间", default=timezone.now)

    class Meta:
        ordering = ["granted_at", "pk"]
        verbose_name = verbose_name_plural = "截止日延期"
