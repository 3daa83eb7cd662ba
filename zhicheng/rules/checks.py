"""General checks of a level: assessment, continuing education, social insurance,
retirement, integrity — their schema and their evaluation.

Each compiled check's ``evaluate(facts)`` returns the result dict of POLICY_API.md
(``id, met, clause, label, expected, actual`` and ``missing`` when unmet).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from . import dates
from .memo import Memo
from .vocab import ASSESSMENT_NAMES, ASSESSMENT_RANK, GENDER_NAMES, ApplicationType, AssessmentResult, Level, num


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    clause: str
    label: str


def _result(check, met: bool, expected: str, actual: str, missing: str | None) -> dict:
    d = {
        "id": check.id,
        "met": met,
        "clause": check.clause,
        "label": check.label,
        "expected": expected,
        "actual": actual,
    }
    if not met:
        d["missing"] = missing or f"不符合：{expected}"
    return d


# ---- annual assessment


class AssessmentSpec(_Spec):
    """Each of the ``years`` years before the plan year rated ``min_result`` or better."""

    years: Annotated[int, Field(ge=1, le=10)] = 3
    min_result: AssessmentResult = "pass"


class AssessmentCheck:
    id = "assessment"

    def __init__(self, spec: AssessmentSpec):
        self.clause, self.label, self.years = spec.clause, spec.label, spec.years
        self.min_rank = ASSESSMENT_RANK[spec.min_result]
        self.min_name = ASSESSMENT_NAMES[spec.min_result]
        self.memo = Memo()

    def describe(self) -> str:
        return f"申报年度前 {self.years} 年的年度考核均为{self.min_name}（称职）及以上"

    def evaluate(self, f) -> dict:
        first = f.plan_year - self.years
        by_year = {a.year: a.result for a in f.p.assessments}
        key = (first, *(by_year.get(y) for y in range(first, f.plan_year)))
        explained = self.memo.get(key)
        if explained is None:
            explained = self.memo.put(key, self._explain(first, f.plan_year - 1, by_year))
        return _result(self, *explained)

    def _explain(self, first: int, last: int, by_year: dict) -> tuple:
        parts, problems = [], []
        for year in range(first, last + 1):
            result = by_year.get(year)
            if result is None:
                parts.append(f"{year} 年无记录")
                problems.append(f"缺少 {year} 年度考核结果")
            else:
                parts.append(f"{year} 年{ASSESSMENT_NAMES[result]}")
                if ASSESSMENT_RANK[result] < self.min_rank:
                    problems.append(f"{year} 年度考核为{ASSESSMENT_NAMES[result]}")
        expected = f"{first}—{last} 年度考核均为{self.min_name}（称职）及以上"
        return not problems, expected, "、".join(parts), "；".join(problems)


# ---- continuing education


class Hours(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    total: Annotated[float, Field(ge=0)]
    professional: Annotated[float, Field(ge=0)] = 0
    public: Annotated[float, Field(ge=0)] = 0


class CESpec(_Spec):
    """Continuing education over the last N years up to and including the plan year.

    ``mode: each_year`` — every one of those years reaches ``min_hours``;
    ``mode: total`` — the years together reach ``min_hours``.
    N is ``years``, or — when it depends on the route — ``years_by_type[level][application_type]``,
    and the check is then listed in each route's checks.
    """

    mode: Literal["each_year", "total"] = "each_year"
    years: Annotated[int, Field(ge=1, le=10)] | None = None
    years_by_type: dict[Level, dict[ApplicationType, Annotated[int, Field(ge=1, le=10)]]] | None = None
    min_hours: Hours

    @model_validator(mode="after")
    def _one_way(self):
        if (self.years is None) == (self.years_by_type is None):
            raise ValueError("years 与 years_by_type 须且只须给出其一")
        return self


class CECheck:
    id = "continuing_education"

    def __init__(self, spec: CESpec, years: int):
        self.clause, self.label, self.mode, self.years = spec.clause, spec.label, spec.mode, years
        h = spec.min_hours
        self.total, self.professional, self.public = h.total, h.professional, h.public
        self.need = self._need()
        self.memo = Memo()
        self.piece_memo = Memo()  # one year's sentences (each_year), or the sum's (total)
        self._key = ("ce", years)

    def _need(self) -> str:
        parts = []
        if self.professional:
            parts.append(f"专业科目不少于 {num(self.professional)} 学时")
        if self.public:
            parts.append(f"公需科目（一般公需和行业公需）不少于 {num(self.public)} 学时")
        return f"不少于 {num(self.total)} 学时" + (f"（其中{'，'.join(parts)}）" if parts else "")

    def describe(self) -> str:
        span = f"申报年度及之前共 {self.years} 年" if self.years > 1 else "申报年度"
        if self.mode == "total":
            return f"{span}继续教育合计{self.need}"
        return f"{span}{'每年' if self.years > 1 else ''}继续教育{self.need}"

    def _lacks(self, row: list[float]) -> list[str]:
        out = []
        if row[1] < self.professional:
            out.append(f"专业科目学时还差 {num(self.professional - row[1])} 学时")
        if row[2] < self.public:
            out.append(f"公需科目学时还差 {num(self.public - row[2])} 学时")
        if row[0] < self.total:
            out.append(f"总学时还差 {num(self.total - row[0])} 学时")
        return out

    def evaluate(self, f) -> dict:
        key = self._key
        cached = f.cache.get(key)
        if cached is None:
            first = f.plan_year - self.years + 1
            table = f.ce_by_year
            rows = tuple(tuple(table[y]) if y in table else None for y in range(first, f.plan_year + 1))
            explained = self.memo.get((first, rows))
            if explained is None:
                explained = self.memo.put((first, rows), self._explain(first, f.plan_year, rows))
            cached = f.cache[key] = _result(self, *explained)
        return dict(cached)

    def _explain(self, first: int, last: int, rows: tuple) -> tuple:
        if self.mode == "total":
            row = [0.0, 0.0, 0.0]
            for r in rows:
                for i, v in enumerate(r or (0.0, 0.0, 0.0)):
                    row[i] += v
            key = (first, last, *row)
            explained = self.piece_memo.get(key)
            if explained is None:
                explained = self.piece_memo.put(key, self._explain_total(first, last, row))
            return explained
        parts, problems = [], []
        for year, row in zip(range(first, last + 1), rows):  # noqa: B905 - same length
            key = (year, row)
            explained = self.piece_memo.get(key)
            if explained is None:
                explained = self.piece_memo.put(key, self._explain_year(year, row))
            parts.append(explained[0])
            problems.extend(explained[1])
        span = f"{first}—{last} 年" if first != last else f"{last} 年"
        expected = f"{span}{'每年' if first != last else ''}继续教育{self.need}"
        return not problems, expected, "；".join(parts), "；".join(problems)

    def _explain_total(self, first: int, last: int, row: list[float]) -> tuple:
        """``total`` mode: the verdict on the hours summed over the years."""
        span = f"{first}—{last} 年" if first != last else f"{last} 年"
        actual = f"{span}合计 {num(row[0])} 学时（专业 {num(row[1])}、公需 {num(row[2])}）"
        lacks = self._lacks(row)
        return not lacks, f"{span}继续教育合计{self.need}", actual, f"{span}" + "，".join(lacks)

    def _explain_year(self, year: int, row: tuple | None) -> tuple[str, tuple[str, ...]]:
        """One year of ``each_year`` mode: (what it shows, what it lacks)."""
        if row is None:
            return f"{year} 年无学时记录", (f"{year} 年无继续教育学时记录",)
        part = f"{year} 年 {num(row[0])} 学时（专业 {num(row[1])}、公需 {num(row[2])}）"
        return part, tuple(f"{year} 年{lack}" for lack in self._lacks(row))


# ---- social insurance


class SocialInsuranceSpec(_Spec):
    """At least ``min_months`` months paid in the region (code prefix), counted up to and
    including the month of the deadline or of ``as_of``."""

    region_prefix: Annotated[str, Field(pattern=r"^\d{2,6}$")]
    region_name: str
    min_months: Annotated[int, Field(ge=1, le=600)]
    until: Literal["deadline", "as_of"] = "deadline"
    current_employer_only: bool = False


class SocialInsuranceCheck:
    id = "social_insurance"

    def __init__(self, spec: SocialInsuranceSpec):
        self.clause, self.label = spec.clause, spec.label
        self.prefix, self.region, self.min_months = spec.region_prefix, spec.region_name, spec.min_months
        self.until, self.current_only = spec.until, spec.current_employer_only
        self.memo = Memo()

    def describe(self) -> str:
        who = "由现工作单位" if self.current_only else ""
        day = "申报截止日" if self.until == "deadline" else "资历计算截止日"
        return f"截至{day}（含当月）在{self.region}{who}缴纳社会保险满 {self.min_months} 个月"

    def evaluate(self, f) -> dict:
        day = f.deadline if self.until == "deadline" else f.as_of
        until = dates.month_index(day.year, day.month)
        periods = []
        for s in f.p.social_insurance:
            if not s.region.startswith(self.prefix) or (self.current_only and not s.current_employer):
                continue
            start = dates.month_index(int(s.start[:4]), int(s.start[5:7]))
            end = None if s.end is None else dates.month_index(int(s.end[:4]), int(s.end[5:7]))
            periods.append((start, end))
        months = dates.count_months(periods, until)
        explained = self.memo.get((until, months))
        if explained is None:
            explained = self.memo.put((until, months), self._explain(until, months))
        return _result(self, *explained)

    def _explain(self, until: int, months: int) -> tuple:
        who = "由现工作单位" if self.current_only else ""
        expected = f"截至 {dates.month_label(until)}（含当月）在{self.region}{who}缴纳社会保险满 {self.min_months} 个月"
        actual = f"在{self.region}{who}缴纳社会保险 {months} 个月"
        missing = f"{self.region}社保缴纳还差 {self.min_months - months} 个月"
        return months >= self.min_months, expected, actual, missing


# ---- retirement


class RetirementAges(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    male: Annotated[int, Field(ge=40, le=80)]
    female: Annotated[int, Field(ge=40, le=80)]


class RetirementSpec(_Spec):
    """Not past the statutory retirement age on the seniority cut-off (``as_of``)."""

    ages: RetirementAges


class RetirementCheck:
    id = "retirement"

    def __init__(self, spec: RetirementSpec):
        self.clause, self.label = spec.clause, spec.label
        self.ages = {"male": spec.ages.male, "female": spec.ages.female}
        self.memo = Memo()

    def describe(self) -> str:
        return f"资历计算截止日前未达到法定退休年龄（男 {self.ages['male']} 周岁，女 {self.ages['female']} 周岁）"

    def evaluate(self, f) -> dict:
        person = f.p.person
        expected = self.memo.get(f.as_of)
        if expected is None:
            ages = f"男 {self.ages['male']} 周岁，女 {self.ages['female']} 周岁"
            expected = self.memo.put(f.as_of, f"截至 {f.as_of.isoformat()} 未达到法定退休年龄（{ages}）")
        if person.birth_date is None or person.gender is None:
            return _result(self, False, expected, "未提供出生日期或性别", "请填写出生日期和性别以判断退休年龄")
        age = dates.age_on(person.birth_date, f.as_of)
        limit = self.ages[person.gender]
        actual = f"{GENDER_NAMES[person.gender]}，截至 {f.as_of.isoformat()} 年满 {age} 周岁"
        if age < limit:
            return _result(self, True, expected, actual, None)
        retire = dates.add_years(person.birth_date, limit)
        return _result(self, False, expected, actual, f"{retire.isoformat()} 已达到 {limit} 周岁退休年龄")


# ---- integrity


class IntegritySpec(_Spec):
    """No ban (诚信档案 record) covering the application deadline."""

    day: Literal["deadline", "as_of"] = "deadline"


class IntegrityCheck:
    id = "integrity"

    def __init__(self, spec: IntegritySpec):
        self.clause, self.label, self.day = spec.clause, spec.label, spec.day
        self.memo = Memo()

    def describe(self) -> str:
        return "申报时不在职称评审诚信档案的限制申报期内"

    def evaluate(self, f) -> dict:
        day = f.deadline if self.day == "deadline" else f.as_of
        expected = self.memo.get(day)
        if expected is None:
            expected = self.memo.put(day, f"{day.isoformat()} 不在限制申报期内")
        active = [
            r for r in f.p.integrity if r.banned_from <= day and (r.banned_until is None or day <= r.banned_until)
        ]
        if active:
            spans = "；".join(
                f"{r.banned_from.isoformat()} 至 {r.banned_until.isoformat() if r.banned_until else '无限期'}"
                for r in active
            )
            return _result(self, False, expected, f"限制申报期：{spans}", f"处于限制申报期（{spans}），期间不得申报")
        actual = "无失信记录" if not f.p.integrity else "失信记录的限制期不覆盖本次申报"
        return _result(self, True, expected, actual, None)


class ChecksSpec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    assessment: AssessmentSpec | None = None
    continuing_education: CESpec | None = None
    social_insurance: SocialInsuranceSpec | None = None
    retirement: RetirementSpec | None = None
    integrity: IntegritySpec | None = None
