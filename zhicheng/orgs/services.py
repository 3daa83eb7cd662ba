"""Organisation services: employer registration and its review by a platform administrator."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.core.audit import log_action
from zhicheng.core.uploads import PDF, stored_name
from zhicheng.notifications.services import notify
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.orgs.selectors import holders_of
from zhicheng.reference.models import Region


class OrgError(Exception):
    """A refusal to show the user, in Chinese."""


def employer_register(
    *,
    name: str,
    uscc: str,
    county: Region,
    nature: str,
    annual_revenue_wan: Decimal,
    staff_count: int,
    address: str,
    phone: str,
    authorisation_letter: UploadedFile,
    holder: User | None = None,
    holder_name: str = "",
    holder_mobile: str = "",
    password: str = "",
) -> Organisation:
    """Register an employer, pending approval; its holder gets the employer-admin role.

    With no ``holder`` a new account is created for the person named as holder.
    """
    with transaction.atomic():
        if holder is None:
            holder = User.objects.create_user(mobile=holder_mobile, password=password, real_name=holder_name)
            log_action(actor=holder, action="account.registered", obj=holder, data={"as": "employer_holder"})
        employer = Organisation(
            kind=Organisation.Kind.EMPLOYER,
            name=name,
            uscc=uscc,
            region=county,
            admin_level=Organisation.AdminLevel.COUNTY,
            nature=nature,
            annual_revenue_wan=annual_revenue_wan,
            staff_count=staff_count,
            address=address,
            phone=phone,
            status=Organisation.Status.PENDING,
        )
        employer.authorisation_letter.save(stored_name(PDF), authorisation_letter, save=False)
        employer.save()
        Membership.objects.create(user=holder, organisation=employer, role=Role.EMPLOYER_ADMIN)
        log_action(
            actor=holder,
            action="employer.registered",
            obj=employer,
            data={"name": name, "uscc": uscc, "region": county.code},
        )
    return employer


def employer_resubmit_letter(*, actor: User, employer: Organisation, authorisation_letter: UploadedFile) -> None:
    """Replace the letter of a rejected (or still pending) employer and queue it for review again."""
    with transaction.atomic():
        employer = Organisation.objects.select_for_update().get(pk=employer.pk)
        if employer.status == Organisation.Status.APPROVED:
            raise OrgError("单位已通过审核，无需重新提交。")
        employer.authorisation_letter.save(stored_name(PDF), authorisation_letter, save=False)
        employer.status = Organisation.Status.PENDING
        employer.rejection_reason = ""
        employer.save(update_fields=["authorisation_letter", "status", "rejection_reason"])
        log_action(actor=actor, action="employer.resubmitted", obj=employer)


def _decide(*, actor: User, employer: Organisation, approve: bool, reason: str = "") -> Organisation:
    with transaction.atomic():
        employer = Organisation.objects.select_for_update().get(pk=employer.pk)
        if employer.kind != Organisation.Kind.EMPLOYER or employer.status != Organisation.Status.PENDING:
            raise OrgError("该单位不在待审核状态。")
        employer.status = Organisation.Status.APPROVED if approve else Organisation.Status.REJECTED
        employer.rejection_reason = "" if approve else reason
        employer.reviewed_at = timezone.now()
        employer.reviewed_by = actor
        employer.save(update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by"])
        action = "employer.approved" if approve else "employer.rejected"
        log_action(actor=actor, action=action, obj=employer, data={"reason": reason} if reason else {})
        context: dict[str, Any] = {"organisation": employer, "reason": reason}
        for holder in holders_of(employer):
            notify(
                recipient=holder,
                template="employer_approved" if approve else "employer_rejected",
                context=context,
                channels=("inbox", "sms"),
            )
    return employer


def employer_approve(*, actor: User, employer: Organisation) -> Organisation:
    return _decide(actor=actor, employer=employer, approve=True)


def employer_reject(*, actor: User, employer: Organisation, reason: str) -> Organisation:
    if not reason.strip():
        raise OrgError("请填写未通过原因。")
    return _decide(actor=actor, employer=employer, approve=False, reason=reason.strip())
