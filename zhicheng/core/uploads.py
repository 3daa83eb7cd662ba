"""Checks for uploaded files: by content (magic bytes), size and type — never by the name.

Beyond the type, an upload is refused when it could act rather than be read:

- PDFs with active content — scripts (``/JavaScript``, ``/JS``), automatic actions (``/AA``,
  an ``/OpenAction`` that is an action rather than a page to open at), ``/Launch``,
  ``/SubmitForm``, ``/ImportData``, embedded files (``/EmbeddedFile``), ``/RichMedia`` or
  ``/XFA`` forms. Names are read with their ``#xx`` escapes decoded, and compressed streams
  (where object streams hide dictionaries) are inflated, up to a bound, before the search.
- polyglots: any file that is also a ZIP archive (GIFAR-like), and images that carry HTML or
  script markup.
- images whose header claims more pixels than allowed (decompression bombs).
- XLSX workbooks (``validate_xlsx``) whose archive would inflate beyond a bound (zip bombs),
  holds too many members or paths that leave the archive.

Stored names never come from the user (``stored_name``).
"""

from __future__ import annotations

import io
import re
import uuid
import warnings
import zipfile
import zlib
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.forms import ValidationError

MB = 1024 * 1024
# Largest image accepted, in pixels: an A3 page scanned at 600 dpi is about 70 million.
# A header claiming more is refused before any pixel is decoded (decompression bombs).
DEFAULT_MAX_PIXELS = 80_000_000


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str
    signatures: tuple[bytes, ...]


PDF = FileKind("PDF", "pdf", (b"%PDF-",))
JPEG = FileKind("JPG", "jpg", (b"\xff\xd8\xff",))
PNG = FileKind("PNG", "png", (b"\x89PNG\r\n\x1a\n",))
IMAGE_KINDS = (JPEG, PNG)


XLSX = FileKind("XLSX", "xlsx", (b"PK\x03\x04",))

# Active PDF content, by name; a name ends at a delimiter (PDF 32000-1 §7.2.2).
_PDF_ACTIVE = re.compile(
    rb"/(JavaScript|JS|AA|Launch|SubmitForm|ImportData|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>\[\]()%{}]|$)"
)
_PDF_OPEN_ACTION = re.compile(rb"/OpenAction\s*(?:(<<)|(\d+)\s+(\d+)\s+R)")
_PDF_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_PDF_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.DOTALL)
PDF_INFLATE_LIMIT = 64 * MB  # inflated bytes searched per file, at most
_MARKUP = re.compile(rb"<\s*(script|html|body|iframe|svg|object|embed|\?php)\b|javascript:", re.IGNORECASE)

PDF_ACTIVE_CONTENT = (
    "PDF 文件包含脚本、自动执行的动作或嵌入文件等活动内容，出于安全原因不予接收。"
    "请用“打印为 PDF”或重新扫描生成普通 PDF 后上传。"
)
POLYGLOT = "文件同时是压缩包或含有网页代码，可能是伪装的恶意文件，请重新导出或扫描后上传。"


def detect_kind(upload: UploadedFile, kinds: tuple[FileKind, ...]) -> FileKind | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if any(head.startswith(signature) for signature in kind.signatures):
            return kind
    return None


def validate_upload(
    upload: UploadedFile, *, kinds: tuple[FileKind, ...], max_bytes: int, max_pixels: int = DEFAULT_MAX_PIXELS
) -> FileKind:
    """Return the file's detected kind, or raise a Chinese ``ValidationError``.

    Images (JPG, PNG) are also opened with Pillow: see ``validate_image``.
    """
    allowed = "、".join(kind.label for kind in kinds)
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(f"文件过大：{upload.size / MB:.1f} MB，最大允许 {max_bytes // MB} MB。")
    if not upload.size:
        raise ValidationError("文件为空，请重新选择。")
    kind = detect_kind(upload, kinds)
    if kind is None:
        raise ValidationError(f"文件内容不是有效的 {allowed} 文件（请勿仅修改扩展名）。")
    if kind in IMAGE_KINDS:
        validate_image(upload, kind=kind, max_pixels=max_pixels)
    if kind is not XLSX:
        refuse_polyglot(upload, kind)
    if kind is PDF:
        refuse_active_pdf(upload)
    return kind


def _read_all(upload: UploadedFile) -> bytes:
    upload.seek(0)
    try:
        return upload.read()
    finally:
        upload.seek(0)


def refuse_polyglot(upload: UploadedFile, kind: FileKind) -> None:
    """Refuse a file that is also a ZIP archive (a JAR/GIFAR) or an image holding markup."""
    data = _read_all(upload)
    if zipfile.is_zipfile(io.BytesIO(data)):
        raise ValidationError(POLYGLOT)
    if kind in IMAGE_KINDS and _MARKUP.search(data):
        raise ValidationError(POLYGLOT)


