"""The self-check form: a plan form, a few single forms and one formset per profile list,
converted to and from a POLICY_API profile.

Design
------
- Every list of the profile (``education``, ``titles``, ``work`` …) is one formset whose
  prefix is the profile key and whose row form has the profile's field names, so a row maps
  to one profile entry. The exception is continuing education: one row per year with the
  three category hours, which becomes up to three entries.
- Rows left blank are skipped (a row is blank when its value fields are empty; ticked
  boxes and the pre-filled year do not count), so every section can offer empty rows.
- :meth:`SelfCheckForm.to_profile` builds the profile dict and an *origin map* from each
  profile path (``continuing_education[4]``) back to its row and field; with it
  :meth:`SelfCheckForm.apply_errors` puts each engine error (``loc`` =
  ``education[0].graduated``) beside the field the user typed it in.
- :meth:`SelfCheckForm.from_profile` is the reverse: a form pre-filled from a profile dict.
  The pasted JSON uses it, and so will "use my archive" (issue 4): build a profile from the
  archive, then ``SelfCheckForm.from_profile(profile)``.
- :meth:`SelfCheckForm.rebuilt` re-renders posted input unvalidated (unbound, pre-filled
  with the raw values), optionally with one more row in a section: the no-JS "添加一行".
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.formsets import BaseFormSet, formset_factory
from django.utils import timezone

from zhicheng.core.forms import StyledFormMixin
from zhicheng.eligibility import selectors
from zhicheng.rules import vocab

BLANK = ("", "—— 请选择 ——")
DATE_FORMAT = "%Y-%m-%d"
DATE_ERROR = "请填写真实存在的日期，格式 YYYY-MM-DD（如 2012-07-01）"
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"


def _choices(names: Mapping[Any, str], blank: bool = True) -> list[tuple[str, str]]:
    return ([BLANK] if blank else []) + [(str(key), label) for key, label in names.items()]


def not_in_future(value: date) -> None:
    today = timezone.localdate()
    if value > today:
        raise ValidationError(f"不能晚于今天（{today.isoformat()}）", code="future")


def date_field(label: str, *, required: bool = True, past: bool = False, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=[DATE_FORMAT],
        widget=forms.DateInput(format=DATE_FORMAT, attrs={"type": "date"}),
        validators=[not_in_future] if past else [],
        error_messages={"invalid": DATE_ERROR, "required": "请填写日期"},
        help_text=help_text,
    )


def month_field(label: str, *, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        empty_value=None,
        max_length=7,
        validators=[RegexValidator(MONTH_RE, "月份格式应为 YYYY-MM（如 2024-01）")],
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2024-01"}),
    )


def int_field(label: str, lo: int, hi: int, *, required: bool = True, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=lo,
        max_value=hi,
        error_messages={
            "invalid": "请填写整数",
            "min_value": f"不能小于 {lo}",
            "max_value": f"不能大于 {hi}",
            "required": "请填写",
        },
        **kwargs,
    )


def hours_field(label: str) -> forms.FloatField:
    return forms.FloatField(
        label=label,
        required=False,
        min_value=0,
        max_value=10000,
        error_messages={"invalid": "请填写学时数", "min_value": "学时不能为负数", "max_value": "学时不能超过 10000"},
        widget=forms.NumberInput(attrs={"min": "0", "step": "0.5"}),
    )


def choice_field(label: str, names: Mapping[Any, str], *, required: bool = True, coerce=str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        required=required,
        choices=_choices(names),
        coerce=coerce,
        empty_value=None,
        error_messages={"required": "请选择", "invalid_choice": "请从列表中选择"},
    )


def bool_field(label: str, initial: bool = False) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, initial=initial)


def _plain(value: Any) -> Any:
    """Form values → JSON values of the profile (ISO dates, whole numbers as int)."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == ()


# --------------------------------------------------------------------------------------
# Row forms: one per profile list


