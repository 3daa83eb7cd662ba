"""Reads for the offices along a plan's chain: which applications an office sees (only what is
routed to it, now or before), its queue with filters, and the flags it sorts by.

Query budget: ``queue`` is one query for the page (joins only) plus one for the filter counts,
whatever the number of applications.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from zhicheng.applications.models import Application, PlanOffice, Routing
from zhicheng.orgs.models import ROLE_PERMISSIONS
from zhicheng.orgs.selectors import office_ids_with_permission
from zhicheng.plans.models import Plan

REVIEW_ROLES = [role for role, codes in ROLE_PERMISSIONS.items() if "application.review" in codes]
IN_REVIEW = (Application.Status.SUBMITTED, Application.Status.IN_REVIEW)


def review_office_ids(user: Any) -> set[int]:
    """Organisations where ``user`` reviews applications (employer admins, office reviewers …)."""
    return office_ids_with_permission(user, "application.review")


def may_review(user: Any, application: Application) -> bool:
    """The application waits at one of ``user``'s offices now."""
    return application.in_review and application.current_office_id in review_office_ids(user)


def was_routed_to(user: Any, application: Application) -> bool:
    """The application is, or was, at one of ``user``'s offices."""
    offices = review_office_ids(user)
    if not offices or application.is_draft:
        return False
    return application.current_office_id in offices or (
        Routing.objects.filter(application=application, office_id__in=offices).exists()
    )


def routed_applications(user: Any) -> QuerySet[Application]:
    """Every application that reached one of ``user``'s offices (it is there now or was)."""
    reached = Routing.objects.filter(office_id__in=review_office_ids(user)).values("application_id")
    return Application.objects.exclude(status=Application.Status.DRAFT).filter(pk__in=reached)


def routed_plans(user: Any) -> QuerySet[Plan]:
    """The plans whose applications reached one of ``user``'s offices."""
    reached = PlanOffice.objects.filter(office_id__in=review_office_ids(user)).values("plan_id")
    return Plan.objects.filter(pk__in=reached)


@dataclass
class QueueFilters:
    plan: Any = None
    stage: int | None = None
    status: str = ""
    district: Any = None
    level: Any = None
    application_type: str = ""
    flag: str = ""  # "ineligible" | "claims" | "overdue"
    scope: str = "waiting"  # "waiting" (to act on now) | "all" (routed here, now or before)
    sort: str = "deadline"  # "deadline" | "submitted" | "number" | "arrived" (newest first, "all")


SORTS = {
    "deadline": ("stage_deadline", "submitted_at", "pk"),
    "submitted": ("submitted_at", "pk"),
    "number": ("number",),
    "arrived": ("-submitted_at", "-pk"),  # without the office's own arrival times (several offices)
}


def queue(user: Any, filters: QueueFilters, *, today: date) -> QuerySet[Application]:
    """The office's applications, filtered and sorted, with what each row shows joined in.

    The history of one office ("all", newest arrival first) walks the ``(office, arrived_at)``
    index and stops at the page: no sorting of everything that ever passed through."""
    offices = review_office_ids(user)
    by_arrival = filters.scope == "all" and filters.sort == "arrived" and len(offices) == 1
    if by_arrival:
        rows = Application.objects.exclude(status=Application.Status.DRAFT).filter(routings__office_id__in=offices)
    elif filters.scope == "all":
        rows = routed_applications(user)
    else:
        rows = Application.objects.filter(current_office_id__in=offices, status__in=IN_REVIEW)
    if filters.plan:
        rows = rows.filter(plan=filters.plan)
    if filters.stage:
        rows = rows.filter(stage_order=filters.stage)
    if filters.status:
        rows = rows.filter(status=filters.status)
    if filters.district:
        rows = rows.filter(district=filters.district)
    if filters.level:
        rows = rows.filter(level=filters.level)
    if filters.application_type:
        rows = rows.filter(application_type=filters.application_type)
    if filters.flag == "ineligible":
        rows = rows.filter(engine_eligible=False)
    elif filters.flag == "claims":
        rows = rows.filter(needs_claim_review=True)
    elif filters.flag == "overdue":
        rows = rows.filter(status__in=IN_REVIEW, stage_deadline__lt=today)
    # The snapshot (≈ 36 KB of JSON each) is not shown in the queue: leave it in the database.
    return (
        rows.select_related("applicant", "plan", "level", "district", "current_office")
        .defer("snapshot")
        .order_by(*(("-routings__arrived_at", "-pk") if by_arrival else SORTS.get(filters.sort, SORTS["deadline"])))
    )


def waiting_count(user: Any) -> int:
    """How many applications wait at ``user``'s offices (for the dashboard)."""
    return Application.objects.filter(current_office_id__in=review_office_ids(user), status__in=IN_REVIEW).count()


def is_overdue(application: Application, today: date) -> bool:
    return bool(application.in_review and application.stage_deadline and application.stage_deadline < today)
