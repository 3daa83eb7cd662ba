"""Automatic extraction from the registries (学信网 degrees, HR-system social insurance)."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tests import factories
from tests.archive.conftest import create_record, login
from zhicheng.archive import importers, selectors, services
from zhicheng.archive.choices import ImportSource
from zhicheng.archive.importers import DemoRegistryAdapter, FileRegistryAdapter
from zhicheng.archive.models import Education, Evidence, Record, SocialInsurance
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEntry

pytestmark = pytest.mark.django_db

FILE_ADAPTER = "zhicheng.archive.importers.FileRegistryAdapter"
DEGREE_HEADER = [
    "证件号码",
    "姓名",
    "层次",
    "院校名称",
    "专业名称",
    "入学日期",
    "毕业日期",
    "毕结业结论",
    "证书编号",
    "学位名称",
]
INSURANCE_HEADER = [
    "证件号码",
    "姓名",
    "参保地行政区划代码",
    "缴费单位名称",
    "统一社会信用代码",
    "缴费开始年月",
    "缴费截止年月",
]


def degree_rows(id_number: str) -> list[list[str]]:
    return [
        [id_number, "测试", "专科", "温州职业技术学院", "机电一体化", "1996-09-01", "1999-07-01", "毕业", "", ""],
        [
            id_number,
            "测试",
            "本科",
            "浙江工业大学",
            "机械工程",
            "2008-09-01",
            "2012-07-01",
            "毕业",
            "103371201205000001",
            "工学学士",
        ],
        [id_number, "测试", "硕士研究生", "浙江大学", "机械工程", "2013-09-01", "2016-03-31", "结业", "", ""],
        [
            "330302197602030176",
            "别人",
            "本科",
            "浙江大学",
            "机械工程",
            "2002-09-01",
            "2006-07-01",
            "毕业",
            "X1",
            "工学学士",
        ],
    ]


def insurance_rows(id_number: str, uscc: str, *, end: str = "") -> list[list[str]]:
    return [
        [id_number, "测试", "330382", "乐清市某电器有限公司", "", "2012-07", "2015-02"],
        [id_number, "测试", "330381", "瑞安市某机械有限公司", uscc, "201503", end],
    ]


def write(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    if path.suffix == ".csv":
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    else:
        path.write_text(json.dumps([dict(zip(header, row, strict=True)) for row in rows], ensure_ascii=False))
    return path


@pytest.fixture(params=["csv", "json"])
def adapter(request, tmp_path, applicant):
    """A file adapter over the applicant's exports, degrees as CSV and insurance as JSON or the reverse."""
    other = "json" if request.param == "csv" else "csv"
    degrees = write(tmp_path / f"degrees.{request.param}", DEGREE_HEADER, degree_rows(applicant.id_number))
    insurance = write(
        tmp_path / f"insurance.{other}",
        INSURANCE_HEADER,
        insurance_rows(applicant.id_number, applicant.profile.employer.uscc),
    )
    return FileRegistryAdapter(degrees=degrees, social_insurance=insurance)


def test_degrees_after_2001_and_insurance_periods_are_imported_approved_by_the_system(applicant, adapter):
    result = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert result.counts == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 1}
    education = Education.objects.get(owner=applicant)
    assert (education.level, education.school, education.major) == ("bachelor", "浙江工业大学", "机械工程")
    assert (education.graduated_on, education.start_date) == (date(2012, 7, 1), date(2008, 9, 1))
    assert education.has_degree and education.degree_name == "工学学士"
    assert education.certificate_number == "103371201205000001"
    assert education.is_relevant is False  # the person's own statement, not the registry's
    periods = list(SocialInsurance.objects.filter(owner=applicant).order_by("start_month"))
    assert [(p.start_month, p.end_month, p.region_code) for p in periods] == [
        (date(2012, 7, 1), date(2015, 2, 1), "330382"),
        (date(2015, 3, 1), None, "330381"),
    ]
    assert [p.is_current_employer for p in periods] == [False, True]  # matched by the employer's USCC
    for record in Record.objects.filter(owner=applicant):
        assert record.imported and record.import_key
        assert record.status == Record.Status.APPROVED and record.ever_approved
        assert record.reviewed_by is None and record.reviewed_at is not None
        assert not Evidence.objects.filter(record=record).exists()
    assert education.import_source == ImportSource.CHSI
    assert {p.import_source for p in periods} == {ImportSource.SOCIAL_INSURANCE}
    # The pre-2002 diploma needs an upload; the 结业 row is no degree at all.
    assert "1999-07-01" in result.skipped[0].description and "高校毕业生登记表" in result.skipped[0].reason
    ready, gaps = selectors.required_records_approved(applicant)
    assert "education" not in {gap.code for gap in gaps}


