"""Permission rules for organisations (see ``zhicheng.core.permissions``)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule
from zhicheng.orgs.models import Organisation
from zhicheng.orgs.selectors import permission_codes_in


@rule("employer.review_registration")
def may_review_employer_registration(user: Any, employer: Organisation | None) -> bool:
    """Platform administrators approve or reject employer registrations."""
    return bool(user.is_staff)


@rule("organisation.view")
def may_view_organisation(user: Any, organisation: Organisation) -> bool:
    """Its own members and platform administrators see an organisation's details and letter."""
    return bool(user.is_staff) or bool(permission_codes_in(user, organisation))


@rule("organisation.manage")
def may_manage_organisation(user: Any, organisation: Organisation) -> bool:
    return "org.manage" in permission_codes_in(user, organisation)
