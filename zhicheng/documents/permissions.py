"""Who may have which document.

Views first fetch the application through ``applications.selectors.application_for`` (404 for
anyone who may not see it), then ask these rules:

- ``documents.review_form``: the applicant once the application is qualified (资格审查通过,
  seed 003 §六.2); the offices it was routed to at any time after submission.
- ``documents.publicity_form``: anyone who sees the application, once submitted (the employer
  posts it; the applicant may read what is posted about them).
- ``documents.self_score_form`` (破格 only): the applicant from the draft on (the form is
  signed and uploaded in step 5, before submission), the offices after submission.
- ``documents.approval_form`` (破格 only): anyone who sees the application, once submitted (the
  offices' opinions fill it as the review goes).
- ``roster.export`` (a plan): platform staff, or a member with a role holding ``roster.export``
  at an office that takes part in the plan (a stage's office, the committee's body, an
  acceptance point's office, or an office that holds or held one of its applications).
- ``roster.full_ids`` (a plan): unmasked ID numbers, for those who stamp the forms — the
  members above, not plain staff.
- ``documents.export_job``: the job's creator, while the permission that started it still holds.
"""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import can, rule
from zhicheng.orgs.selectors import office_ids_with_permission


def exporter_office_ids(user: Any) -> set[int]:
    """Organisations where ``user`` holds an active role with ``roster.export``."""
    return office_ids_with_permission(user, "roster.export")


def is_exceptional(application: Any) -> bool:
    return (application.application_type or "").startswith("exceptional")


def _own(user: Any, application: Any) -> bool:
    return application is not None and application.applicant_id == user.pk


def _reviewer_sees(user: Any, application: Any) -> bool:
    return not application.is_draft and can(user, "application.view", application)


@rule("documents.review_form")
def review_form(user: Any, application: Any) -> bool:
    if _own(user, application):
        return application.status == application.Status.QUALIFIED
    return application is not None and _reviewer_sees(user, application)


@rule("documents.publicity_form")
def publicity_form(user: Any, application: Any) -> bool:
    return application is not None and _reviewer_sees(user, application)


@rule("documents.self_score_form")
def self_score_form(user: Any, application: Any) -> bool:
    if application is None or not is_exceptional(application):
        return False
    return _own(user, application) or _reviewer_sees(user, application)


@rule("documents.approval_form")
def approval_form(user: Any, application: Any) -> bool:
    return application is not None and is_exceptional(application) and _reviewer_sees(user, application)


@rule("roster.export")
def export_roster(user: Any, plan: Any) -> bool:
    if user.is_staff:
        return True
    return plan is not None and full_ids(user, plan)


@rule("roster.full_ids")
def full_ids(user: Any, plan: Any) -> bool:
    from zhicheng.documents.selectors import takes_part

    return plan is not None and takes_part(exporter_office_ids(user), plan)


@rule("documents.export_job")
def export_job(user: Any, job: Any) -> bool:
    from zhicheng.plans.models import Plan

    if job is None or job.created_by_id != user.pk:
        return False
    plan = Plan.objects.filter(pk=job.parameters.get("plan")).first()
    if not can(user, "roster.export", plan):
        return False
    return not job.parameters.get("full_ids") or can(user, "roster.full_ids", plan)
