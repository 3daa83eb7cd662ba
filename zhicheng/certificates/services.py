"""Every write of results and certificates: keyword-only, in a transaction, logged.

- ``publicity_open``: the committee office puts the plan's confirmed decisions not yet shown on
  the portal for the plan's ``publicity_working_days`` working days (the opening day, then
  that many working days after it: ``ends_on = add_working_days(opening day, n)``).
- ``objection_lodge`` / ``objection_handle``: anyone objects while it is open; the committee
  office records the handling.
- ``publicity_publish``: the city office, from the last working day of the publicity on and
  once every objection is handled, publishes the result under a document number: each entry's
  application moves through ``workflow.conclude`` and each approved one gets a certificate.
- ``title_revoke``: the title is revoked (``workflow`` action ``revoke``) and the certificate
  withdrawn, as the integrity archive decides.
"""

from __future__ import annotations

import ipaddress
import secrets
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.applications import workflow
from zhicheng.applications.models import Application, StatusChange
from zhicheng.applications.snapshot import person_id_number
from zhicheng.certificates import numbers
from zhicheng.certificates.models import Certificate, CertificateSequence, Objection, PublicityEntry, ResultPublicity
from zhicheng.certificates.selectors import pending_decisions
from zhicheng.core.audit import log_action
from zhicheng.core.permissions import can
from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership, Organisation
from zhicheng.plans.models import Plan
from zhicheng.reference.selectors import add_working_days

TOKEN_BYTES = 24  # 192 random bits, 32 URL-safe characters


class ResultError(Exception):
    """A step the rules refuse, with a message for the person who tried."""


def _today(now: datetime) -> Any:
    return workflow.today_in_shanghai(now)


# --- Publicity ---------------------------------------------------------------------------------


def _entry_fields(application: Application) -> dict[str, str]:
    snapshot = application.snapshot or {}
    person, info = snapshot.get("person", {}), snapshot.get("info", {})
    plan = application.plan
    return {
        "name": person.get("name") or application.applicant.real_name,
        "employer": person.get("employer", ""),
        "level": info.get("level_label") or application.level.name,
        "specialty": info.get("subspecialty") or (plan.specialty.name if plan.specialty else ""),
    }


def publicity_open(*, actor: Any, plan: Plan, note: str = "", now: datetime | None = None) -> ResultPublicity:
    """Open the result publicity of the plan's confirmed decisions not yet publicised."""
    now = now or timezone.now()
    if not can(actor, "results.publicise", plan):
        raise PermissionDenied("只有该计划评委会办公室可以发布评审结果公示。")
    with transaction.atomic():
        Plan.objects.select_for_update().get(pk=plan.pk)  # one opening at a time per plan
        decisions = list(pending_decisions(plan))
        if not decisions:
            raise ResultError("没有待公示的评审结果：评委会表决结果确认后方可公示。")
        today = _today(now)
        days = plan.publicity_working_days or 5
        publicity = ResultPublicity.objects.create(
            plan=plan,
            title=f"{plan.name}评审结果公示",
            note=note.strip(),
            working_days=days,
            starts_on=today,
            ends_on=add_working_days(today, days),
            opened_by=actor,
            opened_at=now,
        )
        PublicityEntry.objects.bulk_create(
            PublicityEntry(
                publicity=publicity,
                application=decision.application,
                position=position,
                passed=decision.passed,
                **_entry_fields(decision.application),
            )
            for position, decision in enumerate(decisions, start=1)
        )
        log_action(
            actor=actor,
            action="results.publicity_opened",
            obj=publicity,
            data={
                "plan": plan.pk,
                "entries": len(decisions),
                "passed": sum(d.passed for d in decisions),
                "from": today,
                "until": publicity.ends_on,
            },
        )
    return publicity


def _valid_ip(ip: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((ip or "").strip()))
    except ValueError:
        return None


