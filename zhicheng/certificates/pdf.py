"""The certificate as a PDF: the documents app's WeasyPrint pipeline (embedded CJK font, data:
images only) with the holder's photo and a QR code of the public verification URL.

The QR code is drawn by ``segno`` (pure Python) as an SVG ``data:`` image, and wrapped in a
link to the same URL, so a reader can click it as well as scan it. The URL is absolute: the
``ZHICHENG_PUBLIC_BASE_URL`` setting (or environment variable), e.g. ``https://zc.example.cn``,
else the host of the request that downloads the PDF.
"""

from __future__ import annotations

import os
from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from zhicheng.certificates.models import Certificate
from zhicheng.documents import pdf as documents_pdf

TEMPLATE = "certificates/pdf/certificate.html"


def public_base_url(request: HttpRequest | None = None) -> str:
    configured = getattr(settings, "ZHICHENG_PUBLIC_BASE_URL", "") or os.environ.get("ZHICHENG_PUBLIC_BASE_URL", "")
    if configured:
        return configured.rstrip("/")
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return "http://127.0.0.1:8000"


def verification_url(certificate: Certificate, request: HttpRequest | None = None) -> str:
    return public_base_url(request) + reverse("verify:token", args=[certificate.token])


def qr_data_uri(url: str) -> str:
    """The QR code of ``url`` as an SVG ``data:`` URL (error correction M, quiet zone of 4)."""
    return segno.make(url, error="m", micro=False).svg_data_uri(scale=4, border=4, dark="#000", light="#fff")


def context(certificate: Certificate, request: HttpRequest | None = None) -> dict[str, Any]:
    url = verification_url(certificate, request)
    return {
        "certificate": certificate,
        "photo": documents_pdf.photo_data_uri(certificate.application.photo),
        "verify_url": url,
        "qr": qr_data_uri(url),
    }


def render(certificate: Certificate, request: HttpRequest | None = None) -> bytes:
    return documents_pdf.render_pdf(TEMPLATE, context(certificate, request))
