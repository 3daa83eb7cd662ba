"""Writes of the archive: records, evidence and the employer's review.

Every function is keyword-only, runs in one transaction and appends to the audit log
(``zhicheng.core.audit``) against the base ``Record`` row, so a record's whole history —
whatever its type — is ``entries_for(record.base)``.

Deleting: a record that was never approved is nobody's basis for anything, so deleting it
removes it (its log entries stay, with a snapshot of its fields). A record that was ever
approved may have been drawn on by an application, so it is only withdrawn (撤销): hidden
from the archive and from the readiness check, kept with its evidence and history.
Evidence is treated the same way.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.models import ApplicantProfile, User
from zhicheng.archive import importers, registry
from zhicheng.archive.choices import ImportSource
from zhicheng.archive.importers import DegreeRecord, InsurancePeriod, RegistryAdapter, RegistryError
from zhicheng.archive.models import Education, Evidence, Record, SocialInsurance
from zhicheng.archive.selectors import reviewed_employer_ids
from zhicheng.core.audit import log_action
from zhicheng.core.permissions import can
from zhicheng.core.storage import FilesGuard, delete_files_on_commit, sha256_of
from zhicheng.core.uploads import FileKind, stored_name
from zhicheng.notifications.services import notify

Status = Record.Status


class ArchiveError(Exception):
    """A refusal to show the user, in Chinese."""


def _log(*, actor: User | None, action: str, record: Record, **data: Any) -> None:
    log_action(actor=actor, action=f"archive.{action}", obj=record.base, data={"type": record.record_type, **data})


def _snapshot(record: Record) -> list[dict[str, str]]:
    rt = registry.get_type(record.record_type)
    return [{"label": label, "value": value} for label, value in registry.field_rows(record, rt.field_names)]


def _lock(record: Record) -> Record:
    """The record as its type's model, locked for this transaction."""
    model = registry.get_type(record.record_type).model
    return model.objects.select_for_update().get(pk=record.pk)


def _resubmit(record: Record) -> str:
    """A changed record goes back to the employer: status pending, the old decision cleared."""
    previous = record.status
    if previous != Status.PENDING:
        record.status = Status.PENDING
        record.reviewed_by = None
        record.reviewed_at = None
        record.rejection_reason = ""
    record.submitted_at = timezone.now()
    return previous


