"""Reference data: regions, title series and levels, major families, calendars, honour lists.

The rows are loaded by ``manage.py load_reference`` from versioned data files under
``zhicheng/reference/data/``; administrators may correct them in the admin.
"""

from __future__ import annotations

from django.db import models


class Region(models.Model):
    """A Zhejiang province, city or county-level division with its administrative code."""

    class Level(models.TextChoices):
        PROVINCE = "province", "省"
        CITY = "city", "市"
        COUNTY = "county", "县（市、区）"

    code = models.CharField("行政区划代码", max_length=6, unique=True)
    name = models.CharField("名称", max_length=40)
    level = models.CharField("级别", max_length=10, choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT)
    is_mountain_county = models.BooleanField("山区26县", default=False)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "行政区划"

    def __str__(self) -> str:
        if self.parent and self.level == self.Level.COUNTY:
            return f"{self.parent.name}{self.name}"
        return self.name


class TitleLevel(models.Model):
    """技术员 … 正高级工程师, with its grade (初级 / 中级 / 副高 / 正高)."""

    code = models.CharField("代码", max_length=32, unique=True)  # POLICY_API vocabulary
    name = models.CharField("名称", max_length=20)
    grade = models.CharField("层级", max_length=10)  # 初级 / 中级 / 副高级 / 正高级
    rank = models.PositiveSmallIntegerField("序号", help_text="越大越高")

    class Meta:
        ordering = ["rank"]
        verbose_name = verbose_name_plural = "职称级别"

    def __str__(self) -> str:
        return self.name


class Series(models.Model):
    """A title series (职称系列), e.g. 工程技术."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "职称系列"

    def __str__(self) -> str:
        return self.name


class Specialty(models.Model):
    series = models.ForeignKey(Series, verbose_name="系列", on_delete=models.PROTECT, related_name="specialties")
    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=60)

    class Meta:
        ordering = ["series", "code"]
        verbose_name = verbose_name_plural = "专业"

    def __str__(self) -> str:
        return self.name


class Subspecialty(models.Model):
    specialty = models.ForeignKey(
        Specialty, verbose_name="专业", on_delete=models.PROTECT, related_name="subspecialties"
    )
    code = models.CharField("代码", max_length=60, unique=True)
    name = models.CharField("名称", max_length=60)

    class Meta:
        ordering = ["specialty", "code"]
        verbose_name = verbose_name_plural = "子专业"

    def __str__(self) -> str:
        return self.name


class WorkFieldName(models.Model):
    """A reference name for the work one does within a specialty (专业技术名称参考, seed 003 附件3).

    The review form asks "现从事何种专业技术工作"; these are the names applicants used before.
    """

    specialty = models.ForeignKey(
        Specialty, verbose_name="专业", on_delete=models.CASCADE, related_name="work_field_names"
    )
    name = models.CharField("名称", max_length=40)
    position = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["specialty", "position"]
        constraints = [
            models.UniqueConstraint(fields=["specialty", "name"], name="work_field_name_unique"),
        ]
        verbose_name = verbose_name_plural = "专业技术名称参考"

    def __str__(self) -> str:
        return self.name


class MajorFamily(models.Model):
    """A family of majors that a policy counts as relevant (相关专业), e.g. 机电类."""

    code = models.CharField("代码", max_length=40, unique=True)
    name = models.CharField("名称", max_length=40)
    policy_ids = models.JSONField("适用政策", default=list, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "相关专业大类"

    def __str__(self) -> str:
        return self.name


class PlanCalendar(models.Model):
    """The header of a city's yearly review calendar: its title, notice and closing note."""

    year = models.PositiveSmallIntegerField("年度")
    city = models.ForeignKey(Region, verbose_name="城市", on_delete=models.PROTECT)
    title = models.CharField("标题", max_length=200)
    document_number = models.CharField("文号", max_length=60, blank=True)
    notice_title = models.CharField("通知标题", max_length=200, blank=True)
    issuer = models.CharField("发文单位", max_length=100, blank=True)
    issued_on = models.DateField("发文日期", null=True, blank=True)
    note = models.TextField("表后备注", blank=True)

    class Meta:
        ordering = ["-year", "city"]
        constraints = [
            models.UniqueConstraint(fields=["year", "city"], name="plan_calendar_unique"),
        ]
        verbose_name = verbose_name_plural = "年度评审计划表"

    def __str__(self) -> str:
        return self.title


