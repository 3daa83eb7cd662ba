"""A quantitative scoring standard (量化评价标准) as data, and its computation.

The standard has three parts, each capped: basic conditions (学历, 技能等级, 外语, 计算机,
资历, 技术职务, 年度考核, 工资薪金, 继续教育), achievements (tables of records scored by rank,
with per-group caps, item limits and "the highest counts once" rules) and a bonus (the
mountain-county bonus). ``compute(facts)`` returns the ``score`` dict of POLICY_API.md:
``basic, achievements, bonus, self_score, items, flagged``; the items of each part add up to
the part's total (cap adjustments are items with negative points).

Records the table does not print (a provincial award, a core-journal paper at rank 6) score
0 and are flagged for the panel ("其他排名由评议专家酌情量分").
"""

from __future__ import annotations

from itertools import product
from operator import attrgetter
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from . import dates
from .conditions import CompileContext, Condition, Relevance
from .vocab import (
    EDUCATION_EQUIVALENT,
    EDUCATION_NAMES,
    EMPLOYER_SIZE_NAMES,
    LANGUAGE_NAMES,
    LEVEL_NAMES,
    POST_NAMES,
    RECORD_FIELDS,
    SKILL_GRADE_NAMES,
    YEAR_DATED_KINDS,
    EducationLevel,
    Language,
    Level,
    PostKind,
    TitleLevel,
    num,
    record_phrase,
)

Points = Annotated[float, Field(ge=0, le=100)]


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# --------------------------------------------------------------------------------------
# Schema


class EducationRule(_Spec):
    label: str = "学历"
    points: dict[EducationLevel, Annotated[list[Points], Field(min_length=2, max_length=2)]]
    degree_bonus: Points = 0


class SkillGradeRule(_Spec):
    label: str = "技能等级"
    points: dict[Annotated[int, Field(ge=1, le=5)], Points]
    relevant: Relevance = True


class LanguageRule(_Spec):
    label: str = "外语"
    points: dict[Language, Points]


class ComputerTier(_Spec):
    min_modules: Annotated[int, Field(ge=1)]
    points: Points


class ComputerRule(_Spec):
    label: str = "计算机"
    tiers: Annotated[list[ComputerTier], Field(min_length=1)]


class Requirement(_Spec):
    when: Condition | None = None
    years: Annotated[int, Field(ge=0, le=60)]


class YearsRule(_Spec):
    """Meeting the level's required years → ``base``, + ``per_year`` for each full year beyond,
    at most ``max``; not meeting them → 0. The requirement is the smallest ``years`` among
    the entries whose ``when`` holds (an entry without ``when`` always holds)."""

    label: str
    base: Points = 2
    per_year: Points = 0.5
    max: Points = 4
    requirement: dict[Level, Annotated[list[Requirement], Field(min_length=1)]]

    @model_validator(mode="after")
    def _fallback(self):
        for level, entries in self.requirement.items():
            if all(e.when is not None for e in entries):
                raise ValueError(f"{level} 的 requirement 需要一项不带 when 的默认年限")
        return self


class TitleYearsRule(YearsRule):
    """Tenure in the title one level below the level applied for (``title[level]``)."""

    title: dict[Level, TitleLevel | None]
    relevant: Relevance = True


class PostPoints(_Spec):
    large: Points
    small: Points


class PostRule(_Spec):
    label: str = "技术职务"
    points: dict[PostKind, PostPoints]


class AssessmentRule(_Spec):
    label: str = "年度（绩效）考核"
    per_excellent: Points
    max: Points


class IncomeRule(_Spec):
    label: str = "工资薪金"
    points: Points


class CEStandard(_Spec):
    from_year: int | None = None
    until_year: int | None = None
    hours: Annotated[float, Field(ge=0)]


class CERule(_Spec):
    """``per_year`` for each year whose hours reach that year's standard + ``margin``."""

    label: str = "继续教育"
    standards: Annotated[list[CEStandard], Field(min_length=1)]
    margin: Annotated[float, Field(ge=0)]
    per_year: Points
    max: Points


class BasicSpec(_Spec):
    label: str = "基本条件"
    cap: Points
    education: EducationRule | None = None
    skill_grade: SkillGradeRule | None = None
    language: LanguageRule | None = None
    computer: ComputerRule | None = None
    work_years: YearsRule | None = None
    title_years: TitleYearsRule | None = None
    post: PostRule | None = None
    assessment: AssessmentRule | None = None
    income: IncomeRule | None = None
    continuing_education: CERule | None = None


