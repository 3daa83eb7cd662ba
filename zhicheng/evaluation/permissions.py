"""Who may run and who may take part in a committee's evaluation.

``evaluation.manage`` — the committee office (评委会办公室): an active membership whose role
grants the code and whose ``committee`` is the object's committee; platform staff too. The
object is a Plan, an Expert (its pool's committee), a Committee, or None ("manages some
committee's evaluation").

``evaluation.score`` — an expert (a role granting the code) who sits on the plan's panel, and
for an application only when it is assigned to them. The object is an Application, a Plan
(the panel member's ballot), or None ("sits on some panel").
"""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule
from zhicheng.orgs.models import ROLE_PERMISSIONS, Committee, Membership


def _roles_with(code: str) -> list[str]:
    return [role for role, codes in ROLE_PERMISSIONS.items() if code in codes]


def managed_committee_ids(user: Any) -> set[int]:
    """Committees whose evaluation ``user`` runs through an active membership (not staff)."""
    cached = getattr(user, "_zc_evaluation_committees", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(
                user=user, role__in=_roles_with("evaluation.manage"), is_active=True, committee__isnull=False
            ).values_list("committee_id", flat=True)
        )
        user._zc_evaluation_committees = cached
    return cached


def holds_expert_role(user: Any) -> bool:
    return Membership.objects.filter(user=user, role__in=_roles_with("evaluation.score"), is_active=True).exists()


@rule("evaluation.manage")
def manage_evaluation(user: Any, obj: Any) -> bool:
    if user.is_staff:
        return True
    committees = managed_committee_ids(user)
    if obj is None:
        return bool(committees)
    committee_id = obj.pk if isinstance(obj, Committee) else getattr(obj, "committee_id", None)
    return committee_id in committees


@rule("evaluation.score")
def score_application(user: Any, obj: Any) -> bool:
    from zhicheng.applications.models import Application
    from zhicheng.evaluation.models import Assignment, PanelMember

    if not holds_expert_role(user):
        return False
    seats = PanelMember.objects.filter(expert__user=user, status=PanelMember.Status.ACTIVE)
    if obj is None:
        return seats.exists()
    if isinstance(obj, Application):
        return Assignment.objects.filter(member__in=seats, application=obj, withdrawn_at__isnull=True).exists()
    return seats.filter(panel__plan_id=obj.pk).exists()  # a Plan