class PlanCalendarEntry(models.Model):
    """One row of a city's yearly review calendar (seed 002 annex for Wenzhou 2019).

    ``row_number`` is the number printed in the 序号 column. A printed row without a number
    (a continuation of the numbered row above it) keeps that number and gets
    ``sub_number`` 1, 2, …; numbered rows have ``sub_number`` 0. Cells that are blank in
    the print because they are merged with the cell above hold the merged value here, and
    ``merged_fields`` names them.
    """

    year = models.PositiveSmallIntegerField("年度")
    city = models.ForeignKey(Region, verbose_name="城市", on_delete=models.PROTECT)
    row_number = models.PositiveSmallIntegerField("序号")
    sub_number = models.PositiveSmallIntegerField("续行号", default=0, help_text="无序号的续行为 1、2…；有序号的行为 0")
    series = models.ForeignKey(
        Series, verbose_name="对应系列", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    specialty = models.ForeignKey(
        Specialty, verbose_name="对应专业", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    series_name = models.CharField("系列（专业）", max_length=200, blank=True)
    titles = models.CharField("评审（推荐）职称", max_length=300)
    review_month = models.CharField("评审时间", max_length=20, blank=True)
    material_month = models.CharField("材料报送时间", max_length=20, blank=True)
    receiving_unit = models.CharField("材料受理单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)
    document_number = models.CharField("文件", max_length=60, blank=True)
    merged_fields = models.JSONField(
        "合并单元格", default=list, blank=True, help_text="原表中与上一行合并（本行空白）的栏目"
    )

    class Meta:
        ordering = ["year", "city", "row_number", "sub_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "city", "row_number", "sub_number"], name="calendar_row_unique"),
        ]
        verbose_name = verbose_name_plural = "年度评审计划安排"

    def __str__(self) -> str:
        return f"{self.year} {self.display_number} {self.series_name} {self.titles}"

    @property
    def display_number(self) -> str:
        """The 序号 as printed: the number, or "22-1" style for an unnumbered continuation row."""
        return f"{self.row_number}-{self.sub_number}" if self.sub_number else str(self.row_number)

    @property
    def is_continuation(self) -> bool:
        return self.sub_number > 0


class HonourListEntry(models.Model):
    """An enterprise honour that opens an exceptional route (Shangyu 2023, seed 001 annex 2)."""

    policy_id = models.CharField("政策", max_length=40)
    row_number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("荣誉名称", max_length=200)
    level = models.CharField("级别", max_length=20)  # 国家级 / 省级
    issuer = models.CharField("认定部门", max_length=200, blank=True)
    max_applicants = models.PositiveSmallIntegerField(
        "每家企业限额", null=True, blank=True, help_text="空白：按企业所获具体荣誉的级别（见“具体荣誉”）"
    )
    items = models.JSONField(
        "具体荣誉",
        default=list,
        blank=True,
        help_text='本行列出的每项荣誉：[{"name": …, "level": "国家级"/"省级", "max_applicants": 3/2}]',
    )

    class Meta:
        ordering = ["policy_id", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["policy_id", "row_number"], name="honour_row_unique"),
        ]
        verbose_name = verbose_name_plural = "企业荣誉名单"

    def __str__(self) -> str:
        return self.name


class HolidayOverride(models.Model):
    """A day whose working status an administrator sets, for years the calendar package lacks."""

    day = models.DateField("日期", unique=True)
    is_working_day = models.BooleanField("是否工作日")
    name = models.CharField("说明", max_length=60, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = verbose_name_plural = "节假日调整"

    def __str__(self) -> str:
        return f"{self.day} {'上班' if self.is_working_day else '休息'} {self.name}"


class DataVersion(models.Model):
    """Which version of each reference data set is loaded, so loading is idempotent."""

    dataset = models.CharField("数据集", max_length=40, unique=True)
    version = models.PositiveIntegerField("版本")
    loaded_at = models.DateTimeField("加载时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "参考数据版本"