def _pdf_texts(data: bytes):
    """The file as written, then each stream inflated (bounded in total)."""
    yield data
    budget = PDF_INFLATE_LIMIT
    for match in _PDF_STREAM.finditer(data):
        if budget <= 0:
            return
        inflater = zlib.decompressobj()
        try:
            inflated = inflater.decompress(match.group(1), budget)
        except zlib.error:
            continue
        budget -= len(inflated)
        if inflated:
            yield inflated


def pdf_has_active_content(data: bytes) -> bool:
    for text in _pdf_texts(data):
        text = _PDF_NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), text)
        if _PDF_ACTIVE.search(text) or _open_action_is_an_action(text, data):
            return True
    return False


def _open_action_is_an_action(text: bytes, data: bytes) -> bool:
    """``/OpenAction`` may name a page to open at (an array: harmless) or an action (a
    dictionary: refused). An indirect reference is followed to its object."""
    for match in _PDF_OPEN_ACTION.finditer(text):
        if match.group(1):
            return True
        target = re.search(rb"(?<!\d)%s\s+%s\s+obj\s*(<<|\[)" % (match.group(2), match.group(3)), data)
        if target is None or target.group(1) == b"<<":
            return True
    return False


def refuse_active_pdf(upload: UploadedFile) -> None:
    if pdf_has_active_content(_read_all(upload)):
        raise ValidationError(PDF_ACTIVE_CONTENT)


XLSX_MAX_MEMBERS = 200
XLSX_MAX_INFLATED = 50 * MB
XLSX_MAX_RATIO = 200  # inflated / compressed, per member
XLSX_BROKEN = "无法读取文件：请上传用下载的模板填写的 Excel（.xlsx）文件。"
XLSX_BOMB = "Excel 文件解压后过大或结构异常，可能是恶意文件，请使用下载的模板重新填写。"


def validate_xlsx(data: bytes, *, max_bytes: int) -> None:
    """Refuse anything but a plain XLSX archive of sane inflated size, or raise a
    Chinese ``ValidationError``. The archive's directory is read; nothing is inflated."""
    if len(data) > max_bytes:
        raise ValidationError(f"文件过大：{len(data) / MB:.1f} MB，最大允许 {max_bytes / MB:g} MB。")
    if not data.startswith(XLSX.signatures[0]):
        raise ValidationError(XLSX_BROKEN)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ValidationError(XLSX_BROKEN) from None
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ValidationError(XLSX_BROKEN)
    if len(members) > XLSX_MAX_MEMBERS:
        raise ValidationError(XLSX_BOMB)
    total = 0
    for member in members:
        name = member.filename
        if name.startswith(("/", "\\")) or ".." in name.replace("\\", "/").split("/") or "\x00" in name:
            raise ValidationError(XLSX_BOMB)
        total += member.file_size
        if member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1) and member.file_size > MB:
            raise ValidationError(XLSX_BOMB)
    if total > XLSX_MAX_INFLATED:
        raise ValidationError(XLSX_BOMB)


_PILLOW_FORMATS = {"JPG": "JPEG", "PNG": "PNG"}


def validate_image(upload: UploadedFile, *, kind: FileKind, max_pixels: int = DEFAULT_MAX_PIXELS) -> tuple[int, int]:
    """Open an image with Pillow and return its (width, height), or raise a ``ValidationError``.

    ``verify()`` runs right after ``open`` (it checks the structure without decoding, and
    leaves the image unusable), then the file is opened again to read its size. Dimensions
    come from the header, so an absurd size is refused before any pixel is decoded.
    """
    from PIL import Image, UnidentifiedImageError

    bomb = ValidationError(
        f"图片尺寸过大（超过 {max_pixels // 1_000_000} 百万像素），可能是恶意文件，请缩小后重新上传。"
    )
    broken = ValidationError(f"图片已损坏或不是有效的 {kind.label} 图片，请重新扫描或导出后上传。")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            upload.seek(0)
            with Image.open(upload) as image:
                image.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                width, height = image.size
                image_format = image.format
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise broken from None
    finally:
        upload.seek(0)
    if image_format != _PILLOW_FORMATS.get(kind.label):
        raise broken
    if width < 1 or height < 1:
        raise broken
    if width * height > max_pixels:
        raise bomb
    return width, height


def stored_name(kind: FileKind) -> str:
    """A random file name: stored names never come from the user."""
    return f"{uuid.uuid4().hex}.{kind.extension}"
