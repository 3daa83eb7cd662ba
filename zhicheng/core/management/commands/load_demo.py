"""Load the demo: offices and committees named in the seeds, employers, one login per role.

Idempotent: existing rows (matched by mobile number, organisation name) are left alone.
Employers and applicants are created through the same services the pages use, so the
audit log and the notifications look as they would in real use.

Each demo applicant gets a performance archive (once: a person who already has records is
left alone): the degree and social-insurance history are extracted from the demo registry
(``archive.importers.DemoRegistryAdapter``), the person confirms the degree is relevant, adds
the other records with a small PDF as evidence, and the employer's admin approves them all.
The archives are built to give these self-check verdicts:

- 张伟 (Wenzhou, wz-jidian-2020 engineer, plan 2024): eligible by 10.1b — relevant bachelor,
  assistant engineer since 2019-12-01 (5 full years at 2024-12-31), CE 2022–2024 each 60 + 18
  + 12 hours, assessments 2021–2023 pass or better, insured in 瑞安 (330381) since 2010-07;
  two utility patents and a city research project as achievements.
- 孙立强 (Shangyu, sy-jidian-2023 engineer, plan 2023): eligible by normal — relevant bachelor,
  assistant engineer since 2018-12-20 (5 years at 2023-12-31), CE 2021–2023 = 270 h (180
  professional, 90 public), assessments 2020–2022 pass or better.
- 林晓雯 (Ningbo, nb-quality-2024 engineer, plan 2024): eligible by normal — relevant bachelor
  (测控技术与仪器), assistant engineer since 2019-11-30, CE 2022–2024 each 90/60/18, insured in
  鄞州 (330212) by her current employer since 2014-08, born 1991 (far from retirement).
- 黄志远 (Wenzhou, wz-jidian-2020 engineer, plan 2024): NOT eligible — everything holds except
  2023's continuing education: 50 professional hours (60 needed), 80 in total (90 needed),
  "2023 年专业科目学时还差 10 学时".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from zhicheng.accounts import services as account_services
from zhicheng.accounts.models import User
from zhicheng.archive import services as archive_services
from zhicheng.archive.importers import DemoRegistryAdapter
from zhicheng.archive.models import Education, Record
from zhicheng.core.uploads import PDF
from zhicheng.lib.idnumbers import make_resident_id
from zhicheng.lib.uscc import make_uscc
from zhicheng.orgs import services as org_services
from zhicheng.orgs.models import AcceptancePoint, Committee, Membership, Organisation, Role
from zhicheng.plans import services as plan_services
from zhicheng.plans.models import Plan, end_of_day, start_of_day
from zhicheng.portal.models import Notice
from zhicheng.reference.models import Region, Series, Specialty, Subspecialty, TitleLevel

DEMO_PASSWORD = "Zhicheng#2024"  # noqa: S105 - printed for the demo on purpose

Kind = Organisation.Kind
Level = Organisation.AdminLevel

OFFICES = [
    # (name, kind, region code, level)
    ("瑞安市人力资源和社会保障局", Kind.HR_BUREAU, "330381", Level.COUNTY),
    ("平阳县人力资源和社会保障局", Kind.HR_BUREAU, "330326", Level.COUNTY),
    ("温州市人力资源和社会保障局（温州市职称改革工作领导小组办公室）", Kind.TITLE_OFFICE, "330300", Level.CITY),
    ("温州市机电技术协会", Kind.ASSOCIATION, "330300", Level.CITY),
    ("温州市机械工程学会", Kind.ASSOCIATION, "330300", Level.CITY),
    ("绍兴市上虞区人力资源和社会保障局", Kind.HR_BUREAU, "330604", Level.COUNTY),
    ("绍兴市上虞区机械电机工程师协会", Kind.ASSOCIATION, "330604", Level.COUNTY),
    ("宁波市市场监督管理局", Kind.INDUSTRY_BODY, "330200", Level.CITY),
    ("宁波市鄞州区市场监督管理局", Kind.INDUSTRY_BODY, "330212", Level.COUNTY),
    ("宁波市鄞州区人力资源和社会保障局", Kind.HR_BUREAU, "330212", Level.COUNTY),
]

COMMITTEES = [
    # (name, organising body, specialty code, region code)
    (
        "温州市企业人员机电专业工程师职务任职资格评审委员会",
        "温州市机电技术协会",
        "electromechanical_manufacturing",
        "330300",
    ),
    ("温州市企业人员机械专业中、初级专业技术资格评审委员会", "温州市机械工程学会", "mechanical", "330300"),
    (
        "绍兴市上虞区机械电机工程技术人员中级专业技术职务任职资格评审委员会",
        "绍兴市上虞区机械电机工程师协会",
        "electromechanical_manufacturing",
        "330604",
    ),
    (
        "宁波市质量技术基础专业中级专业技术职务任职资格评审委员会",
        "宁波市市场监督管理局",
        "quality_technology_foundation",
        "330200",
    ),
]

ACCEPTANCE_POINTS = [
    ("瑞安市职称申报受理点", "瑞安市人力资源和社会保障局", "330381"),
    ("平阳县职称申报受理点", "平阳县人力资源和社会保障局", "330326"),
    ("上虞区职称申报受理点", "绍兴市上虞区人力资源和社会保障局", "330604"),
    ("鄞州区职称申报受理点", "宁波市鄞州区人力资源和社会保障局", "330212"),
]

EMPLOYERS = [
    # (name, county, nature, revenue in 10k yuan, staff, holder name, holder mobile, approved)
    ("瑞安市华东机械有限公司", "330381", "private", Decimal("36000"), 420, "李晓燕", "13900000001", True),
    ("温州瓯江电气科技有限公司", "330303", "private", Decimal("1800"), 85, "周敏", "13900000011", True),
    ("绍兴上虞精工机电制造有限公司", "330604", "private", Decimal("9000"), 260, "陈立", "13900000021", True),
    ("宁波甬诚检测技术有限公司", "330212", "private", Decimal("5200"), 150, "王芳", "13900000031", True),
    ("平阳县恒远机电有限公司", "330326", "private", Decimal("900"), 40, "吴昊", "13900000009", False),
]

# (role, name, mobile, organisation, committee)
STAFF = [
    (Role.OFFICE_REVIEWER, "王建国（瑞安人社科长）", "13900000003", "瑞安市人力资源和社会保障局", None),
    (Role.COMMITTEE_SECRETARY, "陈静（机电协会秘书）", "13900000004", "温州市机电技术协会", COMMITTEES[0][0]),
    # the same secretary also runs the machinery committee's office, so the demo's open plan
    # (machinery) can be walked through its whole chain with the printed logins
    (Role.COMMITTEE_SECRETARY, "陈静（机电协会秘书）", "13900000004", "温州市机械工程学会", COMMITTEES[1][0]),
    (Role.EXPERT, "刘振华（正高级工程师）", "13900000005", "温州市机电技术协会", COMMITTEES[0][0]),
    (
        Role.CITY_TITLE_OFFICER,
        "赵明（市职改办）",
        "13900000006",
        "温州市人力资源和社会保障局（温州市职称改革工作领导小组办公室）",
        None,
    ),
]


def _ce(years: tuple[int, ...], *, short: dict[int, int] | None = None) -> list[tuple[str, dict[str, Any]]]:
    """Each year's CE: 60 professional, 18 general public, 12 industry public (``short`` takes
    hours off a year's professional subjects)."""
    records = []
    for year in years:
        professional = 60 - (short or {}).get(year, 0)
        for category, hours, course in (
            ("professional", professional, "专业科目"),
            ("general_public", 18, "一般公需科目"),
            ("industry_public", 12, "行业公需科目"),
        ):
            records.append(
                (
                    "continuing_education",
                    {
                        "year": year,
                        "category": category,
                        "course": f"{year}年{course}",
                        "organiser": "浙江省专业技术人员继续教育平台",
                        "hours": Decimal(hours),
                        "result": "passed",
                    },
                )
            )
    return records


