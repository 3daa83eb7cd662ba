"""Notifications after each move of the workflow: the applicant by inbox and SMS (and e-mail
when they gave one), the office that now has to act by inbox. Written in the move's own
transaction and sent after it commits: a rolled-back move announces nothing, a committed one
always has its notices (with a broker, one whose hand-over died with its web worker is sent
by ``celery beat``'s sweep)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from zhicheng.applications.models import Application, StatusChange
from zhicheng.applications.office_selectors import REVIEW_ROLES
from zhicheng.notifications.message_templates import MessageTemplate, register
from zhicheng.notifications.models import Channel
from zhicheng.notifications.services import notify
from zhicheng.orgs.models import Membership

A = StatusChange.Action

for _template in (
    MessageTemplate("application_submitted", "职称申报已提交", ("plan", "level", "number", "next")),
    MessageTemplate(
        "application_approved", "职称申报通过一个审核环节", ("plan", "number", "stage", "next_stage", "opinion")
    ),
    MessageTemplate("application_qualified", "职称申报资格审查通过", ("plan", "number")),
    MessageTemplate("application_returned", "职称申报被退回修改", ("plan", "number", "stage", "reason")),
    MessageTemplate("application_rejected", "职称申报审核未通过", ("plan", "number", "stage", "reason")),
    MessageTemplate(
        "application_to_review", "有职称申报待本单位审核", ("applicant", "plan", "number", "stage", "deadline")
    ),
    MessageTemplate("application_withdrawn", "职称申报已撤回", ("applicant", "plan", "number")),
    MessageTemplate("application_concluded", "职称评审结果已公布", ("plan", "number", "result", "document")),
    MessageTemplate("application_revoked", "职称被撤销", ("plan", "number", "reason")),
):
    register(_template)


def _applicant_channels(user: Any) -> tuple[str, ...]:
    return (Channel.INBOX, Channel.SMS, Channel.EMAIL) if user.email else (Channel.INBOX, Channel.SMS)


def _reviewers(office_id: int | None) -> list[Any]:
    if office_id is None:
        return []
    memberships = Membership.objects.filter(organisation_id=office_id, role__in=REVIEW_ROLES, is_active=True)
    return [m.user for m in memberships.select_related("user") if m.user.is_active]


def after_move(application: Application, change: StatusChange) -> None:
    """The notices of ``change``, just applied to ``application`` (saved)."""
    from zhicheng.applications import selectors

    base = {"plan": application.plan.name, "number": application.number}
    applicant_url = reverse("applications:detail", args=[application.pk])
    review_url = reverse("applications:review_detail", args=[application.pk])

    def tell_applicant(template: str, **context: Any) -> None:
        notify(
            recipient=application.applicant,
            template=template,
            context={**base, **context},
            channels=_applicant_channels(application.applicant),
            related_url=applicant_url,
        )

    def tell_office(office_id: int | None, template: str, **context: Any) -> None:
        for user in _reviewers(office_id):
            notify(
                recipient=user,
                template=template,
                context={**base, **context},
                channels=(Channel.INBOX,),
                related_url=review_url,
            )

    stage = selectors.current_stage_label(application)
    deadline = f"{application.stage_deadline:%Y-%m-%d}" if application.stage_deadline else ""
    if change.action in (A.SUBMIT, A.RESUBMIT):
        tell_applicant("application_submitted", level=application.level.name, next=selectors.expected_next(application))
    elif change.action == A.APPROVE and application.status == Application.Status.QUALIFIED:
        tell_applicant("application_qualified")
    elif change.action == A.APPROVE:
        tell_applicant("application_approved", stage=change.stage_label, next_stage=stage, opinion=change.reason)
    elif change.action == A.RETURN:
        tell_applicant("application_returned", stage=change.stage_label, reason=change.reason)
    elif change.action == A.REJECT:
        tell_applicant("application_rejected", stage=change.stage_label, reason=change.reason)
    elif change.action in (A.PUBLISH_PASS, A.PUBLISH_FAIL):
        result = "评审通过" if change.action == A.PUBLISH_PASS else "评审未通过"
        tell_applicant("application_concluded", result=result, document=change.reason)
    elif change.action == A.REVOKE:
        tell_applicant("application_revoked", reason=change.reason)
    elif change.action == A.WITHDRAW:
        employer_id = (application.snapshot or {}).get("person", {}).get("employer_id")
        tell_office(employer_id, "application_withdrawn", applicant=application.applicant.real_name)
    if application.in_review and change.action != A.WITHDRAW:
        tell_office(
            application.current_office_id,
            "application_to_review",
            applicant=application.applicant.real_name,
            stage=stage,
            deadline=deadline,
        )
