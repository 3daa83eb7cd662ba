"""Finding a CJK font file to embed in generated PDFs.

PDFs that name a CJK font without embedding it show boxes on machines that lack the font,
so every official form embeds one. Debian's ``fonts-wqy-microhei`` (1.6 MB, installed by
``./dev``) is the default; Noto CJK and WenQuanYi Zen Hei are accepted too. An explicit
path (the ``ZHICHENG_CJK_FONT`` setting) wins; otherwise the known Debian paths are tried,
then fontconfig is asked for any font that covers Chinese.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

KNOWN_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
)
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")


class CjkFontMissing(LookupError):
    """No CJK font could be found: the PDF would show boxes instead of Chinese."""


def find_cjk_font(override: str | Path | None = None) -> Path:
    """The font file to embed: ``override`` if given (it must exist), else the first found."""
    if override:
        path = Path(override)
        if not path.is_file():
            raise CjkFontMissing(f"ZHICHENG_CJK_FONT 指定的字体文件不存在：{path}")
        return path
    for candidate in KNOWN_PATHS:
        path = Path(candidate)
        if path.is_file():
            return path
    found = _ask_fontconfig()
    if found is not None:
        return found
    raise CjkFontMissing(
        "未找到中文字体，无法生成 PDF：请安装 fonts-wqy-microhei（apt-get install fonts-wqy-microhei），"
        "或用 ZHICHENG_CJK_FONT 指定字体文件路径。"
    )


def _ask_fontconfig() -> Path | None:
    """The first font file fontconfig lists for Chinese, if fontconfig is installed."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listed = subprocess.run(  # noqa: S603 - a fixed program and arguments, no shell
            [fc_list, ":lang=zh", "file"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    files = sorted(line.strip().rstrip(":") for line in listed.splitlines() if line.strip())
    for name in files:
        path = Path(name)
        if path.suffix.lower() in FONT_SUFFIXES and path.is_file():
            return path
    return None
