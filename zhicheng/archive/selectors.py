"""Reads of the archive, including "which records may this user see"."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from zhicheng.archive import registry
from zhicheng.archive.choices import CEResult, ImportSource
from zhicheng.archive.models import ContinuingEducation, Evidence, Record
from zhicheng.archive.registry import RecordType
from zhicheng.core.audit import entries_for
from zhicheng.core.crypto import blind_indexes
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
    "archive.record_imported": "系统自动提取",
    "archive.record_import_updated": "系统数据更新",
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
        # ID numbers are sealed at rest: a whole number is found by its blind index, not a part.
        records = records.filter(
            Q(owner__real_name__contains=search) | Q(owner__id_number_index__in=blind_indexes(search))
        )
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


def records_as_types(chosen: Iterable[tuple[int, str]]) -> list[Record]:
    """The records named by ``(pk, record_type)`` pairs, each loaded as its own type (a Paper,
    a TitleHeld …) with the rows its fields name (a title's level): registry order, then pk.

    One query per type present, each filtering the type's table by primary key first — it
    stays an index lookup however large the archive grows.
    """
    by_type: dict[str, list[int]] = {}
    for pk, code in chosen:
        by_type.setdefault(code, []).append(pk)
    out: list[Record] = []
    for record_type in registry.all_types():
        pks = by_type.get(record_type.code)
        if not pks:
            continue
        named = [
            f.name for f in record_type.model._meta.local_fields if f.many_to_one and f.name in record_type.field_names
        ]
        out += record_type.model.objects.filter(pk__in=pks).select_related(*named).order_by("pk")
    return out


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
        if data.get("note"):
            details.append(data["note"])
        if data.get("source"):
            details.append(f"来源：{_source_label(data['source'])}")
        for change in data.get("changes", []):
            details.append(f"{change['label']}：{change['old']} → {change['new']}")
        if data.get("files"):
            details.append("文件：" + "、".join(data["files"]))
        if data.get("from_status") and data.get("to_status") and data["from_status"] != data["to_status"]:
            details.append(f"状态：{_status_label(data['from_status'])} → {_status_label(data['to_status'])}")
        label = ACTION_LABELS.get(entry.action, entry.action)
        rows.append(HistoryRow(entry.created_at, entry.actor_label, entry.action, label, details))
    return rows


def _source_label(value: str) -> str:
    try:
        return str(ImportSource(value).label)
    except ValueError:
        return value


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


def pending_review_count(user: Any) -> int:
    """How many records of ``user``'s staff wait for ``user``'s review (for the employer dashboard)."""
    return reviewable_records(user).filter(status=Record.Status.PENDING).count()


# --- Continuing education per year (继续教育学时) --------------------------------------------


def _zero() -> Decimal:
    return Decimal(0)


@dataclass
class YearHours:
    """One year's approved, passed CE hours by category; ``pending`` hours are not counted yet."""

    year: int
    general_public: Decimal = field(default_factory=_zero)
    industry_public: Decimal = field(default_factory=_zero)
    professional: Decimal = field(default_factory=_zero)
    pending: Decimal = field(default_factory=_zero)

    @property
    def public(self) -> Decimal:
        """公需科目: general plus industry public subjects."""
        return self.general_public + self.industry_public

    @property
    def total(self) -> Decimal:
        return self.general_public + self.industry_public + self.professional


def ce_by_year(user: Any, *, years: Iterable[int] = ()) -> list[YearHours]:
    """Approved (not withdrawn, passed) CE hours per year and category, newest year first.

    ``years`` adds years without any record (all zero), e.g. the years a policy looks at.
    Records waiting for review are summed apart, as ``pending``. One query.
    """
    rows: dict[int, YearHours] = {year: YearHours(year) for year in years}
    if _authenticated(user):
        sums = (
            ContinuingEducation.objects.filter(
                owner=user,
                withdrawn_at__isnull=True,
                result=CEResult.PASSED,
                status__in=(Record.Status.APPROVED, Record.Status.PENDING),
            )
            .values("year", "category", "status")
            .annotate(hours=Sum("hours"))
            .order_by()
        )
        for row in sums:
            item = rows.setdefault(row["year"], YearHours(row["year"]))
            if row["status"] == Record.Status.PENDING:
                item.pending += row["hours"]
            else:
                setattr(item, row["category"], getattr(item, row["category"]) + row["hours"])
    return sorted(rows.values(), key=lambda item: item.year, reverse=True)


def format_hours(value: Decimal | int | float) -> str:
    """60 → "60", 10.5 → "10.5"."""
    number = Decimal(value).quantize(Decimal("0.1"))
    return str(number.to_integral_value()) if number == number.to_integral_value() else str(number)


@dataclass(frozen=True)
class CERequirement:
    """A per-year CE standard: each year needs ``total`` hours, ``professional`` of them
    professional and ``public`` general plus industry public; ``years`` is how many years up to
    and including the plan year an engineer's normal application looks at."""

    policy: str
    label: str
    total: Decimal
    professional: Decimal
    public: Decimal
    years: int

    @property
    def description(self) -> str:
        return (
            f"每年不少于 {format_hours(self.total)} 学时，其中专业科目不少于 {format_hours(self.professional)} 学时、"
            f"公需科目（一般公需 + 行业公需）不少于 {format_hours(self.public)} 学时"
        )

    def shortfalls(self, hours: YearHours) -> list[str]:
        """What a year lacks, in words: "2023 年专业科目学时还差 10 学时"."""
        gaps = [
            ("专业科目", self.professional - hours.professional),
            ("公需科目（一般公需 + 行业公需）", self.public - hours.public),
            ("总", self.total - hours.total),
        ]
        return [f"{hours.year} 年{name}学时还差 {format_hours(gap)} 学时" for name, gap in gaps if gap > 0]


DEFAULT_CE_POLICY = "wz-jidian-2020"


def ce_requirement(policy_id: str = DEFAULT_CE_POLICY) -> CERequirement | None:
    """The per-year CE standard of a policy, read from its policy file, or None when the policy
    counts its years together (Shangyu: 2021–2023 at 270 / 180 / 54 — the engine's check) or
    cannot be loaded. ``years`` is what an engineer's normal application looks at."""
    from zhicheng import rules

    try:
        policy = rules.load_policy(policy_id)
    except rules.PolicyError:
        return None
    spec = policy.spec.checks.continuing_education
    if spec is None or spec.mode != "each_year":
        return None
    years = spec.years or (spec.years_by_type or {}).get("engineer", {}).get("normal", 1)
    return CERequirement(
        policy=policy_id,
        label=f"{policy.title}（{policy.document}）",
        total=Decimal(str(spec.min_hours.total)),
        professional=Decimal(str(spec.min_hours.professional)),
        public=Decimal(str(spec.min_hours.public)),
        years=years,
    )


@dataclass(frozen=True)
class CEYearRow:
    hours: YearHours
    shortfalls: list[str]
    in_window: bool


@dataclass(frozen=True)
class CEOverview:
    requirement: CERequirement | None
    window: tuple[int, ...]
    rows: list[CEYearRow]

    @property
    def shortfalls(self) -> list[str]:
        """The gaps of the years the policy looks at, oldest year first."""
        return [gap for row in reversed(self.rows) if row.in_window for gap in row.shortfalls]


def ce_overview(user: Any, *, policy: str = DEFAULT_CE_POLICY, plan_year: int | None = None) -> CEOverview:
    """Each year's hours with what it lacks against the policy's per-year standard.

    The window (the years an engineer's normal application looks at) ends with ``plan_year``,
    by default this year; its years are listed even without records.
    """
    requirement = ce_requirement(policy)
    plan_year = plan_year or timezone.localdate().year
    window = tuple(range(plan_year - requirement.years + 1, plan_year + 1)) if requirement else ()
    rows = [
        CEYearRow(item, requirement.shortfalls(item) if requirement else [], item.year in window)
        for item in ce_by_year(user, years=window)
    ]
    return CEOverview(requirement, window, rows)


# --- My growth track (我的成长轨迹) ---------------------------------------------------------


@dataclass(frozen=True)
class TrackItem:
    date: date
    end: date | None
    ongoing: bool
    year_only: bool
    category: str
    category_label: str
    type_label: str
    event: str
    summary: str
    record_id: int
    status: str

    @property
    def is_pending(self) -> bool:
        return self.status == Record.Status.PENDING


# (type code, category, category label, start field, end field or None, event word, period type)
GROWTH_TYPES: tuple[tuple[str, str, str, str, str | None, str, bool], ...] = (
    ("education", "education", "学历", "graduated_on", None, "毕业", False),
    ("title", "title", "职称", "obtained_on", None, "取得", False),
    ("skill_grade", "skill", "职业技能", "obtained_on", None, "取得", False),
    ("appointment", "post", "任职", "start_date", "end_date", "聘任", True),
    ("tech_post", "post", "任职", "start_date", "end_date", "任职", True),
    ("work", "work", "工作", "start_date", "end_date", "入职", True),
    ("award", "achievement", "业绩成果", "awarded_on", None, "获奖", False),
    ("patent", "achievement", "业绩成果", "granted_on", None, "授权", False),
    ("standard", "achievement", "业绩成果", "published_on", None, "发布", False),
    ("research_project", "achievement", "业绩成果", "approved_on", "completed_on", "立项", True),
    ("engineering_project", "achievement", "业绩成果", "start_date", "end_date", "实施", True),
    ("honour", "achievement", "业绩成果", "year", None, "授予", False),
)


_TRACK_ORDER = ("education", "work", "title", "skill", "post", "achievement")


def growth_track(user: Any) -> list[TrackItem]:
    """我的成长轨迹: education, titles, skill grades, posts, work and key achievements, newest
    first, from approved and pending records (pending ones are marked). One query per type."""
    if not _authenticated(user):
        return []
    items: list[TrackItem] = []
    for code, category, category_label, start_name, end_name, event, is_period in GROWTH_TYPES:
        record_type = registry.get_type(code)
        records = record_type.model.objects.filter(
            owner=user,
            withdrawn_at__isnull=True,
            status__in=(Record.Status.APPROVED, Record.Status.PENDING),
        ).order_by("pk")
        for record in records:
            start = getattr(record, start_name)
            year_only = isinstance(start, int)
            if year_only:
                start = date(start, 1, 1)
            end = getattr(record, end_name) if end_name else None
            items.append(
                TrackItem(
                    date=start,
                    end=end,
                    ongoing=is_period and end is None,
                    year_only=year_only,
                    category=category,
                    category_label=category_label,
                    type_label=record_type.label,
                    event=event,
                    summary=record.summary,
                    record_id=record.pk,
                    status=record.status,
                )
            )
    # Newest first; on the same day a graduation comes before the job it led to, and so on.
    items.sort(key=lambda item: (item.date, _TRACK_ORDER.index(item.category), item.record_id), reverse=True)
    return items
