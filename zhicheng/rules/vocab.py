"""Vocabularies of the public contract (POLICY_API.md) and their Chinese names."""

from __future__ import annotations

from typing import Literal

Level = Literal["technician", "assistant_engineer", "engineer"]
TitleLevel = Literal["technician", "assistant_engineer", "engineer", "senior_engineer", "professor_engineer"]
ApplicationType = Literal[
    "normal",
    "exceptional",
    "skill",
    "transfer",
    "direct",
    "recognition",
    "private",
    "two_of_five",
    "exceptional_a",
    "exceptional_b",
]
EducationLevel = Literal[
    "doctorate",
    "master",
    "second_bachelor",
    "bachelor",
    "college",
    "secondary",
    "high_school",
    "below",
    "technical_intermediate",
    "technical_senior",
    "technical_preparatory",
]
Gender = Literal["male", "female"]
EmployerKind = Literal["public_institution", "state_enterprise", "private_enterprise", "social_org"]
EmployerSize = Literal["large", "small"]
CECategory = Literal["general_public", "industry_public", "professional"]
AssessmentResult = Literal["excellent", "good", "pass", "fail"]
Language = Literal["none", "cet4", "cet6", "title_exam"]
PostKind = Literal["unit_tech_lead", "dept_tech_lead"]
AwardLevel = Literal["national", "provincial", "city", "county"]
ProjectLevel = Literal["provincial", "city", "county"]
PaperKind = Literal["monograph", "core", "provincial", "other", "unpublished"]
PatentKind = Literal["invention", "utility", "software"]
StandardKind = Literal["national", "industry", "provincial_local", "enterprise"]
NewProductLevel = Literal["national", "provincial"]
HonourKind = Literal["model_worker", "advanced_worker", "party_member"]
HonourLevel = Literal["city", "county", "section"]
SkillTitleKind = Literal[
    "provincial_chief_technician",
    "national_technical_expert",
    "city_chief_technician",
    "city_master",
    "provincial_technical_expert",
    "county_technical_expert",
]
CompetitionLevel = Literal["national", "provincial", "city", "county"]

Relevance = Literal[True, False, "any"]  # one literal, so errors name the field, not a union branch

LEVELS: tuple[str, ...] = ("technician", "assistant_engineer", "engineer")

LEVEL_NAMES = {
    "technician": "技术员",
    "assistant_engineer": "助理工程师",
    "engineer": "工程师",
    "senior_engineer": "高级工程师",
    "professor_engineer": "正高级工程师",
}
TITLE_RANK = {"technician": 1, "assistant_engineer": 2, "engineer": 3, "senior_engineer": 4, "professor_engineer": 5}

APPLICATION_TYPE_NAMES = {
    "normal": "正常申报",
    "exceptional": "破格申报",
    "skill": "技能人才申报",
    "transfer": "转（兼）评",
    "direct": "直接晋升",
    "recognition": "职称认定（初定）",
    "private": "民营企业人员申报",
    "two_of_five": "五项条件具备两项申报",
    "exceptional_a": "破格申报（A类）",
    "exceptional_b": "破格申报（B类）",
}

# Education: technical-school classes count as the level they correspond to (W 第十八条).
EDUCATION_EQUIVALENT = {
    "technical_intermediate": "secondary",
    "technical_senior": "college",
    "technical_preparatory": "bachelor",
}
EDUCATION_RANK = {
    "below": 0,
    "high_school": 1,
    "secondary": 2,
    "college": 3,
    "bachelor": 4,
    "second_bachelor": 5,
    "master": 6,
    "doctorate": 7,
}
EDUCATION_NAMES = {
    "doctorate": "博士研究生",
    "master": "硕士研究生",
    "second_bachelor": "第二学士学位",
    "bachelor": "大学本科",
    "college": "大学专科",
    "secondary": "中专",
    "high_school": "高中",
    "below": "高中以下",
    "technical_intermediate": "技工院校中级工班（相当于中专）",
    "technical_senior": "技工院校高级工班（相当于大专）",
    "technical_preparatory": "技工院校预备技师班（相当于本科）",
}
# Names used in "X 及以上" phrases.
EDUCATION_FLOOR_NAMES = {
    "doctorate": "博士研究生",
    "master": "研究生（硕士）",
    "second_bachelor": "第二学士学位或研究生",
    "bachelor": "大学本科",
    "college": "大学专科",
    "secondary": "中专",
    "high_school": "高中",
    "below": "任何",
}

SKILL_GRADE_NAMES = {
    1: "高级技师（一级）",
    2: "技师（二级）",
    3: "高级工（三级）",
    4: "中级工（四级）",
    5: "初级工（五级）",
}

CE_CATEGORY_NAMES = {"general_public": "一般公需科目", "industry_public": "行业公需科目", "professional": "专业科目"}
ASSESSMENT_NAMES = {"excellent": "优秀", "good": "良好", "pass": "合格", "fail": "不合格"}
ASSESSMENT_RANK = {"fail": 0, "pass": 1, "good": 2, "excellent": 3}
LANGUAGE_NAMES = {"none": "无", "cet4": "大学英语四级", "cet6": "大学英语六级", "title_exam": "职称外语合格"}
POST_NAMES = {"unit_tech_lead": "单位技术负责人", "dept_tech_lead": "部门技术负责人"}
EMPLOYER_KIND_NAMES = {
    "public_institution": "事业单位",
    "state_enterprise": "国有企业",
    "private_enterprise": "民营企业",
    "social_org": "社会团体",
}
EMPLOYER_SIZE_NAMES = {"large": "大中型企业", "small": "小微企业"}
GENDER_NAMES = {"male": "男", "female": "女"}

