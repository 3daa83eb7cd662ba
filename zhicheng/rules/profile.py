"""The input of the engine: a profile (POLICY_API.md), validated strictly.

Unknown keys, wrong JSON types (``"60"`` for a number, ``1`` for a boolean), impossible dates,
negative hours and out-of-range grades or ranks are errors naming the field path. Lists may be
empty or absent. Checks that need the policy (is the level offered? the application type?)
run after the shape is known to be right.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PrivateAttr, ValidationError
from pydantic_core import PydanticCustomError

from .errors import ProfileError, format_loc, zh_message
from .loader import _cache, available_policy_ids, load_policy
from .memo import Memo
from .vocab import (
    ApplicationType,
    AssessmentResult,
    AwardLevel,
    CECategory,
    CompetitionLevel,
    EducationLevel,
    EmployerKind,
    EmployerSize,
    Gender,
    HonourKind,
    HonourLevel,
    Language,
    Level,
    NewProductLevel,
    PaperKind,
    PatentKind,
    PostKind,
    ProjectLevel,
    SkillTitleKind,
    StandardKind,
    TitleLevel,
)

# Dates are immutable and profiles share many (the plan's dates, common start dates): each
# distinct date string is parsed once.
_dates = Memo()


def _parse_date(value: Any) -> date:
    if value.__class__ is str:
        day = _dates.get(value)
        if day is not None:
            return day
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return _dates.put(value, date.fromisoformat(value))  # strict about digits in this shape
            except ValueError as exc:
                if "isoformat" not in str(exc):
                    raise PydanticCustomError("date_impossible", "日期不存在：{value}", {"value": value}) from None
        raise PydanticCustomError("date_format", "日期格式应为 YYYY-MM-DD（如 2024-12-31）")
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    raise PydanticCustomError("date_type", "应为 YYYY-MM-DD 格式的日期字符串")


IsoDate = Annotated[date, BeforeValidator(_parse_date)]
Month = Annotated[str, Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
Year = Annotated[int, Field(ge=1900, le=2200)]
Rank = Annotated[int, Field(ge=1, le=999)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Person(_Model):
    birth_date: IsoDate | None = None
    gender: Gender | None = None
    employer_kind: EmployerKind | None = None
    employer_size: EmployerSize | None = None


class Education(_Model):
    level: EducationLevel
    major: str | None = None
    relevant: bool
    degree: bool = False
    graduated: IsoDate | None = None


class Title(_Model):
    level: TitleLevel
    relevant: bool
    obtained: IsoDate


class Skill(_Model):
    grade: Annotated[int, Field(ge=1, le=5)]
    relevant: bool
    obtained: IsoDate


class Work(_Model):
    start: IsoDate
    end: IsoDate | None = None
    relevant: bool
    mountain_county: bool = False
    government: bool = False


class SocialInsurance(_Model):
    start: Month
    end: Month | None = None
    region: Annotated[str, Field(pattern=r"^\d{6}$")]
    current_employer: bool = False


class ContinuingEducation(_Model):
    """Frozen: entries alike are validated once and their model shared between profiles
    (see :func:`_with_shared_entries`)."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    year: Year
    category: CECategory
    hours: Annotated[float, Field(ge=0, le=10000, allow_inf_nan=False)]


