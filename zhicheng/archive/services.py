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

import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.archive import registry
from zhicheng.archive.models import Evidence, Record
from zhicheng.archive.selectors import reviewed_employer_ids
from zhicheng.core.audit import log_action
from zhicheng.core.storage import private_files
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
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        evidence = Evidence(
            record=record.base,
            kind=kind.extension,
            original_name=os.path.basename(upload.name or "")[:200] or f"file.{kind.extension}",
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        evidence.file.save(stored_name(kind), upload, save=False)
        stored.append(evidence.file.name)
        evidence.save()
        created.append(evidence)
    return created


def _delete_files_on_commit(names: Sequence[str]) -> None:
    def delete() -> None:
        storage = private_files
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)


class _FilesGuard:
    """Deletes files stored during a transaction that then failed (no orphans on rollback)."""

    def __init__(self) -> None:
        self.stored: list[str] = []

    def __enter__(self) -> list[str]:
        return self.stored

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is not None:
            storage = private_files
            for name in self.stored:
                storage.delete(name)


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
    with _FilesGuard() as stored, transaction.atomic():
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
    with _FilesGuard() as stored, transaction.atomic():
        record = _lock(record)
        if record.is_withdrawn:
            raise ArchiveError("该记录已撤销，不能修改。")
        before = dict(registry.field_rows(record, rt.field_names))
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
        _delete_files_on_commit(names)
    return "deleted"


# --- Evidence ------------------------------------------------------------------------------


def evidence_add(*, actor: User, record: Record, files: Sequence[tuple[UploadedFile, FileKind]]) -> list[Evidence]:
    """Attach files to a record; new evidence on a reviewed record sends it back for review."""
    if not files:
        raise ArchiveError("请选择要上传的文件。")
    with _FilesGuard() as stored, transaction.atomic():
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
            _delete_files_on_commit([name])


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
