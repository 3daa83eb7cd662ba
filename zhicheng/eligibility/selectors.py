"""Reads for the self-check page and the policy reader: policies, plan defaults, and results
and policy descriptions prepared for display.

Everything here reads the policy engine (``zhicheng.rules``) only — no database. Policies
are compiled once per process by the engine, so these calls are cheap.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from zhicheng import rules
from zhicheng.rules import vocab

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# Plan defaults


@dataclass(frozen=True)
class PlanDefaults:
    """The dates of one yearly plan (评审计划) that a profile is evaluated against.

    - ``plan_year``: the plan's year (CE years and assessment years count back from it);
    - ``as_of``: the seniority cut-off (资历计算截止日);
    - ``deadline``: the individual application deadline (个人申报截止日);
    - ``achievements_until``: the achievements cut-off (业绩截止日);
    - ``source``: where the dates come from, shown to the user.
    """

    plan_year: int
    as_of: date
    deadline: date | None
    achievements_until: date | None
    source: str


# The latest notice of each policy. Add a line when a new yearly notice is published.
PLAN_DEFAULTS: dict[str, PlanDefaults] = {
    # 温职改办〔2024〕12号: 二（五） seniority to 2024-12-31, materials to 2024-08-31;
    # 七 materials are handed in 9-01 … 10-31, so the individual deadline is 2024-10-31.
    "wz-jidian-2020": PlanDefaults(
        2024, date(2024, 12, 31), date(2024, 10, 31), date(2024, 8, 31), "温职改办〔2024〕12号（2024 年度）"
    ),
    # 虞人社职〔2023〕3号: individual deadline 2023-09-08 (employer 09-21), seniority to 2023-12-31.
    "sy-jidian-2023": PlanDefaults(
        2023, date(2023, 12, 31), date(2023, 9, 8), date(2023, 9, 8), "虞人社职〔2023〕3号（2023 年度）"
    ),
    # 甬市监组人〔2024〕187号: online deadline 08-21, seniority and social insurance to 2024-12-31.
    "nb-quality-2024": PlanDefaults(
        2024, date(2024, 12, 31), date(2024, 8, 21), date(2024, 8, 21), "甬市监组人〔2024〕187号（2024 年度）"
    ),
}

PREFERRED_POLICY = "wz-jidian-2020"
PREFERRED_LEVEL = "engineer"


def plan_defaults(policy_id: str | None, today: date | None = None) -> PlanDefaults:
    """The defaults of ``policy_id``'s latest plan; for a policy without an entry, this year."""
    known = PLAN_DEFAULTS.get(policy_id or "")
    if known is not None:
        return known
    year = (today or date.today()).year
    return PlanDefaults(year, date(year, 12, 31), None, None, "")


# --------------------------------------------------------------------------------------
# Policies offered on the self-check page


def _compiled(policy_id: str):
    try:
        return rules.load_policy(policy_id)
    except rules.PolicyError:
        logger.exception("policy %s cannot be loaded", policy_id)
        return None


def policy_options() -> list[dict[str, Any]]:
    """``[{id, title, document, levels: [(level, label)]}]`` of every loadable policy.

    A broken policy file is logged and left out, so it never takes the page down.
    """
    from zhicheng.rules.loader import available_policy_ids

    out = []
    for policy_id in available_policy_ids():
        policy = _compiled(policy_id)
        if policy is None:
            continue
        out.append(
            {
                "id": policy.id,
                "title": policy.title,
                "document": policy.document,
                "levels": [(level.level, level.label) for level in policy.levels.values()],
            }
        )
    return out


def default_policy_and_level(options: list[dict[str, Any]]) -> tuple[str | None, str | None]:
    if not options:
        return None, None
    chosen = next((o for o in options if o["id"] == PREFERRED_POLICY), options[0])
    levels = [level for level, _label in chosen["levels"]]
    return chosen["id"], PREFERRED_LEVEL if PREFERRED_LEVEL in levels else levels[0]


