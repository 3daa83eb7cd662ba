"""Evidence files: checked by content, size and image dimensions; stored privately."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.urls import reverse

from tests.archive.conftest import create_record, form_data, jpeg_bytes, pdf_upload, png_bytes, png_claiming
from zhicheng.archive import services
from zhicheng.archive.forms import EVIDENCE_MAX_BYTES
from zhicheng.archive.models import Evidence, Record
from zhicheng.core.models import AuditEntry
from zhicheng.core.uploads import JPEG, PNG, validate_image

pytestmark = pytest.mark.django_db


def _add(client, upload, type_code="award"):
    return client.post(reverse("archive:record_add", args=[type_code]), {**form_data(type_code), "evidence": [upload]})


def _error_text(response) -> str:
    html = response.content.decode()
    assert response.status_code == 400
    assert 'data-field-error="evidence"' in html
    return html


def test_a_renamed_executable_is_refused(applicant, applicant_client):
    exe = SimpleUploadedFile("毕业证书.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "application/pdf")
    html = _error_text(_add(applicant_client, exe))
    assert "“毕业证书.pdf”：文件内容不是有效的 PDF、JPG、PNG 文件（请勿仅修改扩展名）" in html
    assert not Record.objects.filter(owner=applicant).exists()


def test_a_file_over_the_limit_is_refused(applicant, applicant_client):
    big = SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * EVIDENCE_MAX_BYTES, "application/pdf")
    html = _error_text(_add(applicant_client, big))
    assert "文件过大" in html and "最大允许 10 MB" in html
    assert not Record.objects.filter(owner=applicant).exists()


def test_an_image_claiming_30000_by_30000_pixels_is_refused(applicant, applicant_client):
    bomb = SimpleUploadedFile("scan.png", png_claiming(30000, 30000), "image/png")
    assert bomb.size < 200
    html = _error_text(_add(applicant_client, bomb))
    assert "图片尺寸过大" in html and "恶意文件" in html
    assert not Record.objects.filter(owner=applicant).exists()


@pytest.mark.parametrize(("width", "height"), [(9000, 9000), (10000, 9000), (30000, 30000), (100000, 100000)])
def test_validate_image_refuses_headers_over_the_pixel_limit(width, height):
    upload = SimpleUploadedFile("x.png", png_claiming(width, height))
    with pytest.raises(ValidationError, match="图片尺寸过大"):
        validate_image(upload, kind=PNG)


def test_validate_image_refuses_a_broken_image_and_a_mismatched_kind():
    broken = SimpleUploadedFile("x.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 20)
    with pytest.raises(ValidationError, match="图片已损坏"):
        validate_image(broken, kind=PNG)
    with pytest.raises(ValidationError, match="图片已损坏"):
        validate_image(SimpleUploadedFile("x.jpg", png_bytes()), kind=JPEG)


def test_validate_image_accepts_real_images():
    assert validate_image(SimpleUploadedFile("a.png", png_bytes(30, 20)), kind=PNG) == (30, 20)
    assert validate_image(SimpleUploadedFile("a.jpg", jpeg_bytes(16, 12)), kind=JPEG) == (16, 12)


def test_photos_and_several_files_are_accepted_and_shown_inline(applicant, applicant_client):
    uploads = [
        SimpleUploadedFile("证书.jpg", jpeg_bytes(), "image/jpeg"),
        SimpleUploadedFile("文件.png", png_bytes(), "image/png"),
        pdf_upload(),
    ]
    response = applicant_client.post(
        reverse("archive:record_add", args=["honour"]), {**form_data("honour"), "evidence": uploads}
    )
    assert response.status_code == 302
    record = Record.objects.get(owner=applicant)
    files = list(Evidence.objects.filter(record=record))
    assert sorted(e.kind for e in files) == ["jpg", "pdf", "png"]
    detail = applicant_client.get(response.url).content.decode()
    for item in files:
        url = reverse("archive:evidence_file", args=[item.public_id])
        if item.is_image:
            assert f'<img class="evidence-image" src="{url}"' in detail
        else:
            assert f'<iframe class="evidence-frame" title="佐证材料：{item.original_name}" src="{url}"' in detail
        served = applicant_client.get(url)
        assert served["Content-Type"] == item.content_type
    assert "archive/archive.js" in detail and "<script>" not in detail


def test_stored_names_are_random_and_private(applicant, settings):
    record = create_record(applicant, "award", files=[pdf_upload("../../etc/passwd.pdf")])
    evidence = Evidence.objects.get(record=record)
    assert evidence.original_name == "passwd.pdf"
    assert "passwd" not in evidence.file.name and evidence.file.name.startswith("evidence/")
    assert (settings.STORAGES["private"]["OPTIONS"]["location"] / evidence.file.name).exists()
    assert len(evidence.sha256) == 64


def test_more_evidence_on_an_approved_record_sends_it_back_for_review(applicant, applicant_client, employer_admin):
    record = create_record(applicant, "patent")
    services.record_approve(actor=employer_admin, record=record)

    response = applicant_client.post(
        reverse("archive:evidence_add", args=[record.pk]), {"files": [pdf_upload("补充.pdf")]}
    )

    record.refresh_from_db()
    assert response.status_code == 302
    assert record.status == Record.Status.PENDING
    assert Evidence.objects.filter(record=record).count() == 2
    assert AuditEntry.objects.filter(action="archive.evidence_added", object_id=str(record.pk)).get().data["files"] == [
        "补充.pdf"
    ]


def test_a_bad_file_on_the_detail_page_is_refused_beside_the_field(applicant, applicant_client):
    record = create_record(applicant, "patent")
    response = applicant_client.post(
        reverse("archive:evidence_add", args=[record.pk]), {"files": [SimpleUploadedFile("a.pdf", b"MZ" * 10)]}
    )
    assert response.status_code == 400
    assert 'data-field-error="files"' in response.content.decode()
    assert Evidence.objects.filter(record=record).count() == 1


def test_the_last_file_cannot_be_removed_but_others_can(applicant, applicant_client, employer_admin):
    record = create_record(applicant, "patent", files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    first, second = Evidence.objects.filter(record=record).order_by("pk")

    applicant_client.post(reverse("archive:evidence_remove", args=[first.public_id]))
    assert not Evidence.objects.filter(pk=first.pk).exists()  # never approved: removed for good

    response = applicant_client.post(reverse("archive:evidence_remove", args=[second.public_id]), follow=True)
    assert "唯一的佐证材料" in response.content.decode()
    assert Evidence.objects.filter(pk=second.pk, removed_at__isnull=True).exists()


def test_removing_evidence_of_an_approved_record_keeps_the_file(applicant, applicant_client, employer_admin):
    record = create_record(applicant, "patent", files=[pdf_upload("a.pdf"), pdf_upload("b.pdf")])
    services.record_approve(actor=employer_admin, record=record)
    first = Evidence.objects.filter(record=record).order_by("pk").first()

    applicant_client.post(reverse("archive:evidence_remove", args=[first.public_id]))

    first.refresh_from_db()
    record.refresh_from_db()
    assert first.removed_at is not None and first.file.storage.exists(first.file.name)
    assert record.status == Record.Status.PENDING
    assert applicant_client.get(reverse("archive:evidence_file", args=[first.public_id])).status_code == 404
