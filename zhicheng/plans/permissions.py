"""Who may manage plans: administrators, and a committee office (评委会办公室) for its own
committee's plans only (role ``committee_secretary``, permission code ``plan.manage``)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule
from zhicheng.orgs.models import ROLE_PERMISSIONS, Committee, Membership

MANAGING_ROLES = [role for role, codes in ROLE_PERMISSIONS.items() if "plan.manage" in codes]


def managed_committee_ids(user: Any) -> set[int]:
    """Committees whose plans ``user`` manages through an active membership (not staff)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_zc_plan_committees", None)
    if cached is None:
        cached = set(
            Membership.objects.filter(
                user=user, role__in=MANAGING_ROLES, is_active=True, committee__isnull=False
            ).values_list("committee_id", flat=True)
        )
        user._zc_plan_committees = cached
    return cached


@rule("plan.manage")
def manage_plan(user: Any, obj: Any) -> bool:
    """``obj``: a Plan, a Committee, or None ("manages some committee's plans")."""
    if user.is_staff:
        return True
    committees = managed_committee_ids(user)
    if obj is None:
        return bool(committees)
    committee_id = obj.pk if isinstance(obj, Committee) else getattr(obj, "committee_id", None)
    return committee_id in committees
