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


class PlanCalendarEntry(models.Model):
    """One row of a city's yearly review calendar (seed 002 annex for Wenzhou 2019)."""

    year = models.PositiveSmallIntegerField("年度")
    city = models.ForeignKey(Region, verbose_name="城市", on_delete=models.PROTECT)
    row_number = models.PositiveSmallIntegerField("序号")
    series_name = models.CharField("系列（专业）", max_length=200, blank=True)
    titles = models.CharField("评审（推荐）职称", max_length=300)
    review_month = models.CharField("评审时间", max_length=20, blank=True)
    material_month = models.CharField("材料报送时间", max_length=20, blank=True)
    receiving_unit = models.CharField("材料受理单位", max_length=100, blank=True)
    phone = models.CharField("联系电话", max_length=40, blank=True)
    remark = models.CharField("备注", max_length=200, blank=True)
    document_number = models.CharField("文件", max_length=60, blank=True)

    class Meta:
        ordering = ["year", "city", "row_number"]
        constraints = [
            models.UniqueConstraint(fields=["year", "city", "row_number"], name="calendar_row_unique"),
        ]
        verbose_name = verbose_name_plural = "年度评审计划安排"

    def __str__(self) -> str:
        return f"{self.year} {self.row_number} {self.series_name} {self.titles}"


class HonourListEntry(models.Model):
    """An enterprise honour that opens an exceptional route (Shangyu 2023, seed 001 annex 2)."""

    policy_id = models.CharField("政策", max_length=40)
    row_number = models.PositiveSmallIntegerField("序号")
    name = models.CharField("荣誉名称", max_length=200)
    level = models.CharField("级别", max_length=20)  # 国家级 / 省级
    issuer = models.CharField("认定部门", max_length=200, blank=True)
    max_applicants = models.PositiveSmallIntegerField("每家企业限额", null=True, blank=True)

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