def test_the_import_is_logged_with_the_system_as_approver(applicant, adapter):
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    education = Education.objects.get(owner=applicant)
    entries = list(AuditEntry.objects.filter(object_type="archive.record", object_id=str(education.pk)).order_by("id"))
    assert [(e.action, e.actor_id) for e in entries] == [
        ("archive.record_imported", applicant.pk),
        ("archive.record_approved", None),
    ]
    assert entries[1].actor_label == "系统"
    assert AuditEntry.objects.filter(action="archive.registry_import", object_id=str(applicant.pk)).count() == 1
    history = selectors.record_history(education)
    assert [row.label for row in history] == ["系统自动提取", "审核通过"]
    assert any("学信网" in line for line in history[0].details)
    assert verify_chain().ok


def test_running_twice_creates_nothing_new(applicant, adapter):
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    before = (Record.objects.count(), AuditEntry.objects.filter(object_type="archive.record").count())

    again = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert again.counts == {"created": 0, "updated": 0, "unchanged": 3, "skipped": 1}
    assert (Record.objects.count(), AuditEntry.objects.filter(object_type="archive.record").count()) == before


def test_a_changed_registry_row_updates_the_imported_record(applicant, tmp_path):
    uscc = applicant.profile.employer.uscc
    insurance = write(tmp_path / "insurance.csv", INSURANCE_HEADER, insurance_rows(applicant.id_number, uscc))
    adapter = FileRegistryAdapter(social_insurance=insurance)
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    write(insurance, INSURANCE_HEADER, insurance_rows(applicant.id_number, uscc, end="2024-06"))

    result = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert result.counts == {"created": 0, "updated": 1, "unchanged": 1, "skipped": 0}
    period = SocialInsurance.objects.get(owner=applicant, start_month=date(2015, 3, 1))
    assert period.end_month == date(2024, 6, 1)
    assert period.status == Record.Status.APPROVED and period.reviewed_by is None
    assert "2024-06" in period.summary
    entry = AuditEntry.objects.filter(action="archive.record_import_updated", object_id=str(period.pk)).get()
    assert entry.data["changes"] == [{"label": "结束月份", "old": "至今", "new": "2024-06"}]
    assert SocialInsurance.objects.filter(owner=applicant).count() == 2


def test_degrees_up_to_2001_are_never_imported(applicant, tmp_path):
    rows = [
        [applicant.id_number, "测试", "本科", "杭州大学", "机械制造", "1997-09-01", "2001-12-31", "毕业", "A", ""],
        [
            applicant.id_number,
            "测试",
            "硕士研究生",
            "浙江大学",
            "机械工程",
            "1999-09-01",
            "2002-01-01",
            "毕业",
            "B",
            "",
        ],
    ]
    adapter = FileRegistryAdapter(degrees=write(tmp_path / "d.csv", DEGREE_HEADER, rows))

    result = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert list(Education.objects.filter(owner=applicant).values_list("graduated_on", flat=True)) == [date(2002, 1, 1)]
    assert [s.description for s in result.skipped] == ["大学本科 · 杭州大学 · 机械制造 · 2001-12-31毕业"]


def test_only_the_person_or_staff_may_import(applicant, colleague, employer_admin, platform_admin, adapter):
    for intruder in (colleague, employer_admin):
        with pytest.raises(PermissionDenied):
            services.archive_import(actor=intruder, person=applicant, adapter=adapter)
    assert not Record.objects.exists()

    result = services.archive_import(actor=platform_admin, person=applicant, adapter=adapter)

    assert len(result.created) == 3
    assert set(Record.objects.values_list("owner", flat=True)) == {applicant.pk}
    entry = AuditEntry.objects.filter(action="archive.record_imported").first()
    assert entry.actor_id == platform_admin.pk


