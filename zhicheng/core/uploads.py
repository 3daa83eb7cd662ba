"""Checks for uploaded files: by content (magic bytes), size and type — never by the name."""

from __future__ import annotations

import uuid
import warnings
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
    return kind


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
