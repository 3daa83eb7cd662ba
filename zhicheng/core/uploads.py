"""Checks for uploaded files: by content (magic bytes), size and type — never by the name."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.forms import ValidationError

MB = 1024 * 1024


@dataclass(frozen=True)
class FileKind:
    label: str
    extension: str
    signatures: tuple[bytes, ...]


PDF = FileKind("PDF", "pdf", (b"%PDF-",))
JPEG = FileKind("JPG", "jpg", (b"\xff\xd8\xff",))
PNG = FileKind("PNG", "png", (b"\x89PNG\r\n\x1a\n",))


def detect_kind(upload: UploadedFile, kinds: tuple[FileKind, ...]) -> FileKind | None:
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind in kinds:
        if any(head.startswith(signature) for signature in kind.signatures):
            return kind
    return None


def validate_upload(upload: UploadedFile, *, kinds: tuple[FileKind, ...], max_bytes: int) -> FileKind:
    """Return the file's detected kind, or raise a Chinese ``ValidationError``."""
    allowed = "、".join(kind.label for kind in kinds)
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationError(f"文件过大：{upload.size / MB:.1f} MB，最大允许 {max_bytes // MB} MB。")
    if not upload.size:
        raise ValidationError("文件为空，请重新选择。")
    kind = detect_kind(upload, kinds)
    if kind is None:
        raise ValidationError(f"文件内容不是有效的 {allowed} 文件（请勿仅修改扩展名）。")
    return kind


def stored_name(kind: FileKind) -> str:
    """A random file name: stored names never come from the user."""
    return f"{uuid.uuid4().hex}.{kind.extension}"
