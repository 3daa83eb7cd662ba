"""The panel (专业审议组): the random draw with avoidance, replacement of a declining member,
and the assignments of applicants to members (``avoidance.assign``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.evaluation import selectors
from zhicheng.evaluation.avoidance import applicant_facts, assign, conflict, expert_facts
from zhicheng.evaluation.draw import draw, new_seed
from zhicheng.evaluation.models import Assignment, Panel, PanelDraw, PanelMember
from zhicheng.evaluation.services.common import EvaluationError, ensure_vote_not_started
from zhicheng.plans.models import Plan

MIN_SIZE, MAX_SIZE = 3, 25


@transaction.atomic
def panel_draw(*, actor: Any, plan: Plan, size: int, seed: str | None = None) -> Panel:
    """Draw ``size`` experts from the plan committee's pool (``selectors.candidates``) and assign
    each qualified applicant to the members not in conflict with them.

    ``seed`` is for tests and recomputation only; pages never pass one (``draw.py``)."""
    require(actor, "evaluation.manage", plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    ensure_vote_not_started(plan)
    if Panel.objects.filter(plan=plan).exists():
        raise EvaluationError("本计划已抽取专业审议组；专家谢绝时请替补抽取。")
    if not MIN_SIZE <= size <= MAX_SIZE:
        raise EvaluationError(f"专业审议组人数应在 {MIN_SIZE} 到 {MAX_SIZE} 人之间。")
    if not selectors.qualified_applications(plan).exists():
        raise EvaluationError("本计划还没有资格审查通过的申报，暂不能抽取专家。")
    candidate_ids = list(selectors.candidates(plan).values_list("pk", flat=True))
    if len(candidate_ids) < size:
        raise EvaluationError(f"专家库中符合条件的专家只有 {len(candidate_ids)} 名，少于抽取人数 {size} 名。")
    seed = seed or new_seed()
    chosen = draw(seed, candidate_ids, size)
    panel = Panel.objects.create(plan=plan, size=size, created_by=actor)
    record = PanelDraw.objects.create(
        panel=panel,
        kind=PanelDraw.Kind.INITIAL,
        seed=seed,
        size=size,
        candidates=candidate_ids,
        chosen=chosen,
        drawn_by=actor,
    )
    for expert_id in chosen:
        PanelMember.objects.create(panel=panel, expert_id=expert_id, draw=record)
    log_action(
        actor=actor,
        action="evaluation.panel_draw",
        obj=panel,
        data={"plan": plan.number, "seed": seed, "size": size, "candidates": candidate_ids, "chosen": chosen},
    )
    sync_assignments(actor=actor, panel=panel)
    return panel


@transaction.atomic
def member_replace(*, actor: Any, member: PanelMember, reason: str, seed: str | None = None) -> PanelMember:
    """``member`` declined: record it and draw one replacement from the experts who are not (and
    were not) on the panel. The replacement draw keeps its own seed."""
    plan = member.panel.plan
    require(actor, "evaluation.manage", plan)
    ensure_vote_not_started(plan)
    member = PanelMember.objects.select_for_update().select_related("panel").get(pk=member.pk)
    if not member.is_active:
        raise EvaluationError("该专家已谢绝，已经替补过。")
    if not reason.strip():
        raise EvaluationError("请填写专家谢绝的原因。")
    panel = member.panel
    seated = set(panel.members.values_list("expert_id", flat=True))
    candidate_ids = list(selectors.candidates(plan, exclude=seated).values_list("pk", flat=True))
    if not candidate_ids:
        raise EvaluationError("专家库中已没有可替补的专家，请先补充专家库。")
    seed = seed or new_seed()
    chosen = draw(seed, candidate_ids, 1)
    member.status = PanelMember.Status.DECLINED
    member.decline_reason = reason.strip()
    member.declined_at = timezone.now()
    member.save(update_fields=["status", "decline_reason", "declined_at"])
    record = PanelDraw.objects.create(
        panel=panel,
        kind=PanelDraw.Kind.REPLACEMENT,
        seed=seed,
        size=1,
        candidates=candidate_ids,
        chosen=chosen,
        replaces=member,
        drawn_by=actor,
    )
    replacement = PanelMember.objects.create(panel=panel, expert_id=chosen[0], draw=record)
    log_action(
        actor=actor,
        action="evaluation.panel_replace",
        obj=panel,
        data={
            "declined": member.expert_id,
            "reason": member.decline_reason,
            "seed": seed,
            "candidates": candidate_ids,
            "chosen": chosen,
        },
    )
    sync_assignments(actor=actor, panel=panel)
    return replacement


@transaction.atomic
def assignments_refresh(*, actor: Any, plan: Plan) -> tuple[int, int]:
    """Bring the assignments up to date (applications qualified after the draw, relations
    declared since): ``(added, withdrawn)``."""
    require(actor, "evaluation.manage", plan)
    ensure_vote_not_started(plan)
    panel = Panel.objects.filter(plan=plan).first()
    if panel is None:
        raise EvaluationError("本计划还没有抽取专业审议组。")
    return sync_assignments(actor=actor, panel=panel)


def sync_assignments(*, actor: Any, panel: Panel) -> tuple[int, int]:
    """Make the active assignments exactly the conflict-free pairs of active members and
    qualified applicants: create the missing ones, withdraw (never delete) the others, and
    reactivate a withdrawn pair that is allowed again. Callers hold the transaction and have
    checked that the vote has not started."""
    members = list(
        panel.members.filter(status=PanelMember.Status.ACTIVE)
        .select_related("expert")
        .prefetch_related("expert__relations")
    )
    applications = {a.pk: a for a in selectors.qualified_applications(panel.plan)}
    experts = {m.expert_id: expert_facts(m.expert) for m in members}
    applicants = {pk: applicant_facts(a) for pk, a in applications.items()}
    seat_of = {m.expert_id: m.pk for m in members}
    wanted = {(seat_of[e], a) for e, a in assign(experts.values(), applicants.values())}
    expert_of = {m.pk: m.expert_id for m in members}

    now = timezone.now()
    added: list[list[int]] = []
    withdrawn: list[list[Any]] = []
    existing = {(a.member_id, a.application_id): a for a in Assignment.objects.filter(member__panel=panel)}
    for pair, assignment in existing.items():
        member_id, application_id = pair
        if assignment.withdrawn_at is None and pair not in wanted:
            if member_id not in expert_of:
                reason = "专家已谢绝"
            elif application_id not in applicants:
                continue  # no longer qualified: its evaluation is over, keep the history as it was
            else:
                reason = conflict(experts[expert_of[member_id]], applicants[application_id]) or "回避"
            assignment.withdrawn_at, assignment.withdrawn_reason = now, reason
            assignment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
            withdrawn.append([member_id, application_id, reason])
        elif assignment.withdrawn_at is not None and pair in wanted:
            assignment.withdrawn_at, assignment.withdrawn_reason = None, ""
            assignment.save(update_fields=["withdrawn_at", "withdrawn_reason"])
            added.append([member_id, application_id])
    for member_id, application_id in sorted(wanted - existing.keys()):
        Assignment.objects.create(member_id=member_id, application_id=application_id, created_at=now)
        added.append([member_id, application_id])
    if added or withdrawn:
        log_action(
            actor=actor,
            action="evaluation.assignments_sync",
            obj=panel,
            data={"added": added, "withdrawn": withdrawn},
        )
    return len(added), len(withdrawn)
