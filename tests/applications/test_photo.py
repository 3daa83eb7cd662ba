"""The photo rules of seed 003 §五.4 (2), each at its boundary, each with its own message."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.applications.conftest import jpeg
from zhicheng.applications.photo import validate_photo

KB = 1024


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def refused(data: bytes) -> str:
    with pytest.raises(ValidationError) as error:
        validate_photo(upload(data))
    return " ".join(error.value.messages)


def test_a_standard_photo_passes():
    assert validate_photo(upload(jpeg(300, 400, 40 * KB))) == (300, 400)


@pytest.mark.parametrize(("size", "ok"), [(30 * KB, False), (30 * KB + 1, True)])
def test_more_than_30_kb(size, ok):
    if ok:
        assert validate_photo(upload(jpeg(size=size)))
    else:
        assert "照片文件须大于 30 KB（当前 30.0 KB）" in refused(jpeg(size=size))


@pytest.mark.parametrize(("size", "ok"), [(1024 * KB, False), (1024 * KB - 1, True)])
def test_less_than_1_mb(size, ok):
    if ok:
        assert validate_photo(upload(jpeg(size=size)))
    else:
        assert "照片文件须小于 1 MB" in refused(jpeg(size=size))


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [(214, 300, False), (215, 300, True), (215, 299, False), (230, 300, True)],
)
def test_at_least_215_by_300_pixels(width, height, ok):
    data = jpeg(width, height)
    if ok:
        assert validate_photo(upload(data)) == (width, height)
    else:
        assert f"照片像素须不小于 215×300（宽×高），当前 {width}×{height}" in refused(data)


@pytest.mark.parametrize(
    ("width", "height", "ok"),
    [(649, 1000, False), (650, 1000, True), (800, 1000, True), (801, 1000, False)],
)
def test_width_to_height_from_065_to_08(width, height, ok):
    data = jpeg(width, height, size=60 * KB)
    if ok:
        assert validate_photo(upload(data)) == (width, height)
    else:
        assert f"照片宽高比须在 0.65 至 0.8 之间（标准证件照），当前为 {width / height:.3f}" in refused(data)


def test_png_renamed_to_jpg_is_refused_by_content():
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400)).save(buffer, "PNG")
    data = buffer.getvalue() + b"\0" * (40 * KB)
    assert "照片须为 JPG/JPEG 格式（按文件内容判断" in refused(data)


def test_broken_jpeg_is_refused():
    data = b"\xff\xd8\xff\xe0" + b"\x13" * (40 * KB)
    assert "图片已损坏" in refused(data)
