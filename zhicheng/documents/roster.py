"""The roster (评审对象资格审查花名册) as an Excel workbook, written in openpyxl's write-only mode
so a plan of ten thousand applicants streams in constant memory (≈1 s per 10,000 rows here).

ID numbers are masked (``330302********123X``) unless the exporter asked for them in full and
may see them (ARCHITECTURE §Data safety)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import IO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from zhicheng.applications.models import Application
from zhicheng.applications.snapshot import person_id_number
from zhicheng.documents import content
from zhicheng.lib.idnumbers import mask_id_number
from zhicheng.plans.models import SHANGHAI, Plan

COLUMNS = (
    # (header, width in characters)
    ("序号", 6),
    ("申报编号", 26),
    ("姓名", 10),
    ("性别", 6),
    ("身份证号", 21),
    ("工作单位", 30),
    ("所在地区", 16),
    ("申报级别", 12),
    ("申报方式", 14),
    ("现有职称", 36),
    ("学历", 36),
    ("状态", 18),
    ("政策引擎判定", 18),
    ("标记", 24),
)
PROGRESS_EVERY = 50  # rows between progress reports

Progress = Callable[[int], None]


def roster_row(index: int, application: Application, *, full_ids: bool, today: date) -> list[object]:
    snapshot = content.snapshot_of(application)
    person = snapshot.get("person", {})
    id_number = person_id_number(person) or application.applicant.id_number or ""
    return [
        index,
        application.number or "",
        person.get("name") or application.applicant.real_name,
        person.get("gender", ""),
        id_number if full_ids else mask_id_number(id_number) if id_number else "",
        person.get("employer", ""),
        str(application.district or ""),
        application.level.name,
        application.application_type_label,
        content.current_title_text(snapshot),
        content.education_text(snapshot),
        application.get_status_display(),
        content.verdict_text(application),
        "；".join(content.flags(application, today)),
    ]


def write_roster(
    applications: Iterable[Application],
    target: IO[bytes],
    *,
    plan: Plan,
    stage_label: str,
    full_ids: bool,
    progress: Progress,
) -> int:
    """Write the workbook to ``target``; report every ``PROGRESS_EVERY`` rows; return the count."""
    now = timezone.localtime(timezone.now(), SHANGHAI)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    for i, (_header, width) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    title = WriteOnlyCell(sheet, value=f"{plan.name}　评审对象资格审查花名册")
    title.font = Font(bold=True, size=14)
    sheet.append([title])
    sheet.append(
        [
            f"计划编号：{plan.number}",
            f"审核环节：{stage_label or '全部'}",
            f"导出时间：{now:%Y-%m-%d %H:%M}",
            "身份证号：完整" if full_ids else "身份证号：已脱敏",
        ]
    )
    header = []
    for name, _width in COLUMNS:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center")
        header.append(cell)
    sheet.append(header)
    count = 0
    for count, application in enumerate(applications, start=1):
        sheet.append(roster_row(count, application, full_ids=full_ids, today=now.date()))
        if count % PROGRESS_EVERY == 0:
            progress(count)
    workbook.save(target)
    progress(count)
    return count
