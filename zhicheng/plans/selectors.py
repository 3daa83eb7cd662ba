"""Reads of plans: the public search, what an office manages, and the recommendation.

Query budgets: ``search_plans`` is a fixed number of queries whatever the page size (one
pre-filter for the application type, the page with its joins, and two prefetches);
``recommend_plans`` looks at no more than ``MAX_RECOMMENDED`` plans and builds no more than
``MAX_EVALUATIONS`` archive profiles, so its cost has a fixed upper bound.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.db.models import Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from zhicheng.plans.models import Plan, PlanStage
from zhicheng.plans.permissions import managed_committee_ids
from zhicheng.reference.models import Region, TitleLevel

SEARCH_WORDS = 10


def _with_relations(plans: QuerySet[Plan]) -> QuerySet[Plan]:
    return plans.select_related("committee__region", "series", "specialty").prefetch_related(
        Prefetch("levels", queryset=TitleLevel.objects.order_by("rank")),
        "acceptance_points__region",
    )


def search_plans(
    *,
    q: str = "",
    series: Any = None,
    application_type: str = "",
    level: Any = None,
    include_closed: bool = False,
    now: datetime | None = None,
) -> QuerySet[Plan]:
    """Published plans matching every word of ``q`` (in the name, number, committee or
    specialty), the series, the application type and the level; open ones only unless
    ``include_closed`` (then upcoming and closed ones too). Open plans first."""
    now = now or timezone.now()
    plans = Plan.objects.published()
    if not include_closed:
        plans = plans.open_at(now)
    for word in q.split()[:SEARCH_WORDS]:
        plans = plans.filter(
            Q(name__icontains=word)
            | Q(number__icontains=word)
            | Q(committee__name__icontains=word)
            | Q(specialty__name__icontains=word)
        )
    if series:
        plans = plans.filter(series=series)
    if level:
        plans = plans.filter(levels=level)
    if application_type:
        # The types are a JSON list (not queryable on every backend): one pre-filter query.
        ids = [pk for pk, types in plans.values_list("pk", "application_types") if application_type in (types or ())]
        plans = Plan.objects.filter(pk__in=ids)
    return _with_relations(plans.distinct()).order_by("-individual_end", "number")


def plans_managed_by(user: Any) -> QuerySet[Plan]:
    plans = (
        Plan.objects.all()
        if user.is_staff or user.is_superuser
        else Plan.objects.filter(committee_id__in=managed_committee_ids(user))
    )
    return _with_relations(plans).order_by("-year", "-individual_start")


def plan_for_display(pk: int, user: Any) -> Plan | None:
    """A published plan, or an unpublished one for those who manage it."""
    plan = (
        _with_relations(Plan.objects.filter(pk=pk))
        .select_related("committee__organising_body")
        .prefetch_related(
            Prefetch("stages", queryset=PlanStage.objects.select_related("organisation").order_by("order")),
            "subspecialties",
        )
        .first()
    )
    if plan is None:
        return None
    if not plan.is_published:
        from zhicheng.core.permissions import can

        if not can(user, "plan.manage", plan):
            return None
    return plan


# --------------------------------------------------------------------------------------
# Recommendation

MAX_RECOMMENDED = 5
MAX_EVALUATIONS = 8


@dataclass
class Recommendation:
    plan: Plan
    level: TitleLevel
    why: str
    eligible: bool | None  # None: the engine could not evaluate (the reasons say why)
    reasons: list[str] = field(default_factory=list)
    route: str = ""
    selfcheck_url: str = ""
    status: str = ""

    @property
    def verdict(self) -> str:
        if self.eligible is None:
            return "无法评估"
        return "符合申报条件" if self.eligible else "暂不符合"

    @property
    def is_open(self) -> bool:
        return self.status == Plan.Status.OPEN


def _regions_up(region: Region) -> list[Region]:
    chain = [region]
    while chain[-1].parent is not None and len(chain) < 3:
        chain.append(chain[-1].parent)
    return chain


def _why(plan: Plan, region: Region, chain_ids: set[int]) -> str:
    committee_region = plan.committee.region
    if committee_region.pk == region.pk:
        scope = f"该计划受理{region.name}的申报"
    elif committee_region.pk in chain_ids:
        scope = f"该计划受理{committee_region.name}各县（市、区）申报"
    else:
        point = next((p for p in plan.acceptance_points.all() if p.region_id in chain_ids), None)
        scope = f"该计划在{point.name}受理申报" if point else "该计划受理您所在地区的申报"
    return f"您的单位在{region.name}，{scope}"


def verdict_summary(result: dict[str, Any]) -> tuple[str, list[str]]:
    """The met route's id, or the reasons of the closest route and the general checks."""

    def text(check: dict[str, Any]) -> str:
        gap = check.get("missing") or ""
        if gap:
            return str(gap)
        parts = [str(check.get(k)) for k in ("expected", "actual") if check.get(k) not in (None, "")]
        label = check.get("label") or check.get("id", "")
        return f"{label}：要求 {parts[0]}，实际 {parts[1]}" if len(parts) == 2 else f"{label}：{'；'.join(parts)}"

    met = [r for r in result["routes"] if r["met"]]
    general = [text(c) for c in result.get("checks", []) if not c["met"]]
    if met and not general:
        return met[0]["id"].split("/", 2)[-1], []
    if met:
        return met[0]["id"].split("/", 2)[-1], general
    closest = min(result["routes"], key=lambda r: sum(not c["met"] for c in r["checks"]), default=None)
    route_reasons = [text(c) for c in closest["checks"] if not c["met"]] if closest else []
    return "", general + route_reasons


