"""Vocabularies of the archive, in the codes of the policy engine's profile (POLICY_API.md).

Stored values are the POLICY_API codes so that a profile can be built from records without
translation tables. Where real records need a value the engine does not score (a design
patent, a group standard, a national project …) the value is added here and marked
"extra": the profile builder leaves such entries out or maps them, never the engine.
"""

from __future__ import annotations

from django.db import models


class EducationLevel(models.TextChoices):
    DOCTORATE = "doctorate", "博士研究生"
    MASTER = "master", "硕士研究生"
    SECOND_BACHELOR = "second_bachelor", "第二学士学位"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专（中职）"
    HIGH_SCHOOL = "high_school", "高中"
    BELOW = "below", "初中及以下"
    # Technical schools (技工院校): count as secondary / college / bachelor (POLICY_API).
    TECHNICAL_INTERMEDIATE = "technical_intermediate", "技工院校中级工班（视同中专）"
    TECHNICAL_SENIOR = "technical_senior", "技工院校高级工班（视同大专）"
    TECHNICAL_PREPARATORY = "technical_preparatory", "技工院校预备技师（技师）班（视同本科）"


class SkillGrade(models.IntegerChoices):
    GRADE_1 = 1, "一级（高级技师）"
    GRADE_2 = 2, "二级（技师）"
    GRADE_3 = 3, "三级（高级工）"
    GRADE_4 = 4, "四级（中级工）"
    GRADE_5 = 5, "五级（初级工）"


class CECategory(models.TextChoices):
    GENERAL_PUBLIC = "general_public", "一般公需科目"
    INDUSTRY_PUBLIC = "industry_public", "行业公需科目"
    PROFESSIONAL = "professional", "专业科目"


class CEResult(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class AssessmentResult(models.TextChoices):
    EXCELLENT = "excellent", "优秀"
    GOOD = "good", "良好"
    PASS = "pass", "合格（称职）"
    FAIL = "fail", "不合格"


class LanguageKind(models.TextChoices):
    """A language certificate; POLICY_API ``language: none`` is the absence of any."""

    CET4 = "cet4", "大学英语四级"
    CET6 = "cet6", "大学英语六级"
    TITLE_EXAM = "title_exam", "职称外语等级考试合格"


class PostKind(models.TextChoices):
    UNIT_TECH_LEAD = "unit_tech_lead", "单位技术负责人"
    DEPT_TECH_LEAD = "dept_tech_lead", "部门技术负责人"


class AwardLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省（部）级"
    CITY = "city", "市（厅）级"
    COUNTY = "county", "县（区）级"


class AwardGrade(models.IntegerChoices):
    FIRST = 1, "一等奖"
    SECOND = 2, "二等奖"
    THIRD = 3, "三等奖"


class ProjectLevel(models.TextChoices):
    NATIONAL = "national", "国家级"  # extra
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    ENTERPRISE = "enterprise", "单位自立或横向委托"  # extra


class ProjectRole(models.TextChoices):
    LEAD = "lead", "主持"
    MEMBER = "member", "参与"


class PaperKind(models.TextChoices):
    """Journal papers. Monographs (POLICY_API ``monograph``) are the separate Book type."""

    CORE = "core", "核心期刊"
    PROVINCIAL = "provincial", "省级期刊或会议"
    OTHER = "other", "其他公开期刊"
    UNPUBLISHED = "unpublished", "未公开发表（内部交流）"


class BookRole(models.TextChoices):
    SOLE_AUTHOR = "sole_author", "独著"
    CHIEF_EDITOR = "chief_editor", "主编"
    DEPUTY_EDITOR = "deputy_editor", "副主编"
    CO_AUTHOR = "co_author", "参编"
    TRANSLATOR = "translator", "译著"


class PatentKind(models.TextChoices):
    INVENTION = "invention", "发明专利"
    UTILITY = "utility", "实用新型专利"
    SOFTWARE = "software", "软件著作权"
    DESIGN = "design", "外观设计专利"  # extra


class StandardKind(models.TextChoices):
    NATIONAL = "national", "国家标准"
    INDUSTRY = "industry", "行业标准"
    PROVINCIAL_LOCAL = "provincial_local", "省级地方标准"
    ENTERPRISE = "enterprise", "企业标准"
    GROUP = "group", "团体标准"  # extra


class NewProductLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"


class HonourKind(models.TextChoices):
    MODEL_WORKER = "model_worker", "劳动模范（五一劳动奖章）"
    ADVANCED_WORKER = "advanced_worker", "科技（生产）先进工作者"
    PARTY_MEMBER = "party_member", "优秀共产党员"
    OTHER = "other", "其他荣誉称号"  # extra


class HonourLevel(models.TextChoices):
    NATIONAL = "national", "国家级"  # extra
    PROVINCIAL = "provincial", "省级"  # extra
    CITY = "city", "市级"
    COUNTY = "county", "县级"
    SECTION = "section", "系统（条线）级"


class SkillTitleKind(models.TextChoices):
    PROVINCIAL_CHIEF_TECHNICIAN = "provincial_chief_technician", "省首席技师"
    NATIONAL_TECHNICAL_EXPERT = "national_technical_expert", "全国技术能手"
    CITY_CHIEF_TECHNICIAN = "city_chief_technician", "市首席技师"
    CITY_MASTER = "city_master", "市名师名家"
    PROVINCIAL_TECHNICAL_EXPERT = "provincial_technical_expert", "省技术能手"
    COUNTY_TECHNICAL_EXPERT = "county_technical_expert", "县技术能手"


class CompetitionLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    COUNTY = "county", "县级"


class RewardKind(models.TextChoices):
    REWARD = "reward", "表彰奖励"
    PUNISHMENT = "punishment", "处理惩戒"


class ImportSource(models.TextChoices):
    """Systems a record can be extracted from automatically (seed 003 §五.3: “自动提取”)."""

    CHSI = "chsi", "学信网（中国高等教育学生信息网）"
    SOCIAL_INSURANCE = "social_insurance", "人力社保系统（社保缴纳记录）"