def _assessments(employer: str, results: dict[int, str]) -> list[tuple[str, dict[str, Any]]]:
    return [("assessment", {"year": y, "result": r, "employer_name": employer}) for y, r in results.items()]


def _title(obtained: date, specialty: str, authority: str, number: str) -> tuple[str, dict[str, Any]]:
    return (
        "title",
        {
            "level": "assistant_engineer",  # a TitleLevel code, looked up when created
            "title_name": "助理工程师",
            "specialty": specialty,
            "is_relevant": True,
            "obtained_on": obtained,
            "approving_authority": authority,
            "certificate_number": number,
        },
    )


def _appointment(start: date, employer: str) -> tuple[str, dict[str, Any]]:
    """The employer's appointment to the assistant-engineer post (聘任): applying for engineer on
    an assistant-engineer title needs it (seed 003 §五.4 (4))."""
    return (
        "appointment",
        {
            "post": "助理工程师",
            "title_level": "assistant_engineer",  # a TitleLevel code, looked up when created
            "employer_name": employer,
            "start_date": start,
            "end_date": None,
        },
    )


def _work(start: date, end: date | None, employer: str, position: str, region: str) -> tuple[str, dict[str, Any]]:
    return (
        "work",
        {
            "start_date": start,
            "end_date": end,
            "employer_name": employer,
            "position": position,
            "is_relevant": True,
            "region": region,  # a Region code, looked up when created
        },
    )