def _store_evidence(
    *, actor: User, record: Record, files: Iterable[tuple[UploadedFile, FileKind]], stored: list[str]
) -> list[Evidence]:
    created = []
    for upload, kind in files:
        evidence = Evidence(
            record=record.base,
            kind=kind.extension,
            original_name=os.path.basename(upload.name or "")[:200] or f"file.{kind.extension}",
            size=upload.size or 0,
            sha256=sha256_of(upload),
            uploaded_by=actor,
        )
        evidence.file.save(stored_name(kind), upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()
        created.append(evidence)
    return created


# --- Records -------------------------------------------------------------------------------


def record_create(
    *,
    actor: User,
    record_type: str,
    data: Mapping[str, Any],
    evidence: Sequence[tuple[UploadedFile, FileKind]] = (),
    owner: User | None = None,
    imported: bool = False,
    import_source: str = "",
) -> Record:
    """Add a record (pending review) with its first evidence files. ``owner`` defaults to ``actor``."""
    rt = registry.get_type(record_type)
    owner = owner or actor
    with FilesGuard() as stored, transaction.atomic():
        record = rt.model(owner=owner, record_type=rt.code, imported=imported, import_source=import_source, **data)
        record.full_clean(validate_unique=False)
        record.summary = record.describe()[:300]
        record.save()
        files = _store_evidence(actor=actor, record=record, files=evidence, stored=stored)
        _log(
            actor=actor,
            action="record_created",
            record=record,
            fields=_snapshot(record),
            files=[f.original_name for f in files],
            to_status=record.status,
        )
    return record


def record_update(
    *,
    actor: User,
    record: Record,
    data: Mapping[str, Any],
    evidence: Sequence[tuple[UploadedFile, FileKind]] = (),
) -> Record:
    """Change a record's fields (and add evidence). An approved or rejected record returns to pending."""
    rt = registry.get_type(record.record_type)
    with FilesGuard() as stored, transaction.atomic():
        record = _lock(record)
        if record.is_withdrawn:
            raise ArchiveError("该记录已撤销，不能修改。")
        before = dict(registry.field_rows(record, rt.field_names))
        if record.imported:
            locked = importers.IMPORTED_FIELDS.get(rt.code, ())
            if any(name in data and data[name] != getattr(record, name) for name in locked):
                raise ArchiveError("该记录由系统自动提取，提取的内容不能修改；如有错误，请向数据来源机构申请更正。")
        for name, value in data.items():
            if name not in rt.field_names:
                raise ValueError(f"{name!r} is not a field of {rt.code}")
            setattr(record, name, value)
        record.full_clean(validate_unique=False)
        after = dict(registry.field_rows(record, rt.field_names))
        changes = [{"label": k, "old": before[k], "new": after[k]} for k in after if before[k] != after[k]]
        if not changes and not evidence:
            return record
        previous = _resubmit(record)
        record.summary = record.describe()[:300]
        record.save()
        files = _store_evidence(actor=actor, record=record, files=evidence, stored=stored)
        _log(
            actor=actor,
            action="record_updated",
            record=record,
            changes=changes,
            files=[f.original_name for f in files],
            from_status=previous,
            to_status=record.status,
        )
    return record


def record_delete(*, actor: User, record: Record) -> str:
    """Delete a never-approved record, or withdraw one that was ever approved.

    Returns ``"deleted"`` or ``"withdrawn"``.
    """
    with transaction.atomic():
        record = _lock(record)
        if record.is_withdrawn:
            raise ArchiveError("该记录已撤销。")
        if record.ever_approved or record.status == Status.APPROVED:
            record.withdrawn_at = timezone.now()
            record.save(update_fields=["withdrawn_at", "updated_at"])
            _log(actor=actor, action="record_withdrawn", record=record, from_status=record.status)
            return "withdrawn"
        names = list(Evidence.objects.filter(record_id=record.pk).values_list("file", flat=True))
        _log(actor=actor, action="record_deleted", record=record, fields=_snapshot(record), from_status=record.status)
        record.delete()
        delete_files_on_commit(names)
    return "deleted"


# --- Evidence ------------------------------------------------------------------------------


def evidence_add(*, actor: User, record: Record, files: Sequence[tuple[UploadedFile, FileKind]]) -> list[Evidence]:
    """Attach files to a record; new evidence on a reviewed record sends it back for review."""
    if not files:
        raise ArchiveError("请选择要上传的文件。")
    with FilesGuard() as stored, transaction.atomic():
        record = _lock(record)
        if record.is_withdrawn:
            raise ArchiveError("该记录已撤销，不能再上传材料。")
        previous = _resubmit(record)
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "submitted_at"])
        created = _store_evidence(actor=actor, record=record, files=files, stored=stored)
        _log(
            actor=actor,
            action="evidence_added",
            record=record,
            files=[f.original_name for f in created],
            from_status=previous,
            to_status=record.status,
        )
    return created


def evidence_remove(*, actor: User, evidence: Evidence) -> None:
    """Remove a file; the last file of a type that needs evidence must be replaced, not removed."""
    with transaction.atomic():
        record = _lock(evidence.record)
        evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
        if record.is_withdrawn or evidence.removed_at is not None:
            raise ArchiveError("该材料不能移除。")
        remaining = Evidence.objects.filter(record_id=record.pk, removed_at__isnull=True).count()
        if registry.get_type(record.record_type).evidence_required and remaining <= 1:
            raise ArchiveError("这是该记录唯一的佐证材料，请先上传新的材料再移除。")
        previous = _resubmit(record)
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "rejection_reason", "submitted_at"])
        _log(
            actor=actor,
            action="evidence_removed",
            record=record,
            files=[evidence.original_name],
            from_status=previous,
            to_status=record.status,
        )
        if record.ever_approved:
            evidence.removed_at = timezone.now()
            evidence.save(update_fields=["removed_at"])
        else:
            name = evidence.file.name
            evidence.delete()
            delete_files_on_commit([name])