def _as_list(value):
    return [value] if isinstance(value, (str, int)) and not isinstance(value, bool) else value


class Row(_Spec):
    """One printed row: the fields a record must have, then either fixed ``points`` or
    ``ranks: [first, last]`` with ``top`` at the first rank and ``step`` less per rank."""

    level: Annotated[list[str], BeforeValidator(_as_list)] | None = None  # one value or a list
    kind: Annotated[list[str], BeforeValidator(_as_list)] | None = None
    grade: Annotated[list[int], BeforeValidator(_as_list)] | None = None
    place: Annotated[list[int], BeforeValidator(_as_list)] | None = None
    ranks: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=2, max_length=2)] | None = None
    top: Points | None = None
    step: Points = 0
    points: Points | None = None

    @model_validator(mode="after")
    def _shape(self):
        if self.points is not None:
            if self.ranks is not None or self.top is not None:
                raise ValueError("points 与 ranks/top 不能同时使用")
        elif self.ranks is None or self.top is None:
            raise ValueError("需要 points，或 ranks 与 top")
        else:
            lo, hi = self.ranks
            if hi < lo:
                raise ValueError("ranks 应为 [起始名次, 末尾名次]")
            if self.top - self.step * (hi - lo) < 0:
                raise ValueError("末尾名次的分值为负数")
        return self

    def matchers(self) -> tuple:
        out = []
        for name in ("level", "kind", "grade", "place"):
            value = getattr(self, name)
            if value is not None:
                out.append((name, frozenset(value)))
        return tuple(out)


class ItemLimit(_Spec):
    kind: str
    max_items: Annotated[int, Field(ge=1)]
    note: str


class Group(_Spec):
    """One table of the achievements part (成果奖项, 论文著作, 专利, …)."""

    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    label: str
    records: Literal[
        "awards", "projects", "papers", "patents", "standards", "new_products", "honors", "skill_titles", "competitions"
    ]
    rows: Annotated[list[Row], Field(min_length=1)]
    cap: Points | None = None
    dedupe: Literal["none", "achievement", "per_year", "highest"] = "none"
    item_limits: list[ItemLimit] = []
    note: str | None = None

    @model_validator(mode="after")
    def _fits_kind(self):
        fields = RECORD_FIELDS[self.records]
        for i, row in enumerate(self.rows):
            for name, values in row.matchers():
                if name not in fields:
                    raise ValueError(f"rows[{i}]：{self.records} 没有字段 {name}")
                bad = sorted(str(v) for v in values if v not in fields[name])
                if bad:
                    raise ValueError(f"rows[{i}].{name} 的取值 {bad} 无效，可选：{list(fields[name])}")
            if row.ranks is not None and self.records in ("honors", "skill_titles", "competitions"):
                raise ValueError(f"rows[{i}]：{self.records} 没有排名，应使用 points")
        if self.dedupe == "achievement" and self.records != "awards":
            raise ValueError("dedupe: achievement 只适用于 awards")
        if self.dedupe == "per_year" and self.records not in YEAR_DATED_KINDS:
            raise ValueError("dedupe: per_year 只适用于按年份记录的 honors 与 competitions")
        for limit in self.item_limits:
            if "kind" not in fields or limit.kind not in fields["kind"]:
                raise ValueError(f"item_limits 的 kind {limit.kind!r} 无效")
        return self


class OtherRule(_Spec):
    label: str = "能体现成果业绩或能力的其他内容"
    max: Points


class AchievementsSpec(_Spec):
    label: str = "成果业绩"
    cap: Points
    groups: Annotated[list[Group], Field(min_length=1)]
    other: OtherRule | None = None

    @model_validator(mode="after")
    def _unique(self):
        ids = [g.id for g in self.groups]
        dup = {i for i in ids if ids.count(i) > 1}
        if dup:
            raise ValueError(f"groups 的 id 重复：{sorted(dup)}")
        return self


class MountainBonus(_Spec):
    clause: str
    label: str = "山区县工作加分"
    per_year: Points
    max: Points


class BonusSpec(_Spec):
    label: str = "加分"
    mountain: MountainBonus | None = None


class ScoringSpec(_Spec):
    clause: str
    label: str
    basic: BasicSpec
    achievements: AchievementsSpec
    bonus: BonusSpec | None = None
    notes: list[str] = []


# --------------------------------------------------------------------------------------
# Computation


