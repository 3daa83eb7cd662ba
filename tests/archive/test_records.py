"""The applicant's archive: every record type can be added and edited through its pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.archive.conftest import FORM_DATA, create_record, form_data, pdf_upload
from zhicheng.archive import registry, selectors, services
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEntry
from zhicheng.reference.models import Region

pytestmark = pytest.mark.django_db

ALL_TYPES = [t.code for t in registry.all_types()]


def test_every_registered_type_has_test_data_and_a_chinese_label():
    assert set(ALL_TYPES) == set(FORM_DATA)
    for record_type in registry.all_types():
        assert record_type.label and not record_type.label.isascii()
        assert record_type.evidence_hint
        for name in record_type.field_names:
            assert not str(record_type.model._meta.get_field(name).verbose_name).isascii(), name
    assert [t.code for t in registry.required_types()] == ["education", "work", "continuing_education", "assessment"]


@pytest.mark.parametrize("type_code", ALL_TYPES)
def test_add_each_type_through_the_page(applicant, applicant_client, type_code):
    url = reverse("archive:record_add", args=[type_code])
    assert applicant_client.get(url).status_code == 200

    response = applicant_client.post(url, {**form_data(type_code), "evidence": [pdf_upload()]})

    record = Record.objects.get(owner=applicant)
    assert response.status_code == 302
    assert response.url == reverse("archive:record_detail", args=[record.pk])
    assert record.record_type == type_code
    assert record.status == Record.Status.PENDING
    assert record.summary
    assert isinstance(record.specific, registry.get_type(type_code).model)
    assert Evidence.objects.filter(record=record).count() == 1
    assert AuditEntry.objects.filter(action="archive.record_created", object_id=str(record.pk)).exists()
    detail = applicant_client.get(response.url)
    assert detail.status_code == 200
    assert "待审核" in detail.content.decode()


def _text_field(type_code: str) -> str:
    model = registry.get_type(type_code).model
    for name in registry.get_type(type_code).field_names:
        field = model._meta.get_field(name)
        if field.get_internal_type() in ("CharField", "TextField") and not field.choices and field.max_length >= 20:
            return name
    raise AssertionError(type_code)


@pytest.mark.parametrize("type_code", ALL_TYPES)
def test_edit_each_type_through_the_page(applicant, applicant_client, type_code):
    record = create_record(applicant, type_code)
    name = _text_field(type_code)

    response = applicant_client.post(
        reverse("archive:record_edit", args=[record.pk]), form_data(type_code, **{name: "修订后的内容"})
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert getattr(record.specific.__class__.objects.get(pk=record.pk), name) == "修订后的内容"
    entry = AuditEntry.objects.filter(action="archive.record_updated", object_id=str(record.pk)).get()
    assert entry.data["changes"][0]["new"] == "修订后的内容"
    assert entry.object_type == "archive.record"


def test_the_ajax_upload_gets_the_next_address_as_json(applicant_client):
    response = applicant_client.post(
        reverse("archive:record_add", args=["assessment"]),
        {**form_data("assessment"), "evidence": [pdf_upload()]},
        headers={"X-Requested-With": "XMLHttpRequest"},
    )
    assert response.status_code == 200
    assert response.json()["redirect"].startswith("/archive/records/")


def test_errors_are_in_chinese_beside_the_field_and_input_is_kept(applicant, applicant_client):
    data = form_data("work", start_date="2015-01-01", end_date="2012-01-01", employer_name="保留的单位名称")

    response = applicant_client.post(reverse("archive:record_add", args=["work"]), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="end_date"' in html and "结束时间不能早于开始时间" in html
    assert 'data-field-error="evidence"' in html and "请上传佐证材料" in html
    assert 'value="保留的单位名称"' in html
    assert not Record.objects.filter(owner=applicant).exists()


def test_required_field_missing_and_negative_hours(applicant_client):
    data = form_data("continuing_education", hours="-1", course="")
    response = applicant_client.post(reverse("archive:record_add", args=["continuing_education"]), data)
    html = response.content.decode()
    assert 'data-field-error="hours"' in html and "学时不能为负数" in html
    assert 'data-field-error="course"' in html


def test_academic_post_needs_no_evidence(applicant, applicant_client):
    response = applicant_client.post(reverse("archive:record_add", args=["academic_post"]), form_data("academic_post"))
    assert response.status_code == 302
    assert Record.objects.get(owner=applicant).record_type == "academic_post"


def test_a_mountain_county_region_marks_the_work_as_mountain_county(applicant):
    yongjia = Region.objects.get(code="330324")
    assert yongjia.is_mountain_county
    record = create_record(applicant, "work", region=str(yongjia.pk))
    assert record.specific.in_mountain_county is True


def test_social_insurance_months_are_stored_as_first_days(applicant):
    record = create_record(applicant, "social_insurance", start_month="2010-07", end_month="2015-03")
    specific = record.specific
    assert (specific.start_month.isoformat(), specific.end_month.isoformat()) == ("2010-07-01", "2015-03-01")


def test_overview_lists_every_type_with_counts_and_marks_required(applicant, applicant_client):
    create_record(applicant, "education")
    create_record(applicant, "continuing_education")
    create_record(applicant, "continuing_education", year="2023")

    html = applicant_client.get(reverse("archive:overview")).content.decode()

    for record_type in registry.all_types():
        assert record_type.label in html
        assert reverse("archive:record_add", args=[record_type.code]) in html
    assert html.count('title="必填"') == 4
    assert "尚未填写“工作经历”" in html
    overview = {t.type.code: t for s in selectors.archive_overview(applicant) for t in s.types}
    assert overview["continuing_education"].total == 2 and overview["continuing_education"].pending == 2


def test_list_shows_only_current_records_with_status(applicant, applicant_client, colleague):
    mine = create_record(applicant, "paper")
    create_record(colleague, "paper", title="同事的论文")
    html = applicant_client.get(reverse("archive:record_list", args=["paper"])).content.decode()
    assert mine.specific.title in html and "同事的论文" not in html
    assert applicant_client.get(reverse("archive:record_list", args=["no_such_type"])).status_code == 404


def test_editing_an_approved_record_returns_it_to_pending(applicant, applicant_client, employer_admin):
    record = create_record(applicant, "education")
    services.record_approve(actor=employer_admin, record=record)

    response = applicant_client.post(
        reverse("archive:record_edit", args=[record.pk]), form_data("education", school="浙江大学")
    )

    record.refresh_from_db()
    assert response.status_code == 302
    assert record.status == Record.Status.PENDING
    assert record.reviewed_by is None and record.reviewed_at is None
    assert record.ever_approved is True
    entry = AuditEntry.objects.filter(action="archive.record_updated", object_id=str(record.pk)).get()
    assert (entry.data["from_status"], entry.data["to_status"]) == ("approved", "pending")
    history = applicant_client.get(reverse("archive:record_detail", args=[record.pk])).content.decode()
    assert "审核通过" in history and "修改记录" in history and "浙江工业大学 → 浙江大学" in history


def test_editing_a_rejected_record_resubmits_it(applicant, employer_admin):
    record = create_record(applicant, "assessment")
    services.record_reject(actor=employer_admin, record=record, reason="考核表未盖章")
    form = registry.get_type("assessment").form_class(form_data("assessment", result="good"), existing_evidence=1)
    assert form.is_valid(), form.errors
    services.record_update(actor=applicant, record=record, data=form.record_data())
    record.refresh_from_db()
    assert (record.status, record.rejection_reason) == (Record.Status.PENDING, "")


def test_saving_without_changes_logs_nothing(applicant):
    record = create_record(applicant, "assessment")
    form = registry.get_type("assessment").form_class(form_data("assessment"), existing_evidence=1)
    assert form.is_valid()
    services.record_update(actor=applicant, record=record, data=form.record_data())
    assert not AuditEntry.objects.filter(action="archive.record_updated").exists()


def test_a_never_approved_record_is_deleted_with_its_files(
    applicant, applicant_client, settings, django_capture_on_commit_callbacks
):
    record = create_record(applicant, "award")
    stored = Evidence.objects.get(record=record).file.name
    assert (settings.STORAGES["private"]["OPTIONS"]["location"] / stored).exists()
    url = reverse("archive:record_delete", args=[record.pk])
    assert "删除" in applicant_client.get(url).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = applicant_client.post(url)

    assert response.status_code == 302
    assert not Record.objects.filter(pk=record.pk).exists()
    assert not (settings.STORAGES["private"]["OPTIONS"]["location"] / stored).exists()
    entry = AuditEntry.objects.get(action="archive.record_deleted", object_id=str(record.pk))
    assert any(f["value"] == "温州市科学技术进步奖" for f in entry.data["fields"])


def test_an_approved_record_is_withdrawn_not_deleted(applicant, applicant_client, employer_admin):
    record = create_record(applicant, "education")
    services.record_approve(actor=employer_admin, record=record)

    response = applicant_client.post(reverse("archive:record_delete", args=[record.pk]))

    record.refresh_from_db()
    assert response.status_code == 302
    assert record.withdrawn_at is not None
    assert Evidence.objects.filter(record=record).exists()
    assert not selectors.records_of_type(applicant, registry.get_type("education")).exists()
    assert applicant_client.get(reverse("archive:record_edit", args=[record.pk])).status_code == 403
    assert "已撤销" in applicant_client.get(reverse("archive:record_detail", args=[record.pk])).content.decode()


def test_required_records_approved(applicant, employer_admin):
    ready, gaps = selectors.required_records_approved(applicant)
    assert not ready
    assert [(g.code, g.reason) for g in gaps] == [
        ("education", "missing"),
        ("work", "missing"),
        ("continuing_education", "missing"),
        ("assessment", "missing"),
    ]

    records = [create_record(applicant, code) for code in ("education", "work", "continuing_education", "assessment")]
    create_record(applicant, "paper")  # optional and pending: never blocks
    ready, gaps = selectors.required_records_approved(applicant)
    assert not ready and {g.reason for g in gaps} == {"pending"}

    services.records_bulk_review(actor=employer_admin, record_ids=[r.pk for r in records], decision="approve")
    assert selectors.required_records_approved(applicant) == (True, [])

    rejected = create_record(applicant, "assessment", year="2022")
    services.record_reject(actor=employer_admin, record=rejected, reason="缺少单位盖章")
    ready, gaps = selectors.required_records_approved(applicant)
    assert not ready and [(g.code, g.reason) for g in gaps] == [("assessment", "rejected")]
    assert "审核不通过" in gaps[0].message

    services.record_delete(actor=applicant, record=rejected)
    assert selectors.required_records_approved(applicant)[0]
    assert verify_chain().ok
