"""Writes of plans: ``plan_create`` and ``plan_update`` (keyword-only, atomic, audited).

Both check the plan's invariants (``validation.plan_errors``) and the actor's permission
(``plan.manage`` on the committee), replace the review chain with the given stages, and log
the change. When no application type is given, the plan offers every type the policy allows
for the chosen levels, so the stored list is always explicit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.plans.models import Plan, PlanStage
from zhicheng.plans.validation import plan_errors, policy_levels

SCALAR_FIELDS = (
    "number",
    "year",
    "name",
    "committee",
    "series",
    "specialty",
    "application_types",
    "policy_id",
    "individual_start",
    "individual_end",
    "employer_deadline",
    "seniority_cutoff",
    "achievements_cutoff",
    "publicity_working_days",
    "remark",
    "is_published",
)
M2M_FIELDS = ("levels", "subspecialties", "acceptance_points")
STAGE_FIELDS = ("order", "office_kind", "organisation", "label", "deadline")


def _check(data: dict[str, Any], stages: Sequence[dict[str, Any]]) -> None:
    errors = plan_errors(data, stages)
    if errors:
        flat: dict[str, list[str]] = {}
        for key, messages in errors.items():
            name = key if isinstance(key, str) else f"stages-{key[1]}-{key[2]}"
            flat.setdefault(name, []).extend(messages)
        raise ValidationError(flat)


def _explicit_types(data: dict[str, Any]) -> list[str]:
    if data.get("application_types"):
        return list(data["application_types"])
    by_level = policy_levels(data["policy_id"])
    types: list[str] = []
    for level in data.get("levels") or ():
        for t in by_level.get(level.code, ()):
            if t not in types:
                types.append(t)
    return types


def _audit_data(plan: Plan, stages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "number": plan.number,
        "name": plan.name,
        "policy": plan.policy_id,
        "window": [plan.individual_start.isoformat(), plan.individual_end.isoformat()],
        "levels": sorted(level.code for level in plan.levels.all()),
        "stages": [str(s.get("label", "")) for s in stages],
    }


def _write(plan: Plan, data: dict[str, Any], stages: Sequence[dict[str, Any]]) -> None:
    for name in SCALAR_FIELDS:
        if name in data:
            setattr(plan, name, data[name])
    plan.application_types = _explicit_types(data)
    plan.full_clean(exclude=["created_by"], validate_unique=True)
    plan.save()
    for name in M2M_FIELDS:
        getattr(plan, name).set(data.get(name) or [])
    plan.stages.all().delete()
    PlanStage.objects.bulk_create(
        PlanStage(plan=plan, **{name: stage.get(name) for name in STAGE_FIELDS}) for stage in stages
    )


@transaction.atomic
def plan_create(*, actor: Any, data: dict[str, Any], stages: Sequence[dict[str, Any]] = ()) -> Plan:
    """Create a plan for ``data["committee"]``; ``actor`` must manage that committee's plans."""
    require(actor, "plan.manage", data.get("committee"))
    _check(data, stages)
    plan = Plan(created_by=actor if getattr(actor, "pk", None) else None)
    _write(plan, data, stages)
    log_action(actor=actor, action="plan.create", obj=plan, data=_audit_data(plan, stages))
    return plan


def _check_chain_kept(plan: Plan, stages: Sequence[dict[str, Any]]) -> None:
    """Once applications are in the chain, its offices and their order are fixed: an application
    waiting at stage 3 must still mean the same office. Labels and deadlines may change."""
    from zhicheng.applications.models import Application

    if not Application.objects.filter(plan=plan).exclude(status=Application.Status.DRAFT).exists():
        return

    def shape(rows: Any) -> list[tuple[Any, ...]]:
        return sorted((r["order"], r["office_kind"], getattr(r.get("organisation"), "pk", None)) for r in rows)

    current = [
        {"order": s.order, "office_kind": s.office_kind, "organisation": s.organisation} for s in plan.stages.all()
    ]
    if shape(current) != shape(stages):
        raise ValidationError(
            {"stages": ["已有申报提交并进入审核流程，不能再更改审核环节的顺序或审核单位（可修改环节名称和截止日）。"]}
        )


@transaction.atomic
def plan_update(*, actor: Any, plan: Plan, data: dict[str, Any], stages: Sequence[dict[str, Any]]) -> Plan:
    """Change a plan and replace its review chain. The committee may change only to another
    committee the actor manages."""
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    require(actor, "plan.manage", plan)
    require(actor, "plan.manage", data.get("committee", plan.committee))
    _check(data, stages)
    _check_chain_kept(plan, stages)
    _write(plan, data, stages)
    log_action(actor=actor, action="plan.update", obj=plan, data=_audit_data(plan, stages))
    return plan