class RowForm(StyledFormMixin, forms.Form):
    """One entry of a profile list; field names are the profile's."""

    # Fields that do not make a row "filled in" (pre-filled years); check boxes never do.
    blank_ignores: ClassVar[frozenset[str]] = frozenset()
    # Optional fields left out of the entry when empty (instead of being sent as null).
    omit_empty: ClassVar[frozenset[str]] = frozenset()

    def has_changed(self) -> bool:
        """A bound row counts (is validated and converted) only when a value field is filled."""
        if not self.is_bound:
            return False
        for name, field in self.fields.items():
            if name in self.blank_ignores or isinstance(field, forms.BooleanField):
                continue
            if not _is_empty(self[name].data):
                return True
        return False

    def to_entries(self) -> list[tuple[dict[str, Any], dict[str, str]]]:
        """``[(profile entry, {profile field: form field})]`` of a valid, filled-in row."""
        entry = {}
        for name, value in self.cleaned_data.items():
            if name in self.omit_empty and _is_empty(value):
                continue
            entry[name] = _plain(value)
        return [(entry, {})]

    @classmethod
    def rows_from(cls, entries: list[Any]) -> list[tuple[dict[str, Any], list[tuple[int, dict[str, str]]]]]:
        """Profile entries → ``[(row initial, [(entry index, field map)])]``."""
        rows = []
        for i, entry in enumerate(entries):
            if not isinstance(entry, dict):
                rows.append(({}, [(i, {})]))
                continue
            initial = {k: v for k, v in entry.items() if k in cls.base_fields}
            rows.append((initial, [(i, {})]))
        return rows


class EducationRow(RowForm):
    level = choice_field("学历", vocab.EDUCATION_NAMES)
    major = forms.CharField(label="所学专业", required=False, max_length=100)
    relevant = bool_field("本专业或相近专业", initial=True)
    degree = bool_field("有学位")
    graduated = date_field("毕业时间", required=False, past=True)
    omit_empty = frozenset({"major"})


class TitleRow(RowForm):
    level = choice_field("职称级别", vocab.LEVEL_NAMES)
    relevant = bool_field("本专业或相近专业", initial=True)
    obtained = date_field("取得时间", past=True)


class SkillRow(RowForm):
    grade = choice_field("职业技能等级", vocab.SKILL_GRADE_NAMES, coerce=int)
    relevant = bool_field("相关工种", initial=True)
    obtained = date_field("取得时间", past=True)


class WorkRow(RowForm):
    start = date_field("开始日期", past=True)
    end = date_field("结束日期", required=False, help_text="至今在职请留空")
    relevant = bool_field("本专业或相近专业工作", initial=True)
    mountain_county = bool_field("在山区县")
    government = bool_field("在机关工作")


class SocialInsuranceRow(RowForm):
    start = month_field("起始月份")
    end = month_field("截止月份", required=False)
    region = forms.CharField(
        label="参保地行政区划代码",
        max_length=6,
        validators=[RegexValidator(r"^\d{6}$", "应为 6 位数字的行政区划代码（如 330302）")],
        help_text="如温州鹿城 330302、瑞安 330381、宁波海曙 330203、上虞 330604",
    )
    current_employer = bool_field("现工作单位缴纳", initial=True)


CE_CATEGORIES = ("professional", "general_public", "industry_public")