def test_a_withdrawn_import_is_not_recreated_and_a_manual_duplicate_is_not_doubled(applicant, tmp_path):
    uscc = applicant.profile.employer.uscc
    manual = create_record(applicant, "education", level="bachelor", graduated_on="2012-07-01", school="浙江工业大学")
    insurance = write(tmp_path / "i.json", INSURANCE_HEADER, insurance_rows(applicant.id_number, uscc))
    degrees = write(tmp_path / "d.json", DEGREE_HEADER, degree_rows(applicant.id_number))
    adapter = FileRegistryAdapter(degrees=degrees, social_insurance=insurance)

    first = services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    assert not Education.objects.filter(owner=applicant, imported=True).exists()
    assert any(manual.summary in s.reason for s in first.skipped)

    period = SocialInsurance.objects.get(owner=applicant, start_month=date(2012, 7, 1))
    assert services.record_delete(actor=applicant, record=period) == "withdrawn"
    second = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert second.created == []
    assert any("撤销" in s.reason for s in second.skipped)
    assert SocialInsurance.objects.filter(owner=applicant).count() == 2


def test_imported_fields_cannot_be_edited_but_relevance_can_and_is_reviewed(applicant, applicant_client, adapter):
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    education = Education.objects.get(owner=applicant)
    url = reverse("archive:record_edit", args=[education.pk])

    page = applicant_client.get(url).content.decode()
    assert 'name="school"' in page and "disabled" in page and "由系统自动提取，不能修改" in page

    # A tampered POST cannot change the disabled fields; relevance needs no new upload.
    response = applicant_client.post(url, {"school": "伪造大学", "is_relevant": "on", "level": "doctorate"})

    assert response.status_code == 302, response.content.decode()[:3000]
    education.refresh_from_db()
    assert (education.school, education.level, education.is_relevant) == ("浙江工业大学", "bachelor", True)
    assert education.status == Record.Status.PENDING  # the relevance is the employer's to review
    with pytest.raises(services.ArchiveError):
        services.record_update(actor=applicant, record=education, data={"school": "伪造大学"})


def test_a_registry_update_keeps_a_pending_record_pending(applicant, tmp_path):
    path = tmp_path / "d.csv"
    row = [applicant.id_number, "测试", "本科", "浙江工业大学", "机械工程", "", "2012-07-01", "毕业", "C1", ""]
    adapter = FileRegistryAdapter(degrees=write(path, DEGREE_HEADER, [row]))
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    education = Education.objects.get(owner=applicant)
    services.record_update(actor=applicant, record=education, data={"is_relevant": True})
    write(path, DEGREE_HEADER, [[*row[:9], "工学学士"]])

    result = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    education.refresh_from_db()
    assert len(result.updated) == 1
    assert education.has_degree and education.is_relevant
    assert education.status == Record.Status.PENDING


def test_a_bad_row_of_the_person_stops_the_import_with_its_line(applicant, tmp_path):
    rows = [[applicant.id_number, "测试", "本科", "浙江工业大学", "机械工程", "", "2012年7月", "毕业", "C1", ""]]
    adapter = FileRegistryAdapter(degrees=write(tmp_path / "d.csv", DEGREE_HEADER, rows))

    with pytest.raises(services.ArchiveError, match="d.csv 第 2 行：毕业日期“2012年7月”格式不正确"):
        services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    assert not Record.objects.exists()


def test_the_shipped_samples_follow_the_documented_layout():
    adapter = FileRegistryAdapter(
        degrees=importers.SAMPLE_DIR / "registry_degrees.csv",
        social_insurance=importers.SAMPLE_DIR / "registry_social_insurance.json",
    )
    person = factories.UserFactory.build(id_number="330302197602030176")

    degrees = adapter.fetch_degrees(person)
    periods = adapter.fetch_social_insurance(person)

    assert [(d.level, d.graduated_on.year, d.has_degree) for d in degrees] == [
        ("college", 1998, False),
        ("bachelor", 2006, True),
    ]  # the 结业 master's row is not a degree
    assert [(p.start_month, p.end_month) for p in periods] == [
        (date(1998, 8, 1), date(2009, 12, 1)),
        (date(2010, 1, 1), None),
    ]


# --- Settings and the demo adapter ---------------------------------------------------------