# --- Review by the employer ----------------------------------------------------------------


@dataclass
class ReviewResult:
    changed: list[Record] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)


def _review(*, actor: User, record_ids: Sequence[int], approve: bool, reason: str) -> ReviewResult:
    """Decide on the pending records among ``record_ids`` that ``actor`` may review."""
    result = ReviewResult()
    with transaction.atomic():
        records = list(
            Record.objects.select_for_update(of=("self",))
            .filter(
                pk__in=list(record_ids),
                status=Status.PENDING,
                withdrawn_at__isnull=True,
                owner__profile__employer__in=reviewed_employer_ids(actor),
            )
            .exclude(owner=actor)
            .select_related("owner")
            .order_by("pk")
        )
        found = {r.pk for r in records}
        result.skipped = [pk for pk in record_ids if pk not in found]
        now = timezone.now()
        action = "record_approved" if approve else "record_rejected"
        for record in records:
            record.status = Status.APPROVED if approve else Status.REJECTED
            record.rejection_reason = "" if approve else reason
            record.reviewed_by = actor
            record.reviewed_at = now
            record.ever_approved = record.ever_approved or approve
            record.save(update_fields=["status", "rejection_reason", "reviewed_by", "reviewed_at", "ever_approved"])
            _log(
                actor=actor,
                action=action,
                record=record,
                reason=reason,
                from_status=Status.PENDING,
                to_status=record.status,
            )
            result.changed.append(record)
        owners: dict[int, tuple[User, int]] = {}
        for record in records:
            owner, count = owners.get(record.owner_id, (record.owner, 0))
            owners[record.owner_id] = (owner, count + 1)
        for owner, count in owners.values():
            notify(
                recipient=owner,
                template="archive_reviewed",
                context={"approved": count if approve else 0, "rejected": 0 if approve else count, "reason": reason},
                channels=("inbox",),
                related_url=reverse("archive:overview"),
            )
    return result


def record_approve(*, actor: User, record: Record) -> Record:
    result = _review(actor=actor, record_ids=[record.pk], approve=True, reason="")
    if not result.changed:
        raise ArchiveError("该记录不在待审核状态，或您无权审核。")
    return result.changed[0]


def record_reject(*, actor: User, record: Record, reason: str) -> Record:
    reason = reason.strip()
    if not reason:
        raise ArchiveError("请填写不通过原因。")
    result = _review(actor=actor, record_ids=[record.pk], approve=False, reason=reason)
    if not result.changed:
        raise ArchiveError("该记录不在待审核状态，或您无权审核。")
    return result.changed[0]


def records_bulk_review(*, actor: User, record_ids: Sequence[int], decision: str, reason: str = "") -> ReviewResult:
    """Approve or reject many records at once (one reason for all); others are reported as skipped."""
    if decision not in ("approve", "reject"):
        raise ValueError(f"unknown decision {decision!r}")
    reason = reason.strip()
    if decision == "reject" and not reason:
        raise ArchiveError("请填写不通过原因。")
    return _review(actor=actor, record_ids=list(record_ids), approve=decision == "approve", reason=reason)


# --- Automatic extraction from the registries (自动提取) -------------------------------------

SYSTEM_APPROVAL_NOTE = "系统自动提取的数据，无需单位审核"
PRE_REGISTRY_REASON = (
    "2001 年及以前毕业的学历不能自动提取，请手动填写并上传《高校毕业生登记表》扫描件（或学信网学历认证报告）。"
)


@dataclass(frozen=True)
class ImportSkip:
    """A registry entry that was not imported, and why (in words)."""

    source: str
    description: str
    reason: str

    @property
    def message(self) -> str:
        return f"未提取{self.source}的“{self.description}”：{self.reason}"