class Assessment(_Model):
    """Frozen and shared, like :class:`ContinuingEducation`."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    year: Year
    result: AssessmentResult


class Post(_Model):
    kind: PostKind
    start: IsoDate
    end: IsoDate | None = None


class Award(_Model):
    level: AwardLevel
    grade: Annotated[int, Field(ge=1, le=3)]
    rank: Rank
    date: IsoDate
    achievement: str | None = None


class Project(_Model):
    level: ProjectLevel
    rank: Rank
    date: IsoDate


class Paper(_Model):
    kind: PaperKind
    rank: Rank
    date: IsoDate


class Patent(_Model):
    kind: PatentKind
    rank: Rank
    date: IsoDate


class Standard(_Model):
    kind: StandardKind
    rank: Rank
    date: IsoDate


class NewProduct(_Model):
    level: NewProductLevel
    rank: Rank
    date: IsoDate


class Honour(_Model):
    kind: HonourKind
    level: HonourLevel
    year: Year


class SkillTitle(_Model):
    """A skill title (技能称号); dated by ``date`` or, failing that, by ``year``."""

    kind: SkillTitleKind
    year: Year | None = None
    date: IsoDate | None = None


class Competition(_Model):
    level: CompetitionLevel
    place: Annotated[int, Field(ge=1, le=3)]
    year: Year


class ExpertRecommendation(_Model):
    expert: Annotated[str, Field(min_length=1)]
    title_level: TitleLevel
    province: str
    relevant: bool


class Integrity(_Model):
    banned_from: IsoDate
    banned_until: IsoDate | None = None


class Profile(_Model):
    """A validated profile. Build it with :func:`validate_profile`."""

    _checked: bool = PrivateAttr(default=False)  # the policy-dependent checks passed

    policy: str
    level: Level
    application_type: ApplicationType | None = None
    plan_year: Year
    as_of: IsoDate
    deadline: IsoDate | None = None
    achievements_until: IsoDate | None = None
    person: Person = Field(default_factory=Person)
    education: list[Education] = Field(default_factory=list)
    titles: list[Title] = Field(default_factory=list)
    skills: list[Skill] = Field(default_factory=list)
    work: list[Work] = Field(default_factory=list)
    social_insurance: list[SocialInsurance] = Field(default_factory=list)
    continuing_education: list[ContinuingEducation] = Field(default_factory=list)
    assessments: list[Assessment] = Field(default_factory=list)
    language: Language = "none"
    computer_modules: Annotated[int, Field(ge=0, le=99)] = 0
    posts: list[Post] = Field(default_factory=list)
    income_over_120k: bool = False
    awards: list[Award] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)
    papers: list[Paper] = Field(default_factory=list)
    patents: list[Patent] = Field(default_factory=list)
    standards: list[Standard] = Field(default_factory=list)
    new_products: list[NewProduct] = Field(default_factory=list)
    honors: list[Honour] = Field(default_factory=list)
    skill_titles: list[SkillTitle] = Field(default_factory=list)
    competitions: list[Competition] = Field(default_factory=list)
    other_points: Annotated[float, Field(ge=0, le=5, allow_inf_nan=False)] = 0
    expert_recommendations: list[ExpertRecommendation] = Field(default_factory=list)
    claims: list[str] = Field(default_factory=list)
    integrity: list[Integrity] = Field(default_factory=list)


_PATTERN_MESSAGES = {
    "region": "应为 6 位数字的行政区划代码（如 330302）",
    "start": "月份格式应为 YYYY-MM（如 2024-01）",
    "end": "月份格式应为 YYYY-MM（如 2024-01）",
}


def _shape_errors(exc: ValidationError) -> list[dict[str, str]]:
    out = []
    for err in exc.errors():
        loc = err["loc"]
        msg = zh_message(err)
        if err["type"] == "string_pattern_mismatch" and loc and loc[-1] in _PATTERN_MESSAGES:
            msg = _PATTERN_MESSAGES[str(loc[-1])]
        out.append({"loc": format_loc(loc), "msg": msg})
    return out


_ORDERED = (
    ("work", "start", "end", "结束日期早于开始日期"),
    ("posts", "start", "end", "结束日期早于开始日期"),
    ("social_insurance", "start", "end", "结束月份早于开始月份"),
    ("integrity", "banned_from", "banned_until", "限制结束日期早于开始日期"),
)


def _order_errors(p: Profile) -> list[dict[str, str]]:
    """Checks across fields, each error located at the later field."""
    errors = []
    for name, first, last, message in _ORDERED:
        for i, item in enumerate(getattr(p, name)):
            a, b = getattr(item, first), getattr(item, last)
            if b is not None and b < a:
                errors.append({"loc": f"{name}[{i}].{last}", "msg": message})
    for i, t in enumerate(p.skill_titles):
        if t.year is None and t.date is None:
            errors.append({"loc": f"skill_titles[{i}]", "msg": "需提供获得日期 date 或年份 year"})
    if len(p.assessments) > 1:
        seen: dict[int, int] = {}
        for i, a in enumerate(p.assessments):
            if a.year in seen:
                other = f"assessments[{seen[a.year]}]"
                errors.append({"loc": f"assessments[{i}].year", "msg": f"{a.year} 年度考核重复（另见 {other}）"})
            seen.setdefault(a.year, i)
    return errors


def _policy_errors(p: Profile) -> list[dict[str, str]]:
    if p.policy not in _cache and p.policy not in (ids := available_policy_ids()):
        return [{"loc": "policy", "msg": f"未知政策 {p.policy!r}，可选：{'、'.join(ids) or '（无）'}"}]
    policy = load_policy(p.policy)
    level = policy.levels.get(p.level)
    if level is None:
        offered = "、".join(policy.levels)
        return [{"loc": "level", "msg": f"政策 {p.policy} 不含级别 {p.level!r}，可选：{offered}"}]
    if p.application_type is not None and p.application_type not in level.application_types:
        offered = "、".join(level.application_types)
        return [
            {
                "loc": "application_type",
                "msg": f"政策 {p.policy} 的{level.label}没有申报方式 {p.application_type!r}，可选：{offered} 或 null",
            }
        ]
    return []


# Continuing-education and assessment entries make up most of a profile's entries, and across
# applicants take few distinct values (a year, a category or a result, whole hours): each
# distinct entry is validated once and its frozen model shared by every profile that has it.
_SHARED_ENTRIES = {
    "continuing_education": (ContinuingEducation, Memo(limit=2048)),
    "assessments": (Assessment, Memo(limit=2048)),
}


def _shared_entry(model: type[_Model], memo: Memo, item: Any) -> Any:
    """The model shared by the entries alike ``item`` (validated when the first is seen), or
    ``item`` itself — when it is invalid, or not a dict of exact ints and strs — for the
    profile's validation to handle as before.

    Alike means the same keys in the same order and equal values. Values other than ints and
    strs are left out: ``True == 1`` and ``0.0 == -0.0``, yet they do not validate alike.
    """
    if item.__class__ is not dict:
        return item
    for value in item.values():
        if value.__class__ is not int and value.__class__ is not str:
            return item
    key = tuple(item.items())
    entry = memo.get(key)
    if entry is None:
        try:
            entry = memo.put(key, model.model_validate(item))
        except ValidationError:
            return item
    return entry


def _with_shared_entries(data: dict) -> dict:
    """``data`` with its continuing-education and assessment entries replaced by shared models
    where they are valid. The profile's validation accepts a model instance as it is, and
    reports any other entry exactly as it would have."""
    shared = None
    for name, (model, memo) in _SHARED_ENTRIES.items():
        items = data.get(name)
        if items.__class__ is list and items:
            if shared is None:
                shared = dict(data)
            shared[name] = [_shared_entry(model, memo, item) for item in items]
    return data if shared is None else shared


def validate_profile(data: dict | Profile) -> Profile:
    """Validate a profile (a dict decoded from JSON) and return it as a :class:`Profile`.

    Raises :class:`ProfileError` with every problem found, each naming its field path.
    """
    if isinstance(data, Profile):
        # ``data._checked``, read directly: pydantic's ``__getattr__`` for private attributes
        # costs several microseconds, a noticeable share of an evaluation.
        if data.__pydantic_private__["_checked"]:
            return data
        profile = data
    else:
        if not isinstance(data, dict):
            raise ProfileError([{"loc": "", "msg": "档案应为 JSON 对象"}])
        try:
            profile = Profile.model_validate(_with_shared_entries(data))
        except ValidationError as exc:
            raise ProfileError(_shape_errors(exc)) from None
    errors = _policy_errors(profile) + _order_errors(profile)
    if errors:
        raise ProfileError(errors)
    profile.__pydantic_private__["_checked"] = True  # as read above: no pydantic ``__setattr__``
    return profile
