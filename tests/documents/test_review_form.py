"""The review form (评审表): who may download it and when, what it prints (real text, the
stages' opinions, the watermark), the embedded CJK font, and a page rendered to PNG."""

from __future__ import annotations

import io
from datetime import timedelta

import pypdfium2
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.documents.conftest import approve_stages, compact, opinion, pdf_text
from zhicheng.applications.models import Application, StatusChange
from zhicheng.core.models import AuditEntry
from zhicheng.documents.pdf import WATERMARK
from zhicheng.documents.selectors import stage_opinions

pytestmark = pytest.mark.django_db


def url(application: Application, slug: str = "review-form") -> str:
    return reverse("documents:pdf", args=[application.pk, slug])


def download(client, viewer, application: Application, slug: str = "review-form"):
    client.force_login(viewer)
    return client.get(url(application, slug))


def test_applicant_downloads_the_qualified_form_with_every_opinion(client, zhang, qualified):
    response = download(client, zhang, qualified)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    text = compact(pdf_text(response.content))
    for label in ("专业技术职务任职资格评审表", "姓名", "性别", "出生年月", "身份证号", "工作单位", "学历（学位）"):
        assert label in text
    assert "张伟" in text and "330381198805123516" in text and "1988.05" in text
    assert "浙江工业大学" in text and "高精度数控车床主轴热变形补偿技术研究" in text  # the records, as submitted
    assert "审核意见" in text and "（盖章）" in text
    for stage in qualified.plan.stages.all():
        assert compact(stage.label) in text
        assert compact(opinion(stage)) in text
    assert WATERMARK in text
    entry = AuditEntry.objects.get(action="documents.review_form_downloaded")
    assert (entry.actor, entry.object_id) == (zhang, str(qualified.pk))


def test_cjk_font_is_embedded(client, zhang, qualified):
    reader = PdfReader(io.BytesIO(download(client, zhang, qualified).content))
    fonts = {}
    for page in reader.pages:
        for name, ref in page["/Resources"]["/Font"].items():
            fonts[name] = ref.get_object()
    assert fonts
    for font in fonts.values():
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
        assert "+" in font["/BaseFont"]  # a subset: only the glyphs used are embedded


def test_a_page_renders_to_png(client, zhang, qualified, tmp_path):
    document = pypdfium2.PdfDocument(download(client, zhang, qualified).content)
    assert len(document) >= 2
    image = document[1].render(scale=1.5).to_pil().convert("L")
    path = tmp_path / "review-form-page-2.png"
    image.save(path)
    print(f"\nreview form page 2 rendered to {path}")
    width, height = image.size
    assert width > 800 and height > 1100  # A4 at 1.5 × 72 dpi
    ink = sum(1 for value in image.get_flattened_data() if value < 128)
    assert ink > 5000  # text, table rules and the photo are drawn, not an empty page


def test_applicant_cannot_download_before_qualified(client, zhang, submitted):
    assert download(client, zhang, submitted).status_code == 403
    assert download(client, zhang, approve_stages(submitted, upto=2)).status_code == 403


def test_another_applicant_gets_404(client, huang, qualified):
    assert download(client, huang, qualified).status_code == 404


def test_anonymous_is_sent_to_login(client, qualified):
    response = client.get(url(qualified))
    assert response.status_code == 302 and reverse("accounts:login") in response.url


def test_the_employer_reads_it_during_the_review(client, employer_admin, submitted):
    response = download(client, employer_admin, submitted)
    assert response.status_code == 200
    assert "张伟" in pdf_text(response.content)


def test_an_office_outside_the_chain_gets_404(client, outsider, qualified):
    assert download(client, outsider, qualified).status_code == 404


def test_unknown_document_is_404(client, zhang, qualified):
    assert download(client, zhang, qualified, slug="nothing").status_code == 404


def test_only_approvals_since_the_last_submission_count(zhang, submitted):
    application = approve_stages(submitted, upto=1)
    [first] = [o for o in stage_opinions(application) if o.signed]
    assert first.order == 1 and first.day is not None
    later = application.submitted_at + timedelta(days=5)
    for action in (StatusChange.Action.RETURN, StatusChange.Action.RESUBMIT):
        StatusChange.objects.create(
            application=application, from_status="x", to_status="y", action=action, actor=zhang, at=later
        )
    assert not any(o.signed for o in stage_opinions(application))


def test_documents_page_lists_what_the_applicant_may_have(client, zhang, submitted, qualified):
    client.force_login(zhang)
    page = client.get(reverse("documents:application", args=[qualified.pk])).content.decode()
    assert 'data-document="review-form"' in page and 'data-document="publicity-form"' in page
    assert "self-score-form" not in page  # not a 破格 application
