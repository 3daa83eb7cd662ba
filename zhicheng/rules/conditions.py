"""The predicate registry: the fixed vocabulary in which policies state their conditions.

A condition in a policy file is a mapping with exactly one *predicate key*; the key's value
is the predicate's main argument and the other keys are its parameters, plus the optional
``id`` (the check id shown in results) and ``label`` (Chinese text replacing the generated
one)::

    all_of:
      - {education_at_least: college, relevant: true}
      - {title_held: assistant_engineer, relevant: true, years: 4}

Each predicate is a pydantic model (``extra="forbid"``) registered under its key; the
policy schema validates every condition against it and names the path of any mistake.
After validation a condition is compiled into a :class:`~zhicheng.rules.nodes.Node`
(see :mod:`nodes`): no pydantic, no parsing on the hot path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, ClassVar, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

from .nodes import (
    AllOfNode,
    AnyOfNode,
    ClaimNode,
    CountOfNode,
    EducationNode,
    EmployerNode,
    ExpertsNode,
    Node,
    NotNode,
    PostNode,
    RecordsNode,
    Result,
    SelfScoreNode,
    SkillNode,
    TitleNode,
    WorkNode,
    _rel_text,
)
from .vocab import (
    EDUCATION_FLOOR_NAMES,
    EDUCATION_NAMES,
    EDUCATION_RANK,
    EMPLOYER_KIND_NAMES,
    LEVEL_NAMES,
    POST_NAMES,
    RECORD_FIELDS,
    RECORD_KINDS,
    SKILL_GRADE_NAMES,
    TITLE_RANK,
    EmployerKind,
    PostKind,
    Relevance,
    TitleLevel,
    num,
)

__all__ = ["PREDICATES", "CompileContext", "Condition", "CondSpec", "Node", "Relevance", "Result", "predicate"]

EducationFloor = Literal[
    "doctorate", "master", "second_bachelor", "bachelor", "college", "secondary", "high_school", "below"
]

# --------------------------------------------------------------------------------------
# Compile-time context


@dataclass
class CompileContext:
    """Where a condition sits: needed to build claim ids and to check references."""

    policy_id: str
    level: str
    route_id: str | None
    has_scoring: bool
    claims: dict[str, str] = field(default_factory=dict)  # claim id → label


# --------------------------------------------------------------------------------------
# The schema side: one pydantic model per predicate


class CondSpec(BaseModel):
    """Base of every predicate's schema model."""

    model_config = ConfigDict(extra="forbid", strict=True)
    key: ClassVar[str]
    default_id: ClassVar[str]
    id: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] | None = None
    label: str | None = None

    def compile(self, cx: CompileContext) -> Node:  # pragma: no cover - abstract
        raise NotImplementedError

    def node_id(self) -> str:
        return self.id or self.default_id


PREDICATES: dict[str, type[CondSpec]] = {}


def predicate(cls: type[CondSpec]) -> type[CondSpec]:
    PREDICATES[cls.key] = cls
    return cls


# ---- combinators


def _numbered(texts: list[str]) -> str:
    return "；".join(f"（{i + 1}）{t}" for i, t in enumerate(texts))


@predicate
class AllOf(CondSpec):
    """Every condition of ``all_of`` holds. At the top of a route its items are the route's checks."""

    key = "all_of"
    default_id = "all_of"
    all_of: Annotated[list[Condition], Field(min_length=1)]

    def compile(self, cx):
        children = [c.compile(cx) for c in self.all_of]
        return AllOfNode(self.node_id(), self.label or "，且".join(c.expected for c in children), children)


@predicate
class AnyOf(CondSpec):
    """At least one condition of ``any_of`` holds."""

    key = "any_of"
    default_id = "any_of"
    any_of: Annotated[list[Condition], Field(min_length=1)]

    def compile(self, cx):
        children = [c.compile(cx) for c in self.any_of]
        return AnyOfNode(self.node_id(), self.label or "；或".join(c.expected for c in children), children)


@predicate
class CountOf(CondSpec):
    """At least ``count_of`` of ``items`` hold ("具备下列 5 项条件中的 2 项")."""

    key = "count_of"
    default_id = "count_of"
    count_of: Annotated[int, Field(ge=1)]
    items: Annotated[list[Condition], Field(min_length=1)]

    @model_validator(mode="after")
    def _n_fits(self):
        if self.count_of > len(self.items):
            raise ValueError(f"count_of 为 {self.count_of}，但只有 {len(self.items)} 项")
        return self

    def compile(self, cx):
        children = [c.compile(cx) for c in self.items]
        text = f"具备下列 {len(children)} 项中的 {self.count_of} 项：" + _numbered([c.expected for c in children])
        return CountOfNode(self.node_id(), self.label or text, children, self.count_of)