@dataclass
class ImportResult:
    created: list[Record] = field(default_factory=list)
    updated: list[Record] = field(default_factory=list)
    unchanged: list[Record] = field(default_factory=list)
    skipped: list[ImportSkip] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {
            "created": len(self.created),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "skipped": len(self.skipped),
        }

    @property
    def message(self) -> str:
        """One sentence for the page (the skipped entries are listed separately)."""
        if not (self.created or self.updated or self.unchanged or self.skipped):
            return "学信网、社保系统中没有查到您的可提取记录，请手动填写并上传佐证材料。"
        parts = [f"新增 {len(self.created)} 条", f"更新 {len(self.updated)} 条", f"无变化 {len(self.unchanged)} 条"]
        by_type: dict[str, int] = {}
        for record in self.created + self.updated:
            label = registry.get_type(record.record_type).label
            by_type[label] = by_type.get(label, 0) + 1
        detail = "（" + "、".join(f"{label} {n} 条" for label, n in by_type.items()) + "）" if by_type else ""
        text = "已从学信网/社保系统自动提取：" + "，".join(parts) + detail + "。"
        if self.skipped:
            text += f"另有 {len(self.skipped)} 条未提取，原因见下。"
        return text


def _system_approve(record: Record, *, now: Any) -> None:
    record.status = Status.APPROVED
    record.reviewed_by = None
    record.reviewed_at = now
    record.rejection_reason = ""
    record.ever_approved = True


def _import_one(
    *,
    actor: User,
    person: User,
    type_code: str,
    key: str,
    data: Mapping[str, Any],
    description: str,
    existing: Mapping[str, Record],
    duplicate_of: Record | None,
    result: ImportResult,
) -> None:
    """Create, update or leave one imported record; the imported fields need no employer review."""
    rt = registry.get_type(type_code)
    source = importers.SOURCE_OF_TYPE[type_code]
    source_label = ImportSource(source).label
    now = timezone.now()
    record = existing.get(key)
    if record is None:
        if duplicate_of is not None:
            reason = (
                f"已有手动填写的相同记录（{duplicate_of.summary}），未重复提取；"
                "如需以系统数据为准，请先删除（撤销）手动记录再提取。"
            )
            result.skipped.append(ImportSkip(source_label, description, reason))
            return
        record = rt.model(
            owner=person, record_type=rt.code, imported=True, import_source=source, import_key=key, **data
        )
        record.full_clean(validate_unique=False)
        record.summary = record.describe()[:300]
        _system_approve(record, now=now)
        record.submitted_at = now
        record.save()
        _log(
            actor=actor,
            action="record_imported",
            record=record,
            source=source,
            fields=_snapshot(record),
            to_status=record.status,
        )
        _log(actor=None, action="record_approved", record=record, note=SYSTEM_APPROVAL_NOTE, to_status=record.status)
        result.created.append(record)
        return
    if record.is_withdrawn:
        result.skipped.append(ImportSkip(source_label, description, "您已撤销该条自动提取的记录，不再重复提取。"))
        return
    before = dict(registry.field_rows(record, rt.field_names))
    for name, value in data.items():
        setattr(record, name, value)
    after = dict(registry.field_rows(record, rt.field_names))
    changes = [{"label": k, "old": before[k], "new": after[k]} for k in after if before[k] != after[k]]
    if not changes:
        result.unchanged.append(record)
        return
    record.full_clean(validate_unique=False)
    record.summary = record.describe()[:300]
    previous = record.status
    # A pending or rejected record waits on the person's own change (e.g. relevance): the
    # imported fields are updated, the employer's review of that change stands.
    if previous == Status.APPROVED:
        _system_approve(record, now=now)
    record.save()
    _log(
        actor=actor,
        action="record_import_updated",
        record=record,
        source=source,
        changes=changes,
        from_status=previous,
        to_status=record.status,
    )
    if record.status == Status.APPROVED:
        _log(actor=None, action="record_approved", record=record, note=SYSTEM_APPROVAL_NOTE, to_status=record.status)
    result.updated.append(record)


