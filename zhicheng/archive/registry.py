"""The record types of the archive (seed 003 §五.3), in the order the applicant sees them.

Views, forms and templates are generic over this registry: one list/add/edit/detail view
serves every type. Each entry names its model, whether the type is required before an
application, whether a record needs evidence, and the evidence hint of the real platform's
guide (seed 003), shown beside the upload field.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from zhicheng.archive import models as m


class UnknownRecordType(LookupError):
    pass


SECTIONS: tuple[tuple[str, str], ...] = (
    ("required", "必填项"),
    ("achievement", "业绩成果（非必填，有的如实填报）"),
    ("person", "资格与经历（非必填，有的如实填报）"),
)


@dataclass(frozen=True)
class RecordType:
    code: str
    model: type[m.Record]
    section: str
    evidence_hint: str
    required: bool = False
    evidence_required: bool = True

    @property
    def label(self) -> str:
        return str(self.model._meta.verbose_name)

    @cached_property
    def form_class(self) -> Any:
        from zhicheng.archive.forms import record_form_for

        return record_form_for(self)

    @property
    def field_names(self) -> list[str]:
        """The type's own editable fields, in declaration order."""
        return [f.name for f in self.model._meta.local_fields if f.editable and not f.primary_key]


_TYPES: tuple[RecordType, ...] = (
    # 必填项
    RecordType(
        "education",
        m.Education,
        "required",
        "大专及以上：《教育部学历证书电子注册备案表》（注意不是在线验证报告）+ 毕业证书原件，合并为一个 PDF；"
        "高中、中专：毕业证书原件（遗失的请学校出具证明）；2001 年以前毕业的：《高校毕业生登记表》扫描件，"
        "没有的在学信网做学历认证；国外学历学位：教育部留学服务中心出具的认证书。",
        required=True,
    ),
    RecordType(
        "work",
        m.WorkHistory,
        "required",
        "起止时间、工作单位须与劳动合同、社保缴纳记录一致。劳动合同书（遗失的可用单位出具的工作证明代替）；"
        "有行政职务的另附单位的行政任命文件，合并为一个 PDF。在山区26县工作的，"
        "另附用人单位出具并加盖公章的山区县工作经历专项证明。",
        required=True,
    ),
    RecordType(
        "continuing_education",
        m.ContinuingEducation,
        "required",
        "全部学时齐了再上传。按每年的一般公需、行业公需、专业科目分别填写，学习情况填“合格”。"
        "佐证：继续教育网学时统计表（带本人姓名的截图）+ 学时卡，合并为一个 PDF；学时卡不齐的附 2 张学时卡。",
        required=True,
    ),
    RecordType(
        "assessment",
        m.AnnualAssessment,
        "required",
        "单位自制的《年度考核表》；没有的由单位按模板出具考核证明并盖章。一年一份，需近 3 年（不含当年）。",
        required=True,
    ),
    # 业绩成果
    RecordType(
        "academic_post", m.AcademicPost, "achievement", "根据实际情况填报，无需上传佐证材料。", evidence_required=False
    ),
    RecordType("award", m.Award, "achievement", "奖励授予单位出具的获奖证书、获奖文件。"),
    RecordType("honour", m.Honour, "achievement", "荣誉授予单位出具的荣誉证书或文件，填报内容须与佐证材料一致。"),
    RecordType(
        "research_project",
        m.ResearchProject,
        "achievement",
        "项目合同或立项文件（须包含本人在项目中的排名）；已结题的另附立项单位出具的结题验收证明。",
    ),
    RecordType(
        "engineering_project",
        m.EngineeringProject,
        "achievement",
        "工作单位自行立项实施的工程技术项目：立项及完成情况的证明（须体现本人排名）。",
    ),
    RecordType(
        "paper",
        m.Paper,
        "achievement",
        "封面页、目录页（标记本人姓名）、文章页，合并为一个 PDF；出版社的论文录用证明不能作为有效依据。",
    ),
    RecordType("book", m.Book, "achievement", "著作封面页、目录页、图书在版编目（CIP）数据页，合并为一个 PDF。"),
    RecordType("patent", m.Patent, "achievement", "专利证书或软件著作权登记证书。"),
    RecordType("standard", m.Standard, "achievement", "各级主管部门出具的标准文本、标准公布文件等有效证明。"),
    RecordType(
        "adoption",
        m.ResultAdoption,
        "achievement",
        "技术创新、技术改造等成果为企业创造经济效益和社会效益的情况，企业出具的有效证明。",
    ),
    RecordType(
        "qualification",
        m.QualificationCertificate,
        "achievement",
        "执业资格等证书的扫描件（不含职称证书）；长期有效的“有效期至”请留空。",
    ),
    RecordType("reward_punishment", m.RewardPunishment, "achievement", "单位盖章的表彰奖励或处理惩戒文件、通知。"),
    RecordType("new_product", m.NewProduct, "achievement", "新产品认定证书或公布文件。"),
    RecordType("competition", m.Competition, "achievement", "竞赛获奖证书或主办单位的公布文件。"),
    RecordType("skill_title", m.SkillTitle, "achievement", "称号证书或授予文件。"),
    # 资格与经历
    RecordType("title", m.TitleHeld, "person", "职称证书，或评审（认定）通过的文件。"),
    RecordType("skill_grade", m.SkillGradeCertificate, "person", "职业资格证书或职业技能等级证书。"),
    RecordType("appointment", m.Appointment, "person", "单位的聘任文件或聘书。"),
    RecordType("language", m.LanguageCertificate, "person", "外语等级证书或职称外语考试合格证。"),
    RecordType("computer", m.ComputerCertificate, "person", "计算机应用能力考试各模块的合格证。"),
    RecordType(
        "social_insurance",
        m.SocialInsurance,
        "person",
        "省内社保缴纳记录可由人社系统自动提取；省外参保的，请上传参保地社保机构出具的缴纳证明。",
    ),
    RecordType("tech_post", m.TechnicalPost, "person", "单位出具的技术负责人任命文件。"),
    RecordType("income", m.IncomeCertificate, "person", "税务机关出具的个人所得税纳税记录（完税证明）。"),
)

