"""Reads for the public portal and the personal dashboards."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from zhicheng.accounts.models import ApplicantProfile
from zhicheng.orgs.models import Membership, Organisation
from zhicheng.plans.models import Plan
from zhicheng.portal.models import Notice


def published_notices(limit: int | None = None) -> QuerySet[Notice]:
    notices = Notice.objects.filter(is_published=True, published_at__lte=timezone.now())
    return notices[:limit] if limit else notices


def open_plans(limit: int | None = None) -> QuerySet[Plan]:
    """Published plans taking applications now, closing soonest first."""
    plans = Plan.objects.published().open_at().select_related("committee").order_by("individual_end", "number")
    return plans[:limit] if limit else plans


def dashboard_context(user: Any, roles: set[str]) -> dict[str, Any]:
    """What each role's home shows; a constant number of queries per role."""
    context: dict[str, Any] = {}
    if "applicant" in roles:
        profile = ApplicantProfile.objects.select_related("employer", "series").filter(user=user).first()
        context["profile"] = profile
        from zhicheng.plans.selectors import recommend_plans

        context["recommendations"] = recommend_plans(user)
        from zhicheng.applications.selectors import dashboard_rows

        context["applications"] = dashboard_rows(user)
    memberships = list(Membership.objects.filter(user=user, is_active=True).select_related("organisation", "committee"))
    context["memberships"] = memberships
    context["employers"] = [m.organisation for m in memberships if m.organisation.kind == Organisation.Kind.EMPLOYER]
    if context["employers"]:
        from zhicheng.archive.selectors import pending_review_count

        context["pending_records"] = pending_review_count(user)
    from zhicheng.applications.office_selectors import review_office_ids, waiting_count

    if review_office_ids(user):
        context["applications_waiting"] = waiting_count(user)
    from zhicheng.core.permissions import can

    context["handles_results"] = can(user, "results.view", None) or can(user, "results.publish", None)
    context["keeps_integrity"] = can(user, "integrity.manage", None)
    if "platform_admin" in roles:
        context["pending_employers"] = Organisation.objects.filter(
            kind=Organisation.Kind.EMPLOYER, status=Organisation.Status.PENDING
        ).count()
    return context