def _manual_duplicate_degree(degree: DegreeRecord, manual: Sequence[Education]) -> Education | None:
    for record in manual:
        same_certificate = degree.certificate_number and record.certificate_number == degree.certificate_number
        if same_certificate or (record.level == degree.level and record.graduated_on == degree.graduated_on):
            return record
    return None


def _manual_duplicate_period(period: InsurancePeriod, manual: Sequence[SocialInsurance]) -> SocialInsurance | None:
    for record in manual:
        if record.start_month == period.start_month and record.region_code == period.region_code:
            return record
    return None


def archive_import(*, actor: User, person: User, adapter: RegistryAdapter | None = None) -> ImportResult:
    """Extract ``person``'s degrees (学信网) and social-insurance periods (人社系统) into the archive.

    Records are created imported (``imported``, ``import_source``, ``import_key``) and approved
    by the system — the registry is the proof, so no evidence and no employer review of the
    imported fields. Idempotent: a registry row already imported is left alone, or updated when
    the registry changed it; a row whose record the person withdrew is not imported again.
    Degrees of 2001 or earlier are never imported (they need the graduate registration form).
    Only the person, or platform staff, may run it (``archive.import_records``).
    """
    if not can(actor, "archive.import_records", person):
        raise PermissionDenied("您没有权限为他人提取档案数据。")
    if not person.id_number:
        raise ArchiveError("未登记身份证件号码，无法从学信网、社保系统提取。")
    adapter = adapter or importers.get_registry_adapter()
    if adapter is None:
        raise ArchiveError("本平台尚未接入学信网、社保系统，请手动填写并上传佐证材料。")
    try:  # the registries are asked before the transaction: no lock held over a remote call
        degrees = list(adapter.fetch_degrees(person))
        periods = list(adapter.fetch_social_insurance(person))
    except RegistryError as error:
        raise ArchiveError(f"自动提取失败：{error}") from error
    result = ImportResult()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=person.pk).first()  # one extraction at a time per person
        profile = ApplicantProfile.objects.select_related("employer").filter(user=person).first()  # not a stale cache
        employer = profile.employer if profile is not None else None
        educations = list(Education.objects.filter(owner=person, withdrawn_at__isnull=True, imported=False))
        insurance = list(SocialInsurance.objects.filter(owner=person, withdrawn_at__isnull=True, imported=False))
        imported_educations = {
            r.import_key: r
            for r in Education.objects.filter(owner=person, imported=True, import_source=ImportSource.CHSI)
        }
        imported_periods = {
            r.import_key: r
            for r in SocialInsurance.objects.filter(
                owner=person, imported=True, import_source=ImportSource.SOCIAL_INSURANCE
            )
        }
        chsi = ImportSource(ImportSource.CHSI).label
        for degree in sorted(degrees, key=lambda d: (d.graduated_on, d.key)):
            if degree.graduated_on < importers.REGISTRY_DEGREES_FROM:
                result.skipped.append(ImportSkip(chsi, degree.describe(), PRE_REGISTRY_REASON))
                continue
            _import_one(
                actor=actor,
                person=person,
                type_code="education",
                key=degree.key,
                data=degree.record_data(),
                description=degree.describe(),
                existing=imported_educations,
                duplicate_of=_manual_duplicate_degree(degree, educations),
                result=result,
            )
        for period in sorted(periods, key=lambda p: (p.start_month, p.key)):
            _import_one(
                actor=actor,
                person=person,
                type_code="social_insurance",
                key=period.key,
                data=period.record_data(current_employer=employer),
                description=period.describe(),
                existing=imported_periods,
                duplicate_of=_manual_duplicate_period(period, insurance),
                result=result,
            )
        log_action(
            actor=actor,
            action="archive.registry_import",
            obj=person,
            data={"adapter": importers.adapter_label(adapter), **result.counts},
        )
    return result