@predicate
class Not(CondSpec):
    """The condition under ``not`` does not hold ("不具备规定学历"); give it a ``label``."""

    key = "not"
    default_id = "not"
    not_: Annotated[Condition, Field(alias="not")]

    model_config = ConfigDict(extra="forbid", strict=True, populate_by_name=False)

    def compile(self, cx):
        child = self.not_.compile(cx)
        return NotNode(self.node_id(), self.label or f"不具备{child.expected}", child)


# ---- claims


@predicate
class Claim(CondSpec):
    """A condition no record can prove ("贡献突出"): met when the applicant claims
    ``<policy>/<level>/<route>/<claim>``; reviewers verify it."""

    key = "claim"
    default_id = "claim"
    claim: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    label: str

    def compile(self, cx):
        if cx.route_id is None:
            raise ValueError("claim 只能用于申报路径的条件")
        claim_id = f"{cx.policy_id}/{cx.level}/{cx.route_id}/{self.claim}"
        if claim_id in cx.claims:
            raise ValueError(f"声明编号重复：{claim_id}")
        cx.claims[claim_id] = self.label
        return ClaimNode(self.id or f"claim_{self.claim}", self.label, claim_id)


# ---- education


@predicate
class EducationAtLeast(CondSpec):
    """An education entry at ``education_at_least`` or above (below ``at_most`` if given),
    relevant (本专业或相近专业) when ``relevant: true`` — a non-relevant major counts as
    lacking the education (W 第十三条). Technical-school classes count as their equivalent."""

    key = "education_at_least"
    default_id = "education"
    education_at_least: EducationFloor
    at_most: EducationFloor | None = None
    relevant: Relevance = "any"
    degree: bool = False

    @model_validator(mode="after")
    def _range(self):
        if self.at_most and EDUCATION_RANK[self.at_most] < EDUCATION_RANK[self.education_at_least]:
            raise ValueError("at_most 低于 education_at_least")
        return self

    def compile(self, cx):
        lo = EDUCATION_RANK[self.education_at_least]
        hi = EDUCATION_RANK[self.at_most] if self.at_most else 99
        name = EDUCATION_FLOOR_NAMES[self.education_at_least]
        if self.at_most == self.education_at_least:
            span = EDUCATION_NAMES[self.education_at_least]
        elif self.at_most:
            span = f"{name}至{EDUCATION_NAMES[self.at_most]}"
        else:
            span = f"{name}及以上"
        text = f"{_rel_text(self.relevant)}{span}学历" + ("并有学位" if self.degree else "")
        if self.relevant == "any" and self.education_at_least not in ("high_school", "below"):
            text += "（专业不限）"
        return EducationNode(self.node_id(), self.label or text, lo, hi, self.relevant, self.degree)


# ---- titles and skills


@predicate
class TitleHeld(CondSpec):
    """Holds a title of level ``title_held`` for ``years`` full years (and fewer than
    ``below_years`` when given), counted from the date obtained to ``as_of``."""

    key = "title_held"
    default_id = "title_years"
    title_held: TitleLevel
    years: Annotated[int, Field(ge=0, le=60)] = 0
    below_years: Annotated[int, Field(ge=1, le=60)] | None = None
    relevant: Relevance = "any"

    @model_validator(mode="after")
    def _range(self):
        if self.below_years is not None and self.below_years <= self.years:
            raise ValueError("below_years 应大于 years")
        return self

    def compile(self, cx):
        name = _rel_text(self.relevant, "本专业或相近专业", "其他专业") + LEVEL_NAMES[self.title_held]
        if self.years == 0 and self.below_years is None:
            text = f"取得{name}资格"
        else:
            text = f"{name}任职满 {self.years} 年" + (f"、不满 {self.below_years} 年" if self.below_years else "")
        return TitleNode(
            self.node_id(), self.label or text, self.title_held, self.years, self.below_years, self.relevant, name
        )


