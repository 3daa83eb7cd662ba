"""Hostile uploads: every upload path refuses them with a Chinese message, never a 500, and
stored names never come from the user.

The paths: archive evidence (PDF/JPG/PNG), employer authorisation letters (PDF), the
application photo (JPG), application attachments (PDF/JPG/PNG), expert recommendation
letters (PDF) and the exam score import (XLSX). All of them call ``zhicheng.core.uploads``.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import ValidationError
from django.urls import reverse

from tests.archive.conftest import create_record, jpeg_bytes, login, png_bytes
from tests.factories import MINIMAL_PDF
from zhicheng.applications.forms import AttachmentForm
from zhicheng.applications.photo import validate_photo
from zhicheng.archive.forms import EVIDENCE_KINDS, EVIDENCE_MAX_BYTES, check_evidence_files
from zhicheng.archive.models import Evidence
from zhicheng.core import uploads
from zhicheng.core.uploads import MB, PDF, validate_upload
from zhicheng.evaluation import xlsx
from zhicheng.orgs.forms import clean_letter

CHINESE = re.compile(r"[\u4e00-\u9fff]")
ATTACKS_TRIED: list[str] = []  # docs/security.md quotes the count


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def _pdf_with(body: bytes) -> bytes:
    return MINIMAL_PDF.replace(b"trailer", body + b"\ntrailer")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _png_claiming(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(b"\0" * 16)) + _chunk(b"IEND", b"")
    )


def _jpeg_claiming(width: int, height: int) -> bytes:
    """A real small JPEG whose SOF0 header is rewritten to claim ``width`` × ``height``."""
    data = bytearray(jpeg_bytes(8, 8))
    at = data.index(b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def _zip(members: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _flate_stream(content: bytes) -> bytes:
    packed = zlib.compress(content)
    return b"9 0 obj<</Length %d/Filter/FlateDecode>>stream\n" % len(packed) + packed + b"\nendstream endobj"


HOSTILE_PDFS = {
    "javascript": _pdf_with(b"4 0 obj<</S/JavaScript/JS(app.alert(1))>>endobj"),
    "js-only": _pdf_with(b"4 0 obj<</S/Foo/JS 5 0 R>>endobj"),
    "open-action-dict": _pdf_with(b"1 0 obj<</Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>>>endobj"),
    "open-action-ref": _pdf_with(b"1 0 obj<</Type/Catalog/OpenAction 7 0 R>>endobj 7 0 obj<</S/URI/URI(x)>>endobj"),
    "open-action-dangling-ref": _pdf_with(b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction 77 0 R>>endobj"),
    "additional-actions": _pdf_with(b"3 0 obj<</Type/Page/AA<</O 8 0 R>>>>endobj"),
    "launch": _pdf_with(b"4 0 obj<</S/Launch/F(/bin/sh)>>endobj"),
    "submit-form": _pdf_with(b"4 0 obj<</S/SubmitForm/F(https://evil.example/)>>endobj"),
    "embedded-file": _pdf_with(b"4 0 obj<</Type/EmbeddedFile/Length 3>>stream\nabc\nendstream endobj"),
    "embedded-files-tree": _pdf_with(b"4 0 obj<</EmbeddedFiles<</Names[(x) 5 0 R]>>>>endobj"),
    "rich-media": _pdf_with(b"4 0 obj<</Subtype/RichMedia>>endobj"),
    "xfa": _pdf_with(b"4 0 obj<</XFA 5 0 R>>endobj"),
    "hex-escaped-name": _pdf_with(b"4 0 obj<</S/J#61vaScript/J#53(app.alert(1))>>endobj"),
    "in-compressed-stream": _pdf_with(_flate_stream(b"<</S/JavaScript/JS(app.alert(1))>>")),
}

CLEAN_PDFS = {
    "minimal": MINIMAL_PDF,
    "open-at-page": _pdf_with(b"1 0 obj<</Type/Catalog/Pages 2 0 R/OpenAction[3 0 R/Fit]>>endobj"),
    "open-at-page-by-ref": _pdf_with(
        b"1 0 obj<</Type/Catalog/OpenAction 8 0 R>>endobj 8 0 obj[3 0 R/XYZ 0 842 0]endobj"
    ),
    "names-that-merely-start-alike": _pdf_with(b"4 0 obj<</JSON 1/AAA 2/Launcher 3>>endobj"),
    "compressed-text": _pdf_with(_flate_stream(b"BT /F1 12 Tf (JavaScript course) Tj ET")),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_PDFS))
def test_pdfs_with_active_content_are_refused(name):
    ATTACKS_TRIED.append(f"pdf:{name}")
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("材料.pdf", HOSTILE_PDFS[name]), kinds=(PDF,), max_bytes=10 * MB)
    assert refused.value.messages == [uploads.PDF_ACTIVE_CONTENT]


@pytest.mark.parametrize("name", sorted(CLEAN_PDFS))
def test_plain_pdfs_are_accepted(name):
    assert validate_upload(upload("材料.pdf", CLEAN_PDFS[name]), kinds=(PDF,), max_bytes=10 * MB) is PDF


def _html_jpeg() -> bytes:
    return jpeg_bytes(16, 16) + b"<html><script>alert(document.cookie)</script></html>"


def _gifar_png() -> bytes:
    return png_bytes(8, 8) + _zip({"META-INF/MANIFEST.MF": b"Manifest-Version: 1.0\n", "Evil.class": b"\xca\xfe"})


POLYGLOTS = {
    "jpeg+html": ("证件.jpg", _html_jpeg),
    "jpeg+svg-onload": ("证件.jpg", lambda: jpeg_bytes(16, 16) + b'<svg onload="alert(1)">'),
    "jpeg+javascript-url": ("证件.jpg", lambda: jpeg_bytes(16, 16) + b"javascript:alert(1)"),
    "png+zip (GIFAR-like)": ("证书.png", _gifar_png),
    "pdf+zip": ("材料.pdf", lambda: MINIMAL_PDF + _zip({"payload.html": b"<script>1</script>"})),
    "html with a JPEG header": ("a.jpg", lambda: b"\xff\xd8\xff\xe0<html><script>alert(1)</script></html>"),
}


@pytest.mark.parametrize("name", sorted(POLYGLOTS))
def test_polyglots_are_refused(name):
    ATTACKS_TRIED.append(f"polyglot:{name}")
    filename, build = POLYGLOTS[name]
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload(filename, build()), kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    assert CHINESE.search(refused.value.messages[0])


BOMBS = {
    "png 100000×100000": _png_claiming(100_000, 100_000),
    "png 65535×65535": _png_claiming(65_535, 65_535),
    "png 1×2^31-1": _png_claiming(1, 2**31 - 1),
    "jpeg 60000×60000": _jpeg_claiming(60_000, 60_000),
}


@pytest.mark.parametrize("name", sorted(BOMBS))
def test_decompression_bombs_are_refused_before_decoding(name):
    ATTACKS_TRIED.append(f"bomb:{name}")
    with pytest.raises(ValidationError) as refused:
        validate_upload(upload("a.png", BOMBS[name]), kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    message = refused.value.messages[0]
    assert "像素" in message or "损坏" in message


WRONG_CONTENT = {
    "exe named .pdf": ("合同.pdf", b"MZ\x90\x00" + b"\0" * 100),
    "html named .jpg": ("照片.jpg", b"<!doctype html><script>alert(1)</script>"),
    "svg named .png": ("图.png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'),
    "zip named .pdf": ("材料.pdf", _zip({"a.txt": b"x"})),
    "pdf header only": ("材料.pdf", b"%PDF-"),
    "truncated png": ("图.png", png_bytes(8, 8)[:40]),
    "gif": ("图.png", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"),
    "empty": ("空.pdf", b""),
}


@pytest.mark.parametrize("name", sorted(WRONG_CONTENT))
def test_wrong_content_is_refused_whatever_the_extension(name):
    ATTACKS_TRIED.append(f"type:{name}")
    filename, data = WRONG_CONTENT[name]
    try:
        kind = validate_upload(upload(filename, data), kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    except ValidationError as refused:
        assert CHINESE.search(refused.messages[0])
    else:  # "pdf header only" is a PDF by its magic bytes; it holds nothing active
        assert name == "pdf header only" and kind is PDF


def test_oversized_files_are_refused_by_size_first():
    ATTACKS_TRIED.append("size:11MB evidence")
    big = upload("大.pdf", b"%PDF-1.4\n" + b"0" * (EVIDENCE_MAX_BYTES + 1))
    with pytest.raises(ValidationError) as refused:
        validate_upload(big, kinds=EVIDENCE_KINDS, max_bytes=EVIDENCE_MAX_BYTES)
    assert "文件过大" in refused.value.messages[0]


# --- every upload path ------------------------------------------------------------------


def test_evidence_path_names_the_file_and_refuses():
    ATTACKS_TRIED.append("path:evidence")
    with pytest.raises(ValidationError) as refused:
        check_evidence_files([upload("x.pdf", HOSTILE_PDFS["javascript"])])
    assert refused.value.messages == [f"“x.pdf”：{uploads.PDF_ACTIVE_CONTENT}"]


def test_employer_letter_path_refuses_active_pdf():
    ATTACKS_TRIED.append("path:letter")
    with pytest.raises(ValidationError):
        clean_letter(upload("授权书.pdf", HOSTILE_PDFS["open-action-dict"]))


def test_attachment_path_refuses_polyglot():
    ATTACKS_TRIED.append("path:attachment")
    form = AttachmentForm(data={"label": "附件"}, files={"file": upload("a.jpg", _html_jpeg())})
    assert not form.is_valid()
    assert uploads.POLYGLOT in str(form.errors)


def test_photo_path_refuses_polyglot():
    ATTACKS_TRIED.append("path:photo")
    from PIL import Image

    buffer = io.BytesIO()
    Image.effect_noise((300, 420), 80).convert("RGB").save(buffer, format="JPEG", quality=95)
    photo = buffer.getvalue() + b"<script>alert(1)</script>"
    assert 30 * 1024 < len(photo) < MB
    with pytest.raises(ValidationError) as refused:
        validate_photo(upload("照片.jpg", photo))
    assert refused.value.messages == [uploads.POLYGLOT]


def test_recommendation_letter_path_refuses_active_pdf():
    ATTACKS_TRIED.append("path:recommendation")
    from zhicheng.applications.forms import RecommendationForm

    form = RecommendationForm.__new__(RecommendationForm)
    form.cleaned_data = {"letter_file": upload("推荐信.pdf", HOSTILE_PDFS["embedded-file"])}
    with pytest.raises(ValidationError):
        form.clean_letter_file()


# --- the exam XLSX import ---------------------------------------------------------------


def _xlsx_bomb() -> bytes:
    return _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "xl/sharedStrings.xml": b"A" * (60 * MB)})


XLSX_ATTACKS = {
    "zip bomb (60 MB of one letter)": _xlsx_bomb,
    "traversal member": lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", "../../evil": b"x"}),
    "too many members": lambda: _zip(
        {"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>", **{f"f{i}": b"" for i in range(300)}}
    ),
    "not a workbook": lambda: _zip({"a.txt": b"x"}),
    "pdf named .xlsx": lambda: MINIMAL_PDF,
    "truncated zip": lambda: _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<x/>"})[:60],
}


@pytest.mark.parametrize("name", sorted(XLSX_ATTACKS))
def test_exam_import_refuses_hostile_workbooks(name):
    ATTACKS_TRIED.append(f"xlsx:{name}")
    parsed = xlsx.parse(XLSX_ATTACKS[name](), names={"ZC-1": "张伟"}, full_marks={})
    assert not parsed.entries
    assert parsed.errors and CHINESE.search(parsed.errors[0].message)


# --- stored names and hostile file names through a real upload --------------------------

HOSTILE_NAMES = [
    "../../etc/passwd.pdf",
    "..\\..\\windows\\win.ini.pdf",
    "/etc/shadow.pdf",
    "a\x00.html.pdf",
    "<script>alert(1)</script>.pdf",
    "长" * 300 + ".pdf",
    "CON.pdf",
]


@pytest.mark.django_db
@pytest.mark.parametrize("filename", HOSTILE_NAMES)
def test_hostile_file_names_never_reach_storage(applicant, filename):
    ATTACKS_TRIED.append(f"name:{filename[:20]}")
    record = create_record(applicant, "patent")
    client = login(applicant)
    response = client.post(
        reverse("archive:evidence_add", args=[record.pk]), {"files": [upload(filename, MINIMAL_PDF)]}
    )
    assert response.status_code in (302, 400)
    assert response.status_code < 500
    for evidence in Evidence.objects.filter(record=record):
        stored = evidence.file.name.rsplit("/", 1)[-1]
        assert re.fullmatch(r"[0-9a-f]{32}\.(pdf|jpg|png)", stored), stored
        assert ".." not in evidence.file.name and "\x00" not in evidence.file.name


def test_report_attack_figures(capsys):
    with capsys.disabled():
        print(f"\nupload attacks tried: {len(ATTACKS_TRIED)}")