@dataclass(frozen=True)
class Persona:
    """A demo applicant. ``area``, ``birth`` and ``seq`` make the ID number; the demo registry
    (``archive.importers.DEMO_REGISTRY``) holds their degree and insurance under it."""

    name: str
    mobile: str
    area: str
    birth: date
    seq: str
    employer: str
    work_start: date
    department: str
    position: str
    label: str
    records: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


HUADONG = "瑞安市华东机械有限公司"
OUJIANG = "温州瓯江电气科技有限公司"
SHANGYU = "绍兴上虞精工机电制造有限公司"
YONGCHENG = "宁波甬诚检测技术有限公司"

APPLICANTS = [
    Persona(
        "张伟",
        "13900000002",
        "330381",
        date(1988, 5, 12),
        "351",
        HUADONG,
        date(2010, 7, 1),
        "研发部",
        "机械设计工程师",
        "温州机电工程师·符合正常申报",
        [
            _title(date(2019, 12, 1), "机械设计与制造", "瑞安市人力资源和社会保障局", "RA2019ZL0451"),
            _appointment(date(2020, 1, 1), HUADONG),
            _work(date(2010, 7, 1), None, HUADONG, "机械设计", "330381"),
            *_ce((2022, 2023, 2024)),
            *_assessments(HUADONG, {2021: "pass", 2022: "good", 2023: "excellent"}),
            (
                "patent",
                {
                    "title": "一种数控车床用快速定位夹具",
                    "kind": "utility",
                    "number": "ZL202220123456.7",
                    "rank": 1,
                    "granted_on": date(2022, 9, 6),
                    "holder": HUADONG,
                },
            ),
            (
                "patent",
                {
                    "title": "一种冲压模具自动送料装置",
                    "kind": "utility",
                    "number": "ZL202320654321.0",
                    "rank": 1,
                    "granted_on": date(2023, 6, 16),
                    "holder": HUADONG,
                },
            ),
            (
                "research_project",
                {
                    "name": "高精度数控车床主轴热变形补偿技术研究",
                    "project_number": "ZG2021012",
                    "level": "city",
                    "source": "温州市科学技术局",
                    "role": "lead",
                    "rank": 1,
                    "approved_on": date(2021, 3, 1),
                    "completed_on": date(2023, 3, 31),
                },
            ),
            ("language", {"kind": "cet4", "language": "英语", "score": "468", "obtained_on": date(2008, 6, 21)}),
        ],
    ),
    Persona(
        "孙立强",
        "13900000012",
        "330604",
        date(1990, 3, 15),
        "215",
        SHANGYU,
        date(2013, 7, 1),
        "技术部",
        "机电设备设计工程师",
        "上虞机电工程师·符合正常申报",
        [
            _title(date(2018, 12, 20), "机电一体化", "绍兴市上虞区人力资源和社会保障局", "SY2018JD0217"),
            _appointment(date(2019, 1, 1), SHANGYU),
            _work(date(2013, 7, 1), None, SHANGYU, "机电设备设计", "330604"),
            *_ce((2021, 2022, 2023)),
            *_assessments(SHANGYU, {2020: "pass", 2021: "good", 2022: "pass"}),
            (
                "patent",
                {
                    "title": "一种电机转子动平衡校正工装",
                    "kind": "utility",
                    "number": "ZL202221987654.3",
                    "rank": 1,
                    "granted_on": date(2022, 11, 8),
                    "holder": SHANGYU,
                },
            ),
        ],
    ),
    Persona(
        "林晓雯",
        "13900000022",
        "330212",
        date(1991, 8, 8),
        "286",
        YONGCHENG,
        date(2014, 8, 1),
        "计量检测部",
        "计量检测工程师",
        "宁波质量技术基础工程师·符合正常申报",
        [
            _title(date(2019, 11, 30), "计量测试", "宁波市鄞州区人力资源和社会保障局", "YZ2019JL0088"),
            _appointment(date(2019, 12, 1), YONGCHENG),
            _work(date(2014, 8, 1), None, YONGCHENG, "计量检测", "330212"),
            *_ce((2022, 2023, 2024)),
            *_assessments(YONGCHENG, {2021: "pass", 2022: "good", 2023: "excellent"}),
            (
                "standard",
                {
                    "name": "电子天平校准作业指导书",
                    "number": "Q/YC 003-2023",
                    "kind": "enterprise",
                    "rank": 1,
                    "published_on": date(2023, 5, 1),
                },
            ),
        ],
    ),
    Persona(
        "黄志远",
        "13900000032",
        "330303",
        date(1989, 10, 8),
        "173",
        OUJIANG,
        date(2012, 7, 1),
        "技术部",
        "电气设计工程师",
        "温州机电工程师·不符合：2023 年专业科目学时差 10 学时",
        [
            _title(date(2018, 6, 30), "电气自动化", "温州市龙湾区人力资源和社会保障局", "LW2018DQ0133"),
            _appointment(date(2018, 7, 1), OUJIANG),
            _work(date(2012, 7, 1), date(2015, 2, 28), "乐清市正泰配电设备有限公司", "电气设计", "330382"),
            _work(date(2015, 3, 1), None, OUJIANG, "电气设计", "330303"),
            *_ce((2022, 2023, 2024), short={2023: 10}),
            *_assessments(OUJIANG, {2021: "pass", 2022: "good", 2023: "pass"}),
        ],
    ),
]

