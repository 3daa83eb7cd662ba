"""Finding the CJK font to embed, the ``ZHICHENG_CJK_FONT`` override, and the renderer reading
nothing but that font and inline images."""

from __future__ import annotations

import shutil

import pytest

from zhicheng.documents import pdf
from zhicheng.lib import fonts


def test_a_cjk_font_is_found_on_this_machine():
    path = fonts.find_cjk_font()
    assert path.is_file() and path.suffix.lower() in fonts.FONT_SUFFIXES


def test_a_missing_override_is_an_error_that_says_what_to_do(tmp_path):
    with pytest.raises(fonts.CjkFontMissing, match="ZHICHENG_CJK_FONT"):
        fonts.find_cjk_font(tmp_path / "nothing.ttf")


def test_no_font_anywhere_names_the_package(monkeypatch):
    monkeypatch.setattr(fonts, "KNOWN_PATHS", ())
    monkeypatch.setattr(fonts, "_ask_fontconfig", lambda: None)
    with pytest.raises(fonts.CjkFontMissing, match="fonts-wqy-microhei"):
        fonts.find_cjk_font()


def test_the_setting_overrides_the_font(settings, tmp_path):
    copy = tmp_path / "自选字体.ttc"
    shutil.copy(fonts.find_cjk_font(), copy)
    settings.ZHICHENG_CJK_FONT = str(copy)
    assert pdf.cjk_font() == copy
    settings.ZHICHENG_CJK_FONT = ""
    assert pdf.cjk_font() == fonts.find_cjk_font()


def test_the_renderer_fetches_only_the_font_and_data_urls():
    font_uri = fonts.find_cjk_font().as_uri()
    fetcher = pdf._fetcher(font_uri)
    assert fetcher(font_uri).read(4)
    assert fetcher("data:text/plain;base64,5Lit").read() == "中".encode()
    for url in ("file:///etc/passwd", "http://127.0.0.1/", font_uri + "/../../../etc/passwd"):
        with pytest.raises(ValueError):
            fetcher(url)
