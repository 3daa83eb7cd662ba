"""The certificate PDF: the holder's name and number as real text, the photo, and a QR code that
leads to the public verification page; who may download it."""

from __future__ import annotations

import io

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from pypdf import PdfReader

from tests import factories
from zhicheng.certificates import pdf
from zhicheng.certificates.models import Certificate

pytestmark = pytest.mark.django_db

BASE = "https://zc.example.gov.cn"


def pdf_text(data: bytes) -> str:
    return "".join("".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def link_uris(data: bytes) -> set[str]:
    uris = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None and action.get("/URI"):
                uris.add(str(action["/URI"]))
    return uris


def decoded_qr_codes(data: bytes) -> list[str] | None:
    """The QR codes found on the rendered first page, or None when no decoder is installed."""
    try:
        import pypdfium2
        import zxingcpp
    except ImportError:
        return None
    page = pypdfium2.PdfDocument(data)[0]
    image = page.render(scale=3).to_pil()
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture
def downloaded(client, certificate, zhang, settings) -> bytes:
    settings.ZHICHENG_PUBLIC_BASE_URL = BASE + "/"
    client.force_login(zhang)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    assert "attachment" in response["Content-Disposition"]
    return response.content


def test_the_pdf_holds_the_name_the_number_and_the_masked_id_as_text(downloaded, certificate, zhang):
    text = pdf_text(downloaded)
    assert zhang.real_name in text and certificate.number in text
    assert certificate.masked_id_number in text and zhang.id_number not in text
    assert "工程师" in text and certificate.document_number in text and certificate.committee in text


def test_the_qr_code_leads_to_the_public_verification_url(downloaded, certificate):
    url = f"{BASE}/verify/{certificate.token}/"
    assert url in link_uris(downloaded)
    decoded = decoded_qr_codes(downloaded)
    if decoded is not None:  # zxing-cpp installed: scan the rendered page like a phone would
        assert decoded == [url]


def test_the_photo_is_embedded(downloaded):
    images = [image for page in PdfReader(io.BytesIO(downloaded)).pages for image in page.images]
    assert images, "the holder's photo should be in the PDF"


def test_without_the_setting_the_url_uses_the_requests_host(certificate, settings):
    settings.ALLOWED_HOSTS = ["zhicheng.local"]
    request = RequestFactory().get("/", HTTP_HOST="zhicheng.local:8443", secure=True)
    assert pdf.verification_url(certificate, request) == f"https://zhicheng.local:8443/verify/{certificate.token}/"


def test_only_the_holder_and_the_city_office_may_have_it(client, certificate, city_officer, secretary):
    url = reverse("certificates:pdf", args=[certificate.pk])
    for outsider in (secretary, factories.ApplicantFactory()):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.get(reverse("certificates:detail", args=[certificate.pk])).status_code == 404
    client.force_login(city_officer)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_a_withdrawn_certificate_is_not_offered(client, certificate, zhang):
    Certificate.objects.filter(pk=certificate.pk).update(revoked_at=certificate.created_at)
    client.force_login(zhang)
    response = client.get(reverse("certificates:pdf", args=[certificate.pk]), follow=True)
    assert response.redirect_chain and "已撤销" in response.content.decode()


def test_the_holder_link_snippet(rf, certificate, zhang, secretary):
    template = Template('{% include "certificates/_holder_link.html" with application=application %}')
    request = rf.get("/")
    request.user = zhang
    html = template.render(Context({"application": certificate.application, "request": request}))
    assert reverse("certificates:pdf", args=[certificate.pk]) in html and certificate.number in html
    request.user = secretary
    assert "certificate-link" not in template.render(
        Context({"application": certificate.application, "request": request})
    )


def test_the_holder_link_snippet_is_empty_without_a_certificate(rf, decided, zhang):
    template = Template('{% include "certificates/_holder_link.html" with application=application %}')
    request = rf.get("/")
    request.user = zhang
    assert template.render(Context({"application": decided, "request": request})).strip() == ""
