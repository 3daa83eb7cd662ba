"""The contexts of the official PDF forms, each laid out after its source document:

- the review form (专业技术职务任职资格评审表, seed 003 §六.2 and seed 001 annex 3: A4, the
  platform's watermark, stamped by every office of the chain);
- the publicity form (公示表) the employer posts for five working days (DOMAIN §7);
- the 破格 self-score form (seed 000 annex: 破格申报机械专业工程师自评赋分表);
- the 破格 approval form (seed 001 annex 4: 破格推荐中级专业技术职务任职资格审批表).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from zhicheng.applications.models import Application
from zhicheng.applications.snapshot import person_id_number
from zhicheng.documents import content, pdf
from zhicheng.documents.selectors import StageOpinion, opinion_of_kind, stage_opinions
from zhicheng.orgs.models import Organisation
from zhicheng.plans.models import PlanStage
from zhicheng.rules.dates import merged_full_years
from zhicheng.rules.vocab import APPLICATION_TYPE_NAMES


def _opened(person: dict[str, Any]) -> dict[str, Any]:
    """The snapshot's person with the ID number opened (the forms print it in full)."""
    return {**person, "id_number": person_id_number(person)}


def _common(application: Application) -> dict[str, Any]:
    snapshot = content.snapshot_of(application)
    person = snapshot.get("person", {})
    return {
        "application": application,
        "plan": application.plan,
        "snapshot": snapshot,
        "person": _opened(person),
        "info": snapshot.get("info", {}),
        "birth_month": content.year_month(person.get("birth_date")),
        "type_label": APPLICATION_TYPE_NAMES.get(application.application_type, application.application_type),
        "submitted_on": content.local_day(application.first_submitted_at),
    }


# --- 评审表 -----------------------------------------------------------------------------------


def review_form(application: Application) -> dict[str, Any]:
    snapshot = content.snapshot_of(application)
    start, end = content.publicity_period(application)
    return {
        **_common(application),
        "photo": pdf.photo_data_uri(application.photo),
        "education": content.education_text(snapshot),
        "current_title": content.current_title_text(snapshot),
        "tables": content.record_tables(snapshot),
        "opinions": stage_opinions(application),
        "publicity_start": start,
        "publicity_end": end,
        "verdict": content.verdict_text(application),
    }


# --- 公示表 -----------------------------------------------------------------------------------


def publicity_form(application: Application) -> dict[str, Any]:
    snapshot = content.snapshot_of(application)
    start, end = content.publicity_period(application)
    employer_id = snapshot.get("person", {}).get("employer_id")
    employer = Organisation.objects.filter(pk=employer_id).first() if employer_id else None
    return {
        **_common(application),
        "education": content.education_text(snapshot),
        "current_title": content.current_title_text(snapshot),
        "achievements": content.main_achievements(snapshot),
        "publicity_start": start,
        "publicity_end": end,
        "employer": employer,
    }


# --- 破格申报自评赋分表 (seed 000 annex) --------------------------------------------------------


@dataclass(frozen=True)
class SeedRow:
    """A row of the seed's table: its group, its indicator (评价指标) and sub-indicator, and the
    engine's score items it totals (by the item id's prefix: ``papers[2]`` → ``papers``)."""

    group: str
    indicator: str
    sub: str
    items: tuple[str, ...]


