"""Load the versioned reference data files under ``zhicheng/reference/data/`` into the database.

Every file is one data set: a JSON object with ``dataset`` (its name, also the key in
``DataVersion``), an integer ``version`` and the rows. Loading is idempotent:

- a data set whose recorded version is already the file's version (or newer) is skipped,
  so corrections made in the admin survive a re-run;
- a newer file version upserts its rows by natural key (only changed fields are written) and
  records the new version; rows of a calendar or honour list that the new version no longer
  has are deleted, but regions, series, specialties and levels are never deleted (other data
  refers to them with PROTECT);
- ``force=True`` re-applies the files whatever the recorded versions (still writing only what
  differs, so a second forced run changes nothing either).

Each data set loads in its own transaction and appends one audit entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import models, transaction

from zhicheng.core.audit import log_action
from zhicheng.reference.models import (
    DataVersion,
    HonourListEntry,
    MajorFamily,
    PlanCalendar,
    PlanCalendarEntry,
    Region,
    Series,
    Specialty,
    Subspecialty,
    TitleLevel,
    WorkFieldName,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

# Fields of a calendar row that a merged (blank) cell takes from the row above.
CALENDAR_MERGEABLE = ("series_name", "review_month", "material_month", "receiving_unit", "phone")


class ReferenceDataError(ValueError):
    """A data file is malformed; the message names the file and the row."""


@dataclass
class LoadResult:
    dataset: str
    version: int
    previous_version: int | None
    status: str  # "loaded" | "unchanged" | "older"
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        if self.status == "unchanged":
            return f"{self.dataset}: 版本 {self.version} 已加载，跳过"
        if self.status == "older":
            return f"{self.dataset}: 数据库中已是更新的版本 {self.previous_version}，文件版本 {self.version} 未加载"
        return (
            f"{self.dataset}: 版本 {self.previous_version or '-'} → {self.version}，"
            f"新增 {self.created}，更新 {self.updated}，删除 {self.deleted}，未变 {self.unchanged}"
        )


@dataclass
class _Counter:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    seen: dict[str, set[Any]] = field(default_factory=dict)

    def upsert(self, model: type[models.Model], lookup: dict[str, Any], values: dict[str, Any]) -> Any:
        """Create the row or write only the fields that differ; return the row."""
        obj = model._default_manager.filter(**lookup).first()
        if obj is None:
            obj = model._default_manager.create(**lookup, **values)
            self.created += 1
            return obj
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if changed:
            for name in changed:
                setattr(obj, name, values[name])
            obj.save(update_fields=changed)
            self.updated += 1
        else:
            self.unchanged += 1
        return obj


# --- reading files -------------------------------------------------------------------------


def _read(path: Path) -> dict[str, Any]:
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise ReferenceDataError(f"{path.name}: 无法读取 JSON（{exc}）") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("dataset"), str):
        raise ReferenceDataError(f"{path.name}: 缺少 dataset")
    version = doc.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ReferenceDataError(f"{path.name}: version 必须是正整数")
    return doc


def _require(doc: dict[str, Any], row: dict[str, Any], index: int, *keys: str) -> None:
    missing = [k for k in keys if k not in row]
    if missing:
        raise ReferenceDataError(f"{doc['dataset']} 第 {index + 1} 行缺少字段：{', '.join(missing)}")


def _lookup(model: type[models.Model], code: str | None, doc: dict[str, Any], what: str) -> Any:
    if code is None:
        return None
    obj = model._default_manager.filter(code=code).first()
    if obj is None:
        raise ReferenceDataError(f"{doc['dataset']}: 未知的{what}代码 {code!r}（请先加载对应数据集）")
    return obj


# --- one loader per kind of data set -------------------------------------------------------


def _load_regions(doc: dict[str, Any], c: _Counter) -> None:
    levels = set(Region.Level.values)
    by_code: dict[str, Region] = {}
    for i, row in enumerate(doc["rows"]):
        _require(doc, row, i, "code", "name", "level", "parent", "mountain_county")
        if row["level"] not in levels or len(row["code"]) != 6 or not row["code"].isdigit():
            raise ReferenceDataError(f"regions 第 {i + 1} 行：代码或级别无效 {row}")
        parent = None
        if row["parent"]:
            parent = by_code.get(row["parent"]) or Region.objects.filter(code=row["parent"]).first()
            if parent is None:
                raise ReferenceDataError(f"regions 第 {i + 1} 行：上级 {row['parent']} 须列在本行之前")
        by_code[row["code"]] = c.upsert(
            Region,
            {"code": row["code"]},
            {
                "name": row["name"],
                "level": row["level"],
                "parent": parent,
                "is_mountain_county": bool(row["mountain_county"]),
            },
        )


def _load_title_levels(doc: dict[str, Any], c: _Counter) -> None:
    for i, row in enumerate(doc["rows"]):
        _require(doc, row, i, "code", "name", "grade", "rank")
        c.upsert(TitleLevel, {"code": row["code"]}, {"name": row["name"], "grade": row["grade"], "rank": row["rank"]})


def _load_series(doc: dict[str, Any], c: _Counter) -> None:
    series: dict[str, Series] = {}
    for i, row in enumerate(doc["series"]):
        _require(doc, row, i, "code", "name")
        series[row["code"]] = c.upsert(Series, {"code": row["code"]}, {"name": row["name"]})
    specialties: dict[str, Specialty] = {}
    for i, row in enumerate(doc["specialties"]):
        _require(doc, row, i, "series", "code", "name")
        parent = series.get(row["series"]) or _lookup(Series, row["series"], doc, "系列")
        specialties[row["code"]] = c.upsert(Specialty, {"code": row["code"]}, {"series": parent, "name": row["name"]})
    for i, row in enumerate(doc.get("subspecialties", [])):
        _require(doc, row, i, "specialty", "code", "name")
        parent = specialties.get(row["specialty"]) or _lookup(Specialty, row["specialty"], doc, "专业")
        c.upsert(Subspecialty, {"code": row["code"]}, {"specialty": parent, "name": row["name"]})
    for i, row in enumerate(doc.get("work_field_names", [])):
        _require(doc, row, i, "specialty", "name", "position")
        parent = specialties.get(row["specialty"]) or _lookup(Specialty, row["specialty"], doc, "专业")
        c.upsert(WorkFieldName, {"specialty": parent, "name": row["name"]}, {"position": row["position"]})


def _load_major_families(doc: dict[str, Any], c: _Counter) -> None:
    for i, row in enumerate(doc["rows"]):
        _require(doc, row, i, "code", "name", "policy_ids")
        c.upsert(MajorFamily, {"code": row["code"]}, {"name": row["name"], "policy_ids": list(row["policy_ids"])})


def _load_plan_calendar(doc: dict[str, Any], c: _Counter) -> None:
    for key in ("year", "city", "title", "rows"):
        if key not in doc:
            raise ReferenceDataError(f"{doc['dataset']}: 缺少 {key}")
    year = int(doc["year"])
    city = Region.objects.filter(code=doc["city"]).first()
    if city is None:
        raise ReferenceDataError(f"{doc['dataset']}: 未知城市 {doc['city']}（请先加载 regions）")
    document_number = doc.get("document_number", "")
    c.upsert(
        PlanCalendar,
        {"year": year, "city": city},
        {
            "title": doc["title"],
            "document_number": document_number,
            "notice_title": doc.get("notice_title", ""),
            "issuer": doc.get("issuer", ""),
            "issued_on": date.fromisoformat(doc["issued_on"]) if doc.get("issued_on") else None,
            "note": doc.get("note", ""),
        },
    )
    previous: dict[str, str] | None = None
    keys: set[tuple[int, int]] = set()
    for i, row in enumerate(doc["rows"]):
        _require(doc, row, i, "row", "series_name", "titles", "review_month", "material_month")
        _require(doc, row, i, "receiving_unit", "phone", "remark")
        key = (int(row["row"]), int(row.get("sub", 0)))
        if key in keys:
            raise ReferenceDataError(f"{doc['dataset']} 第 {i + 1} 行：序号 {key} 重复")
        keys.add(key)
        merged = list(row.get("merged_from_above", []))
        values = {name: row[name] for name in (*CALENDAR_MERGEABLE, "titles", "remark")}
        for name in merged:
            if name not in CALENDAR_MERGEABLE:
                raise ReferenceDataError(f"{doc['dataset']} 第 {i + 1} 行：{name} 不能与上一行合并")
            if values[name] or previous is None:
                raise ReferenceDataError(f"{doc['dataset']} 第 {i + 1} 行：合并栏目 {name} 应为空且须有上一行")
            values[name] = previous[name]
        previous = values
        c.upsert(
            PlanCalendarEntry,
            {"year": year, "city": city, "row_number": key[0], "sub_number": key[1]},
            {
                **values,
                "document_number": document_number,
                "merged_fields": merged,
                "series": _lookup(Series, row.get("series"), doc, "系列"),
                "specialty": _lookup(Specialty, row.get("specialty"), doc, "专业"),
            },
        )
    existing = PlanCalendarEntry.objects.filter(year=year, city=city).values_list("pk", "row_number", "sub_number")
    stale = [pk for pk, number, sub in existing if (number, sub) not in keys]
    if stale:
        c.deleted += PlanCalendarEntry.objects.filter(pk__in=stale).delete()[0]


def _load_honour_list(doc: dict[str, Any], c: _Counter) -> None:
    policy_id = doc.get("policy_id")
    if not policy_id:
        raise ReferenceDataError(f"{doc['dataset']}: 缺少 policy_id")
    numbers = set()
    for i, row in enumerate(doc["rows"]):
        _require(doc, row, i, "row", "name", "level")
        numbers.add(int(row["row"]))
        c.upsert(
            HonourListEntry,
            {"policy_id": policy_id, "row_number": int(row["row"])},
            {
                "name": row["name"],
                "level": row["level"],
                "issuer": row.get("issuer", ""),
                "max_applicants": row.get("max_applicants"),
                "items": list(row.get("items", [])),
            },
        )
    c.deleted += HonourListEntry.objects.filter(policy_id=policy_id).exclude(row_number__in=numbers).delete()[0]


# Kinds in dependency order; a file's kind is the longest matching prefix of its dataset name.
KINDS: list[tuple[str, Callable[[dict[str, Any], _Counter], None]]] = [
    ("regions", _load_regions),
    ("title_levels", _load_title_levels),
    ("series", _load_series),
    ("major_families", _load_major_families),
    ("plan_calendar", _load_plan_calendar),
    ("honour_list", _load_honour_list),
]


def _kind_index(dataset: str) -> int:
    for index, (prefix, _) in enumerate(KINDS):
        if dataset == prefix or dataset.startswith(prefix + "_"):
            return index
    raise ReferenceDataError(f"未知的数据集类型：{dataset}")


def data_files(data_dir: Path = DATA_DIR) -> list[tuple[Path, dict[str, Any]]]:
    """Every data file of ``data_dir``, read and ordered so that dependencies load first."""
    docs = [(path, _read(path)) for path in sorted(Path(data_dir).glob("*.json"))]
    names = [doc["dataset"] for _, doc in docs]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise ReferenceDataError(f"数据集名称重复：{', '.join(sorted(duplicates))}")
    return sorted(docs, key=lambda item: (_kind_index(item[1]["dataset"]), item[1]["dataset"]))


def load_reference_data(
    data_dir: Path = DATA_DIR, *, force: bool = False, only: Iterable[str] | None = None
) -> list[LoadResult]:
    """Load every data set of ``data_dir`` (or those named in ``only``); see the module docstring."""
    wanted = set(only) if only else None
    results = []
    for _path, doc in data_files(data_dir):
        name, version = doc["dataset"], doc["version"]
        if wanted is not None and name not in wanted:
            continue
        loader = KINDS[_kind_index(name)][1]
        with transaction.atomic():
            recorded = DataVersion.objects.select_for_update().filter(dataset=name).first()
            previous = recorded.version if recorded else None
            if previous is not None and not force and previous >= version:
                status = "unchanged" if previous == version else "older"
                results.append(LoadResult(name, version, previous, status))
                continue
            counter = _Counter()
            loader(doc, counter)
            if recorded is None:
                recorded = DataVersion.objects.create(dataset=name, version=version)
            elif recorded.version != version or counter.created or counter.updated or counter.deleted:
                recorded.version = version
                recorded.save()
            result = LoadResult(
                name, version, previous, "loaded", counter.created, counter.updated, counter.deleted, counter.unchanged
            )
            if previous != version or counter.created or counter.updated or counter.deleted:
                log_action(
                    actor=None,
                    action="reference.load",
                    obj=recorded,
                    data={
                        "dataset": name,
                        "version": version,
                        "previous_version": previous,
                        "created": counter.created,
                        "updated": counter.updated,
                        "deleted": counter.deleted,
                    },
                )
            results.append(result)
    if wanted:
        unknown = wanted - {r.dataset for r in results}
        if unknown:
            raise ReferenceDataError(f"没有这些数据集：{', '.join(sorted(unknown))}")
    return results