RECORD_TYPES: dict[str, RecordType] = {t.code: t for t in _TYPES}
_BY_MODEL: dict[type[m.Record], RecordType] = {t.model: t for t in _TYPES}


def get_type(code: str) -> RecordType:
    try:
        return RECORD_TYPES[code]
    except KeyError:
        raise UnknownRecordType(code) from None


def type_of_model(model: type[m.Record]) -> RecordType:
    return _BY_MODEL[model]


def all_types() -> tuple[RecordType, ...]:
    return _TYPES


def required_types() -> tuple[RecordType, ...]:
    return tuple(t for t in _TYPES if t.required)


def types_in_section(section: str) -> tuple[RecordType, ...]:
    return tuple(t for t in _TYPES if t.section == section)


def display_value(obj: Any, name: str) -> str:
    """A field's value as a person reads it: choice labels, 是/否, dates, “至今” for open ends."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if field.choices:
        return str(getattr(obj, f"get_{name}_display")())
    if isinstance(field, m.models.BooleanField):
        return "是" if value else "否"
    if value is None or value == "":
        if name in ("end_date", "end_month"):
            return "至今"
        if name == "valid_until":
            return "长期有效"
        return "—"
    if name in ("start_month", "end_month"):
        return value.strftime("%Y-%m")
    if isinstance(field, m.models.DateField):
        return value.strftime("%Y-%m-%d")
    return str(value)


def field_rows(obj: Any, names: list[str] | tuple[str, ...]) -> list[tuple[str, str]]:
    return [(str(obj._meta.get_field(n).verbose_name), display_value(obj, n)) for n in names]