NOTICES = [
    (
        "关于开展2024年度企业人员机械专业中、初级专业技术资格评审工作的通知",
        "温职改办〔2024〕12号",
        "在我市企业单位中从事机械专业工作的在职在岗技术人员（非行政、事业编制）可按本通知申报。"
        "申报对象在申报截止日之前应已有3个月以上的在温社保缴纳记录；每年度继续教育不少于90学时。",
    ),
    (
        "关于做好2023年度全区民营工业企业机电制造中级专业技术职务任职资格评审工作的通知",
        "虞人社职〔2023〕3号",
        "全区民营工业企业从事机电制造专业技术工作的人员，可按正常申报、破格申报、技能人才申报三种方式申报工程师。",
    ),
    (
        "关于做好2024年度质量技术基础专业中级专业技术职务任职资格评审暨正高级、高级专业技术职务任职资格推荐工作的通知",
        "甬市监组人〔2024〕187号",
        "在我市企事业单位从事质量、计量、标准化、特种设备、食品质量技术工作的专业技术人员，可申报中级专业技术职务任职资格。",
    ),
]

WZ_JIDIAN = COMMITTEES[0][0]
WZ_JIXIE = COMMITTEES[1][0]
SY_JIDIAN = COMMITTEES[2][0]
NB_QUALITY = COMMITTEES[3][0]
WZ_HR = "温州市人力资源和社会保障局（温州市职称改革工作领导小组办公室）"


def _wenzhou_chain(association: str, label: str, employer_deadline: date | None) -> list[dict[str, Any]]:
    """温州: employer → county HR (the acceptance point) → the association (committee office) →
    city HR (seed 003 五.1, seed 000 五（一）)."""
    return [
        {"order": 1, "office_kind": "employer", "label": "用人单位审核、公示并推荐", "deadline": employer_deadline},
        {"order": 2, "office_kind": "acceptance_point", "label": "县级人力社保部门资格审查"},
        {"order": 3, "office_kind": "committee", "organisation": association, "label": f"{label}资格审查"},
        {"order": 4, "office_kind": "title_office", "organisation": WZ_HR, "label": "市人力社保局资格审查"},
    ]


