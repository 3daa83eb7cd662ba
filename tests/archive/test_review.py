"""The employer's review: single and bulk decisions, what the applicant sees, the log."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests import factories
from tests.archive.conftest import create_record, login
from zhicheng.archive import models as m
from zhicheng.archive import services
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEntry
from zhicheng.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_the_queue_lists_pending_records_of_its_staff_only(employer_admin, applicant, colleague, outsider):
    mine = create_record(applicant, "education")
    theirs = create_record(colleague, "award")
    foreign = create_record(outsider, "education", school="外单位大学")

    html = login(employer_admin).get(reverse("archive:review_queue")).content.decode()

    assert mine.summary in html and theirs.summary in html
    assert foreign.summary not in html
    assert applicant.real_name in html and "教育经历" in html and "1 个" in html


def test_approve_one_record(employer_admin, applicant, applicant_client):
    record = create_record(applicant, "education")
    client = login(employer_admin)

    response = client.post(reverse("archive:record_review", args=[record.pk]), {"decision": "approve"})

    record.refresh_from_db()
    assert response.status_code == 302
    assert (record.status, record.reviewed_by, record.ever_approved) == (Record.Status.APPROVED, employer_admin, True)
    assert AuditEntry.objects.filter(action="archive.record_approved", object_id=str(record.pk)).exists()
    listing = applicant_client.get(reverse("archive:record_list", args=["education"])).content.decode()
    assert "审核通过" in listing
    message = Message.objects.get(recipient=applicant, template="archive_reviewed")
    assert "1 条审核通过" in message.body


def test_reject_needs_a_reason_which_the_applicant_then_sees(employer_admin, applicant, applicant_client):
    record = create_record(applicant, "assessment")
    client = login(employer_admin)
    url = reverse("archive:record_review", args=[record.pk])

    missing = client.post(url, {"decision": "reject", "reason": ""})
    assert missing.status_code == 400 and 'data-field-error="reason"' in missing.content.decode()
    record.refresh_from_db()
    assert record.status == Record.Status.PENDING

    client.post(url, {"decision": "reject", "reason": "考核表未加盖单位公章"})

    record.refresh_from_db()
    assert (record.status, record.rejection_reason) == (Record.Status.REJECTED, "考核表未加盖单位公章")
    for page in (
        reverse("archive:record_list", args=["assessment"]),
        reverse("archive:record_detail", args=[record.pk]),
        reverse("archive:record_edit", args=[record.pk]),
    ):
        html = applicant_client.get(page).content.decode()
        assert "审核不通过" in html and "考核表未加盖单位公章" in html, page
    overview = applicant_client.get(reverse("archive:overview")).content.decode()
    assert "有审核不通过的记录" in overview


def test_a_decided_record_cannot_be_decided_again(employer_admin, applicant):
    record = create_record(applicant, "education")
    services.record_approve(actor=employer_admin, record=record)
    with pytest.raises(services.ArchiveError):
        services.record_reject(actor=employer_admin, record=record, reason="改变主意了")


def _select(records):
    return [str(r.pk) for r in records]


def test_bulk_approve_shows_a_preview_then_applies(employer_admin, applicant, colleague, outsider):
    records = [
        create_record(applicant, "education"),
        create_record(colleague, "work"),
        create_record(applicant, "paper"),
    ]
    foreign = create_record(outsider, "education", school="外单位大学")
    client = login(employer_admin)
    url = reverse("archive:bulk_review")

    preview = client.post(url, {"records": _select(records) + [str(foreign.pk), "junk"], "decision": "approve"})

    html = preview.content.decode()
    assert preview.status_code == 200
    assert 'data-testid="bulk-preview"' in html and "<strong>3</strong> 条记录" in html and "审核通过" in html
    assert "另有 1 条" in html  # the other employer's record is skipped
    for record in records:
        assert record.summary in html and f'name="records" value="{record.pk}"' in html
    assert foreign.summary not in html
    assert not Record.objects.exclude(status=Record.Status.PENDING).exists()  # nothing changed yet

    done = client.post(url, {"records": _select(records), "decision": "approve", "confirm": "1"})

    assert done.status_code == 302
    assert set(Record.objects.filter(status=Record.Status.APPROVED).values_list("pk", flat=True)) == {
        r.pk for r in records
    }
    foreign.refresh_from_db()
    assert foreign.status == Record.Status.PENDING
    assert AuditEntry.objects.filter(action="archive.record_approved").count() == 3
    assert Message.objects.filter(template="archive_reviewed").count() == 2  # one per person
    assert verify_chain().ok


def test_bulk_reject_needs_one_reason_for_all(employer_admin, applicant, colleague):
    records = [create_record(applicant, "education"), create_record(colleague, "award")]
    client = login(employer_admin)
    url = reverse("archive:bulk_review")

    missing = client.post(url, {"records": _select(records), "decision": "reject", "reason": ""})
    assert missing.status_code == 400 and 'data-field-error="reason"' in missing.content.decode()

    preview = client.post(url, {"records": _select(records), "decision": "reject", "reason": "佐证材料不清晰"})
    assert "佐证材料不清晰" in preview.content.decode() and "审核不通过" in preview.content.decode()
    client.post(url, {"records": _select(records), "decision": "reject", "reason": "佐证材料不清晰", "confirm": "1"})

    for record in records:
        record.refresh_from_db()
        assert (record.status, record.rejection_reason) == (Record.Status.REJECTED, "佐证材料不清晰")
    entries = AuditEntry.objects.filter(action="archive.record_rejected")
    assert {e.data["reason"] for e in entries} == {"佐证材料不清晰"} and entries.count() == 2


def test_bulk_without_a_selection_or_decision_explains(employer_admin, applicant):
    record = create_record(applicant, "education")
    client = login(employer_admin)
    html = client.post(reverse("archive:bulk_review"), {"decision": "approve"}).content.decode()
    assert "请至少选择一条记录" in html
    html = client.post(reverse("archive:bulk_review"), {"records": [str(record.pk)]}).content.decode()
    assert "请选择审核结果" in html


def test_bulk_confirm_skips_records_decided_meanwhile(employer_admin, applicant):
    first, second = create_record(applicant, "education"), create_record(applicant, "work")
    other_admin = factories.employer_admin_of(applicant.profile.employer)
    services.record_reject(actor=other_admin, record=second, reason="已由同事处理")

    result = services.records_bulk_review(actor=employer_admin, record_ids=[first.pk, second.pk], decision="approve")

    assert [r.pk for r in result.changed] == [first.pk] and result.skipped == [second.pk]
    second.refresh_from_db()
    assert second.status == Record.Status.REJECTED


def test_history_is_shown_per_record(employer_admin, applicant, applicant_client):
    record = create_record(applicant, "education")
    services.record_reject(actor=employer_admin, record=record, reason="备案表不清晰")

    html = applicant_client.get(reverse("archive:record_detail", args=[record.pk])).content.decode()

    assert 'data-testid="record-history"' in html
    assert "新增记录" in html and "审核不通过" in html and "原因：备案表不清晰" in html
    assert employer_admin.real_name in html


def _pending_records(owners, n):
    """``n`` pending records of several types, made straight in the database (fast)."""
    kinds = [
        (m.Education, {"level": "bachelor", "school": "学校", "major": "机械", "graduated_on": "2010-07-01"}),
        (m.AnnualAssessment, {"year": 2023, "result": "excellent"}),
        (m.Paper, {"title": "论文", "journal": "刊物", "kind": "core", "rank": 1, "published_on": "2021-01-01"}),
    ]
    codes = {m.Education: "education", m.AnnualAssessment: "assessment", m.Paper: "paper"}
    for i in range(n):
        model, fields = kinds[i % len(kinds)]
        record = model.objects.create(
            owner=owners[i % len(owners)],
            record_type=codes[model],
            summary=f"记录{i}",
            submitted_at=timezone.now(),
            **fields,
        )
        if i % 2:
            Evidence.objects.create(
                record_id=record.pk,
                file="evidence/x.pdf",
                kind="pdf",
                original_name="x.pdf",
                size=1,
                sha256="0" * 64,
                uploaded_by=record.owner,
            )


@pytest.mark.parametrize("count", [10, 500])
def test_the_queue_needs_the_same_number_of_queries_for_10_and_500(
    employer, employer_admin, count, django_assert_max_num_queries
):
    owners = [factories.ApplicantFactory(profile__employer=employer) for _ in range(5)]
    _pending_records(owners, count)
    client = login(employer_admin)
    url = reverse("archive:review_queue")

    # session, user, permission, count, tab counts, roles (nav), unread (nav), the page: 8 today.
    with django_assert_max_num_queries(10):
        response = client.get(url)

    assert response.status_code == 200
    assert response.content.decode().count('name="records"') == min(count, 50)
