"""Reads of the archive, including "which records may this user see"."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from zhicheng.archive import registry
from zhicheng.archive.models import Evidence, Record
from zhicheng.archive.registry import RecordType
from zhicheng.core.audit import entries_for
from zhicheng.orgs.models import ROLE_PERMISSIONS, Organisation

REVIEW_PERMISSION = "archive.review"
_REVIEW_ROLES = tuple(role for role, codes in ROLE_PERMISSIONS.items() if REVIEW_PERMISSION in codes)

ACTION_LABELS = {
    "archive.record_created": "新增记录",
    "archive.record_updated": "修改记录",
    "archive.record_approved": "审核通过",
    "archive.record_rejected": "审核不通过",
    "archive.record_withdrawn": "撤销记录",
    "archive.record_deleted": "删除记录",
    "archive.evidence_added": "上传佐证材料",
    "archive.evidence_removed": "移除佐证材料",
}


def _authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


# --- Who reviews whom ----------------------------------------------------------------------


def reviewed_employer_ids(user: Any) -> QuerySet[Organisation]:
    """Ids of the employers whose staff's records ``user`` reviews (a subquery, no DISTINCT)."""
    if not _authenticated(user):
        return Organisation.objects.none().values("pk")
    return Organisation.objects.filter(
        kind=Organisation.Kind.EMPLOYER,
        memberships__user=user,
        memberships__is_active=True,
        memberships__role__in=_REVIEW_ROLES,
    ).values("pk")


def reviewed_employers(user: Any) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=reviewed_employer_ids(user)).order_by("name")


def reviews_staff_of(user: Any, owner_id: int) -> bool:
    """Whether ``user`` reviews archive records of the person ``owner_id`` (its current employer's staff)."""
    if not _authenticated(user) or user.pk == owner_id:
        return False
    return reviewed_employers(user).filter(staff_profiles__user_id=owner_id).exists()


# --- Records -------------------------------------------------------------------------------


def records_visible_to(user: Any) -> QuerySet[Record]:
    """Records ``user`` may see: their own, and those of the staff of employers they review.

    Anyone else's records are absent (so views answer 404, not 403). Withdrawn records are
    included: their owner and reviewers still see them and their history.
    """
    if not _authenticated(user):
        return Record.objects.none()
    if user.is_superuser:
        return Record.objects.all()
    return Record.objects.filter(Q(owner=user) | Q(owner__profile__employer__in=reviewed_employer_ids(user)))


def own_records(user: Any, *, include_withdrawn: bool = True) -> QuerySet[Record]:
    if not _authenticated(user):
        return Record.objects.none()
    records = Record.objects.filter(owner=user)
    return records if include_withdrawn else records.filter(withdrawn_at__isnull=True)


def records_of_type(user: Any, record_type: RecordType) -> QuerySet[Record]:
    """The user's current (not withdrawn) records of one type, as that type's model."""
    return (
        record_type.model.objects.filter(owner=user, withdrawn_at__isnull=True)
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
        .order_by("-created_at", "-pk")
    )


def reviewable_records(user: Any) -> QuerySet[Record]:
    """Records ``user`` may decide on: current records of the staff they review, never their own."""
    if not _authenticated(user):
        return Record.objects.none()
    return Record.objects.filter(
        owner__profile__employer__in=reviewed_employer_ids(user), withdrawn_at__isnull=True
    ).exclude(owner=user)


def review_queue(
    user: Any,
    *,
    status: str | None = Record.Status.PENDING,
    record_type: str = "",
    search: str = "",
) -> QuerySet[Record]:
    """The employer reviewer's queue (业绩档案审核), oldest submission first.

    One query whatever its length: the summary is stored on the record and the evidence
    count is an annotation.
    """
    records = reviewable_records(user)
    if status:
        records = records.filter(status=status)
    if record_type:
        records = records.filter(record_type=record_type)
    search = search.strip()
    if search:
        records = records.filter(Q(owner__real_name__contains=search) | Q(owner__id_number__contains=search))
    return (
        records.select_related("owner", "owner__profile__employer")
        .annotate(evidence_count=Count("evidence", filter=Q(evidence__removed_at__isnull=True)))
        .order_by("submitted_at", "pk")
    )


def review_status_counts(user: Any) -> dict[str, int]:
    """How many of the reviewer's staff's records are in each status (the queue's tabs)."""
    counts = dict.fromkeys(Record.Status.values, 0)
    rows = reviewable_records(user).values("status").annotate(n=Count("pk")).order_by()
    for row in rows:
        counts[row["status"]] = row["n"]
    return counts