def plan_profile(user: Any, plan: Plan, level: str) -> Any:
    """The person's approved archive as a profile for ``plan`` at ``level``, with the plan's own
    year, seniority and achievements cut-offs and individual deadline (a ``ProfileBuild``)."""
    from zhicheng.archive.profile import build_profile

    return build_profile(
        user,
        policy=plan.policy_id,
        level=level,
        plan_year=plan.year,
        as_of=plan.seniority_cutoff,
        deadline=plan.individual_last_day,
        achievements_until=plan.achievements_cutoff,
    )


def _evaluate(user: Any, plan: Plan, level: TitleLevel) -> tuple[bool | None, str, list[str]]:
    from zhicheng.eligibility.services import evaluate_profile
    from zhicheng.rules import PolicyError

    build = plan_profile(user, plan, level.code)
    try:
        outcome = evaluate_profile(build.profile)
    except PolicyError:
        return None, "", ["该政策的条件数据暂时有误，无法评估"]
    if not outcome.ok:
        return None, "", [f"{e.get('loc')}：{e.get('msg')}" for e in outcome.errors[:3]]
    route, reasons = verdict_summary(outcome.result)
    return bool(outcome.result["eligible"]), route, reasons


def _held_rank(user: Any) -> int:
    from zhicheng.archive.models import Record, TitleHeld

    ranks = TitleHeld.objects.filter(owner=user, status=Record.Status.APPROVED).values_list("level__rank", flat=True)
    return max(ranks, default=0)


def recommend_plans(user: Any, *, now: datetime | None = None) -> list[Recommendation]:
    """Plans not yet closed that fit the applicant, open ones first, each with the next level
    above the title they hold and the engine's verdict on their approved archive, evaluated
    with the plan's own dates.

    Fit: the plan's committee region contains the employer's region (or one of the plan's
    acceptance points covers it), and the plan's series is the applicant's series (when set).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    from zhicheng.accounts.models import ApplicantProfile

    profile = ApplicantProfile.objects.select_related("employer__region__parent__parent").filter(user=user).first()
    if profile is None or profile.employer is None:
        return []
    now = now or timezone.now()
    region = profile.employer.region
    chain_ids = {r.pk for r in _regions_up(region)}
    plans = (
        Plan.objects.published()
        .not_closed_at(now)
        .filter(Q(committee__region_id__in=chain_ids) | Q(acceptance_points__region_id__in=chain_ids))
    )
    if profile.series_id:
        plans = plans.filter(series_id=profile.series_id)
    candidates = list(_with_relations(plans.distinct()).order_by("individual_start", "number")[: MAX_RECOMMENDED * 2])
    candidates.sort(key=lambda p: (not p.is_open(now), p.individual_start))
    held = _held_rank(user)
    out: list[Recommendation] = []
    evaluations = 0
    for plan in candidates:
        if len(out) >= MAX_RECOMMENDED or evaluations >= MAX_EVALUATIONS:
            break
        above = [level for level in plan.levels.all() if level.rank > held]
        if not above:
            continue
        # The next step up; with no title yet, the highest level the archive already meets.
        tries = [above[0]] if held else list(reversed(above))
        chosen = None
        for level in tries:
            if evaluations >= MAX_EVALUATIONS:
                break
            evaluations += 1
            eligible, route, reasons = _evaluate(user, plan, level)
            chosen = (level, eligible, route, reasons)
            if eligible:
                break
        if chosen is None:
            break
        level, eligible, route, reasons = chosen
        query = urlencode({"policy": plan.policy_id, "level": level.code, "source": "archive", "plan": plan.pk})
        out.append(
            Recommendation(
                plan=plan,
                level=level,
                why=_why(plan, region, chain_ids),
                eligible=eligible,
                reasons=reasons,
                route=route,
                selfcheck_url=f"{reverse('eligibility:selfcheck')}?{query}",
                status=plan.status_at(now),
            )
        )
    return out