def test_the_adapter_comes_from_the_setting(settings, tmp_path):
    settings.ARCHIVE_REGISTRY_ADAPTER = FILE_ADAPTER
    settings.ARCHIVE_REGISTRY_OPTIONS = {"degrees": tmp_path / "d.csv"}
    adapter = importers.get_registry_adapter()
    assert isinstance(adapter, FileRegistryAdapter) and adapter.degrees_path == tmp_path / "d.csv"

    settings.ARCHIVE_REGISTRY_ADAPTER = ""
    assert importers.get_registry_adapter() is None and not importers.registry_available()

    del settings.ARCHIVE_REGISTRY_ADAPTER
    settings.DEBUG = True
    assert isinstance(importers.get_registry_adapter(), DemoRegistryAdapter)
    settings.DEBUG = False
    assert importers.get_registry_adapter() is None


def test_the_demo_adapter_gives_anyone_the_same_plausible_data_every_time(applicant):
    applicant.profile.work_start = date(2013, 7, 1)
    applicant.profile.save()
    adapter = DemoRegistryAdapter()

    first = services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    again = services.archive_import(actor=applicant, person=applicant, adapter=adapter)

    assert len(first.created) == 2 and again.created == [] and len(again.unchanged) == 2
    education = Education.objects.get(owner=applicant)
    assert education.graduated_on == date(2013, 6, 30) and education.level == "bachelor"
    period = SocialInsurance.objects.get(owner=applicant)
    assert (period.start_month, period.is_current_employer) == (date(2013, 7, 1), True)


# --- The button ----------------------------------------------------------------------------


@pytest.fixture
def file_setting(settings, tmp_path, applicant):
    settings.ARCHIVE_REGISTRY_ADAPTER = FILE_ADAPTER
    settings.ARCHIVE_REGISTRY_OPTIONS = {
        "degrees": write(tmp_path / "d.csv", DEGREE_HEADER, degree_rows(applicant.id_number)),
        "social_insurance": write(
            tmp_path / "i.csv", INSURANCE_HEADER, insurance_rows(applicant.id_number, applicant.profile.employer.uscc)
        ),
    }
    return settings


def test_the_overview_button_extracts_and_reports(applicant, applicant_client, file_setting):
    overview = applicant_client.get(reverse("archive:overview")).content.decode()
    assert "从学信网/社保系统自动提取" in overview and reverse("archive:registry_import") in overview

    response = applicant_client.post(reverse("archive:registry_import"), follow=True)

    page = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("archive:overview")
    assert "已从学信网/社保系统自动提取：新增 3 条" in page
    assert "教育经历 1 条" in page and "社保缴纳 2 条" in page
    assert "2001 年及以前毕业的学历不能自动提取" in page
    assert Record.objects.filter(owner=applicant, imported=True).count() == 3
    detail = applicant_client.get(reverse("archive:record_detail", args=[Education.objects.get().pk])).content
    assert "系统自动审核" in detail.decode() and 'data-testid="imported-note"' in detail.decode()

    again = applicant_client.post(reverse("archive:registry_import"), follow=True).content.decode()
    assert "新增 0 条，更新 0 条，无变化 3 条" in again


def test_the_button_is_post_only_for_applicants_and_hidden_without_a_registry(
    applicant_client, admin_client_, settings
):
    assert applicant_client.get(reverse("archive:registry_import")).status_code == 405
    assert admin_client_.post(reverse("archive:registry_import")).status_code == 403
    settings.ARCHIVE_REGISTRY_ADAPTER = ""
    assert "从学信网/社保系统自动提取" not in applicant_client.get(reverse("archive:overview")).content.decode()
    response = applicant_client.post(reverse("archive:registry_import"), follow=True)
    assert "尚未接入学信网、社保系统" in response.content.decode()
    assert not Record.objects.exists()


def test_an_employer_admin_cannot_import_through_the_page_for_staff(employer_admin, applicant, file_setting):
    client = login(employer_admin)
    assert client.post(reverse("archive:registry_import")).status_code == 403
    assert not Record.objects.filter(owner=applicant).exists()


def test_saving_an_imported_insurance_period_unchanged_keeps_it_approved(applicant, applicant_client, adapter):
    services.archive_import(actor=applicant, person=applicant, adapter=adapter)
    period = SocialInsurance.objects.get(owner=applicant, end_month__isnull=True)

    response = applicant_client.post(reverse("archive:record_edit", args=[period.pk]), {"region_code": "330302"})

    assert response.status_code == 302
    period.refresh_from_db()
    assert (period.status, period.region_code, period.is_current_employer) == (Record.Status.APPROVED, "330381", True)
    assert not AuditEntry.objects.filter(action="archive.record_updated").exists()
