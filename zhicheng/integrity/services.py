"""Writes of the integrity archive: record, amend, annul. Each in a transaction, logged.

Recording a case may name an application of the person's; when it is approved and the office
chooses so, the title is revoked through the workflow (``revoke``, permission
``integrity.manage`` on that application) and its e-certificate withdrawn — the verification
page then says the certificate was revoked, when, and why in general terms.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.applications.models import Application
from zhicheng.core.audit import log_action
from zhicheng.core.permissions import can
from zhicheng.integrity import selectors
from zhicheng.integrity.models import IntegrityRecord, default_ban


class RecordError(Exception):
    """A change the rules refuse, with a message for the person who tried."""


# What the public verification page says of a withdrawn certificate: general terms only.
PUBLIC_REASONS = {
    IntegrityRecord.Kind.FALSIFIED: "申报材料弄虚作假",
    IntegrityRecord.Kind.PLAGIARISM: "剽窃他人成果",
    IntegrityRecord.Kind.FALSE_UNIT_PROOF: "单位出具虚假证明",
    IntegrityRecord.Kind.MISCONDUCT: "隐瞒严重违纪违法行为",
}


def public_reason(kind: str) -> str:
    return f"违反职称评审纪律（{PUBLIC_REASONS.get(kind, '违反评审规定')}），依规撤销评审结果并收回证书"


@dataclass
class RecordData:
    kind: str
    description: str
    found_on: date
    banned_from: date | None = None
    banned_until: date | None = None
    document_number: str = ""


def _ban(data: RecordData) -> tuple[date, date]:
    start, end = default_ban(data.found_on)
    start, end = data.banned_from or start, data.banned_until or end
    if end < start:
        raise RecordError("限制申报截止日不能早于开始日。")
    return start, end


def record_create(
    *,
    actor: Any,
    person: Any,
    data: RecordData,
    application: Application | None = None,
    revoke_title: bool = False,
    now: datetime | None = None,
) -> IntegrityRecord:
    """Record a case against ``person`` (the ban defaults to ``default_ban(found_on)``)."""
    now = now or timezone.now()
    if not can(actor, "integrity.manage", None):
        raise PermissionDenied("您没有管理诚信档案的权限。")
    if application is not None:
        if application.applicant_id != person.pk:
            raise RecordError("所选申报不是该当事人的申报。")
        if not can(actor, "integrity.manage", application):
            raise PermissionDenied("该申报不属于您单位管理的范围。")
    if revoke_title and (application is None or application.status != Application.Status.APPROVED):
        raise RecordError("只有评审通过（已公布）的申报可以撤销职称，请填写其申报编号。")
    start, end = _ban(data)
    with transaction.atomic():
        record = IntegrityRecord.objects.create(
            person=person,
            kind=data.kind,
            description=data.description.strip(),
            found_on=data.found_on,
            banned_from=start,
            banned_until=end,
            document_number=data.document_number.strip(),
            recorded_by=actor,
            recorded_at=now,
        )
        log_action(
            actor=actor,
            action="integrity.record_added",
            obj=record,
            data={
                "person": person.pk,
                "kind": record.kind,
                "ban": [start, end],
                "application": application.pk if application else None,
                "revoke_title": revoke_title,
            },
        )
        if revoke_title and application is not None:
            from zhicheng.certificates.services import title_revoke

            label = IntegrityRecord.Kind(record.kind).label
            reason = f"诚信档案记录：{label}" + (f"（{record.document_number}）" if record.document_number else "")
            title_revoke(
                actor=actor,
                application=application,
                reason=reason,
                public_reason=public_reason(record.kind),
                integrity_record=record,
                now=now,
            )
    return record


def record_update(*, actor: Any, record: IntegrityRecord, data: RecordData) -> IntegrityRecord:
    """Amend the facts or the ban of a record (empty ban dates: the default from ``found_on``)."""
    if not selectors.may_edit(actor, record):
        raise PermissionDenied("您没有修改该记录的权限。")
    start, end = _ban(data)
    with transaction.atomic():
        locked = IntegrityRecord.objects.select_for_update().get(pk=record.pk)
        if locked.revoked_at:
            raise RecordError("该记录已撤销，不能再修改。")
        before = {"kind": locked.kind, "found_on": locked.found_on, "ban": [locked.banned_from, locked.banned_until]}
        locked.kind, locked.description = data.kind, data.description.strip()
        locked.found_on, locked.banned_from, locked.banned_until = data.found_on, start, end
        locked.document_number = data.document_number.strip()
        locked.save()
        log_action(
            actor=actor,
            action="integrity.record_changed",
            obj=locked,
            data={"before": before, "after": {"kind": locked.kind, "found_on": locked.found_on, "ban": [start, end]}},
        )
    return locked


def record_annul(*, actor: Any, record: IntegrityRecord, reason: str, now: datetime | None = None) -> IntegrityRecord:
    """Annul a record found wrong on review: it no longer bans. A revoked title stays revoked."""
    now = now or timezone.now()
    if not selectors.may_edit(actor, record):
        raise PermissionDenied("您没有撤销该记录的权限。")
    reason = reason.strip()
    if not reason:
        raise RecordError("请填写撤销记录的原因。")
    with transaction.atomic():
        locked = IntegrityRecord.objects.select_for_update().get(pk=record.pk)
        if locked.revoked_at:
            raise RecordError("该记录已撤销。")
        locked.revoked_at = now
        locked.save(update_fields=["revoked_at"])
        log_action(actor=actor, action="integrity.record_annulled", obj=locked, data={"reason": reason[:1000]})
    return locked
