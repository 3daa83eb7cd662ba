"""The invariants of a plan, checked in one place for forms and services alike.

``plan_errors`` returns ``{field: [Chinese message, …]}`` (stage fields as
``"stages-<index>-deadline"``-style keys ``("stage", index, field)``), so a form shows each
message beside its field and a service refuses the same data with the same words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from django.utils import timezone

from zhicheng import rules
from zhicheng.plans.models import SHANGHAI


def policy_choices() -> list[tuple[str, str]]:
    return [(p["id"], f"{p['title']}（{p['document']}）") for p in rules.available_policies()]


def policy_levels(policy_id: str) -> dict[str, list[str]]:
    """``{level code: [application types]}`` of a loadable policy; ``{}`` otherwise."""
    if policy_id not in {p["id"] for p in rules.available_policies()}:
        return {}
    try:
        policy = rules.load_policy(policy_id)
    except rules.PolicyError:
        return {}
    return {code: list(level.application_types) for code, level in policy.levels.items()}


def _day(value: datetime) -> date:
    return timezone.localtime(value, SHANGHAI).date()


def plan_errors(data: dict[str, Any], stages: Sequence[dict[str, Any]] = ()) -> dict[Any, list[str]]:
    """Everything wrong with a plan's data. Keys: field names, or ``("stage", i, field)``."""
    errors: dict[Any, list[str]] = {}

    def add(key: Any, message: str) -> None:
        errors.setdefault(key, []).append(message)

    policy_id = data.get("policy_id") or ""
    levels_of_policy = policy_levels(policy_id)
    if not levels_of_policy:
        add("policy_id", f"政策“{policy_id}”不存在或无法加载，请从列表中选择。")
    else:
        level_codes = [getattr(level, "code", level) for level in data.get("levels") or ()]
        missing = [code for code in level_codes if code not in levels_of_policy]
        if missing:
            names = "、".join(
                getattr(level, "name", level) for level in data["levels"] if getattr(level, "code", level) in missing
            )
            add("levels", f"所选政策不包含以下级别：{names}。")
        offered = {t for code in level_codes if code in levels_of_policy for t in levels_of_policy[code]}
        bad = [t for t in data.get("application_types") or () if t not in offered]
        if bad and not missing:
            add("application_types", f"所选政策和级别不包含以下申报类型：{'、'.join(bad)}。")
    if not data.get("levels"):
        add("levels", "请至少选择一个申报级别。")

    start, end = data.get("individual_start"), data.get("individual_end")
    if start and end and end <= start:
        add("individual_end", "个人申报截止时间应晚于开始时间。")
    last_day = _day(end) if end else None
    employer_deadline = data.get("employer_deadline")
    if last_day and employer_deadline and employer_deadline < last_day:
        add("employer_deadline", "单位推荐截止日不得早于个人申报截止日。")

    year = data.get("year")
    seniority = data.get("seniority_cutoff")
    if year and seniority and seniority.year != year:
        add("seniority_cutoff", f"资历计算截止日应在计划年度（{year} 年）内。")
    achievements = data.get("achievements_cutoff")
    if seniority and achievements and achievements > seniority:
        add("achievements_cutoff", "业绩截止日不得晚于资历计算截止日。")

    series, specialty = data.get("series"), data.get("specialty")
    if series and specialty and specialty.series_id != series.pk:
        add("specialty", f"专业“{specialty.name}”不属于“{series.name}”系列。")
    subspecialties: Iterable[Any] = data.get("subspecialties") or ()
    if specialty is not None:
        stray = [s.name for s in subspecialties if s.specialty_id != specialty.pk]
        if stray:
            add("subspecialties", f"以下子专业不属于“{specialty.name}”专业：{'、'.join(stray)}。")
    elif list(subspecialties):
        add("subspecialties", "选择子专业前请先选择专业。")

    previous = employer_deadline or last_day
    previous_label = "单位推荐截止日" if employer_deadline else "个人申报截止日"
    orders: set[int] = set()
    for index, stage in enumerate(stages):
        order = stage.get("order")
        if order in orders:
            add(("stage", index, "order"), "审核环节的顺序不能重复。")
        orders.add(order)
    for index, stage in sorted(enumerate(stages), key=lambda pair: pair[1].get("order") or 0):
        deadline = stage.get("deadline")
        if deadline is None:
            continue
        is_employer = stage.get("office_kind") == "employer"
        if is_employer and last_day and deadline < last_day:
            add(("stage", index, "deadline"), "单位审核截止日不得早于个人申报截止日。")
        elif not is_employer and previous and deadline < previous:
            add(
                ("stage", index, "deadline"),
                f"审核截止日应按环节顺序排列，不得早于{previous_label}（{previous:%Y-%m-%d}）。",
            )
        previous, previous_label = deadline, "上一环节截止日"
    return errors