def _item(items: list, id: str, part: str, label: str, points: float, note: str) -> float:
    items.append({"id": id, "part": part, "label": label, "points": float(points), "note": note})
    return points


def _capped(items: list, part: str, label: str, total: float, cap: float | None, id: str) -> float:
    if cap is not None and total > cap:
        _item(items, id, part, label, cap - total, f"{label}累计不超过 {num(cap)} 分")
        return cap
    return total


class CompiledYears:
    def __init__(self, rule: YearsRule, cx_for_level):
        self.label, self.base, self.per_year, self.max = rule.label, rule.base, rule.per_year, rule.max
        self.requirement = {
            level: [(e.when.compile(cx_for_level(level)) if e.when else None, e.years) for e in entries]
            for level, entries in rule.requirement.items()
        }

    def required(self, f) -> int | None:
        entries = self.requirement.get(f.p.level)
        if entries is None:
            return None
        return min(years for node, years in entries if node is None or node.holds(f))

    def points(self, have: int, need: int) -> float:
        if have < need:
            return 0.0
        return min(self.max, self.base + self.per_year * (have - need))


class CompiledGroup:
    """A table compiled into a lookup: the record's field values → the rows that print them."""

    def __init__(self, g: Group):
        self.id, self.label, self.kind, self.cap, self.dedupe = g.id, g.label, g.records, g.cap, g.dedupe
        self.limits = [(lim.kind, lim.max_items, lim.note) for lim in g.item_limits]
        vocab = RECORD_FIELDS[g.records]
        fields = sorted({name for row in g.rows for name, _values in row.matchers()})
        self.key = attrgetter(*fields) if fields else (lambda rec: ())
        self.index: dict = {}
        for row in g.rows:
            given = dict(row.matchers())
            choices = [sorted(given[name], key=str) if name in given else list(vocab[name]) for name in fields]
            if row.points is not None:
                entry = (None, None, None, row.points, f"{num(row.points)} 分")
            else:
                lo, hi = row.ranks
                span = f"第 {lo}—{hi} 名" if lo != hi else f"第 {lo} 名"
                text = f"{span} {num(row.top)} 分" + (f"起，每名减 {num(row.step)} 分" if lo != hi else "")
                entry = ((lo, hi), row.top, row.step, None, text)
            for combo in product(*choices):
                key = combo[0] if len(fields) == 1 else combo
                self.index.setdefault(key, []).append(entry)

    def _score(self, rec) -> tuple[float | None, str]:
        """(points, note) or (None, why it is left to the panel)."""
        rows = self.index.get(self.key(rec))
        if not rows:
            return None, "量化标准未列此级别或等级，由评议专家酌情量分"
        printed = []
        for ranks, top, step, points, text in rows:
            if ranks is None:
                return points, text
            lo, hi = ranks
            if lo <= rec.rank <= hi:
                return top - step * (rec.rank - lo), text
            printed.append(f"第 {lo}—{hi} 名" if lo != hi else f"第 {lo} 名")
        return None, f"量化标准仅列{'、'.join(printed)}，其他排名由评议专家酌情量分"

    def compute(self, f, items: list, flagged: list) -> float:
        kind = self.kind
        records = f.records[kind]
        if not records:
            return 0.0
        scored = []  # [index, record, points, note]
        for i, rec in records:
            pts, note = self._score(rec)
            if pts is None:
                reason = f"{record_phrase(kind, rec)}：{note}"
                flagged.append({"item": f"{kind}[{i}]", "reason": reason})
                scored.append([i, rec, 0.0, reason])
            else:
                scored.append([i, rec, pts, f"{record_phrase(kind, rec)}：{note}"])
        if self.dedupe != "none":
            self._dedupe(scored)
        for lim_kind, max_items, note in self.limits:
            same = sorted((s for s in scored if s[1].kind == lim_kind and s[2] > 0), key=lambda s: -s[2])
            for s in same[max_items:]:
                s[2] = 0.0
                s[3] += f"（{note}，本项不计分）"
        total = 0.0
        for i, _rec, pts, note in scored:
            total += _item(items, f"{kind}[{i}]", "achievements", self.label, pts, note)
        return _capped(items, "achievements", self.label, total, self.cap, f"{self.id}:cap")

    def _dedupe(self, scored: list) -> None:
        groups: dict = {}
        for s in scored:
            i, rec = s[0], s[1]
            if self.dedupe == "achievement":
                key = rec.achievement if rec.achievement else ("#", i)
                why = f"同一成果（{rec.achievement}）多个奖项按就高原则计分，已计"
            elif self.dedupe == "per_year":
                key = rec.year
                why = f"{rec.year} 年度按就高原则计一次，已计"
            else:
                key = None
                why = "按就高原则计一次，已计"
            groups.setdefault(key, (why, []))[1].append(s)
        for why, members in groups.values():
            if len(members) < 2:
                continue
            best = max(members, key=lambda s: s[2])
            for s in members:
                if s is not best and s[2] > 0:
                    s[2] = 0.0
                    s[3] += f"（{why} {self.kind}[{best[0]}]，本项不计分）"


