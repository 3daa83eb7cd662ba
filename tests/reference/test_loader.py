"""``manage.py load_reference``: idempotent, versioned, and the data sets it loads."""

from __future__ import annotations

import json
import shutil
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEntry
from zhicheng.reference.loader import DATA_DIR
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

pytestmark = pytest.mark.django_db

MODELS = [
    Region,
    TitleLevel,
    Series,
    Specialty,
    Subspecialty,
    WorkFieldName,
    MajorFamily,
    PlanCalendar,
    PlanCalendarEntry,
    HonourListEntry,
]

DATASETS = {
    "regions",
    "title_levels",
    "series",
    "major_families",
    "plan_calendar_wenzhou_2019",
    "honour_list_sy_2023",
}

MOUNTAIN_COUNTIES = {
    "330100": ["淳安"],
    "330300": ["永嘉", "平阳", "苍南", "文成", "泰顺"],
    "330700": ["武义", "磐安"],
    "330800": ["柯城", "衢江", "江山", "常山", "开化", "龙游"],
    "331000": ["三门", "天台", "仙居"],
    "331100": ["莲都", "龙泉", "青田", "云和", "庆元", "缙云", "遂昌", "松阳", "景宁"],
}


def snapshot():
    return {model.__name__: sorted(model.objects.values_list(flat=False)) for model in MODELS}


def test_loading_twice_changes_nothing_and_records_versions(loaded):
    before = snapshot()
    versions = dict(DataVersion.objects.values_list("dataset", "version"))
    audit_count = AuditEntry.objects.count()
    assert set(versions) == DATASETS
    assert all(v == 1 for v in versions.values())

    out = StringIO()
    call_command("load_reference", stdout=out)
    assert snapshot() == before
    assert dict(DataVersion.objects.values_list("dataset", "version")) == versions
    assert AuditEntry.objects.count() == audit_count
    assert out.getvalue().count("已加载，跳过") == len(DATASETS)

    call_command("load_reference", "--force", verbosity=0)  # re-applied: still no difference
    assert snapshot() == before
    assert AuditEntry.objects.count() == audit_count


def test_a_load_appends_one_audit_entry_per_changed_dataset(loaded):
    DataVersion.objects.filter(dataset="title_levels").delete()
    TitleLevel.objects.filter(code="engineer").update(name="工程师（旧）")
    before = AuditEntry.objects.count()
    call_command("load_reference", verbosity=0)
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert [(e.action, e.data["dataset"], e.data["updated"]) for e in entries] == [
        ("reference.load", "title_levels", 1)
    ]
    assert TitleLevel.objects.get(code="engineer").name == "工程师"
    assert verify_chain().ok


def test_admin_corrections_survive_a_rerun_of_the_same_version(loaded):
    Region.objects.filter(code="330604").update(name="上虞区（已更正）")
    call_command("load_reference", verbosity=0)
    assert Region.objects.get(code="330604").name == "上虞区（已更正）"


def test_newer_version_updates_rows_and_drops_stale_calendar_rows(loaded, tmp_path):
    data_dir = tmp_path / "data"
    shutil.copytree(DATA_DIR, data_dir)
    path = data_dir / "plan_calendar_wenzhou_2019.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["version"] = 2
    doc["rows"][0]["phone"] = "88967712"
    doc["rows"] = [row for row in doc["rows"] if row["row"] != 45]
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")

    out = StringIO()
    call_command("load_reference", "--data-dir", str(data_dir), stdout=out)
    assert "版本 1 → 2" in out.getvalue()
    assert DataVersion.objects.get(dataset="plan_calendar_wenzhou_2019").version == 2
    assert DataVersion.objects.get(dataset="regions").version == 1
    assert PlanCalendarEntry.objects.get(row_number=1).phone == "88967712"
    assert not PlanCalendarEntry.objects.filter(row_number=45).exists()
    assert PlanCalendarEntry.objects.count() == 46

    # The shipped version 1 is older than what the database holds now: left alone.
    call_command("load_reference", verbosity=0)
    assert PlanCalendarEntry.objects.get(row_number=1).phone == "88967712"


