"""The panel's scoring: a member's recommendation, points for the flagged items and comment."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.evaluation import selectors
from zhicheng.evaluation.models import Assignment, PanelScore
from zhicheng.evaluation.services.common import EvaluationError, ensure_vote_not_started
from zhicheng.evaluation.thresholds import ACHIEVEMENTS_CAP


@transaction.atomic
def panel_score_save(
    *, actor: Any, assignment: Assignment, recommendation: str, flagged_points: dict[str, Decimal], comment: str = ""
) -> PanelScore:
    """Record (or change, until the vote opens) a member's judgement of an assigned applicant.
    Every flagged item needs points between 0 and the achievements cap (the standard leaves
    the value to the panel: 其他排名由评议专家酌情量分)."""
    assignment = (
        Assignment.objects.select_for_update().select_related("member__expert", "application").get(pk=assignment.pk)
    )
    application = assignment.application
    require(actor, "evaluation.score", application)
    if assignment.member.expert.user_id != actor.pk or assignment.withdrawn_at is not None:
        raise PermissionDenied("这不是分配给您的评审对象。")
    ensure_vote_not_started(application.plan)
    if recommendation not in PanelScore.Recommendation.values:
        raise EvaluationError("请选择推荐意见。")
    wanted = {f["item"] for f in selectors.flagged_items(application)}
    if set(flagged_points) != wanted:
        raise EvaluationError("请为每个由专家酌情量分的项目打分。")
    if any(not 0 <= p <= ACHIEVEMENTS_CAP for p in flagged_points.values()):
        raise EvaluationError(f"酌情量分应在 0 到 {ACHIEVEMENTS_CAP} 分之间。")
    now = timezone.now()
    values = {
        "recommendation": recommendation,
        "flagged_points": {item: str(points) for item, points in sorted(flagged_points.items())},
        "comment": comment.strip(),
        "updated_at": now,
    }
    score, created = PanelScore.objects.update_or_create(
        assignment=assignment, defaults=values, create_defaults={**values, "submitted_at": now}
    )
    log_action(
        actor=actor,
        action="evaluation.panel_score",
        obj=application,
        data={"member": assignment.member_id, "created": created, **values, "updated_at": now.isoformat()},
    )
    return score
