"""The photo rules of the provincial platform (seed 003 §五.4 (2)), each with its own message.

JPG/JPEG only (by content), more than 30 KB and less than 1 MB, at least 215 × 300 pixels
(width × height), width / height from 0.65 to 0.8 inclusive. The photo is printed on the
e-certificate, so a photo that breaks a rule is refused at upload rather than at review.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from zhicheng.core.uploads import JPEG, detect_kind, refuse_polyglot, validate_image

KB = 1024
MIN_BYTES = 30 * KB  # exclusive: "大于 30K"
MAX_BYTES = 1024 * KB  # exclusive: "小于 1M"
MIN_WIDTH, MIN_HEIGHT = 215, 300
MIN_RATIO, MAX_RATIO = 0.65, 0.8
PHOTO_MAX_PIXELS = 40_000_000


def validate_photo(upload: UploadedFile) -> tuple[int, int]:
    """Return the photo's (width, height) or raise one ``ValidationError`` per broken rule."""
    size = upload.size or 0
    if size <= MIN_BYTES:
        raise ValidationError(f"照片文件须大于 30 KB（当前 {size / KB:.1f} KB），请上传更清晰的照片。")
    if size >= MAX_BYTES:
        raise ValidationError(f"照片文件须小于 1 MB（当前 {size / KB:.0f} KB），请压缩后重新上传。")
    if detect_kind(upload, (JPEG,)) is None:
        raise ValidationError("照片须为 JPG/JPEG 格式（按文件内容判断，修改扩展名无效）。")
    width, height = validate_image(upload, kind=JPEG, max_pixels=PHOTO_MAX_PIXELS)
    refuse_polyglot(upload, JPEG)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        raise ValidationError(f"照片像素须不小于 215×300（宽×高），当前 {width}×{height}。")
    ratio = width / height
    if not MIN_RATIO <= ratio <= MAX_RATIO:
        raise ValidationError(f"照片宽高比须在 0.65 至 0.8 之间（标准证件照），当前为 {ratio:.3f}。")
    return width, height