def test_bad_file_is_reported_with_its_name(db, tmp_path):
    (tmp_path / "regions.json").write_text('{"dataset": "regions", "version": 0, "rows": []}', encoding="utf-8")
    with pytest.raises(CommandError, match="regions.json"):
        call_command("load_reference", "--data-dir", str(tmp_path), verbosity=0)


def test_every_data_file_has_a_dataset_name_version_and_source():
    for path in DATA_DIR.glob("*.json"):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert doc["dataset"] == path.stem
        assert isinstance(doc["version"], int) and doc["version"] >= 1
        assert doc["source"]


# --- regions -------------------------------------------------------------------------------


def test_province_and_its_eleven_cities(loaded):
    province = Region.objects.get(code="330000")
    assert province.level == Region.Level.PROVINCE
    cities = Region.objects.filter(level=Region.Level.CITY)
    assert cities.count() == 11
    assert set(cities.values_list("parent__code", flat=True)) == {"330000"}
    assert dict(cities.values_list("code", "name")) == {
        "330100": "杭州市",
        "330200": "宁波市",
        "330300": "温州市",
        "330400": "嘉兴市",
        "330500": "湖州市",
        "330600": "绍兴市",
        "330700": "金华市",
        "330800": "衢州市",
        "330900": "舟山市",
        "331000": "台州市",
        "331100": "丽水市",
    }


def test_counties_are_complete_and_under_their_city(loaded):
    counties = Region.objects.filter(level=Region.Level.COUNTY).select_related("parent")
    assert counties.count() == 90
    for county in counties:
        assert county.code[:4] == county.parent.code[:4]
    per_city = {code: counties.filter(parent__code=code).count() for code in MOUNTAIN_COUNTIES}
    assert per_city == {"330100": 13, "330300": 12, "330700": 9, "330800": 6, "331000": 9, "331100": 9}
    assert Region.objects.get(code="330604").name == "上虞区"
    assert str(Region.objects.get(code="330604")) == "绍兴市上虞区"
    hangzhou = set(counties.filter(parent__code="330100").values_list("code", flat=True))
    assert {"330113", "330114"} <= hangzhou and "330103" not in hangzhou  # 2021: 临平区, 钱塘区; no 下城区
    assert Region.objects.get(code="330383").name == "龙港市"


def test_exactly_the_26_mountain_counties_are_flagged(loaded):
    flagged = Region.objects.filter(is_mountain_county=True).select_related("parent")
    assert flagged.count() == 26
    assert all(region.level == Region.Level.COUNTY for region in flagged)
    for city_code, names in MOUNTAIN_COUNTIES.items():
        for name in names:
            region = Region.objects.get(parent__code=city_code, name__startswith=name)
            assert region.is_mountain_county, name
    wenzhou = set(flagged.filter(parent__code="330300").values_list("name", flat=True))
    assert wenzhou == {"永嘉县", "平阳县", "苍南县", "文成县", "泰顺县"}


# --- levels, series, majors, honours ------------------------------------------------------


def test_title_levels_use_the_policy_vocabulary(loaded):
    assert list(TitleLevel.objects.values_list("code", "name", "grade")) == [
        ("technician", "技术员", "初级"),
        ("assistant_engineer", "助理工程师", "初级"),
        ("engineer", "工程师", "中级"),
        ("senior_engineer", "高级工程师", "副高级"),
        ("professor_engineer", "正高级工程师", "正高级"),
    ]