BASIC = "基本条件\n（最高20分）"
ACHIEVEMENTS = "成果业绩\n（最高35分）"
SEED_ROWS = (
    SeedRow(BASIC, "学历", "", ("education",)),
    SeedRow(BASIC, "技能等级", "", ("skill_grade",)),
    SeedRow(BASIC, "外语", "", ("language",)),
    SeedRow(BASIC, "计算机", "", ("computer",)),
    SeedRow(BASIC, "资历", "专业工作年限", ("work_years",)),
    SeedRow(BASIC, "资历", "职称任职年限", ("title_years",)),
    SeedRow(BASIC, "资历", "技术职务", ("post",)),
    SeedRow("继续教育", "", "", ("continuing_education",)),
    SeedRow(ACHIEVEMENTS, "成果奖项", "", ("awards",)),
    SeedRow(ACHIEVEMENTS, "科研项目", "", ("projects",)),
    SeedRow(ACHIEVEMENTS, "论文著作（最高20分）", "", ("papers",)),
    SeedRow(ACHIEVEMENTS, "知识产权", "", ("patents",)),
    SeedRow(ACHIEVEMENTS, "标准", "", ("standards",)),
    SeedRow(ACHIEVEMENTS, "新产品", "", ("new_products",)),
    SeedRow(ACHIEVEMENTS, "个人荣誉", "", ("honors",)),
    SeedRow(ACHIEVEMENTS, "能体现成果业绩或能力的其他内容（最高5分）", "", ("other_points",)),
)
# Items the seed's table has no row for (the 2020 standard scores them): printed in their part.
PART_GROUPS = {"basic": BASIC, "achievements": ACHIEVEMENTS, "bonus": "加分"}


def item_prefix(item_id: str) -> str:
    return item_id.split("[", 1)[0].split(":", 1)[0]


@dataclass
class ScoreRow:
    group: str
    indicator: str
    sub: str
    points: float = 0.0
    notes: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)
    group_span: int = 1  # rows the group cell covers; 0: covered by the row above
    indicator_span: int = 1


def score_rows(score: dict[str, Any], remarks: dict[str, str]) -> list[ScoreRow]:
    """The seed's rows filled from the engine's items, then the items it has no row for (each
    under its part), with the applicant's remarks (备注说明) keyed by item id."""
    rows = [ScoreRow(r.group, r.indicator, r.sub) for r in SEED_ROWS]
    by_prefix = {prefix: rows[i] for i, r in enumerate(SEED_ROWS) for prefix in r.items}
    extra: dict[str, ScoreRow] = {}
    for item in score.get("items", []):
        prefix = item_prefix(item["id"])
        row = by_prefix.get(prefix)
        if row is None:
            label = "超出上限扣减" if item["id"].endswith(":cap") else item["label"]
            row = extra.get(label)
            if row is None:
                group = PART_GROUPS.get(item.get("part", ""), "其他")
                row = extra[label] = ScoreRow(group, label, "")
        row.points += float(item["points"])
        if item.get("note"):
            row.notes.append(item["note"])
        if remarks.get(item["id"]):
            row.remarks.append(remarks[item["id"]])
    ordered = _insert_extras(rows, list(extra.values()))
    _spans(ordered)
    return ordered


def _insert_extras(rows: list[ScoreRow], extras: list[ScoreRow]) -> list[ScoreRow]:
    out = list(rows)
    for row in extras:
        last = max((i for i, r in enumerate(out) if r.group == row.group), default=len(out) - 1)
        out.insert(last + 1, row)
    return out


def _spans(rows: list[ScoreRow]) -> None:
    """Merge the group cells of a group, and the indicator cells of sub-indicators (资历)."""
    _merge(rows, lambda r: r.group, "group_span")
    _merge(rows, lambda r: (r.group, r.indicator) if r.sub else id(r), "indicator_span")


def _merge(rows: list[ScoreRow], key: Any, attr: str) -> None:
    i = 0
    while i < len(rows):
        j = i + 1
        while j < len(rows) and key(rows[j]) == key(rows[i]):
            j += 1
        setattr(rows[i], attr, j - i)
        for k in range(i + 1, j):
            setattr(rows[k], attr, 0)
        i = j


def self_score_form(application: Application, source: dict[str, Any]) -> dict[str, Any]:
    """``source``: the snapshot, or for a draft the same keys from a live evaluation."""
    score = (source.get("result") or {}).get("score") or {}
    recommendations = list(source.get("recommendations", []))
    experts = recommendations + [{}] * max(0, 2 - len(recommendations))
    return {
        **_common(application),
        "person": _opened(source.get("person", {})),
        "score": score,
        "rows": score_rows(score, source.get("self_score_remarks") or {}),
        "flagged": score.get("flagged", []),
        "experts": experts,
        "is_draft": application.is_draft,
    }