@predicate
class SkillGradeHeld(CondSpec):
    """Holds a vocational skill grade of ``skill_grade_held`` or better (1 高级技师 … 5 初级工)
    for ``years`` full years."""

    key = "skill_grade_held"
    default_id = "skill_years"
    skill_grade_held: Annotated[int, Field(ge=1, le=5)]
    years: Annotated[int, Field(ge=0, le=60)] = 0
    relevant: Relevance = "any"

    def compile(self, cx):
        grade = SKILL_GRADE_NAMES[self.skill_grade_held]
        better = "及以上" if self.skill_grade_held > 1 else ""
        text = f"取得{_rel_text(self.relevant, '相关工种', '')}{grade}{better}职业技能等级" + (
            f"后满 {self.years} 年" if self.years else ""
        )
        return SkillNode(self.node_id(), self.label or text, self.skill_grade_held, self.years, self.relevant)


# ---- work


class SinceGraduation(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    level: EducationFloor
    relevant: Relevance = "any"


@predicate
class RelevantWorkYears(CondSpec):
    """Full years of relevant (本专业或相近专业) work, periods merged; years before and after a
    degree add up (W 第十三条). With ``since_graduation``, only work after graduating from
    an education of that level (the earliest such graduation) counts."""

    key = "relevant_work_years"
    default_id = "work_years"
    relevant_work_years: Annotated[int, Field(ge=0, le=60)]
    since_graduation: SinceGraduation | None = None

    def compile(self, cx):
        since = None
        if self.since_graduation:
            g = self.since_graduation
            since = (EDUCATION_RANK[g.level], g.relevant)
            edu = f"{_rel_text(g.relevant)}{EDUCATION_FLOOR_NAMES[g.level]}"
            text = f"{edu}毕业后从事本专业工作满 {self.relevant_work_years} 年"
        else:
            text = f"从事相关专业工作满 {self.relevant_work_years} 年"
        return WorkNode(self.node_id(), self.label or text, self.relevant_work_years, since)


@predicate
class PostHeld(CondSpec):
    """A technical post of one of the kinds in ``post_held`` held ``years`` full years
    (periods merged, open ones running to ``as_of``)."""

    key = "post_held"
    default_id = "post_years"
    post_held: Annotated[list[PostKind], Field(min_length=1)]
    years: Annotated[int, Field(ge=0, le=60)] = 0

    def compile(self, cx):
        text = f"担任{'或'.join(POST_NAMES[k] for k in self.post_held)}满 {self.years} 年"
        return PostNode(self.node_id(), self.label or text, frozenset(self.post_held), self.years)


@predicate
class EmployerKindIs(CondSpec):
    """The employer is of one of the kinds in ``employer_kind`` (e.g. a private enterprise)."""

    key = "employer_kind"
    default_id = "employer"
    employer_kind: Annotated[list[EmployerKind], Field(min_length=1)]

    def compile(self, cx):
        text = f"用人单位为{'或'.join(EMPLOYER_KIND_NAMES[k] for k in self.employer_kind)}"
        return EmployerNode(self.node_id(), self.label or text, frozenset(self.employer_kind))


# ---- achievement records


@predicate
class Records(CondSpec):
    """At least ``at_least`` achievement records of kind ``records`` matching the filters,
    inside the policy's achievement window (and within the last ``within_years`` years
    if given). Awards of the same ``achievement`` count once."""

    key = "records"
    default_id = "records"
    records: Literal[
        "awards", "projects", "papers", "patents", "standards", "new_products", "honors", "skill_titles", "competitions"
    ]
    level: list[str] | None = None
    kind: list[str] | None = None
    grade: list[int] | None = None
    place: list[int] | None = None
    rank_max: Annotated[int, Field(ge=1)] | None = None
    at_least: Annotated[int, Field(ge=1)] = 1
    within_years: Annotated[int, Field(ge=1, le=50)] | None = None

    @model_validator(mode="after")
    def _fields_fit_kind(self):
        allowed = RECORD_FIELDS[self.records]
        for name in ("level", "kind", "grade", "place"):
            values = getattr(self, name)
            if values is None:
                continue
            if name not in allowed:
                raise ValueError(f"{self.records} 没有字段 {name}")
            bad = [v for v in values if v not in allowed[name]]
            if bad:
                raise ValueError(f"{name} 的取值 {bad} 无效，可选：{list(allowed[name])}")
        if self.rank_max is not None and self.records not in (
            "awards",
            "projects",
            "papers",
            "patents",
            "standards",
            "new_products",
        ):
            raise ValueError(f"{self.records} 没有排名（rank），不能使用 rank_max")
        return self

    def compile(self, cx):
        filters = tuple(
            (name, frozenset(getattr(self, name)))
            for name in ("level", "kind", "grade", "place")
            if getattr(self, name) is not None
        )
        return RecordsNode(
            self.node_id(),
            self.label or self._text(),
            self.records,
            filters,
            self.rank_max,
            self.at_least,
            self.within_years,
            self.records == "awards",
        )

    def _text(self) -> str:
        names = RECORD_FIELDS[self.records]
        parts = []
        if self.within_years:
            parts.append(f"近 {self.within_years} 年")
        for name in ("level", "kind", "grade", "place"):
            values = getattr(self, name)
            if values and name in names and name != "kind":
                parts.append("或".join(names[name][v] for v in values))
        kinds = "或".join(names["kind"][v] for v in self.kind) if self.kind else RECORD_KINDS[self.records]
        parts.append(kinds)
        text = "".join(parts)
        if self.rank_max is not None:
            text += f"（排名前 {self.rank_max}）"
        return text + f" {self.at_least} 项及以上"


# ---- expert recommendations and the self-score


@predicate
class ExpertRecommendations(CondSpec):
    """At least ``expert_recommendations`` distinct experts holding ``min_title`` or higher
    (in ``province`` if given; of the same or a related specialty when ``relevant``)."""

    key = "expert_recommendations"
    default_id = "expert_recommendations"
    expert_recommendations: Annotated[int, Field(ge=1)]
    min_title: TitleLevel = "senior_engineer"
    province: str | None = None
    relevant: Relevance = True

    def compile(self, cx):
        title = {"senior_engineer": "副高级", "professor_engineer": "正高级"}.get(
            self.min_title, LEVEL_NAMES[self.min_title]
        )
        text = (
            f"由 {self.expert_recommendations} 名{_rel_text(self.relevant, '本专业或相近专业')}{title}以上专家署名推荐"
        )
        if self.province:
            text += f"（限{self.province}省内专家）"
        return ExpertsNode(
            self.node_id(),
            self.label or text,
            self.expert_recommendations,
            TITLE_RANK[self.min_title],
            self.province,
            self.relevant,
        )


@predicate
class SelfScoreAtLeast(CondSpec):
    """The self-score of the policy's scoring standard (basic + achievements + bonus,
    without exam and interview) reaches ``self_score_at_least``."""

    key = "self_score_at_least"
    default_id = "self_score"
    self_score_at_least: Annotated[float, Field(gt=0)]

    def compile(self, cx):
        if not cx.has_scoring:
            raise ValueError("本政策没有量化评价标准（scoring），不能使用 self_score_at_least")
        text = f"按量化评价标准自评分（理论考试和面试答辩分除外）达到 {num(self.self_score_at_least)} 分"
        return SelfScoreNode(self.node_id(), self.label or text, self.self_score_at_least)


# --------------------------------------------------------------------------------------
# The union of all predicates, discriminated by the predicate key


class _Unknown(BaseModel):
    @model_validator(mode="before")
    @classmethod
    def _reject(cls, value: Any):
        keys = [k for k in value if k in PREDICATES]
        if len(keys) > 1:
            raise ValueError(f"一个条件只能使用一个谓词，发现：{'、'.join(keys)}（请用 all_of / any_of 组合）")
        raise ValueError(
            f"未知谓词（字段：{'、'.join(map(str, value)) or '无'}）；可用谓词：{'、'.join(sorted(PREDICATES))}"
        )


def _which(value: Any) -> str | None:
    if isinstance(value, BaseModel):
        return "@" + type(value).key if isinstance(value, CondSpec) else None
    if not isinstance(value, dict):
        return None
    keys = [k for k in value if k in PREDICATES]
    return "@" + keys[0] if len(keys) == 1 else "@unknown"


Condition = Annotated[
    Union[  # noqa: UP007 - built from the registry
        tuple(Annotated[cls, Tag("@" + name)] for name, cls in PREDICATES.items())
        + (Annotated[_Unknown, Tag("@unknown")],)
    ],
    Discriminator(_which, custom_error_type="condition_type", custom_error_message="条件应为对象（映射）"),
]

for _cls in (AllOf, AnyOf, CountOf, Not):
    _cls.model_rebuild(_types_namespace={"Condition": Condition})
