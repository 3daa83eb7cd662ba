"""What each document prints, read from the application's snapshot (what was submitted, never
the live archive) and its history. Plain data for the templates and the roster writer."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils import timezone

from zhicheng.applications.models import Application
from zhicheng.archive import registry
from zhicheng.plans.models import SHANGHAI

ACHIEVEMENT_TYPES = frozenset(t.code for t in registry.types_in_section("achievement"))
MAIN_ACHIEVEMENTS = 8  # the publicity form lists at most this many


def snapshot_of(application: Application) -> dict[str, Any]:
    return application.snapshot or {}


def local_day(moment: Any) -> date | None:
    return timezone.localtime(moment, SHANGHAI).date() if moment else None


def year_month(iso_day: str | None) -> str:
    """``1988-05-12`` → ``1988.05`` (出生年月 as the forms print it)."""
    return iso_day[:7].replace("-", ".") if iso_day else ""


def records_of(snapshot: dict[str, Any], *types: str) -> list[dict[str, Any]]:
    return [r for r in snapshot.get("records", []) if r.get("type") in types]


def field_value(record: dict[str, Any], label: str) -> str:
    return next((value for name, value in record.get("fields", []) if name == label), "")


def summaries(snapshot: dict[str, Any], *types: str) -> str:
    return "；".join(r["summary"] for r in records_of(snapshot, *types))


def education_text(snapshot: dict[str, Any]) -> str:
    """Each degree as ``学历层次 · 院校 · 专业``, highest first as the archive lists them."""
    parts = []
    for record in records_of(snapshot, "education"):
        values = [field_value(record, label) for label in ("学历层次", "毕业院校", "所学专业")]
        parts.append(" · ".join(v for v in values if v) or record["summary"])
    return "；".join(parts)


def current_title_text(snapshot: dict[str, Any]) -> str:
    """The titles held (with their dates), else the qualification type chosen in step 3."""
    return summaries(snapshot, "title") or snapshot.get("info", {}).get("qualification_type", "")


def main_achievements(snapshot: dict[str, Any]) -> list[str]:
    return [r["summary"] for r in snapshot.get("records", []) if r.get("type") in ACHIEVEMENT_TYPES][:MAIN_ACHIEVEMENTS]


@dataclass
class RecordTable:
    """One kind of archive record as a table: the field labels as columns, a record a row."""

    label: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)


def record_tables(snapshot: dict[str, Any]) -> list[RecordTable]:
    tables: dict[str, RecordTable] = {}
    for record in snapshot.get("records", []):
        fields = record.get("fields", [])
        table = tables.get(record["type"])
        if table is None:
            table = tables[record["type"]] = RecordTable(record["type_label"], [name for name, _value in fields])
        values = dict(fields)
        table.rows.append([values.get(name, "") for name in table.headers])
    return list(tables.values())


def verdict_text(application: Application) -> str:
    if application.engine_eligible is None:
        return "—"
    text = "符合申报条件" if application.engine_eligible else "不符合申报条件"
    return text + ("（依赖申报人声明，须核实）" if application.needs_claim_review else "")


def flags(application: Application, today: date) -> list[str]:
    """What an office should look at first (the queue's flags, in words)."""
    out = []
    if application.engine_eligible is False:
        out.append("引擎判定不符合")
    if application.needs_claim_review:
        out.append("须核实声明条件")
    if application.stage_deadline and application.stage_deadline < today and application.in_review:
        out.append("本环节已超期")
    if application.publicity_outcome == Application.PublicityOutcome.OBJECTION:
        out.append("公示有异议")
    return out


def publicity_period(application: Application) -> tuple[date | None, date | None]:
    """From the first submission's day to the last working day of the employer's publicity."""
    return local_day(application.first_submitted_at), application.publicity_ends_on