# --- Evidence ------------------------------------------------------------------------------


def active_evidence(record: Record) -> QuerySet[Evidence]:
    return Evidence.objects.filter(record_id=record.pk, removed_at__isnull=True).order_by("uploaded_at", "pk")


def evidence_visible_to(user: Any) -> QuerySet[Evidence]:
    """Evidence files ``user`` may open: those of records they may see, not removed."""
    return Evidence.objects.filter(record__in=records_visible_to(user).values("pk"), removed_at__isnull=True)


# --- History -------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    created_at: Any
    actor: str
    action: str
    label: str
    details: list[str]


def record_history(record: Record) -> list[HistoryRow]:
    """The record's log (查看日志), oldest first, in words."""
    rows = []
    for entry in entries_for(record.base).order_by("id"):
        data = entry.data or {}
        details = []
        if data.get("reason"):
            details.append(f"原因：{data['reason']}")
        for change in data.get("changes", []):
            details.append(f"{change['label']}：{change['old']} → {change['new']}")
        if data.get("files"):
            details.append("文件：" + "、".join(data["files"]))
        if data.get("from_status") and data.get("to_status") and data["from_status"] != data["to_status"]:
            details.append(f"状态：{_status_label(data['from_status'])} → {_status_label(data['to_status'])}")
        label = ACTION_LABELS.get(entry.action, entry.action)
        rows.append(HistoryRow(entry.created_at, entry.actor_label, entry.action, label, details))
    return rows


def _status_label(value: str) -> str:
    try:
        return str(Record.Status(value).label)
    except ValueError:
        return value


# --- Overview and readiness ----------------------------------------------------------------


@dataclass
class TypeOverview:
    type: RecordType
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def pending(self) -> int:
        return self.counts.get(Record.Status.PENDING, 0)

    @property
    def approved(self) -> int:
        return self.counts.get(Record.Status.APPROVED, 0)

    @property
    def rejected(self) -> int:
        return self.counts.get(Record.Status.REJECTED, 0)


@dataclass
class SectionOverview:
    code: str
    label: str
    types: list[TypeOverview]


def _counts_by_type(user: Any, codes: list[str] | None = None) -> dict[str, dict[str, int]]:
    records = own_records(user, include_withdrawn=False)
    if codes is not None:
        records = records.filter(record_type__in=codes)
    counts: dict[str, dict[str, int]] = {}
    for row in records.values("record_type", "status").annotate(n=Count("pk")).order_by():
        counts.setdefault(row["record_type"], {})[row["status"]] = row["n"]
    return counts


def archive_overview(user: Any) -> list[SectionOverview]:
    """我的业绩档案: every type with its counts per status, by section (one query)."""
    counts = _counts_by_type(user)
    return [
        SectionOverview(code, label, [TypeOverview(t, counts.get(t.code, {})) for t in registry.types_in_section(code)])
        for code, label in registry.SECTIONS
    ]


@dataclass(frozen=True)
class RequirementGap:
    """A required record type that stops an application."""

    code: str
    label: str
    reason: str  # "missing" | "rejected" | "pending"

    @property
    def message(self) -> str:
        return {
            "missing": f"尚未填写“{self.label}”",
            "rejected": f"“{self.label}”有审核不通过的记录，请修改后重新提交",
            "pending": f"“{self.label}”尚有记录待单位审核",
        }[self.reason]


def required_records_approved(user: Any) -> tuple[bool, list[RequirementGap]]:
    """Whether every required type (教育经历, 工作经历, 继续教育, 年度考核) is ready to apply with.

    A required type is ready when the person has at least one current record of it and every
    current record of it is approved. Optional types never block: an application simply
    draws only their approved records.
    """
    required = registry.required_types()
    counts = _counts_by_type(user, [t.code for t in required])
    gaps = []
    for record_type in required:
        by_status = counts.get(record_type.code, {})
        if not by_status:
            gaps.append(RequirementGap(record_type.code, record_type.label, "missing"))
        elif by_status.get(Record.Status.REJECTED):
            gaps.append(RequirementGap(record_type.code, record_type.label, "rejected"))
        elif by_status.get(Record.Status.PENDING):
            gaps.append(RequirementGap(record_type.code, record_type.label, "pending"))
    return not gaps, gaps
