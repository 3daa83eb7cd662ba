"""The expert pool (专家库): experts of a committee, and the relations they declare."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.evaluation.models import Expert, ExpertRelation, PanelMember, VoteSession
from zhicheng.orgs.models import Membership, Role

EXPERT_FIELDS = ("committee", "user", "name", "title_level", "specialty", "region", "employer", "is_active")


def _audit(expert: Expert) -> dict[str, Any]:
    return {
        "committee": expert.committee_id,
        "name": expert.name,
        "title_level": expert.title_level.code,
        "employer": expert.employer_id,
        "user": expert.user_id,
        "active": expert.is_active,
    }


def _grant_expert_role(*, actor: Any, expert: Expert) -> None:
    """A linked account gets the expert role at the committee's organising body, so that the
    expert can log in to score and vote (an existing membership, even a revoked one, is kept)."""
    if expert.user_id is None:
        return
    membership, created = Membership.objects.get_or_create(
        user_id=expert.user_id,
        organisation_id=expert.committee.organising_body_id,
        role=Role.EXPERT,
        defaults={"committee": expert.committee},
    )
    if created:
        log_action(actor=actor, action="orgs.membership_grant", obj=membership, data={"role": Role.EXPERT})


@transaction.atomic
def expert_create(*, actor: Any, data: dict[str, Any]) -> Expert:
    require(actor, "evaluation.manage", data["committee"])
    expert = Expert(**{name: data[name] for name in EXPERT_FIELDS if name in data})
    expert.full_clean()
    expert.save()
    _grant_expert_role(actor=actor, expert=expert)
    log_action(actor=actor, action="evaluation.expert_create", obj=expert, data=_audit(expert))
    return expert


@transaction.atomic
def expert_update(*, actor: Any, expert: Expert, data: dict[str, Any]) -> Expert:
    """Change an expert's entry (the committee may change only to another one ``actor`` runs).
    Panels that have not started voting are re-checked for conflicts (a new employer)."""
    expert = Expert.objects.select_for_update().get(pk=expert.pk)
    require(actor, "evaluation.manage", expert)
    require(actor, "evaluation.manage", data.get("committee", expert.committee))
    for name in EXPERT_FIELDS:
        if name in data:
            setattr(expert, name, data[name])
    expert.full_clean()
    expert.save()
    _grant_expert_role(actor=actor, expert=expert)
    log_action(actor=actor, action="evaluation.expert_update", obj=expert, data=_audit(expert))
    _resync_panels(actor=actor, expert=expert)
    return expert


@transaction.atomic
def relation_declare(*, actor: Any, expert: Expert, data: dict[str, Any]) -> ExpertRelation:
    """Record that ``expert`` declared a relation with a person; the expert stops judging them
    on every panel that has not started voting."""
    require(actor, "evaluation.manage", expert)
    relation = ExpertRelation(
        expert=expert,
        person_name=data["person_name"],
        id_number=data["id_number"].strip().upper(),
        kind=data["kind"],
        note=data.get("note", ""),
        recorded_by=actor,
    )
    relation.full_clean()
    relation.save()
    log_action(
        actor=actor,
        action="evaluation.relation_declare",
        obj=expert,
        data={"relation": relation.pk, "person": relation.person_name, "kind": relation.kind},
    )
    _resync_panels(actor=actor, expert=expert)
    return relation


def _resync_panels(*, actor: Any, expert: Expert) -> None:
    from zhicheng.evaluation.services.panel import sync_assignments

    seats = list(
        PanelMember.objects.filter(expert=expert, status=PanelMember.Status.ACTIVE).select_related("panel__plan")
    )
    voting = set(
        VoteSession.objects.filter(plan_id__in=[s.panel.plan_id for s in seats]).values_list("plan_id", flat=True)
    )
    for seat in seats:
        if seat.panel.plan_id not in voting:
            sync_assignments(actor=actor, panel=seat.panel)