def test_specialties_and_subspecialties_from_the_seeds(loaded):
    def subs(code):
        return list(Subspecialty.objects.filter(specialty__code=code).order_by("pk").values_list("name", flat=True))

    engineering = Series.objects.get(code="engineering")
    assert engineering.name == "工程技术"
    assert subs("electromechanical_manufacturing") == ["技术开发", "设计开发", "生产制造", "系统集成", "技术服务"]
    assert subs("quality_technology_foundation") == ["质量", "计量", "标准化", "特种设备", "食品质量技术"]
    assert Specialty.objects.get(code="mechanical").series == engineering
    names = list(
        WorkFieldName.objects.filter(specialty__code="electromechanical_manufacturing").values_list("name", flat=True)
    )
    assert len(names) == 20 and names[0] == "电气" and names[-1] == "热加工工艺及设备"
    for code in [*Series.objects.values_list("code", flat=True), *Specialty.objects.values_list("code", flat=True)]:
        assert code.isascii() and code == code.lower() and " " not in code


def test_every_calendar_row_points_at_an_existing_series(loaded):
    assert not PlanCalendarEntry.objects.filter(series__isnull=True).exists()
    assert PlanCalendarEntry.objects.get(row_number=45).specialty.code == "electromechanical_manufacturing"
    assert PlanCalendarEntry.objects.get(row_number=44).specialty.code == "mechanical"


def test_relevant_major_families_of_wenzhou(loaded):
    wz = [f.name for f in MajorFamily.objects.all() if "wz-jidian-2020" in f.policy_ids]
    assert sorted(wz) == sorted(
        ["机电类", "机械类", "电子类", "电气类", "自动化类", "工业设计类", "金属材料类", "计算机类"]
    )


def test_shangyu_honour_list(loaded):
    rows = list(HonourListEntry.objects.filter(policy_id="sy-jidian-2023"))
    assert [r.row_number for r in rows] == list(range(1, 9))
    by_number = {r.row_number: r for r in rows}
    assert by_number[6].name == "国家级专精特新小巨人企业"
    assert (by_number[6].level, by_number[6].max_applicants) == ("国家级", 3)
    assert (by_number[5].level, by_number[5].max_applicants) == ("省级", 2)
    assert "未来工厂" in by_number[4].name
    for row in rows:
        assert row.items, row.row_number
        for item in row.items:
            assert (item["level"], item["max_applicants"]) in {("国家级", 3), ("省级", 2)}
        if row.level == "国家级/省级":
            assert row.max_applicants is None
            assert {item["level"] for item in row.items} == {"国家级", "省级"}


# --- the Wenzhou 2019 calendar as data -----------------------------------------------------


def test_calendar_has_the_45_numbered_rows_and_two_continuations(loaded):
    calendar = PlanCalendar.objects.get(year=2019, city__code="330300")
    assert calendar.document_number == "温职改办〔2019〕4号"
    rows = PlanCalendarEntry.objects.filter(year=2019, city__code="330300")
    assert rows.count() == 47
    assert sorted(rows.filter(sub_number=0).values_list("row_number", flat=True)) == list(range(1, 46))
    continuations = list(rows.filter(sub_number__gt=0).values_list("row_number", "sub_number", "titles"))
    assert continuations == [(22, 1, "推荐高级工程师"), (22, 2, "推荐正高级工程师")]
    assert set(rows.values_list("document_number", flat=True)) == {"温职改办〔2019〕4号"}


def test_merged_cells_take_the_value_above(loaded):
    rows = {(r.row_number, r.sub_number): r for r in PlanCalendarEntry.objects.all()}
    four = rows[(4, 0)]
    assert (four.series_name, four.receiving_unit, four.phone) == ("会计", "温州市财政局会计处", "88523681")
    assert four.merged_fields == ["series_name", "receiving_unit", "phone"]
    assert four.remark == ""  # remarks are never inherited
    seven = rows[(7, 0)]
    assert (seven.review_month, seven.material_month, seven.receiving_unit) == ("8月", "7月", "温州市司法局政治部")
    assert rows[(22, 2)].receiving_unit == "温州市经济和信息化局人事处"
    assert rows[(30, 0)].receiving_unit == "温州市自然资源和规划局人事处"
    assert rows[(1, 0)].merged_fields == []