# Demo plans (DOMAIN §6). Dates come from the seeds; ``None`` where the notice names none.
# (number, year, name, committee, specialty, subspecialty codes, levels, policy,
#  window start, last day, employer deadline, seniority cut-off, achievements cut-off,
#  acceptance points, chain, remark)
DEMO_PLANS: list[dict[str, Any]] = [
    {
        "number": "2022-00533",
        "year": 2022,
        "name": "2022年度温州市企业人员机电专业中、初级专业技术职务任职资格评审申报计划",
        "committee": WZ_JIDIAN,
        "specialty": "electromechanical_manufacturing",
        "levels": ["technician", "assistant_engineer", "engineer"],
        "policy_id": "wz-jidian-2020",
        "start": date(2022, 8, 1),
        "last_day": date(2022, 10, 20),
        "employer_deadline": date(2022, 11, 2),
        "seniority_cutoff": date(2022, 12, 31),
        "achievements_cutoff": date(2022, 7, 31),
        "acceptance_points": ["瑞安市职称申报受理点", "平阳县职称申报受理点"],
        "chain": _wenzhou_chain("温州市机电技术协会", "市机电技术协会", date(2022, 11, 2)),
        "remark": "依据 seed 003：省平台计划列表（个人申报 2022-08-01 00:00:00 至 2022-10-20 23:59:59，"
        "单位推荐截止 2022-11-02 23:59:59）；通知：资历计算至 2022-12-31，业绩材料截止 2022-07-31。",
    },
    {
        "number": "2024-WZJX",
        "year": 2024,
        "name": "2024年度温州市企业人员机械专业中、初级专业技术资格评审申报计划",
        "committee": WZ_JIXIE,
        "specialty": "mechanical",
        "levels": ["technician", "assistant_engineer", "engineer"],
        "policy_id": "wz-jidian-2020",
        "start": date(2024, 9, 1),
        "last_day": date(2024, 10, 31),
        "employer_deadline": None,
        "seniority_cutoff": date(2024, 12, 31),
        "achievements_cutoff": date(2024, 8, 31),
        "acceptance_points": ["瑞安市职称申报受理点", "平阳县职称申报受理点"],
        "chain": _wenzhou_chain("温州市机械工程学会", "市机械工程学会", None),
        "remark": "依据 seed 000（温职改办〔2024〕12号）：材料报送 9月1日—10月31日，资历计算至 2024-12-31，"
        "业绩材料截止 2024-08-31。通知未载明计划编号和单位推荐截止日，编号为演示编号。",
    },
    {
        "number": "2023-SYJD",
        "year": 2023,
        "name": "2023年度全区民营工业企业机电制造中级专业技术职务任职资格评审申报计划",
        "committee": SY_JIDIAN,
        "specialty": "electromechanical_manufacturing",
        "subspecialties": [
            "electromechanical_manufacturing_technical_development",
            "electromechanical_manufacturing_design_development",
            "electromechanical_manufacturing_production_manufacturing",
            "electromechanical_manufacturing_system_integration",
            "electromechanical_manufacturing_technical_service",
        ],
        "levels": ["engineer"],
        "policy_id": "sy-jidian-2023",
        "start": date(2023, 7, 19),
        "last_day": date(2023, 9, 8),
        "employer_deadline": date(2023, 9, 21),
        "seniority_cutoff": date(2023, 12, 31),
        "achievements_cutoff": date(2023, 9, 8),
        "acceptance_points": ["上虞区职称申报受理点"],
        "chain": [
            {"order": 1, "office_kind": "employer", "label": "用人单位审核、公示并推荐", "deadline": date(2023, 9, 21)},
            {
                "order": 2,
                "office_kind": "association",
                "organisation": "绍兴市上虞区机械电机工程师协会",
                "label": "区机械电机工程师协会审核推荐",
            },
            {
                "order": 3,
                "office_kind": "hr_bureau",
                "organisation": "绍兴市上虞区人力资源和社会保障局",
                "label": "区人力社保部门审核推荐",
            },
            {
                "order": 4,
                "office_kind": "committee",
                "organisation": "绍兴市上虞区机械电机工程师协会",
                "label": "评委会办公室资格审查并公示",
            },
        ],
        "remark": "依据 seed 001（虞人社职〔2023〕3号）：个人申报截止 2023-09-08，用人单位推荐截止 2023-09-21，"
        "资历计算至 2023-12-31。通知未载明开始时间，按印发日 2023-07-19 起；区协会与区人力社保部门为同级审核，"
        "此处按先后两个环节处理。编号为演示编号。",
    },
    {
        "number": "2024-NBZL",
        "year": 2024,
        "name": "2024年度宁波市质量技术基础专业中级专业技术职务任职资格评审申报计划",
        "committee": NB_QUALITY,
        "specialty": "quality_technology_foundation",
        "subspecialties": [
            "quality_technology_foundation_quality",
            "quality_technology_foundation_metrology",
            "quality_technology_foundation_standardization",
            "quality_technology_foundation_special_equipment",
            "quality_technology_foundation_food_quality_technology",
        ],
        "levels": ["engineer"],
        "policy_id": "nb-quality-2024",
        "start": date(2024, 8, 9),
        "last_day": date(2024, 8, 21),
        "employer_deadline": date(2024, 9, 1),
        "seniority_cutoff": date(2024, 12, 31),
        "achievements_cutoff": date(2024, 8, 21),
        "acceptance_points": ["鄞州区职称申报受理点"],
        "chain": [
            {"order": 1, "office_kind": "employer", "label": "所在单位审核", "deadline": date(2024, 9, 1)},
            {
                "order": 2,
                "office_kind": "industry_body",
                "label": "区（县、市）、开发园区市场监管／人力社保部门审核",
                "deadline": date(2024, 9, 10),
            },
            {
                "order": 3,
                "office_kind": "industry_body",
                "organisation": "宁波市市场监督管理局",
                "label": "市市场监管局审核",
            },
            {
                "order": 4,
                "office_kind": "committee",
                "organisation": "宁波市市场监督管理局",
                "label": "评委会办公室资格审查",
            },
        ],
        "remark": "依据 seed 004（甬市监组人〔2024〕187号）：网上申报截止 08-21，单位审核截止 09-01，"
        "各区（县、市）人力社保部门 09-10 前处理完毕；任职时间计算至 2024-12-31。通知未载明开始时间，"
        "按印发日 2024-08-09 起。编号为演示编号。",
    },
]

