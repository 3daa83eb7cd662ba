"""PDF rendering: a Django template with print CSS, laid out by WeasyPrint, with a CJK font
embedded (a subset of it: only the glyphs used) so the text reads the same on any machine and
can be copied and searched (real text, never images of text).

The font is the file named by the ``ZHICHENG_CJK_FONT`` setting (or environment variable),
else the first CJK font found on the machine (``zhicheng.lib.fonts``). Rendering fetches
nothing but that font and ``data:`` URLs (the photo): the templates print applicants' text,
and no text may make the renderer read a file or a URL.
"""

from __future__ import annotations

import base64
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from zhicheng.lib.fonts import find_cjk_font

WATERMARK = "智称职称评审平台"
FONT_FAMILY = "ZhichengCJK"

# WeasyPrint reports each layout step at INFO; keep the server log to what matters.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def font_override() -> str:
    return settings.ZHICHENG_CJK_FONT


@lru_cache(maxsize=4)
def _font(override: str) -> Path:
    return find_cjk_font(override or None)


def cjk_font() -> Path:
    """The CJK font file embedded in every PDF (looked up once per override)."""
    return _font(font_override())


def _fetcher(font_uri: str) -> Any:
    from weasyprint import URLFetcher

    class LockedFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url == font_uri or url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"文书模板只能引用内嵌字体和 data: 图片，拒绝读取 {url[:80]}")

    return LockedFetcher(allowed_protocols=("file", "data"))


def photo_data_uri(field: Any) -> str:
    """The application's JPEG photo inlined as a ``data:`` URL ("" when there is none)."""
    if not field:
        return ""
    try:
        with field.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        return ""
    return "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii")


def render_pdf(template: str, context: dict[str, Any]) -> bytes:
    """Render ``template`` (extending ``documents/pdf/base.html``) to PDF bytes."""
    from weasyprint import HTML

    font_uri = cjk_font().as_uri()
    html = render_to_string(
        template, {**context, "font_uri": font_uri, "font_family": FONT_FAMILY, "watermark": WATERMARK}
    )
    return HTML(string=html, url_fetcher=_fetcher(font_uri)).write_pdf()