class ContinuingEducationRow(RowForm):
    """One year; becomes up to three profile entries, one per category with hours."""

    year = int_field("年度", 1900, 2200)
    professional = hours_field("专业科目学时")
    general_public = hours_field("一般公需科目学时")
    industry_public = hours_field("行业公需科目学时")
    blank_ignores = frozenset({"year"})

    def to_entries(self):
        year = self.cleaned_data["year"]
        out = []
        for category in CE_CATEGORIES:
            hours = self.cleaned_data.get(category)
            if hours is None:
                continue
            entry = {"year": year, "category": category, "hours": _plain(hours)}
            out.append((entry, {"hours": category, "category": category}))
        return out

    @classmethod
    def rows_from(cls, entries):
        by_year: dict[str, tuple[dict, list]] = {}
        odd = []
        for i, entry in enumerate(entries):
            category = entry.get("category") if isinstance(entry, dict) else None
            if category not in CE_CATEGORIES:
                odd.append(({"year": entry.get("year")} if isinstance(entry, dict) else {}, [(i, {})]))
                continue
            key = json.dumps(entry.get("year"), default=str)
            initial, origins = by_year.setdefault(key, ({"year": entry.get("year")}, []))
            hours = entry.get("hours")
            previous = initial.get(category)
            if isinstance(previous, int | float) and isinstance(hours, int | float):
                hours = previous + hours
            initial[category] = hours
            origins.append((i, {"hours": category, "category": category}))
        return list(by_year.values()) + odd


class AssessmentRow(RowForm):
    year = int_field("年度", 1900, 2200)
    result = choice_field("考核结果", vocab.ASSESSMENT_NAMES)
    blank_ignores = frozenset({"year"})


class PostRow(RowForm):
    kind = choice_field("技术职务", vocab.POST_NAMES)
    start = date_field("任职开始", past=True)
    end = date_field("任职结束", required=False, help_text="至今请留空")


def _rank(label: str = "排名") -> forms.IntegerField:
    return int_field(label, 1, 999)


class AwardRow(RowForm):
    level = choice_field("奖励级别", vocab.AWARD_LEVEL_NAMES)
    grade = choice_field("等级", vocab.GRADE_NAMES, coerce=int)
    rank = _rank()
    date = date_field("获奖时间", past=True)
    achievement = forms.CharField(label="成果名称（同一成果多次获奖请填相同名称）", required=False, max_length=100)
    omit_empty = frozenset({"achievement"})


class ProjectRow(RowForm):
    level = choice_field("项目级别", vocab.PROJECT_LEVEL_NAMES)
    rank = _rank()
    date = date_field("立项或完成时间", past=True)


class PaperRow(RowForm):
    kind = choice_field("类别", vocab.PAPER_KIND_NAMES)
    rank = _rank("作者排名")
    date = date_field("发表时间", past=True)


class PatentRow(RowForm):
    kind = choice_field("类别", vocab.PATENT_KIND_NAMES)
    rank = _rank("发明人排名")
    date = date_field("授权时间", past=True)


class StandardRow(RowForm):
    kind = choice_field("标准类别", vocab.STANDARD_KIND_NAMES)
    rank = _rank("起草人排名")
    date = date_field("发布时间", past=True)


class NewProductRow(RowForm):
    level = choice_field("新产品级别", vocab.NEW_PRODUCT_LEVEL_NAMES)
    rank = _rank()
    date = date_field("鉴定时间", past=True)


class HonourRow(RowForm):
    kind = choice_field("荣誉", vocab.HONOUR_KIND_NAMES)
    level = choice_field("授予级别", vocab.HONOUR_LEVEL_NAMES)
    year = int_field("年度", 1900, 2200)


class SkillTitleRow(RowForm):
    kind = choice_field("技能称号", vocab.SKILL_TITLE_NAMES)
    date = date_field("获得日期", required=False, past=True)
    year = int_field("或年度", 1900, 2200, required=False)
    omit_empty = frozenset({"date", "year"})

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("date") is None and data.get("year") is None and not self.errors:
            raise ValidationError("请填写获得日期或年度")
        return data


class CompetitionRow(RowForm):
    level = choice_field("竞赛级别", vocab.COMPETITION_LEVEL_NAMES)
    place = choice_field("名次", vocab.PLACE_NAMES, coerce=int)
    year = int_field("年度", 1900, 2200)