DEMO_OPEN_NUMBER = "DEMO-2024-WZJX-OPEN"
DEMO_OPEN_BEFORE, DEMO_OPEN_AFTER = 30, 60  # days around today


def demo_open_plan(today: date) -> dict[str, Any]:
    """A copy of the 2024 Wenzhou 机械 plan whose individual window contains ``today``, so the
    demo always has an open plan; it keeps the 2024 plan year and cut-off dates."""
    base = next(p for p in DEMO_PLANS if p["number"] == "2024-WZJX")
    last_day = today + timedelta(days=DEMO_OPEN_AFTER)
    employer_deadline = last_day + timedelta(days=10)
    return {
        **base,
        "number": DEMO_OPEN_NUMBER,
        "name": f"【演示·开放中】{base['name']}",
        "start": today - timedelta(days=DEMO_OPEN_BEFORE),
        "last_day": last_day,
        "employer_deadline": employer_deadline,
        "chain": _wenzhou_chain("温州市机械工程学会", "市机械工程学会", employer_deadline),
        "remark": "演示专用：复制 2024 年度温州市机械专业计划（温职改办〔2024〕12号），把个人申报时间移到今天前后，"
        "使演示中有一个正在申报的计划；计划年度、资历计算截止日（2024-12-31）和业绩截止日（2024-08-31）不变。",
    }


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


# The Wenzhou committees' expert pool (专家库): (name, title level, specialty, region, employer,
# login mobile). 刘振华 logs in as the demo expert; 陈国栋 works at 张伟's employer and 刘振华 at
# 黄志远's, so a drawn panel shows avoidance (回避) on the demo applicants.
DEMO_EXPERTS = [
    ("刘振华", "professor_engineer", "机械工程", "330300", OUJIANG, "13900000005"),
    ("陈国栋", "senior_engineer", "机械设计制造及其自动化", "330381", HUADONG, None),
    ("林海峰", "senior_engineer", "机电一体化", "330302", None, None),
    ("郑晓东", "professor_engineer", "电气工程及其自动化", "330303", None, None),
    ("王丽娟", "senior_engineer", "材料成型及控制工程", "330382", None, None),
    ("徐建明", "senior_engineer", "自动化", "330326", None, None),
]


def load_demo_experts(admin: User) -> None:
    """Put the demo experts in the pools of both Wenzhou committees (once each)."""
    from zhicheng.evaluation.models import Expert
    from zhicheng.evaluation.services.pool import expert_create

    for committee in Committee.objects.filter(name__in=[WZ_JIDIAN, WZ_JIXIE]):
        for name, level, specialty, region, employer, mobile in DEMO_EXPERTS:
            if Expert.objects.filter(committee=committee, name=name).exists():
                continue
            data = {
                "committee": committee,
                "name": name,
                "title_level": TitleLevel.objects.get(code=level),
                "specialty": specialty,
                "region": Region.objects.get(code=region),
                "employer": Organisation.objects.filter(name=employer).first() if employer else None,
                "user": User.objects.filter(mobile=mobile).first() if mobile else None,
                "is_active": True,
            }
            expert_create(actor=admin, data=data)