def objection_lodge(
    *,
    publicity: ResultPublicity,
    name: str,
    contact: str,
    text: str,
    entry: PublicityEntry | None = None,
    ip: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """Anyone (no account needed) objects while the publicity is open."""
    now = now or timezone.now()
    if publicity.published_at or not publicity.is_open_on(_today(now)):
        raise ResultError(
            f"公示期为 {publicity.starts_on:%Y-%m-%d} 至 {publicity.ends_on:%Y-%m-%d}，当前不在公示期内，不再受理异议。"
        )
    if entry is not None and entry.publicity_id != publicity.pk:
        raise ResultError("所选人员不在本次公示名单中。")
    with transaction.atomic():
        objection = Objection.objects.create(
            publicity=publicity,
            entry=entry,
            name=name.strip(),
            contact=contact.strip(),
            text=text.strip(),
            ip=_valid_ip(ip),
            submitted_at=now,
        )
        log_action(
            actor=None,
            action="results.objection_lodged",
            obj=objection,
            data={"publicity": publicity.pk, "entry": entry.pk if entry else None},
        )
    return objection


def objection_handle(*, actor: Any, objection: Objection, handling: str, now: datetime | None = None) -> Objection:
    now = now or timezone.now()
    if not can(actor, "results.publicise", objection.publicity.plan):
        raise PermissionDenied("只有评委会办公室可以处理公示异议。")
    handling = handling.strip()
    if not handling:
        raise ResultError("请填写异议的处理情况。")
    with transaction.atomic():
        locked = Objection.objects.select_for_update().select_related("publicity").get(pk=objection.pk)
        if locked.publicity.published_at:
            raise ResultError("评审结果已公布，异议处理情况不能再修改。")
        locked.handling, locked.handled_by, locked.handled_at = handling, actor, now
        locked.save(update_fields=["handling", "handled_by", "handled_at"])
        log_action(actor=actor, action="results.objection_handled", obj=locked, data={"handling": handling[:500]})
    return locked


# --- Publication and certificates ----------------------------------------------------------------


def _issuer(actor: Any, plan: Plan) -> str:
    """The title office in whose name the actor publishes (发证机关), else the plan's city office."""
    regions = {plan.committee.region_id, plan.committee.region.parent_id} - {None}
    roles = [role for role, codes in ROLE_PERMISSIONS.items() if "results.publish" in codes]
    membership = (
        Membership.objects.filter(
            user=actor,
            role__in=roles,
            is_active=True,
            organisation__kind=Organisation.Kind.TITLE_OFFICE,
            organisation__region_id__in=regions,
        )
        .select_related("organisation")
        .first()
    )
    if membership is not None:
        return membership.organisation.name
    office = Organisation.objects.filter(kind=Organisation.Kind.TITLE_OFFICE, region_id__in=regions).first()
    return office.name if office else ""


def next_number(*, city_code: str, year: int, level_rank: int) -> str:
    """The next certificate number of a city, year and level (the sequence row is locked)."""
    number_prefix = numbers.prefix(city_code, year, level_rank)
    with transaction.atomic():
        CertificateSequence.objects.get_or_create(prefix=number_prefix)
        sequence = CertificateSequence.objects.select_for_update().get(prefix=number_prefix)
        sequence.last += 1
        sequence.save(update_fields=["last"])
    return numbers.compose(number_prefix, sequence.last)


def certificate_issue(
    *,
    actor: Any,
    application: Application,
    document_number: str,
    publicity: ResultPublicity | None = None,
    issuer: str = "",
    now: datetime | None = None,
) -> Certificate:
    """The e-certificate of an approved application (called by ``publicity_publish``)."""
    now = now or timezone.now()
    if application.status != Application.Status.APPROVED:
        raise ResultError("只有评审通过并已公布的申报才能签发证书。")
    plan = application.plan
    snapshot = application.snapshot or {}
    person = snapshot.get("person", {})
    fields = _entry_fields(application)
    issued_on = _today(now)
    with transaction.atomic():
        certificate = Certificate.objects.create(
            number=next_number(
                city_code=plan.committee.region.code, year=issued_on.year, level_rank=application.level.rank
            ),
            token=secrets.token_urlsafe(TOKEN_BYTES),
            application=application,
            holder=application.applicant,
            holder_name=fields["name"],
            id_number=person_id_number(person) or application.applicant.id_number or "",
            gender=person.get("gender", ""),
            employer=fields["employer"],
            series=plan.series.name,
            title=fields["level"],
            grade=application.level.grade,
            specialty=fields["specialty"],
            committee=plan.committee.name,
            issuer=issuer or _issuer(actor, plan),
            issued_on=issued_on,
            document_number=document_number,
            publicity=publicity,
            issued_by=actor,
            created_at=now,
        )
        log_action(
            actor=actor,
            action="certificates.issued",
            obj=certificate,
            data={"number": certificate.number, "application": application.pk, "document_number": document_number},
        )
    return certificate


def publicity_publish(
    *, actor: Any, publicity: ResultPublicity, document_number: str, now: datetime | None = None
) -> list[Certificate]:
    """The city office publishes the publicised results; returns the certificates issued."""
    now = now or timezone.now()
    plan = publicity.plan
    if not can(actor, "results.publish", plan):
        raise PermissionDenied("只有该计划所在市的职改办可以公布评审结果。")
    document_number = document_number.strip()
    if not document_number:
        raise ResultError("请填写公布文件的文号。")
    today = _today(now)
    issued: list[Certificate] = []
    with transaction.atomic():
        locked = ResultPublicity.objects.select_for_update().select_related("plan__committee").get(pk=publicity.pk)
        if locked.published_at:
            raise ResultError(f"该公示的评审结果已于 {timezone.localtime(locked.published_at):%Y-%m-%d} 公布。")
        if today < locked.ends_on:
            raise ResultError(
                f"公示期未满：公示至 {locked.ends_on:%Y-%m-%d}（第 {locked.working_days} 个工作日），当天起方可公布。"
            )
        unhandled = locked.objections.filter(handled_at__isnull=True).count()
        if unhandled:
            raise ResultError(f"尚有 {unhandled} 条公示异议未处理，请评委会办公室处理后再公布。")
        issuer = _issuer(actor, plan)
        for entry in locked.entries.select_related("application__decision", "application__level"):
            application = entry.application
            decision = getattr(application, "decision", None)
            if decision is None or decision.confirmed_at is None or decision.passed != entry.passed:
                raise ResultError(f"{entry.name} 的表决结果与公示不一致，请评委会办公室核对。")
            if application.status != Application.Status.QUALIFIED:
                raise ResultError(f"{entry.name} 的申报当前状态为“{application.get_status_display()}”，不能公布。")
            concluded = workflow.conclude(
                actor=actor, application=application, passed=entry.passed, document_number=document_number, now=now
            )
            if concluded.status == Application.Status.APPROVED:
                issued.append(
                    certificate_issue(
                        actor=actor,
                        application=concluded,
                        document_number=document_number,
                        publicity=locked,
                        issuer=issuer,
                        now=now,
                    )
                )
        locked.published_at, locked.published_by, locked.document_number = now, actor, document_number
        locked.save(update_fields=["published_at", "published_by", "document_number"])
        log_action(
            actor=actor,
            action="results.published",
            obj=locked,
            data={"document_number": document_number, "certificates": [c.number for c in issued]},
        )
    return issued


# --- Revocation ----------------------------------------------------------------------------------


def certificate_withdraw(
    *,
    actor: Any,
    certificate: Certificate,
    public_reason: str,
    integrity_record: Any = None,
    now: datetime | None = None,
) -> Certificate:
    now = now or timezone.now()
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at:
            return locked
        locked.revoked_at, locked.revoked_by = now, actor
        locked.revocation_reason = public_reason.strip()[:200]
        locked.integrity_record = integrity_record
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_reason", "integrity_record"])
        log_action(
            actor=actor,
            action="certificates.withdrawn",
            obj=locked,
            data={
                "number": locked.number,
                "reason": locked.revocation_reason,
                "record": getattr(integrity_record, "pk", None),
            },
        )
    return locked


def title_revoke(
    *,
    actor: Any,
    application: Application,
    reason: str,
    public_reason: str,
    integrity_record: Any = None,
    now: datetime | None = None,
) -> Application:
    """Revoke an approved title (the workflow checks ``integrity.manage``) and withdraw its
    certificate, in one transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        revoked = workflow.transition(
            actor=actor, application=application, action=StatusChange.Action.REVOKE, reason=reason, now=now
        )
        certificate = Certificate.objects.filter(application=revoked).first()
        if certificate is not None:
            certificate_withdraw(
                actor=actor,
                certificate=certificate,
                public_reason=public_reason,
                integrity_record=integrity_record,
                now=now,
            )
    return revoked