class ExpertRecommendationRow(RowForm):
    expert = forms.CharField(label="推荐专家姓名", max_length=50)
    title_level = choice_field("专家职称", {"senior_engineer": "高级工程师", "professor_engineer": "正高级工程师"})
    province = forms.CharField(label="专家所在省份", max_length=20, initial="浙江")
    relevant = bool_field("本专业或相近专业", initial=True)
    blank_ignores = frozenset({"province"})


class IntegrityRow(RowForm):
    banned_from = date_field("限制申报开始")
    banned_until = date_field("限制申报结束", required=False)


@dataclass(frozen=True)
class Section:
    key: str  # the profile list, also the formset prefix
    title: str
    form: type[RowForm]
    extra: int  # empty rows offered
    group: str
    help: str = ""


GROUPS = {
    "basic": "学历、职称与工作经历",
    "yearly": "继续教育与年度考核",
    "points": "计分项（外语、计算机、技术职务、收入）",
    "achievements": "业绩成果（任现职后取得）",
    "exceptional": "破格申报：专家推荐",
    "integrity": "诚信记录",
}

SECTIONS: tuple[Section, ...] = (
    Section(
        "education",
        "学历",
        EducationRow,
        2,
        "basic",
        "技工院校中级工班、高级工班、预备技师班分别相当于中专、大专、本科。",
    ),
    Section("titles", "已取得的专业技术资格（职称）", TitleRow, 2, "basic"),
    Section("skills", "职业技能等级", SkillRow, 1, "basic"),
    Section("work", "工作经历", WorkRow, 2, "basic", "结束日期留空表示至今。"),
    Section("social_insurance", "社会保险缴纳", SocialInsuranceRow, 1, "basic", "截止月份留空表示至今仍在缴纳。"),
    Section("continuing_education", "继续教育（每年一行）", ContinuingEducationRow, 3, "yearly"),
    Section("assessments", "年度考核", AssessmentRow, 3, "yearly"),
    Section("posts", "技术职务", PostRow, 1, "points"),
    Section("awards", "科学技术奖", AwardRow, 1, "achievements"),
    Section("projects", "科研项目", ProjectRow, 1, "achievements"),
    Section("papers", "论文著作", PaperRow, 1, "achievements"),
    Section("patents", "专利（软件著作权）", PatentRow, 1, "achievements"),
    Section("standards", "标准", StandardRow, 1, "achievements"),
    Section("new_products", "新产品", NewProductRow, 1, "achievements"),
    Section("honors", "个人荣誉", HonourRow, 1, "achievements"),
    Section("skill_titles", "技能称号", SkillTitleRow, 1, "achievements"),
    Section("competitions", "技能竞赛", CompetitionRow, 1, "achievements"),
    Section(
        "expert_recommendations",
        "专家推荐",
        ExpertRecommendationRow,
        1,
        "exceptional",
        "破格申报需由副高级及以上职称专家署名推荐。",
    ),
    Section(
        "integrity", "失信记录（如有）", IntegrityRow, 1, "integrity", "曾被记入职称评审诚信档案的，填写限制申报期。"
    ),
)
SECTION_KEYS = {s.key: s for s in SECTIONS}


class RowFormSet(BaseFormSet):
    """Every row is "extra" (may be left blank), pre-filled rows included."""

    def initial_form_count(self) -> int:
        return 0

    def total_form_count(self) -> int:
        if self.is_bound:
            return super().total_form_count()
        return len(self.initial or ()) + self.extra

    def filled_forms(self) -> list[tuple[int, RowForm]]:
        return [(i, form) for i, form in enumerate(self.forms) if form.has_changed()]


def make_formset(section: Section, data=None, initial: list[dict] | None = None, extra: int | None = None):
    cls = formset_factory(section.form, formset=RowFormSet, extra=section.extra if extra is None else extra)
    if data is not None:
        return cls(data, prefix=section.key)
    return cls(initial=initial or None, prefix=section.key)


# --------------------------------------------------------------------------------------
# The single forms