AWARD_LEVEL_NAMES = {"national": "国家级", "provincial": "省级", "city": "市级", "county": "县级"}
GRADE_NAMES = {1: "一等奖", 2: "二等奖", 3: "三等奖"}
PLACE_NAMES = {1: "一等奖（前 3 名）", 2: "二等奖（前 6 名）", 3: "三等奖（优秀奖）"}
PROJECT_LEVEL_NAMES = {"provincial": "省部级", "city": "市厅级", "county": "县区级"}
PAPER_KIND_NAMES = {
    "monograph": "专著",
    "core": "核心期刊论文",
    "provincial": "省级刊物（会议）论文",
    "other": "其他正式刊物论文",
    "unpublished": "未公开发表的论文（研究报告、设计方案等）",
}
PATENT_KIND_NAMES = {"invention": "发明专利", "utility": "实用新型专利", "software": "软件著作权"}
STANDARD_KIND_NAMES = {
    "national": "国家标准",
    "industry": "行业标准",
    "provincial_local": "省级地方标准",
    "enterprise": "企业标准",
}
NEW_PRODUCT_LEVEL_NAMES = {"national": "国家级", "provincial": "省级"}
HONOUR_KIND_NAMES = {
    "model_worker": "劳动模范（“五一”劳动奖章）",
    "advanced_worker": "科技（生产）先进工作者",
    "party_member": "优秀共产党员",
}
HONOUR_LEVEL_NAMES = {"city": "市级", "county": "县级", "section": "科级"}
SKILL_TITLE_NAMES = {
    "provincial_chief_technician": "省首席技师",
    "national_technical_expert": "全国技术能手",
    "city_chief_technician": "市首席技师",
    "city_master": "市名师名家",
    "provincial_technical_expert": "省技术能手",
    "county_technical_expert": "县级技术能手",
}
COMPETITION_LEVEL_NAMES = {"national": "国家级", "provincial": "省部级", "city": "市厅级", "county": "县区级"}

# Record kinds that count as achievements (业绩), their Chinese names and how they are dated.
RECORD_KINDS = {
    "awards": "科学技术奖",
    "projects": "科研项目",
    "papers": "论文著作",
    "patents": "专利（著作权）",
    "standards": "标准",
    "new_products": "新产品",
    "honors": "个人荣誉",
    "skill_titles": "技能称号",
    "competitions": "技能竞赛",
}
YEAR_DATED_KINDS = frozenset({"honors", "competitions"})

# Which filter fields each record kind has, and their vocabulary.
RECORD_FIELDS: dict[str, dict[str, dict]] = {
    "awards": {"level": AWARD_LEVEL_NAMES, "grade": GRADE_NAMES},
    "projects": {"level": PROJECT_LEVEL_NAMES},
    "papers": {"kind": PAPER_KIND_NAMES},
    "patents": {"kind": PATENT_KIND_NAMES},
    "standards": {"kind": STANDARD_KIND_NAMES},
    "new_products": {"level": NEW_PRODUCT_LEVEL_NAMES},
    "honors": {"kind": HONOUR_KIND_NAMES, "level": HONOUR_LEVEL_NAMES},
    "skill_titles": {"kind": SKILL_TITLE_NAMES},
    "competitions": {"level": COMPETITION_LEVEL_NAMES, "place": PLACE_NAMES},
}
RANKED_KINDS = frozenset({"awards", "projects", "papers", "patents", "standards", "new_products"})


def record_phrase(kind: str, rec) -> str:
    """A short Chinese description of one achievement record."""
    if kind == "awards":
        return f"{AWARD_LEVEL_NAMES[rec.level]}科学技术奖{GRADE_NAMES[rec.grade]}（第 {rec.rank} 名）"
    if kind == "projects":
        return f"{PROJECT_LEVEL_NAMES[rec.level]}科研项目（第 {rec.rank} 名）"
    if kind == "papers":
        return f"{PAPER_KIND_NAMES[rec.kind]}（第 {rec.rank} 名）"
    if kind == "patents":
        return f"{PATENT_KIND_NAMES[rec.kind]}（第 {rec.rank} 名）"
    if kind == "standards":
        return f"{STANDARD_KIND_NAMES[rec.kind]}（第 {rec.rank} 起草人）"
    if kind == "new_products":
        return f"{NEW_PRODUCT_LEVEL_NAMES[rec.level]}新产品（第 {rec.rank} 名）"
    if kind == "honors":
        return f"{rec.year} 年{HONOUR_LEVEL_NAMES[rec.level]}{HONOUR_KIND_NAMES[rec.kind]}"
    if kind == "skill_titles":
        return SKILL_TITLE_NAMES[rec.kind]
    if kind == "competitions":
        return f"{rec.year} 年{COMPETITION_LEVEL_NAMES[rec.level]}技能竞赛{PLACE_NAMES[rec.place]}"
    raise KeyError(kind)


_NUM_CACHE: dict[float, str] = {}


def num(value: float) -> str:
    """12.0 → "12", 12.5 → "12.5" (for sentences)."""
    text = _NUM_CACHE.get(value)
    if text is None:
        text = str(int(value)) if float(value).is_integer() else str(round(value, 4))
        if len(_NUM_CACHE) < 4096:
            _NUM_CACHE[value] = text
    return text
