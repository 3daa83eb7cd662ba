"""Permission rules for the policy pages (see ``zhicheng.core.permissions``)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule
from zhicheng.orgs.selectors import active_memberships


@rule("policy.read")
def may_read_policy(user: Any, policy_id: str | None) -> bool:
    """Administrators and offices (committees, title offices, reviewing offices) read policies."""
    if user.is_staff:
        return True
    return any(
        membership.role != "employer_admin" and membership.organisation.kind != "employer"
        for membership in active_memberships(user)
    )