class PlanForm(StyledFormMixin, forms.Form):
    """Policy, level and the plan's dates. Choices follow the chosen policy and level."""

    policy = forms.ChoiceField(label="评价政策", error_messages={"invalid_choice": "请选择评价政策"})
    level = forms.ChoiceField(label="申报级别", error_messages={"invalid_choice": "本政策没有此级别"})
    application_type = forms.ChoiceField(
        label="申报方式",
        required=False,
        help_text="默认逐条判断全部申报方式，并列出满足的路径。",
        error_messages={"invalid_choice": "本级别没有此申报方式"},
    )
    plan_year = int_field("评审年度", 1900, 2200)
    as_of = date_field("资历计算截止日")
    deadline = date_field("个人申报截止日", required=False)
    achievements_until = date_field("业绩截止日", required=False)
    defaults_for = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, policy_id: str | None, level: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = selectors.policy_options()
        self.fields["policy"].choices = [(o["id"], f"{o['title']}（{o['document']}）") for o in options]
        chosen = next((o for o in options if o["id"] == policy_id), None)
        self.fields["level"].choices = chosen["levels"] if chosen else []
        types = selectors.application_type_options(policy_id, level)
        self.fields["application_type"].choices = [("", "全部申报方式（逐条判断）"), *types]
        for name in ("policy", "level"):
            self.fields[name].widget.attrs["data-switch-on-change"] = ""

    def to_profile(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {
            "policy": d["policy"],
            "level": d["level"],
            "application_type": d["application_type"] or None,
            "plan_year": d["plan_year"],
            "as_of": d["as_of"].isoformat(),
        }
        for name in ("deadline", "achievements_until"):
            if d.get(name):
                out[name] = d[name].isoformat()
        return out


PLAN_KEYS = ("policy", "level", "application_type", "plan_year", "as_of", "deadline", "achievements_until")


class PersonForm(StyledFormMixin, forms.Form):
    birth_date = date_field("出生日期", required=False, past=True)
    gender = choice_field("性别", vocab.GENDER_NAMES, required=False)
    employer_kind = choice_field("单位性质", vocab.EMPLOYER_KIND_NAMES, required=False)
    employer_size = choice_field("企业规模", vocab.EMPLOYER_SIZE_NAMES, required=False)

    def to_profile(self) -> dict[str, Any]:
        return {k: _plain(v) for k, v in self.cleaned_data.items() if not _is_empty(v)}


class BasicsForm(StyledFormMixin, forms.Form):
    language = forms.ChoiceField(label="外语", choices=_choices(vocab.LANGUAGE_NAMES, blank=False), initial="none")
    computer_modules = int_field("计算机应用能力合格模块数", 0, 99, required=False, initial=0)
    income_over_120k = bool_field("年工资薪金收入 12 万元以上（有完税证明）")
    other_points = forms.FloatField(
        label="其他能体现业绩能力的内容（评议专家认定，0—5 分）",
        required=False,
        min_value=0,
        max_value=5,
        initial=0,
        error_messages={"invalid": "请填写数字", "min_value": "不能小于 0", "max_value": "不能大于 5"},
    )

    def to_profile(self) -> dict[str, Any]:
        d = self.cleaned_data
        out: dict[str, Any] = {
            "language": d["language"],
            "computer_modules": d.get("computer_modules") or 0,
            "income_over_120k": bool(d.get("income_over_120k")),
        }
        if d.get("other_points"):
            out["other_points"] = _plain(d["other_points"])
        return out


BASIC_KEYS = ("language", "computer_modules", "income_over_120k", "other_points")


class ClaimsForm(StyledFormMixin, forms.Form):
    claims = forms.MultipleChoiceField(
        label="申报人声明的条件（需提交佐证材料，由评审核实）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "本级别没有此条件：%(value)s"},
    )

    def __init__(self, *args: Any, policy_id: str | None, level: str | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.groups = selectors.claim_options(policy_id, level)
        self.fields["claims"].choices = self.groups

    @property
    def known(self) -> set[str]:
        return {cid for _heading, items in self.groups for cid, _label in items}


class PasteForm(StyledFormMixin, forms.Form):
    """The advanced path: a whole POLICY_API profile as JSON."""

    profile_json = forms.CharField(
        label="档案 JSON",
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false", "class": "font-monospace"}),
        help_text="格式同《评估接口》POST /api/v1/policy/evaluate 的请求体。",
        error_messages={"required": "请粘贴档案 JSON"},
    )

    def clean_profile_json(self) -> dict[str, Any]:
        text = self.cleaned_data["profile_json"]
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValidationError(
                f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有误（{_json_reason(error.msg)}）"
            ) from None
        if not isinstance(data, dict):
            raise ValidationError("档案应为 JSON 对象，即以 { 开头、以 } 结尾")
        return data


def _json_reason(msg: str) -> str:
    reasons = {
        "Expecting value": "缺少值",
        "Expecting property name enclosed in double quotes": "键名须用英文双引号",
        "Expecting ',' delimiter": "缺少逗号",
        "Expecting ':' delimiter": "缺少冒号",
        "Extra data": "结尾有多余内容",
        "Unterminated string starting at": "字符串缺少结束引号",
        "Invalid control character at": "字符串中有非法控制字符",
    }
    return reasons.get(msg, msg)


# --------------------------------------------------------------------------------------
# The whole self-check form


LOC_RE = re.compile(r"^(?P<key>[A-Za-z_]+)(?:\[(?P<index>\d+)\])?(?:\.(?P<field>[A-Za-z_]+))?")
Origins = dict[str, tuple[str, int, dict[str, str]]]  # "education[0]" → (section, row, {field: form field})


def _raw_values(form: forms.Form) -> dict[str, Any]:
    """The form's values as typed (bound) or pre-filled (unbound), without validating."""
    return {name: form[name].value() for name in form.fields}


class SelfCheckForm:
    """The self-check's forms together. Build it with :meth:`bound`, :meth:`blank` or
    :meth:`from_profile`; ``sections`` is ``[(group key, group title, [(Section, formset)])]``
    for the template."""

    def __init__(
        self,
        *,
        data: Mapping[str, Any] | None = None,
        plan: dict[str, Any] | None = None,
        person: dict[str, Any] | None = None,
        basics: dict[str, Any] | None = None,
        claims: list[str] | None = None,
        rows: dict[str, list[dict]] | None = None,
        extra: dict[str, int] | None = None,
        origins: Origins | None = None,
    ) -> None:
        self.is_bound = data is not None
        if self.is_bound:
            policy_id, level = data.get("policy"), data.get("level")
        else:
            plan = plan or {}
            policy_id, level = plan.get("policy"), plan.get("level")
        self.policy_id, self.level = policy_id, level
        self.plan = PlanForm(data, initial=plan, policy_id=policy_id, level=level)
        self.person = PersonForm(data, initial=person, prefix="person")
        self.basics = BasicsForm(data, initial=basics, prefix="basic")
        self.claims = ClaimsForm(
            data, initial={"claims": claims or []}, prefix="claims", policy_id=policy_id, level=level
        )
        self.formsets: dict[str, RowFormSet] = {}
        for s in SECTIONS:
            if self.is_bound:
                self.formsets[s.key] = make_formset(s, data=data)
            else:
                rows_of = (rows or {}).get(s.key, [])
                blanks = (extra or {}).get(s.key)
                if blanks is None:
                    blanks = s.extra if not rows_of else 1
                self.formsets[s.key] = make_formset(s, initial=rows_of, extra=blanks)
        self.origins: Origins = origins or {}
        self.errors: list[dict[str, str]] = []  # errors no field could hold

    # ---- construction

    @classmethod
    def bound(cls, data: Mapping[str, Any]) -> SelfCheckForm:
        return cls(data=data)

    @classmethod
    def blank(cls, policy_id: str | None = None, level: str | None = None) -> SelfCheckForm:
        """An empty form for ``policy_id`` and ``level`` with the plan's default dates, and
        the CE and assessment years the plan asks about pre-filled."""
        options = selectors.policy_options()
        default_policy, default_level = selectors.default_policy_and_level(options)
        chosen = next((o for o in options if o["id"] == policy_id), None)
        if chosen is None:
            policy_id, level = default_policy, default_level
            chosen = next((o for o in options if o["id"] == policy_id), None)
        levels = [lv for lv, _label in chosen["levels"]] if chosen else []
        if level not in levels:
            level = (
                selectors.PREFERRED_LEVEL if selectors.PREFERRED_LEVEL in levels else (levels[0] if levels else None)
            )
        plan = cls.plan_initial(policy_id, level)
        year = plan["plan_year"]
        rows = {
            "continuing_education": [{"year": y} for y in range(year - 2, year + 1)],
            "assessments": [{"year": y} for y in range(year - 3, year)],
        }
        return cls(plan=plan, rows=rows, extra={"continuing_education": 0, "assessments": 0})

    @staticmethod
    def plan_initial(policy_id: str | None, level: str | None) -> dict[str, Any]:
        d = selectors.plan_defaults(policy_id)
        return {
            "policy": policy_id,
            "level": level,
            "application_type": "",
            "plan_year": d.plan_year,
            "as_of": d.as_of,
            "deadline": d.deadline,
            "achievements_until": d.achievements_until,
            "defaults_for": policy_id,
        }

    @classmethod
    def from_profile(cls, profile: Mapping[str, Any]) -> SelfCheckForm:
        """A form pre-filled from a profile dict (POLICY_API), e.g. a pasted JSON or — for
        "use my archive" — a profile built from the applicant's records. Values are shown as
        given, even invalid ones, so errors can be put beside them."""
        plan = {k: profile.get(k) for k in PLAN_KEYS if profile.get(k) is not None}
        plan["application_type"] = profile.get("application_type") or ""
        plan["defaults_for"] = profile.get("policy")
        person = profile.get("person") if isinstance(profile.get("person"), dict) else {}
        basics = {k: profile[k] for k in BASIC_KEYS if k in profile}
        claims = [c for c in profile.get("claims") or [] if isinstance(c, str)]
        rows: dict[str, list[dict]] = {}
        origins: Origins = {}
        for s in SECTIONS:
            entries = profile.get(s.key)
            if not isinstance(entries, list):
                continue
            section_rows = []
            for row_index, (initial, sources) in enumerate(s.form.rows_from(entries)):
                section_rows.append(initial)
                for entry_index, fieldmap in sources:
                    origins[f"{s.key}[{entry_index}]"] = (s.key, row_index, fieldmap)
            rows[s.key] = section_rows
        return cls(plan=plan, person=person, basics=basics, claims=claims, rows=rows, origins=origins)

    def rebuilt(self, add_row: str | None = None, switch: bool = False) -> SelfCheckForm:
        """The posted input again, unvalidated and pre-filled: nothing typed is lost.

        ``add_row`` adds one empty row to that section ("添加一行"). ``switch`` follows a change
        of policy or level: the plan dates take the new policy's defaults, claims of other
        levels are dropped.
        """
        plan = _raw_values(self.plan)
        if switch:
            policy_id = plan.get("policy")
            options = selectors.policy_options()
            chosen = next((o for o in options if o["id"] == policy_id), None)
            levels = [lv for lv, _label in chosen["levels"]] if chosen else []
            level = plan.get("level")
            if level not in levels:
                level = selectors.PREFERRED_LEVEL if selectors.PREFERRED_LEVEL in levels else next(iter(levels), None)
            if plan.get("defaults_for") != policy_id:
                plan = self.plan_initial(policy_id, level)
            else:
                plan["level"] = level
                types = {t for t, _n in selectors.application_type_options(policy_id, level)}
                if plan.get("application_type") not in types:
                    plan["application_type"] = ""
            known = {cid for _h, items in selectors.claim_options(policy_id, level) for cid, _l in items}
        else:
            known = None
        claims = [c for c in (self.claims["claims"].value() or []) if known is None or c in known]
        rows = {s.key: [_raw_values(f) for f in self.formsets[s.key].forms] for s in SECTIONS}
        extra = {s.key: (1 if s.key == add_row else 0) for s in SECTIONS}
        return SelfCheckForm(
            plan=plan,
            person=_raw_values(self.person),
            basics=_raw_values(self.basics),
            claims=claims,
            rows=rows,
            extra=extra,
        )

    # ---- validation and conversion

    @property
    def single_forms(self) -> list[forms.Form]:
        return [self.plan, self.person, self.basics, self.claims]

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in self.single_forms] + [fs.is_valid() for fs in self.formsets.values()]
        return all(results)

    def to_profile(self) -> dict[str, Any]:
        """The POLICY_API profile of a valid form; fills :attr:`origins` for :meth:`apply_errors`."""
        profile = self.plan.to_profile()
        person = self.person.to_profile()
        if person:
            profile["person"] = person
        origins: Origins = {}
        for s in SECTIONS:
            entries = []
            for row_index, form in self.formsets[s.key].filled_forms():
                for entry, fieldmap in form.to_entries():
                    origins[f"{s.key}[{len(entries)}]"] = (s.key, row_index, fieldmap)
                    entries.append(entry)
            if entries:
                profile[s.key] = entries
        profile.update(self.basics.to_profile())
        claims = self.claims.cleaned_data.get("claims") or []
        if claims:
            profile["claims"] = list(claims)
        self.origins = origins
        return profile

    def apply_errors(self, errors: list[dict[str, str]]) -> None:
        """Put each engine error (``{"loc": "education[0].graduated", "msg": …}``) beside its
        field; what fits no field is kept in :attr:`errors` (shown above the form)."""
        for error in errors:
            if not self._place(error.get("loc") or "", error.get("msg") or ""):
                self.errors.append(error)

    def _place(self, loc: str, msg: str) -> bool:
        match = LOC_RE.match(loc)
        if not match:
            return False
        key, index, field = match["key"], match["index"], match["field"]
        if key in PLAN_KEYS and index is None:
            return _add(self.plan, key, msg)
        if key == "person" and field:
            return _add(self.person, field, msg)
        if key in BASIC_KEYS:
            return _add(self.basics, key, msg)
        if key == "claims":
            return _add(self.claims, "claims", msg)
        if key in SECTION_KEYS and index is not None:
            origin = self.origins.get(f"{key}[{index}]")
            if origin is None:
                return False
            section, row, fieldmap = origin
            forms_ = self.formsets[section].forms
            if row >= len(forms_):
                return False
            form = forms_[row]
            name = fieldmap.get(field, field) if field else None
            if name and name in form.fields:
                return _add(form, name, msg)
            label = f"{field}：" if field else ""
            return _add(form, None, label + msg)
        return False

    # ---- for the template

    @property
    def sections(self) -> list[tuple[str, str, list[tuple[Section, RowFormSet]]]]:
        out = []
        for group, title in GROUPS.items():
            members = [(s, self.formsets[s.key]) for s in SECTIONS if s.group == group]
            out.append((group, title, members))
        return out


def _add(form: forms.Form, field: str | None, msg: str) -> bool:
    """``form.add_error`` that also works on an unbound (pre-filled) form."""
    if field is not None and field not in form.fields:
        return False
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}
    if form._errors is None:
        form._errors = forms.utils.ErrorDict()
    form.add_error(field, ValidationError(msg))
    if field is not None:
        widget = form.fields[field].widget
        if "is-invalid" not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
    return True
