"""The performance archive (业绩档案): one ``Record`` per entry, a table per record type.

Design: multi-table inheritance. ``Record`` is a concrete table holding what every entry has
(owner, type, review status and reason, reviewer, import flag, a one-line summary); each
record type (``Education``, ``Award`` …) is a child table with its own fields. So the
employer's review queue, counts per status, bulk review, evidence and the audit log all work
on one table with one query, while each type keeps typed, validated columns in the
vocabularies of the policy engine (``choices.py``). ``registry.py`` lists the types.

Writes go through ``services.py``; ``clean()`` here only checks a record's own invariants.
"""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property

from zhicheng.archive import choices
from zhicheng.core.storage import private_files

YEAR_VALIDATORS = [MinValueValidator(1950, "年份不早于 1950 年。"), MaxValueValidator(2100, "年份不晚于 2100 年。")]
RANK_VALIDATORS = [MinValueValidator(1, "排名从 1 开始（1 表示第一完成人）。"), MaxValueValidator(99)]


def year_field(label: str = "年度") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=YEAR_VALIDATORS)


def rank_field(label: str = "本人排名") -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=RANK_VALIDATORS, help_text="1 表示排名第一")


def _d(value: Any) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def _m(value: Any) -> str:
    return value.strftime("%Y-%m") if value else ""


def _period(start: Any, end: Any, fmt: Any = _d) -> str:
    return f"{fmt(start)} 至 {fmt(end) if end else '今'}"


