"""Who may see, change, review and conclude an application.

``application.view``: the applicant, and the offices it is or was routed to (never others:
views answer 404). ``application.edit``: the applicant, while a draft or returned for
changes — owner-only, so not even a superuser edits someone else's draft.
``application.review``: members with a reviewing role of the office at whose stage
the application waits now. ``results.publish`` (on a plan): the city title office (职改办)
of the plan's committee's city, which publishes results. ``integrity.manage``: the city title
office for applications of its city (records integrity cases, revokes titles).
"""

from __future__ import annotations

from typing import Any

from zhicheng.applications.office_selectors import may_review, was_routed_to
from zhicheng.core.permissions import rule


def _own(user: Any, application: Any) -> bool:
    return application is not None and application.applicant_id == user.pk


@rule("application.view")
def view_application(user: Any, application: Any) -> bool:
    return _own(user, application) or (application is not None and was_routed_to(user, application))


@rule("application.edit", owner_only=True)
def edit_application(user: Any, application: Any) -> bool:
    return _own(user, application) and application.is_editable


@rule("application.review")
def review_application(user: Any, application: Any) -> bool:
    return application is not None and not _own(user, application) and may_review(user, application)


def _city_offices(user: Any, code: str) -> set[int]:
    """Regions (city and the committee's own) where ``user`` holds ``code`` in a title office."""
    from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership, Organisation

    roles = [role for role, codes in ROLE_PERMISSIONS.items() if code in codes]
    return set(
        Membership.objects.filter(
            user=user, role__in=roles, is_active=True, organisation__kind=Organisation.Kind.TITLE_OFFICE
        ).values_list("organisation__region_id", flat=True)
    )


def _plan_regions(plan: Any) -> set[int]:
    region = plan.committee.region
    return {region.pk, region.parent_id} - {None}


@rule("results.publish")
def publish_results(user: Any, plan: Any) -> bool:
    """``plan``: a Plan, or None ("publishes results somewhere")."""
    if user.is_staff:
        return True
    regions = _city_offices(user, "results.publish")
    return bool(regions) if plan is None else bool(regions & _plan_regions(plan))


@rule("integrity.manage")
def manage_integrity(user: Any, application: Any) -> bool:
    """``application``: an Application, or None ("keeps an integrity archive somewhere")."""
    if user.is_staff:
        return True
    regions = _city_offices(user, "integrity.manage")
    return bool(regions) if application is None else bool(regions & _plan_regions(application.plan))