class CompiledScoring:
    """The standard compiled into small scorer functions, each ``f → (points, note)``."""

    def __init__(self, spec: ScoringSpec, cx_for_level):
        self.spec = spec
        b = spec.basic
        self.basic_cap, self.basic_label = b.cap, b.label
        self.basic_items: list[tuple[str, str, object]] = []
        add = self.basic_items.append
        if b.education:
            add(("education", b.education.label, self._education(b.education)))
        if b.skill_grade:
            add(("skill_grade", b.skill_grade.label, self._skill(b.skill_grade)))
        if b.language:
            add(("language", b.language.label, self._language(b.language)))
        if b.computer:
            add(("computer", b.computer.label, self._computer(b.computer)))
        if b.work_years:
            add(("work_years", b.work_years.label, self._work(CompiledYears(b.work_years, cx_for_level))))
        if b.title_years:
            years = CompiledYears(b.title_years, cx_for_level)
            add(("title_years", b.title_years.label, self._tenure(b.title_years, years)))
        if b.post:
            add(("post", b.post.label, self._post(b.post)))
        if b.assessment:
            add(("assessment", b.assessment.label, self._assessment(b.assessment)))
        if b.income:
            add(("income", b.income.label, self._income(b.income)))
        if b.continuing_education:
            add(("continuing_education", b.continuing_education.label, self._ce(b.continuing_education)))
        self.groups = [CompiledGroup(g) for g in spec.achievements.groups]
        self.mountain = spec.bonus.mountain if spec.bonus else None

    # ---- basic conditions: one scorer per item

    @staticmethod
    def _education(rule: EducationRule):
        table = {}
        for level, values in rule.points.items():
            table[level] = (values[0], values[1])
        for school, level in EDUCATION_EQUIVALENT.items():
            if level in table and school not in table:
                table[school] = table[level]
        bonus = rule.degree_bonus

        def score(f):
            best, note = 0.0, "无可计分的学历"
            for _rank, level, e in f.edus:
                values = table.get(level)
                if values is None:
                    continue
                pts = (values[0] if e.relevant else values[1]) + (bonus if e.degree else 0)
                if pts > best:
                    rel = "专业对口" if e.relevant else "专业不对口"
                    best, note = pts, f"{EDUCATION_NAMES[level]}，{rel}" + ("，有学位" if e.degree else "")
            return best, note

        return score

    @staticmethod
    def _skill(rule: SkillGradeRule):
        points, relevant = dict(rule.points), rule.relevant

        def score(f):
            grades = [s.grade for s in f.p.skills if relevant == "any" or s.relevant is relevant]
            if not grades:
                return 0.0, "无相关工种职业技能等级"
            grade = min(grades)
            return points.get(grade, 0.0), SKILL_GRADE_NAMES[grade]

        return score

    @staticmethod
    def _language(rule: LanguageRule):
        points = dict(rule.points)
        return lambda f: (points.get(f.p.language, 0.0), LANGUAGE_NAMES[f.p.language])

    @staticmethod
    def _computer(rule: ComputerRule):
        tiers = sorted(((t.min_modules, t.points) for t in rule.tiers), reverse=True)

        def score(f):
            n = f.p.computer_modules
            for least, pts in tiers:
                if n >= least:
                    return pts, f"{n} 个模块合格"
            return 0.0, f"{n} 个模块合格"

        return score

    @staticmethod
    def _work(years: CompiledYears):
        def score(f):
            need = years.required(f)
            if need is None:
                return 0.0, "本级别未规定专业工作年限"
            have = f.relevant_work_years
            return years.points(have, need), f"专业工作 {have} 年，申报条件要求 {need} 年"

        return score

    @staticmethod
    def _tenure(rule: TitleYearsRule, years: CompiledYears):
        titles, relevant = dict(rule.title), rule.relevant

        def score(f):
            title = titles.get(f.p.level)
            need = years.required(f)
            if title is None or need is None:
                return 0.0, "本级别无低一级职称任职年限要求"
            obtained = f.title_obtained(title, relevant)
            if obtained is None:
                return 0.0, f"未取得{LEVEL_NAMES[title]}资格"
            have = dates.full_years(obtained, f.as_of) if obtained <= f.as_of else 0
            return years.points(have, need), f"{LEVEL_NAMES[title]}任职 {have} 年，申报条件要求 {need} 年"

        return score

    @staticmethod
    def _post(rule: PostRule):
        table = {kind: {"large": v.large, "small": v.small} for kind, v in rule.points.items()}

        def score(f):
            if not f.p.posts:
                return 0.0, "无技术职务"
            first, last, _why = f.window
            size = f.p.person.employer_size or "small"
            best, note = 0.0, "无任现职后的技术职务"
            for post in f.p.posts:
                end = post.end or f.as_of
                if post.start > last or (first is not None and end < first) or post.kind not in table:
                    continue
                pts = table[post.kind][size]
                if pts > best:
                    best, note = pts, f"{POST_NAMES[post.kind]}（{EMPLOYER_SIZE_NAMES[size]}）"
            return best, note

        return score

    @staticmethod
    def _assessment(rule: AssessmentRule):
        per, cap = rule.per_excellent, rule.max

        def score(f):
            years = sorted(a.year for a in f.p.assessments if a.result == "excellent" and a.year <= f.plan_year)
            if not years:
                return 0.0, "无优秀等次"
            return min(cap, per * len(years)), f"优秀：{'、'.join(map(str, years))} 年"

        return score

    @staticmethod
    def _income(rule: IncomeRule):
        pts = rule.points
        return lambda f: (pts, "年收入 12 万元以上（需完税证明）") if f.p.income_over_120k else (0.0, "无")

    @staticmethod
    def _ce(rule: CERule):
        standards = [(s.from_year, s.until_year, s.hours) for s in rule.standards]
        margin, per, cap = rule.margin, rule.per_year, rule.max

        def standard(year: int) -> float | None:
            for first, last, hours in standards:
                if (first is None or year >= first) and (last is None or year <= last):
                    return hours
            return None

        def score(f):
            good = []
            for year, row in f.ce_by_year.items():
                if year <= f.plan_year:
                    std = standard(year)
                    if std is not None and row[0] >= std + margin:
                        good.append(year)
            if not good:
                return 0.0, f"无超过标准 {num(margin)} 学时以上的年度"
            good.sort()
            return min(cap, per * len(good)), f"超过标准 {num(margin)} 学时以上的年度：{'、'.join(map(str, good))}"

        return score

    def _basic(self, f, items: list) -> float:
        total = 0.0
        for id, label, scorer in self.basic_items:
            pts, note = scorer(f)
            items.append({"id": id, "part": "basic", "label": label, "points": float(pts), "note": note})
            total += pts
        return _capped(items, "basic", self.basic_label, total, self.basic_cap, "basic:cap")

    # ---- the whole score

    def compute(self, f) -> dict:
        items: list[dict] = []
        flagged: list[dict] = []
        basic = self._basic(f, items)
        ach = 0.0
        for group in self.groups:
            ach += group.compute(f, items, flagged)
        other = self.spec.achievements.other
        if other is not None:
            pts = min(other.max, f.p.other_points)
            if pts:
                ach += _item(items, "other_points", "achievements", other.label, pts, "由评议专家认定")
        a = self.spec.achievements
        ach = _capped(items, "achievements", a.label, ach, a.cap, "achievements:cap")
        bonus = 0.0
        if self.mountain is not None:
            m = self.mountain
            years = f.mountain_years
            pts = min(m.max, m.per_year * years)
            note = (
                f"在山区县从事相关专业技术工作 {years} 年，每满 1 年加 {num(m.per_year)} 分，累计不超过 {num(m.max)} 分"
            )
            bonus += _item(items, "mountain", "bonus", m.label, pts, note)
        return {
            "basic": float(basic),
            "achievements": float(ach),
            "bonus": float(bonus),
            "self_score": float(basic + ach + bonus),
            "items": items,
            "flagged": flagged,
        }


def compile_scoring(spec: ScoringSpec, policy_id: str) -> CompiledScoring:
    return CompiledScoring(spec, lambda level: CompileContext(policy_id, level, None, True))