class Record(models.Model):
    """One entry of a person's archive, whatever its type."""

    class Status(models.TextChoices):
        PENDING = "pending", "待审核"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "审核不通过"

    record_type = models.CharField("类型", max_length=40, db_index=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="本人", on_delete=models.PROTECT, related_name="archive_records"
    )
    status = models.CharField("审核状态", max_length=10, choices=Status.choices, default=Status.PENDING)
    rejection_reason = models.CharField("不通过原因", max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    ever_approved = models.BooleanField(
        "曾审核通过", default=False, help_text="曾经审核通过的记录只能撤销，不能删除（可能已被申报引用）"
    )
    withdrawn_at = models.DateTimeField("撤销时间", null=True, blank=True)
    imported = models.BooleanField("系统导入", default=False, help_text="由学信网、社保等系统自动提取")
    import_source = models.CharField("导入来源", max_length=40, choices=choices.ImportSource.choices, blank=True)
    import_key = models.CharField(
        "来源记录标识", max_length=80, blank=True, help_text="来源系统中该条数据的标识，用于再次提取时更新而不重复"
    )
    summary = models.CharField("摘要", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    submitted_at = models.DateTimeField("提交审核时间", default=timezone.now)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "业绩档案记录"
        indexes = [
            models.Index(fields=["owner", "record_type", "status"]),
            models.Index(fields=["status", "submitted_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "import_source", "import_key"],
                condition=models.Q(imported=True),
                name="archive_record_one_per_import_key",
            )
        ]

    # Field names shown as columns in the per-type list (set by each type).
    list_fields: ClassVar[tuple[str, ...]] = ()

    def __str__(self) -> str:
        return self.summary or f"{self.record_type} #{self.pk}"

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    @cached_property
    def type_info(self) -> Any:
        from zhicheng.archive.registry import get_type

        return get_type(self.record_type)

    @cached_property
    def specific(self) -> Record:
        """This record as its type's model (``Education``, ``Award`` …)."""
        model = self.type_info.model
        if isinstance(self, model):
            return self
        return model.objects.get(pk=self.pk)

    @property
    def base(self) -> Record:
        """The ``Record`` row itself: the audit log and evidence hang on it, whatever the type."""
        return self.record_ptr if type(self) is not Record else self  # type: ignore[attr-defined]

    def describe(self) -> str:
        """A one-line summary (stored in ``summary`` by the services)."""
        return ""

    def clean(self) -> None:
        super().clean()
        start = getattr(self, "start_date", None)
        end = getattr(self, "end_date", None)
        if start and end and end < start:
            raise ValidationError({"end_date": "结束时间不能早于开始时间。"})


# --- Required records (必填项) -------------------------------------------------------------


class Education(Record):
    level = models.CharField("学历层次", max_length=24, choices=choices.EducationLevel.choices)
    school = models.CharField("毕业院校", max_length=100)
    major = models.CharField("所学专业", max_length=100)
    is_relevant = models.BooleanField("与申报专业相关", default=False)
    has_degree = models.BooleanField("取得相应学位", default=False)
    degree_name = models.CharField("学位名称", max_length=40, blank=True, help_text="如：工学学士")
    start_date = models.DateField("入学时间", null=True, blank=True)
    graduated_on = models.DateField("毕业时间")
    certificate_number = models.CharField("证书编号", max_length=40, blank=True)

    list_fields = ("level", "school", "major", "graduated_on", "is_relevant", "has_degree")

    class Meta:
        verbose_name = verbose_name_plural = "教育经历"

    def describe(self) -> str:
        return f"{self.get_level_display()} · {self.school} · {self.major} · {_d(self.graduated_on)}毕业"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.graduated_on and self.graduated_on < self.start_date:
            raise ValidationError({"graduated_on": "毕业时间不能早于入学时间。"})


class WorkHistory(Record):
    start_date = models.DateField("开始时间")
    end_date = models.DateField("结束时间", null=True, blank=True, help_text="至今请留空")
    employer_name = models.CharField("工作单位", max_length=100)
    position = models.CharField("从事专业技术工作（岗位）", max_length=100)
    admin_post = models.CharField("行政职务", max_length=60, blank=True, help_text="有行政职务的须上传行政任命文件")
    is_relevant = models.BooleanField("从事与申报专业相关的工作", default=False)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name="工作所在地",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    in_mountain_county = models.BooleanField(
        "在山区26县工作", default=False, help_text="须上传用人单位出具并盖章的山区县工作经历专项证明"
    )
    is_government = models.BooleanField("在机关单位工作", default=False)

    list_fields = ("start_date", "end_date", "employer_name", "position", "admin_post", "is_relevant")

    class Meta:
        verbose_name = verbose_name_plural = "工作经历"

    def describe(self) -> str:
        return f"{_period(self.start_date, self.end_date)} · {self.employer_name} · {self.position}"

    def clean(self) -> None:
        super().clean()
        if self.region_id and self.region.is_mountain_county:
            # The region decides: work in one of the 26 counties is mountain-county work.
            self.in_mountain_county = True


class ContinuingEducation(Record):
    year = year_field("年度")
    category = models.CharField("课程类型", max_length=20, choices=choices.CECategory.choices)
    course = models.CharField("培训项目", max_length=100, help_text="如：2024年专业科目")
    organiser = models.CharField("组织单位", max_length=100, blank=True)
    hours = models.DecimalField(
        "学时", max_digits=6, decimal_places=1, validators=[MinValueValidator(0, "学时不能为负数。")]
    )
    result = models.CharField("学习情况", max_length=10, choices=choices.CEResult.choices, default="passed")
    start_date = models.DateField("开始时间", null=True, blank=True)
    end_date = models.DateField("结束时间", null=True, blank=True)

    list_fields = ("year", "category", "course", "hours", "result")

    class Meta:
        verbose_name = verbose_name_plural = "继续教育"

    def describe(self) -> str:
        return f"{self.year}年 · {self.get_category_display()} · {self.course} · {self.hours}学时"


class AnnualAssessment(Record):
    year = year_field("考核年度")
    result = models.CharField("考核结果", max_length=10, choices=choices.AssessmentResult.choices)
    employer_name = models.CharField("考核单位", max_length=100, blank=True)

    list_fields = ("year", "result", "employer_name")

    class Meta:
        verbose_name = verbose_name_plural = "年度考核"

    def describe(self) -> str:
        return f"{self.year}年度 · {self.get_result_display()}"


# --- Optional achievements (非必填项) -------------------------------------------------------


class AcademicPost(Record):
    organisation = models.CharField("兼职机构", max_length=100)
    post = models.CharField("兼任职务", max_length=60)
    start_date = models.DateField("开始时间")
    end_date = models.DateField("结束时间", null=True, blank=True, help_text="至今请留空")

    list_fields = ("organisation", "post", "start_date", "end_date")

    class Meta:
        verbose_name = verbose_name_plural = "学术技术兼职"

    def describe(self) -> str:
        return f"{self.organisation} · {self.post} · {_period(self.start_date, self.end_date)}"


class Award(Record):
    name = models.CharField("奖项名称", max_length=100, help_text="如：温州市科学技术进步奖")
    achievement_name = models.CharField("获奖成果名称", max_length=150)
    achievement_id = models.CharField(
        "成果编号", max_length=40, blank=True, help_text="同一成果多次获奖时填写相同编号，评分时按最高一项计"
    )
    level = models.CharField("奖励级别", max_length=12, choices=choices.AwardLevel.choices)
    grade = models.PositiveSmallIntegerField("奖励等次", choices=choices.AwardGrade.choices)
    rank = rank_field()
    awarded_on = models.DateField("获奖时间")
    issuer = models.CharField("授奖单位", max_length=100)

    list_fields = ("name", "achievement_name", "level", "grade", "rank", "awarded_on")

    class Meta:
        verbose_name = verbose_name_plural = "获奖情况"

    def describe(self) -> str:
        return (
            f"{self.name} · {self.get_level_display()}{self.get_grade_display()} · "
            f"{self.achievement_name} · 第{self.rank}名 · {_d(self.awarded_on)}"
        )


class Honour(Record):
    name = models.CharField("荣誉称号", max_length=100)
    kind = models.CharField("荣誉类别", max_length=20, choices=choices.HonourKind.choices)
    level = models.CharField("荣誉级别", max_length=12, choices=choices.HonourLevel.choices)
    year = year_field("授予年度")
    issuer = models.CharField("授予单位", max_length=100)

    list_fields = ("name", "kind", "level", "year", "issuer")

    class Meta:
        verbose_name = verbose_name_plural = "荣誉称号"

    def describe(self) -> str:
        return f"{self.year}年 · {self.get_level_display()} · {self.name}"


class ResearchProject(Record):
    name = models.CharField("项目名称", max_length=150)
    project_number = models.CharField("项目编号", max_length=60, blank=True)
    level = models.CharField("项目级别", max_length=12, choices=choices.ProjectLevel.choices)
    source = models.CharField("项目来源（立项单位）", max_length=100)
    role = models.CharField("本人角色", max_length=10, choices=choices.ProjectRole.choices)
    rank = rank_field()
    approved_on = models.DateField("立项时间")
    completed_on = models.DateField("结题验收时间", null=True, blank=True, help_text="已结题的须上传结题验收证明")

    list_fields = ("name", "level", "role", "rank", "approved_on", "completed_on")

    class Meta:
        verbose_name = verbose_name_plural = "科研项目（基金）"

    @property
    def date(self) -> Any:
        return self.completed_on or self.approved_on

    def describe(self) -> str:
        return f"{self.name} · {self.get_level_display()} · {self.get_role_display()} · 第{self.rank}名"

    def clean(self) -> None:
        super().clean()
        if self.completed_on and self.approved_on and self.completed_on < self.approved_on:
            raise ValidationError({"completed_on": "结题时间不能早于立项时间。"})


class EngineeringProject(Record):
    name = models.CharField("项目名称", max_length=150)
    level = models.CharField(
        "项目级别", max_length=12, choices=choices.ProjectLevel.choices, default=choices.ProjectLevel.ENTERPRISE
    )
    role = models.CharField("本人角色", max_length=10, choices=choices.ProjectRole.choices)
    rank = rank_field()
    start_date = models.DateField("开始时间")
    end_date = models.DateField("完成时间", null=True, blank=True)
    description = models.TextField("项目内容及本人承担的工作", max_length=2000, blank=True)

    list_fields = ("name", "level", "role", "rank", "start_date", "end_date")

    class Meta:
        verbose_name = verbose_name_plural = "工程技术项目"

    @property
    def date(self) -> Any:
        return self.end_date or self.start_date

    def describe(self) -> str:
        return f"{self.name} · {self.get_role_display()} · 第{self.rank}名 · {_period(self.start_date, self.end_date)}"


class Paper(Record):
    title = models.CharField("论文题目", max_length=200)
    journal = models.CharField("刊物（会议）名称", max_length=100)
    issue = models.CharField("卷期", max_length=40, blank=True, help_text="如：2021年第4期")
    issn = models.CharField("刊号（ISSN/CN）", max_length=40, blank=True)
    kind = models.CharField("刊物类别", max_length=12, choices=choices.PaperKind.choices)
    rank = rank_field("作者排名")
    published_on = models.DateField("发表时间")

    list_fields = ("title", "journal", "kind", "rank", "published_on")

    class Meta:
        verbose_name = verbose_name_plural = "论文"

    def describe(self) -> str:
        return f"《{self.title}》 · {self.journal} · 第{self.rank}作者 · {_d(self.published_on)}"


class Book(Record):
    """著(译)作(教材). In a policy profile a book is a paper of kind ``monograph``."""

    POLICY_PAPER_KIND: ClassVar[str] = "monograph"

    title = models.CharField("书名", max_length=200)
    publisher = models.CharField("出版社", max_length=100)
    isbn = models.CharField("书号（ISBN）", max_length=20, blank=True)
    role = models.CharField("本人角色", max_length=16, choices=choices.BookRole.choices)
    rank = rank_field("作者排名")
    words_thousand = models.PositiveIntegerField("本人撰写字数（千字）", null=True, blank=True)
    published_on = models.DateField("出版时间")

    list_fields = ("title", "publisher", "role", "rank", "published_on")

    class Meta:
        verbose_name = verbose_name_plural = "著（译）作（教材）"

    def describe(self) -> str:
        return f"《{self.title}》 · {self.publisher} · {self.get_role_display()} · {_d(self.published_on)}"


class Patent(Record):
    title = models.CharField("专利（著作权）名称", max_length=200)
    kind = models.CharField("类别", max_length=12, choices=choices.PatentKind.choices)
    number = models.CharField("专利号（登记号）", max_length=40)
    rank = rank_field("发明人（著作权人）排名")
    granted_on = models.DateField("授权（登记）时间")
    holder = models.CharField("专利权人", max_length=100, blank=True)

    list_fields = ("title", "kind", "number", "rank", "granted_on")

    class Meta:
        verbose_name = verbose_name_plural = "专利（著作权）"

    def describe(self) -> str:
        return f"{self.get_kind_display()} · {self.title} · {self.number} · 第{self.rank}名"


class Standard(Record):
    name = models.CharField("标准名称", max_length=200)
    number = models.CharField("标准编号", max_length=60)
    kind = models.CharField("标准类别", max_length=20, choices=choices.StandardKind.choices)
    rank = rank_field("起草人排名")
    published_on = models.DateField("发布时间")

    list_fields = ("name", "number", "kind", "rank", "published_on")

    class Meta:
        verbose_name = verbose_name_plural = "主持（参与）制定标准"

    def describe(self) -> str:
        return f"{self.get_kind_display()} · {self.number} {self.name} · 第{self.rank}名"


class ResultAdoption(Record):
    title = models.CharField("成果（项目）名称", max_length=200)
    adopted_by = models.CharField("采纳（应用）单位", max_length=100)
    adopted_on = models.DateField("采纳（应用）时间")
    benefit = models.TextField("经济效益和社会效益", max_length=2000)

    list_fields = ("title", "adopted_by", "adopted_on")

    class Meta:
        verbose_name = verbose_name_plural = "成果被采纳、运用和推广"

    def describe(self) -> str:
        return f"{self.title} · {self.adopted_by} · {_d(self.adopted_on)}"


class QualificationCertificate(Record):
    name = models.CharField("资格（资质）名称", max_length=100, help_text="执业资格等，不含职称证书")
    number = models.CharField("证书编号", max_length=60)
    issuer = models.CharField("发证机关", max_length=100)
    obtained_on = models.DateField("取得时间")
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="长期有效请留空")

    list_fields = ("name", "number", "issuer", "obtained_on", "valid_until")

    class Meta:
        verbose_name = verbose_name_plural = "资质证书（执业资格）"

    def describe(self) -> str:
        return f"{self.name} · {self.number} · {_d(self.obtained_on)}"

    def clean(self) -> None:
        super().clean()
        if self.valid_until and self.obtained_on and self.valid_until < self.obtained_on:
            raise ValidationError({"valid_until": "有效期不能早于取得时间。"})


class RewardPunishment(Record):
    kind = models.CharField("类别", max_length=12, choices=choices.RewardKind.choices)
    description = models.CharField("奖惩内容", max_length=200)
    issuer = models.CharField("决定单位", max_length=100)
    decided_on = models.DateField("决定时间")

    list_fields = ("kind", "description", "issuer", "decided_on")

    class Meta:
        verbose_name = verbose_name_plural = "奖惩情况"

    def describe(self) -> str:
        return f"{self.get_kind_display()} · {self.description} · {_d(self.decided_on)}"


class NewProduct(Record):
    name = models.CharField("新产品名称", max_length=200)
    number = models.CharField("认定（证书）编号", max_length=60, blank=True)
    level = models.CharField("级别", max_length=12, choices=choices.NewProductLevel.choices)
    rank = rank_field()
    certified_on = models.DateField("认定时间")

    list_fields = ("name", "level", "rank", "certified_on")

    class Meta:
        verbose_name = verbose_name_plural = "新产品"

    def describe(self) -> str:
        return f"{self.get_level_display()}新产品 · {self.name} · 第{self.rank}名"


class Competition(Record):
    name = models.CharField("竞赛名称", max_length=150)
    level = models.CharField("竞赛级别", max_length=12, choices=choices.CompetitionLevel.choices)
    place = models.PositiveSmallIntegerField(
        "名次", validators=[MinValueValidator(1, "名次从 1 开始。"), MaxValueValidator(999)]
    )
    year = year_field("竞赛年度")
    organiser = models.CharField("主办单位", max_length=100)

    list_fields = ("name", "level", "place", "year")

    class Meta:
        verbose_name = verbose_name_plural = "技能竞赛"

    def describe(self) -> str:
        return f"{self.year}年 · {self.get_level_display()} · {self.name} · 第{self.place}名"


class SkillTitle(Record):
    kind = models.CharField("称号", max_length=32, choices=choices.SkillTitleKind.choices)
    year = year_field("授予年度")
    issuer = models.CharField("授予单位", max_length=100)

    list_fields = ("kind", "year", "issuer")

    class Meta:
        verbose_name = verbose_name_plural = "技能人才称号"

    def describe(self) -> str:
        return f"{self.year}年 · {self.get_kind_display()}"


# --- On the person (个人资格与经历) ---------------------------------------------------------


class TitleHeld(Record):
    level = models.ForeignKey(
        "reference.TitleLevel", verbose_name="职称级别", on_delete=models.PROTECT, related_name="+"
    )
    title_name = models.CharField("职称名称", max_length=60, help_text="如：助理工程师")
    specialty = models.CharField("专业", max_length=60)
    is_relevant = models.BooleanField("与申报专业相关", default=False)
    obtained_on = models.DateField("取得时间")
    approving_authority = models.CharField("审批（评审）机关", max_length=100)
    certificate_number = models.CharField("证书编号", max_length=60, blank=True)

    list_fields = ("level", "title_name", "specialty", "obtained_on", "is_relevant")

    class Meta:
        verbose_name = verbose_name_plural = "现有职称"

    def describe(self) -> str:
        return f"{self.title_name}（{self.specialty}） · {_d(self.obtained_on)}取得"


class SkillGradeCertificate(Record):
    grade = models.PositiveSmallIntegerField("职业技能等级", choices=choices.SkillGrade.choices)
    occupation = models.CharField("职业（工种）", max_length=60)
    is_relevant = models.BooleanField("与申报专业相关", default=False)
    obtained_on = models.DateField("取得时间")
    certificate_number = models.CharField("证书编号", max_length=60, blank=True)
    issuer = models.CharField("发证机构", max_length=100, blank=True)

    list_fields = ("grade", "occupation", "obtained_on", "is_relevant")

    class Meta:
        verbose_name = verbose_name_plural = "职业技能等级"

    def describe(self) -> str:
        return f"{self.occupation} · {self.get_grade_display()} · {_d(self.obtained_on)}取得"


class Appointment(Record):
    post = models.CharField("聘任专业技术职务", max_length=60)
    title_level = models.ForeignKey(
        "reference.TitleLevel",
        verbose_name="对应职称级别",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    employer_name = models.CharField("聘任单位", max_length=100)
    start_date = models.DateField("聘任开始时间")
    end_date = models.DateField("聘任结束时间", null=True, blank=True, help_text="至今请留空")

    list_fields = ("post", "employer_name", "start_date", "end_date")

    class Meta:
        verbose_name = verbose_name_plural = "聘任情况"

    def describe(self) -> str:
        return f"{self.employer_name} · {self.post} · {_period(self.start_date, self.end_date)}"


class LanguageCertificate(Record):
    kind = models.CharField("外语证书", max_length=12, choices=choices.LanguageKind.choices)
    language = models.CharField("语种", max_length=20, default="英语")
    score = models.CharField("成绩（等级）", max_length=20, blank=True)
    obtained_on = models.DateField("取得时间")
    certificate_number = models.CharField("证书编号", max_length=60, blank=True)

    list_fields = ("kind", "language", "obtained_on")

    class Meta:
        verbose_name = verbose_name_plural = "外语证书"

    def describe(self) -> str:
        return f"{self.get_kind_display()} · {self.language} · {_d(self.obtained_on)}"


class ComputerCertificate(Record):
    modules = models.PositiveSmallIntegerField(
        "合格模块数", validators=[MinValueValidator(1, "至少 1 个模块。"), MaxValueValidator(20)]
    )
    module_names = models.CharField("模块名称", max_length=200, blank=True, help_text="多个模块用顿号分隔")
    obtained_on = models.DateField("取得时间")

    list_fields = ("modules", "module_names", "obtained_on")

    class Meta:
        verbose_name = verbose_name_plural = "计算机应用能力证书"

    def describe(self) -> str:
        return f"计算机 {self.modules} 个模块合格 · {_d(self.obtained_on)}"


class SocialInsurance(Record):
    start_month = models.DateField("开始月份", help_text="保存为该月第一天")
    end_month = models.DateField("结束月份", null=True, blank=True, help_text="至今请留空")
    region_code = models.CharField(
        "参保地行政区划代码",
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", "请填写 6 位行政区划代码，如 330302。")],
    )
    employer_name = models.CharField("缴费单位", max_length=100)
    is_current_employer = models.BooleanField("现工作单位缴纳", default=False)

    list_fields = ("start_month", "end_month", "region_code", "employer_name", "is_current_employer")

    class Meta:
        verbose_name = verbose_name_plural = "社保缴纳"

    def describe(self) -> str:
        return f"{_period(self.start_month, self.end_month, _m)} · {self.employer_name} · {self.region_code}"

    def clean(self) -> None:
        super().clean()
        if self.end_month and self.start_month and self.end_month < self.start_month:
            raise ValidationError({"end_month": "结束月份不能早于开始月份。"})


class TechnicalPost(Record):
    kind = models.CharField("技术职务", max_length=20, choices=choices.PostKind.choices)
    employer_name = models.CharField("任职单位", max_length=100)
    start_date = models.DateField("开始时间")
    end_date = models.DateField("结束时间", null=True, blank=True, help_text="至今请留空")

    list_fields = ("kind", "employer_name", "start_date", "end_date")

    class Meta:
        verbose_name = verbose_name_plural = "技术负责人任职"

    def describe(self) -> str:
        return f"{self.get_kind_display()} · {self.employer_name} · {_period(self.start_date, self.end_date)}"


class IncomeCertificate(Record):
    year = year_field("年度")
    over_120k = models.BooleanField("年收入超过 12 万元", default=False)
    issuer = models.CharField("出具机关", max_length=100, blank=True, help_text="如：国家税务总局温州市税务局")

    list_fields = ("year", "over_120k", "issuer")

    class Meta:
        verbose_name = verbose_name_plural = "收入证明（完税证明）"

    def describe(self) -> str:
        return f"{self.year}年 · {'超过' if self.over_120k else '未超过'} 12 万元"


# --- Evidence (佐证材料) --------------------------------------------------------------------


class Evidence(models.Model):
    """One uploaded file (PDF, JPG or PNG) of a record, stored privately under a random name."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        JPG = "jpg", "JPG"
        PNG = "png", "PNG"

    CONTENT_TYPES: ClassVar[dict[str, str]] = {"pdf": "application/pdf", "jpg": "image/jpeg", "png": "image/png"}

    public_id = models.UUIDField("文件标识", default=uuid.uuid4, unique=True, editable=False)
    record = models.ForeignKey(Record, verbose_name="记录", on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField("文件", upload_to="evidence/%Y/%m/", storage=private_files)
    kind = models.CharField("格式", max_length=4, choices=Kind.choices)
    original_name = models.CharField("原文件名", max_length=200)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)
    removed_at = models.DateTimeField("移除时间", null=True, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = verbose_name_plural = "佐证材料"

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return self.CONTENT_TYPES[self.kind]

    @property
    def is_image(self) -> bool:
        return self.kind in (self.Kind.JPG, self.Kind.PNG)
