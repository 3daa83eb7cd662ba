"""Policies as readable structured text, for the policy reader page and the API."""

from __future__ import annotations

from .loader import available_policy_ids, load_policy
from .vocab import (
    APPLICATION_TYPE_NAMES,
    EDUCATION_NAMES,
    LANGUAGE_NAMES,
    POST_NAMES,
    RECORD_FIELDS,
    SKILL_GRADE_NAMES,
    num,
)


def available_policies() -> list[dict]:
    """Every policy in the policy folder: ``[{id, title, document, version, levels}]``."""
    out = []
    for policy_id in available_policy_ids():
        policy = load_policy(policy_id)
        out.append(
            {
                "id": policy.id,
                "title": policy.title,
                "document": policy.document,
                "version": policy.version,
                "levels": list(policy.levels),
            }
        )
    return out


def _window_text(policy) -> str:
    w = policy.window
    parts = []
    if w.since_current_title:
        parts.append("任现职后取得")
    if w.or_last_years:
        parts.append(f"近 {w.or_last_years} 年内取得")
    head = "或".join(parts) + ("（以较早者起算）" if len(parts) > 1 else "")
    return f"业绩成果须{head or '不限起始时间'}，且不晚于业绩截止日；不符合的业绩不计分、不作为条件。"


def _scoring(policy) -> dict | None:
    s = policy.scoring
    if s is None:
        return None
    spec = s.spec
    b = spec.basic
    basic = []
    if b.education:
        rows = "；".join(
            f"{EDUCATION_NAMES[level]}：专业对口 {num(v[0])} 分、不对口 {num(v[1])} 分"
            for level, v in b.education.points.items()
        )
        basic.append(
            {
                "id": "education",
                "label": b.education.label,
                "text": f"{rows}；最高学历有学位另加 {num(b.education.degree_bonus)} 分",
            }
        )
    names = {"skill_grade": SKILL_GRADE_NAMES, "language": LANGUAGE_NAMES, "post": POST_NAMES}
    for key in ("skill_grade", "language", "post"):
        rule = getattr(b, key)
        if rule is not None:
            basic.append({"id": key, "label": rule.label, "text": _points_text(rule.points, names[key])})
    if b.income:
        basic.append({"id": "income", "label": b.income.label, "text": f"年收入 12 万元以上 {num(b.income.points)} 分"})
    if b.computer:
        basic.append(
            {
                "id": "computer",
                "label": b.computer.label,
                "text": "；".join(f"{t.min_modules} 个及以上模块 {num(t.points)} 分" for t in b.computer.tiers),
            }
        )
    for key in ("work_years", "title_years"):
        rule = getattr(b, key)
        if rule is not None:
            basic.append(
                {
                    "id": key,
                    "label": rule.label,
                    "text": (
                        f"达到申报条件年限计 {num(rule.base)} 分，每超 1 年加 {num(rule.per_year)} 分，"
                        f"最高 {num(rule.max)} 分"
                    ),
                }
            )
    if b.assessment:
        basic.append(
            {
                "id": "assessment",
                "label": b.assessment.label,
                "text": f"优秀每年 {num(b.assessment.per_excellent)} 分，最高 {num(b.assessment.max)} 分",
            }
        )
    if b.continuing_education:
        r = b.continuing_education
        basic.append(
            {
                "id": "continuing_education",
                "label": r.label,
                "text": f"年度学时超过标准 {num(r.margin)} 学时以上每年 {num(r.per_year)} 分，最高 {num(r.max)} 分",
            }
        )
    groups = []
    for g in spec.achievements.groups:
        rows = []
        for row in g.rows:
            vocab = RECORD_FIELDS[g.records]
            match = " ".join(
                "或".join(vocab[name][v] for v in sorted(values, key=str)) for name, values in row.matchers()
            )
            if row.points is not None:
                rows.append(f"{match}：{num(row.points)} 分")
            else:
                lo, hi = row.ranks
                if lo == hi:
                    rows.append(f"{match}：第 {lo} 名 {num(row.top)} 分")
                else:
                    rows.append(f"{match}：第 {lo}—{hi} 名 {num(row.top)} 分起，每名减 {num(row.step)} 分")
        groups.append(
            {
                "id": g.id,
                "label": g.label,
                "cap": g.cap,
                "rows": rows,
                "note": g.note,
                "limits": [lim.note for lim in g.item_limits],
            }
        )
    bonus = []
    if spec.bonus and spec.bonus.mountain:
        m = spec.bonus.mountain
        bonus.append(
            {
                "id": "mountain",
                "label": m.label,
                "clause": m.clause,
                "text": f"在山区县从事相关专业技术工作每满 1 年加 {num(m.per_year)} 分，累计不超过 {num(m.max)} 分",
            }
        )
    return {
        "label": spec.label,
        "clause": spec.clause,
        "basic": {"label": b.label, "cap": b.cap, "items": basic},
        "achievements": {"label": spec.achievements.label, "cap": spec.achievements.cap, "groups": groups},
        "bonus": bonus,
        "notes": spec.notes,
    }


def _points_text(points: dict, names: dict) -> str:
    parts = []
    for key, value in points.items():
        if hasattr(value, "large"):
            parts.append(f"{names[key]}：大中型企业 {num(value.large)} 分、小微企业 {num(value.small)} 分")
        else:
            parts.append(f"{names[key]}：{num(value)} 分")
    return "；".join(parts)


def describe_policy(policy_id: str) -> dict:
    """Every level, route, condition and general rule of a policy as Chinese text with its
    clause — what a "policy reader" page renders."""
    policy = load_policy(policy_id)
    spec = policy.spec
    levels = []
    for level in policy.levels.values():
        routes = []
        for route in level.routes:
            routes.append(
                {
                    "id": route.full_id,
                    "route": route.id,
                    "application_type": route.application_type,
                    "application_type_label": APPLICATION_TYPE_NAMES[route.application_type],
                    "clause": route.clause,
                    "label": route.label,
                    "conditions": [n.describe() for n in route.checks],
                    "checks": [
                        {"id": c.id, "label": c.label, "clause": c.clause, "text": c.describe()} for c in route.general
                    ],
                    "notes": list(route.notes),
                }
            )
        levels.append({"level": level.level, "label": level.label, "routes": routes})
    return {
        "id": policy.id,
        "version": policy.version,
        "title": policy.title,
        "document": policy.document,
        "region": spec.region,
        "specialty": spec.specialty,
        "summary": spec.summary,
        "sources": [s.model_dump(mode="json") for s in spec.sources],
        "conventions": list(spec.conventions.notes),
        "achievement_window": {
            "clause": policy.window.clause,
            "label": policy.window.label,
            "text": _window_text(policy),
        },
        "checks": [{"id": c.id, "label": c.label, "clause": c.clause, "text": c.describe()} for c in policy.top_checks],
        "levels": levels,
        "scoring": _scoring(policy),
        "claims": [{"id": k, "label": v} for k, v in policy.claims.items()],
        "notes": list(spec.notes),
    }