def level_of(policy_id: str | None, level: str | None):
    """The compiled level ``level`` of ``policy_id``, or None."""
    policy = _compiled(policy_id) if policy_id else None
    if policy is None:
        return None
    return policy.levels.get(level or "")


def application_type_options(policy_id: str | None, level: str | None) -> list[tuple[str, str]]:
    compiled = level_of(policy_id, level)
    if compiled is None:
        return []
    return [(t, vocab.APPLICATION_TYPE_NAMES[t]) for t in compiled.application_types]


def claim_options(policy_id: str | None, level: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """Claimable conditions of the level, grouped by route: ``[(route heading, [(claim id, label)])]``.

    Claims are conditions no record proves (e.g. "省级技能大师工作室领办人"); the applicant
    asserts them and reviewers verify them.
    """
    policy = _compiled(policy_id) if policy_id else None
    compiled = policy.levels.get(level or "") if policy else None
    if compiled is None:
        return []
    groups = []
    for route in compiled.routes:
        prefix = f"{route.full_id}/"
        items = [(cid, label) for cid, label in policy.claims.items() if cid.startswith(prefix)]
        if items:
            groups.append((f"{route.clause}（{route.id}）：{route.label}", items))
    return groups


# --------------------------------------------------------------------------------------
# A result, prepared for display

PART_NAMES = {"basic": "基本条件", "achievements": "成果业绩", "bonus": "加分"}
ITEM_RE = re.compile(r"^(?P<kind>[a-z_]+)\[(?P<index>\d+)\]$")
RECORD_NAMES = {**vocab.RECORD_KINDS, "expert_recommendations": "专家推荐", "integrity": "诚信记录"}


def number(value: float | int | None) -> str:
    """12.0 → "12", 12.5 → "12.5"."""
    if value is None:
        return ""
    return vocab.num(float(value))


def item_name(item: str) -> str:
    """ "projects[0]" → "科研项目 第 1 条"; other ids are returned as they are."""
    match = ITEM_RE.match(item or "")
    if not match:
        return item
    kind = RECORD_NAMES.get(match["kind"], match["kind"])
    return f"{kind} 第 {int(match['index']) + 1} 条"


def _check(d: dict[str, Any]) -> dict[str, Any]:
    out = dict(d)
    out["details"] = [_check(c) for c in d.get("details") or []]
    return out


def _route(r: dict[str, Any], wanted: str | None) -> dict[str, Any]:
    checks = [_check(c) for c in r["checks"]]
    first_gap = next((c.get("missing") or c.get("expected") for c in checks if not c["met"]), "")
    return {
        **r,
        "short_id": r["id"].split("/", 2)[-1],
        "application_type_label": vocab.APPLICATION_TYPE_NAMES.get(r["application_type"], r["application_type"]),
        "checks": checks,
        "first_gap": first_gap,
        "considered": wanted is None or wanted == r["application_type"],
    }


def _score(score: dict[str, Any] | None) -> dict[str, Any] | None:
    if score is None:
        return None
    flagged = {f["item"]: f["reason"] for f in score.get("flagged", [])}
    parts: dict[str, list] = {part: [] for part in PART_NAMES}
    for item in score.get("items", []):
        parts.setdefault(item.get("part", "basic"), []).append(
            {
                **item,
                "name": item_name(item["id"]),
                "points_text": number(item["points"]),
                "flagged": item["id"] in flagged,
                "flag_reason": flagged.get(item["id"], ""),
            }
        )
    totals = {"basic": score["basic"], "achievements": score["achievements"], "bonus": score["bonus"]}
    return {
        "parts": [
            {"id": part, "label": PART_NAMES.get(part, part), "items": items, "total": number(totals.get(part))}
            for part, items in parts.items()
        ],
        "basic": number(score["basic"]),
        "achievements": number(score["achievements"]),
        "bonus": number(score["bonus"]),
        "self_score": number(score["self_score"]),
        "flagged": [{"item": k, "name": item_name(k), "reason": v} for k, v in flagged.items()],
    }


def present_result(result: dict[str, Any], application_type: str | None = None) -> dict[str, Any]:
    """The engine's result (POLICY_API.md) with the labels and numbers the page shows."""
    routes = [_route(r, application_type) for r in result["routes"]]
    policy = _compiled(result["policy"])
    level = policy.levels.get(result["level"]) if policy else None
    return {
        "raw": result,
        "eligible": result["eligible"],
        "policy_title": policy.title if policy else result["policy"],
        "policy_document": policy.document if policy else "",
        "level_label": level.label if level else vocab.LEVEL_NAMES.get(result["level"], result["level"]),
        "application_type": application_type,
        "application_type_label": vocab.APPLICATION_TYPE_NAMES.get(application_type or "", ""),
        "met_routes": [r for r in routes if r["met"] and r["considered"]],
        "routes": routes,
        "checks": [_check(c) for c in result["checks"]],
        "checks_ok": all(c["met"] for c in result["checks"]),
        "score": _score(result.get("score")),
        "excluded": [{**e, "name": item_name(e["item"])} for e in result.get("excluded", [])],
        "messages": result.get("messages", []),
    }


# --------------------------------------------------------------------------------------
# The policy reader


def policy_summaries() -> list[dict[str, Any]]:
    """Every policy for the reader's index, with Chinese level names; broken files listed as such."""
    from zhicheng.rules.loader import available_policy_ids

    out = []
    for policy_id in available_policy_ids():
        try:
            policy = rules.load_policy(policy_id)
        except rules.PolicyError as error:
            out.append({"id": policy_id, "broken": str(error)})
            continue
        out.append(
            {
                "id": policy.id,
                "title": policy.title,
                "document": policy.document,
                "version": policy.version,
                "levels": [level.label for level in policy.levels.values()],
                "routes": sum(len(level.routes) for level in policy.levels.values()),
                "has_scoring": policy.scoring is not None,
                "plan": PLAN_DEFAULTS.get(policy.id),
            }
        )
    return out


def _field_names(kind: str) -> dict[str, dict]:
    return vocab.RECORD_FIELDS.get(kind, {})


def _row_condition(kind: str, row) -> str:
    """A printed row's matchers in Chinese: "市级 二等奖", "发明专利"."""
    names = _field_names(kind)
    parts = []
    for name, values in row.matchers():
        labels = names.get(name, {})
        parts.append("或".join(str(labels.get(v, v)) for v in sorted(values, key=str)))
    return " ".join(parts) or vocab.RECORD_KINDS.get(kind, kind)


def _row_values(row) -> tuple[str, str]:
    """(ranks, values) of a printed row: ("第 4—8 名", "14、12、10、8、6")."""
    if row.points is not None:
        return "—", number(row.points)
    lo, hi = row.ranks
    values = "、".join(number(row.top - row.step * (rank - lo)) for rank in range(lo, hi + 1))
    ranks = f"第 {lo} 名" if lo == hi else f"第 {lo}—{hi} 名"
    return ranks, values


def _scoring_tables(policy) -> dict[str, Any] | None:
    """The scoring standard's tables, one line per printed row, every value spelt out per rank,
    so an officer can compare them with the annex line by line."""
    spec = policy.spec.scoring
    if spec is None:
        return None
    b = spec.basic
    basic: list[dict[str, Any]] = []
    if b.education:
        rows = [
            (vocab.EDUCATION_NAMES.get(level, level), f"对口 {number(v[0])} 分 / 不对口 {number(v[1])} 分")
            for level, v in b.education.points.items()
        ]
        rows.append(("有学位", f"另加 {number(b.education.degree_bonus)} 分"))
        basic.append({"label": b.education.label, "rows": rows})
    if b.skill_grade:
        rows = [
            (vocab.SKILL_GRADE_NAMES.get(g, str(g)), f"{number(p)} 分") for g, p in sorted(b.skill_grade.points.items())
        ]
        basic.append({"label": b.skill_grade.label, "rows": rows})
    if b.language:
        rows = [(vocab.LANGUAGE_NAMES.get(k, k), f"{number(p)} 分") for k, p in b.language.points.items()]
        basic.append({"label": b.language.label, "rows": rows})
    if b.computer:
        rows = [(f"{t.min_modules} 个及以上模块合格", f"{number(t.points)} 分") for t in b.computer.tiers]
        basic.append({"label": b.computer.label, "rows": rows})
    for rule in (b.work_years, b.title_years):
        if rule is None:
            continue
        points = f"达到申报条件年限 {number(rule.base)} 分，每超 1 年加 {number(rule.per_year)} 分"
        rows = [("计分", f"{points}，最高 {number(rule.max)} 分；未达到 0 分")]
        for level, entries in rule.requirement.items():
            need = "；".join(
                (f"{e.when.compile(_cx(policy, level)).expected}：{e.years} 年" if e.when else f"其他：{e.years} 年")
                for e in entries
            )
            rows.append((f"申报{vocab.LEVEL_NAMES.get(level, level)}要求", need))
        basic.append({"label": rule.label, "rows": rows})
    if b.post:
        rows = [
            (vocab.POST_NAMES.get(k, k), f"大中型企业 {number(v.large)} 分 / 小微企业 {number(v.small)} 分")
            for k, v in b.post.points.items()
        ]
        basic.append({"label": b.post.label, "rows": rows})
    if b.assessment:
        rows = [("优秀", f"每年 {number(b.assessment.per_excellent)} 分，最高 {number(b.assessment.max)} 分")]
        basic.append({"label": b.assessment.label, "rows": rows})
    if b.income:
        basic.append(
            {"label": b.income.label, "rows": [("年收入 12 万元以上（完税证明）", f"{number(b.income.points)} 分")]}
        )
    if b.continuing_education:
        r = b.continuing_education
        standards = "；".join(
            f"{_years_text(st.from_year, st.until_year)}标准 {number(st.hours)} 学时" for st in r.standards
        )
        rows = [
            ("年度标准", standards),
            ("计分", f"超过标准 {number(r.margin)} 学时以上每年 {number(r.per_year)} 分，最高 {number(r.max)} 分"),
        ]
        basic.append({"label": r.label, "rows": rows})

    groups = []
    for g in spec.achievements.groups:
        rows = []
        for row in g.rows:
            ranks, values = _row_values(row)
            rows.append({"condition": _row_condition(g.records, row), "ranks": ranks, "values": values})
        groups.append(
            {
                "label": g.label,
                "kind": vocab.RECORD_KINDS.get(g.records, g.records),
                "cap": number(g.cap) if g.cap is not None else "",
                "rows": rows,
                "note": g.note or "",
                "limits": [limit.note for limit in g.item_limits],
            }
        )
    other = spec.achievements.other
    return {
        "basic": basic,
        "basic_cap": number(b.cap),
        "groups": groups,
        "achievements_cap": number(spec.achievements.cap),
        "other": {"label": other.label, "max": number(other.max)} if other else None,
    }


def _years_text(first: int | None, last: int | None) -> str:
    if first and last:
        return f"{first}—{last} 年" if first != last else f"{first} 年"
    if first:
        return f"{first} 年起"
    if last:
        return f"{last} 年及以前"
    return "各年度"


def _node(node: dict[str, Any]) -> dict[str, Any]:
    """A condition of ``describe_policy`` in one shape for the template:
    ``{id, text, claim, mode: all|any|count|not|None, count, children}``."""
    mode, children = None, []
    for name, key in (("all", "all_of"), ("any", "any_of"), ("count", "items")):
        if isinstance(node.get(key), list):
            mode, children = name, node[key]
            break
    if mode is None and isinstance(node.get("not"), dict):
        mode, children = "not", [node["not"]]
    return {
        "id": node.get("id", ""),
        "text": node.get("text", ""),
        "claim": node.get("claim"),
        "mode": mode,
        "count": node.get("count_of"),
        "children": [_node(child) for child in children],
    }


def _cx(policy, level: str):
    from zhicheng.rules.conditions import CompileContext

    return CompileContext(policy.id, level, None, policy.scoring is not None, {})


def policy_reading(policy_id: str) -> dict[str, Any] | None:
    """Everything the reader page shows of a policy, or None when there is no such policy.

    ``description`` is ``describe_policy``'s text; ``tables`` spells out the scoring standard
    row by row.
    """
    from zhicheng.rules.loader import available_policy_ids

    if policy_id not in available_policy_ids():
        return None
    policy = rules.load_policy(policy_id)
    description = rules.describe_policy(policy_id)
    for level in description["levels"]:
        for route in level["routes"]:
            route["conditions"] = [_node(node) for node in route["conditions"]]
            route["claims"] = [
                {"id": cid, "label": label} for cid, label in policy.claims.items() if cid.startswith(route["id"] + "/")
            ]
    return {
        "description": description,
        "tables": _scoring_tables(policy),
        "plan": PLAN_DEFAULTS.get(policy_id),
        "route_count": sum(len(level["routes"]) for level in description["levels"]),
    }


# --------------------------------------------------------------------------------------
# "Use my archive": which archive records fed each check

# The profile sections each check reads (check ids as the engine reports them).
ACHIEVEMENT_SECTIONS = ("awards", "projects", "papers", "patents", "standards", "new_products", "honors")
CHECK_SECTIONS: dict[str, tuple[str, ...]] = {
    "education": ("education",),
    "education_title": ("education", "titles"),
    "education_work": ("education", "work"),
    "title_years": ("titles",),
    "no_title": ("titles",),
    "skill_years": ("skills",),
    "skill_honour": ("skill_titles", "competitions", "honors"),
    "work_years": ("work",),
    "employer": (),
    "continuing_education": ("continuing_education",),
    "assessment": ("assessments",),
    "social_insurance": ("social_insurance",),
    "retirement": (),
    "integrity": (),
    "award": ("awards",),
    "records": ACHIEVEMENT_SECTIONS,
    "self_score": (*ACHIEVEMENT_SECTIONS, "education", "titles", "work", "assessments", "continuing_education"),
}


def published_plan(plan_id: Any) -> Any:
    """The published plan ``plan_id`` names, or ``None`` (a bad or unknown id is simply ignored)."""
    from zhicheng.plans.models import Plan

    if not str(plan_id or "").isdigit():
        return None
    return Plan.objects.published().filter(pk=int(plan_id)).first()


def archive_profile(user: Any, policy_id: str, level: str, plan: Any = None) -> Any:
    """The person's approved archive as a profile for ``policy_id`` / ``level`` (a ``ProfileBuild``),
    with ``plan``'s own dates when given, else the policy's latest notice's."""
    from zhicheng.archive.profile import build_profile

    if plan is not None:
        from zhicheng.plans.selectors import plan_profile

        return plan_profile(user, plan, level)
    plan = plan_defaults(policy_id)
    return build_profile(
        user,
        policy=policy_id,
        level=level,
        plan_year=plan.plan_year,
        as_of=plan.as_of,
        deadline=plan.deadline or plan.as_of,
        achievements_until=plan.achievements_until or plan.as_of,
    )


def attach_archive_sources(result: dict[str, Any], build: Any) -> None:
    """Give every check of a presented result the archive records it was computed from.

    One query for all the records involved, whatever the number of checks.
    """
    from zhicheng.archive.models import Record

    ids = {pk for path in build.sources for pk in build.records_for(path)}
    records = {r.pk: r for r in Record.objects.filter(pk__in=ids).only("pk", "record_type", "summary")}

    def sources_of(check_id: str) -> list[Any]:
        found: list[Any] = []
        for section in CHECK_SECTIONS.get(check_id, ()):
            found += [records[pk] for pk in build.records_for(section) if pk in records and records[pk] not in found]
        return found

    def annotate(check: dict[str, Any]) -> None:
        check["sources"] = sources_of(check.get("id", ""))
        for detail in check.get("details") or ():
            annotate(detail)

    for check in result["checks"]:
        annotate(check)
    for route in result["routes"]:
        for check in route["checks"]:
            annotate(check)
    result["archive_skipped"] = build.skipped