class Command(BaseCommand):
    help = "加载演示数据并打印各角色的演示账号。"

    def handle(self, *args, **options):
        if not Region.objects.exists():
            raise CommandError("请先运行 manage.py load_reference 加载参考数据。")
        with transaction.atomic():
            admin = self._admin()
            offices = {name: self._office(name, kind, code, level) for name, kind, code, level in OFFICES}
            committees = {
                name: self._committee(name, offices[body], spec, code) for name, body, spec, code in COMMITTEES
            }
            for name, office, code in ACCEPTANCE_POINTS:
                AcceptancePoint.objects.get_or_create(
                    name=name, defaults={"office": offices[office], "region": Region.objects.get(code=code)}
                )
            for index, row in enumerate(EMPLOYERS):
                self._employer(admin, index, *row)
            for role, name, mobile, org_name, committee_name in STAFF:
                self._staff(role, name, mobile, offices[org_name], committees.get(committee_name or ""))
            for persona in APPLICANTS:
                user = self._applicant(persona)
                if not Record.objects.filter(owner=user).exists():
                    self._archive(user, persona)
            for title, number, body in NOTICES:
                Notice.objects.get_or_create(title=title, defaults={"document_number": number, "body": body})
            for spec in [*DEMO_PLANS, demo_open_plan(date.today())]:
                self._plan(admin, spec)
            load_demo_experts(admin)
        self._print_logins()

    def _admin(self) -> User:
        admin = User.objects.filter(mobile="13900000000").first()
        if admin is None:
            admin = User.objects.create_superuser("13900000000", DEMO_PASSWORD, real_name="平台管理员")
        return admin

    def _office(self, name: str, kind: str, code: str, level: str) -> Organisation:
        office, _ = Organisation.objects.get_or_create(
            name=name,
            defaults={
                "kind": kind,
                "region": Region.objects.get(code=code),
                "admin_level": level,
                "status": Organisation.Status.APPROVED,
            },
        )
        return office

    def _committee(self, name: str, body: Organisation, specialty_code: str, code: str) -> Committee:
        committee, _ = Committee.objects.get_or_create(
            name=name,
            defaults={
                "organising_body": body,
                "specialty": Specialty.objects.filter(code=specialty_code).first(),
                "region": Region.objects.get(code=code),
            },
        )
        return committee

    def _employer(self, admin, index, name, county, nature, revenue, staff, holder_name, mobile, approved) -> None:
        if Organisation.objects.filter(name=name).exists():
            return
        employer = org_services.employer_register(
            name=name,
            uscc=make_uscc(f"91{county}MA2DEM{index:03d}"),
            county=Region.objects.get(code=county),
            nature=nature,
            annual_revenue_wan=revenue,
            staff_count=staff,
            address=f"{Region.objects.get(code=county)}工业园区{index + 1}号",
            phone="0577-88880000",
            authorisation_letter=SimpleUploadedFile("letter.pdf", MINIMAL_PDF, content_type="application/pdf"),
            holder_name=holder_name,
            holder_mobile=mobile,
            password=DEMO_PASSWORD,
        )
        if approved:
            org_services.employer_approve(actor=admin, employer=employer)

    def _staff(self, role, name, mobile, organisation, committee) -> None:
        user = User.objects.filter(mobile=mobile).first() or User.objects.create_user(
            mobile=mobile, password=DEMO_PASSWORD, real_name=name
        )
        Membership.objects.get_or_create(
            user=user, organisation=organisation, role=role, defaults={"committee": committee}
        )

    def _applicant(self, persona: Persona) -> User:
        existing = User.objects.filter(mobile=persona.mobile).first()
        if existing is not None:
            return existing
        user = account_services.applicant_register(
            real_name=persona.name,
            id_number=make_resident_id(area=persona.area, birth=persona.birth, seq=persona.seq),
            mobile=persona.mobile,
            password=DEMO_PASSWORD,
        )
        employer = Organisation.objects.get(name=persona.employer)
        account_services.profile_update(
            user=user,
            data={
                "ethnicity": "汉族",
                "political_status": "masses",
                "work_start": persona.work_start,
                "series": Series.objects.get(code="engineering"),
                "employer": employer,
                "employer_address": employer.address,
                "department": persona.department,
                "position": persona.position,
            },
        )
        return user

    def _archive(self, user: User, persona: Persona) -> None:
        """The persona's archive, made as on the pages and approved by the employer's admin."""
        archive_services.archive_import(actor=user, person=user, adapter=DemoRegistryAdapter())
        for education in Education.objects.filter(owner=user, imported=True):
            archive_services.record_update(actor=user, record=education, data={"is_relevant": True})
        for type_code, data in persona.records:
            data = dict(data)
            if type_code == "title":
                data["level"] = TitleLevel.objects.get(code=data["level"])
            if type_code == "appointment":
                data["title_level"] = TitleLevel.objects.get(code=data["title_level"])
            if type_code == "work":
                data["region"] = Region.objects.get(code=data["region"])
            evidence = SimpleUploadedFile("佐证材料.pdf", MINIMAL_PDF, content_type="application/pdf")
            archive_services.record_create(actor=user, record_type=type_code, data=data, evidence=[(evidence, PDF)])
        employer = Organisation.objects.get(name=persona.employer)
        reviewer = (
            User.objects.filter(
                memberships__organisation=employer,
                memberships__role=Role.EMPLOYER_ADMIN,
                memberships__is_active=True,
            )
            .order_by("pk")
            .first()
        )
        pending = Record.objects.filter(owner=user, status=Record.Status.PENDING).values_list("pk", flat=True)
        archive_services.records_bulk_review(actor=reviewer, record_ids=list(pending), decision="approve")

    def _plan(self, admin: User, spec: dict[str, Any]) -> None:
        """Create a demo plan once; the demo's open plan is moved when today left its window."""
        existing = Plan.objects.filter(number=spec["number"]).first()
        if existing is not None and (spec["number"] != DEMO_OPEN_NUMBER or existing.is_open()):
            return
        organisations = {o.name: o for o in Organisation.objects.exclude(kind=Organisation.Kind.EMPLOYER)}
        data = {
            "number": spec["number"],
            "year": spec["year"],
            "name": spec["name"],
            "committee": Committee.objects.get(name=spec["committee"]),
            "series": Series.objects.get(code="engineering"),
            "specialty": Specialty.objects.get(code=spec["specialty"]),
            "subspecialties": list(Subspecialty.objects.filter(code__in=spec.get("subspecialties", []))),
            "levels": list(TitleLevel.objects.filter(code__in=spec["levels"])),
            "application_types": [],
            "policy_id": spec["policy_id"],
            "acceptance_points": list(AcceptancePoint.objects.filter(name__in=spec["acceptance_points"])),
            "individual_start": start_of_day(spec["start"]),
            "individual_end": end_of_day(spec["last_day"]),
            "employer_deadline": spec["employer_deadline"],
            "seniority_cutoff": spec["seniority_cutoff"],
            "achievements_cutoff": spec["achievements_cutoff"],
            "publicity_working_days": 5,
            "remark": spec["remark"],
            "is_published": True,
        }
        stages = [
            {**stage, "organisation": organisations[stage["organisation"]] if stage.get("organisation") else None}
            for stage in spec["chain"]
        ]
        if existing is None:
            plan_services.plan_create(actor=admin, data=data, stages=stages)
        else:
            plan_services.plan_update(actor=admin, plan=existing, data=data, stages=stages)

    def _print_logins(self) -> None:
        rows = [
            ("平台管理员", "13900000000"),
            *((f"申报人 {p.name}（{p.employer}；{p.label}）", p.mobile) for p in APPLICANTS),
            ("用人单位经办人 李晓燕（瑞安市华东机械有限公司）", "13900000001"),
            ("用人单位经办人 周敏（温州瓯江电气科技有限公司）", "13900000011"),
            ("用人单位经办人 陈立（绍兴上虞精工机电制造有限公司）", "13900000021"),
            ("用人单位经办人 王芳（宁波甬诚检测技术有限公司）", "13900000031"),
            ("待审核单位经办人 吴昊（平阳县恒远机电有限公司）", "13900000009"),
            ("县级人社审核人员 王建国（瑞安市）", "13900000003"),
            ("评委会办公室 陈静（温州市机电技术协会）", "13900000004"),
            ("评审专家 刘振华", "13900000005"),
            ("市职改办 赵明", "13900000006"),
        ]
        self.stdout.write(f"演示账号（手机号登录，密码均为 {DEMO_PASSWORD}）：")
        for label, mobile in rows:
            self.stdout.write(f"  {mobile}  {label}")