# --- 破格推荐中级专业技术职务任职资格审批表 (seed 001 annex 4) ------------------------------------------

EMPLOYER_KINDS = (PlanStage.OfficeKind.EMPLOYER,)
# 乡镇街道或主管部门: the industry body or association; in Wenzhou the committee's association.
SUPERVISOR_KINDS = (
    PlanStage.OfficeKind.ASSOCIATION,
    PlanStage.OfficeKind.INDUSTRY_BODY,
    PlanStage.OfficeKind.COMMITTEE,
)
HR_KINDS = (PlanStage.OfficeKind.HR_BUREAU, PlanStage.OfficeKind.ACCEPTANCE_POINT, PlanStage.OfficeKind.TITLE_OFFICE)


def relevant_work_years(snapshot: dict[str, Any]) -> int | None:
    """Full years of relevant work up to the plan's seniority cut-off, as the engine counts them."""
    profile = snapshot.get("profile") or {}
    if not profile.get("as_of"):
        return None
    periods = [
        (date.fromisoformat(w["start"]), date.fromisoformat(w["end"]) if w.get("end") else None)
        for w in profile.get("work", [])
        if w.get("relevant") and w.get("start")
    ]
    return merged_full_years(periods, date.fromisoformat(profile["as_of"]))


def exceptional_reasons(snapshot: dict[str, Any], application_type: str) -> list[str]:
    """The 破格 routes met, each with its clause and what the applicant has (破格推荐理由)."""
    result = snapshot.get("result") or {}
    lines = []
    for route in result.get("routes", []):
        if not route.get("met") or route.get("application_type") != application_type:
            continue
        lines.append(f"符合{route.get('clause', '')}：")
        lines += [f"· {check['actual']}" for check in route.get("checks", []) if check.get("actual")]
    claims = snapshot.get("info", {}).get("claims") or []
    if claims:
        lines.append("申报人声明的条件（须审核核实）：" + "、".join(f"第（{c}）项" for c in claims))
    return lines


def graduation_line(record: dict[str, Any]) -> str:
    """何年何校何专业毕业: ``2010年 浙江工业大学 机械设计制造及其自动化 大学本科``."""
    graduated = content.field_value(record, "毕业时间")
    parts = [f"{graduated[:4]}年" if graduated else ""]
    parts += [content.field_value(record, label) for label in ("毕业院校", "所学专业", "学历层次")]
    return " ".join(p for p in parts if p)


def approval_form(application: Application) -> dict[str, Any]:
    snapshot = content.snapshot_of(application)
    opinions = stage_opinions(application)
    work = content.records_of(snapshot, "work")
    appointment = next(iter(content.records_of(snapshot, "appointment")), None)
    posts = [content.field_value(r, "行政职务") for r in work if content.field_value(r, "结束时间") == "至今"]
    return {
        **_common(application),
        "post": "、".join(p for p in posts if p and p != "—") or "无",
        "work_years": relevant_work_years(snapshot),
        "graduation": [graduation_line(r) for r in content.records_of(snapshot, "education")],
        "appointment": content.field_value(appointment, "聘任专业技术职务") if appointment else "",
        "appointed_on": content.field_value(appointment, "聘任开始时间") if appointment else "",
        "resume": [r["summary"] for r in work],
        "reasons": exceptional_reasons(snapshot, application.application_type),
        "employer_opinion": opinion_of_kind(opinions, EMPLOYER_KINDS) or StageOpinion(0, "", ""),
        "supervisor_opinion": opinion_of_kind(opinions, SUPERVISOR_KINDS) or StageOpinion(0, "", ""),
        "hr_opinion": opinion_of_kind(opinions, HR_KINDS) or StageOpinion(0, "", ""),
    }
