"""Unified Social Credit Code (统一社会信用代码, GB 32100-2015).

Layout of the 18 characters:

====  =========================================================
1     registration authority (e.g. 9 = market regulation)
2     organisation type (e.g. 1 = company)
3-8   area code of the registering authority (GB/T 2260, digits)
9-17  organisation code (GB 11714, with its own check at 17)
18    check character over characters 1-17
====  =========================================================

The alphabet has 31 characters: digits and capital letters without I, O, S, V
and Z. Character values are their index in the alphabet; the weights are
3**i mod 31, and the check value is ``(31 - sum mod 31) mod 31``. Only that
overall check is validated here, not the inner GB 11714 one.

Input is forgiving: full-width characters are folded (NFKC), white space is
dropped and letters are upper-cased. Messages are in Simplified Chinese.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Final

ALPHABET: Final = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES: Final = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS: Final = tuple(pow(3, i, 31) for i in range(17))
_WHITESPACE_RE: Final = re.compile(r"\s+")

MSG_REQUIRED: Final = "请填写统一社会信用代码"
MSG_LENGTH: Final = "统一社会信用代码应为18位"
MSG_CHARACTERS: Final = "统一社会信用代码含有无效字符（只能包含数字和大写字母，不使用I、O、S、V、Z）"
MSG_AREA: Final = "统一社会信用代码第3至8位应为数字（登记管理机关行政区划码）"
MSG_CHECK: Final = "统一社会信用代码校验位不正确"


class InvalidUscc(ValueError):
    """A code that cannot be accepted; ``str()`` is a Chinese message.

    ``code`` is a short reason: ``"required"``, ``"length"``, ``"characters"``,
    ``"area"`` or ``"check_digit"``.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


def normalise_uscc(raw: str) -> str:
    """Fold full-width characters, drop all white space and upper-case."""
    return _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", raw)).upper()


def uscc_check_char(prefix17: str) -> str:
    """The check character for the first 17 characters (already normalised)."""
    if len(prefix17) != 17 or any(char not in _VALUES for char in prefix17):
        raise ValueError(f"expected 17 characters from {ALPHABET!r}, got {prefix17!r}")
    total = sum(_VALUES[char] * weight for char, weight in zip(prefix17, _WEIGHTS, strict=True))
    return ALPHABET[-total % 31]


def parse_uscc(raw: str | None) -> str:
    """Return the normalised code, or raise :class:`InvalidUscc`."""
    code = normalise_uscc(raw or "")
    if not code:
        raise InvalidUscc(MSG_REQUIRED, "required")
    if len(code) != 18:
        raise InvalidUscc(MSG_LENGTH, "length")
    if any(char not in _VALUES for char in code):
        raise InvalidUscc(MSG_CHARACTERS, "characters")
    if not code[2:8].isdigit():
        raise InvalidUscc(MSG_AREA, "area")
    if uscc_check_char(code[:17]) != code[17]:
        raise InvalidUscc(MSG_CHECK, "check_digit")
    return code


def is_valid_uscc(raw: str | None) -> bool:
    try:
        parse_uscc(raw)
    except InvalidUscc:
        return False
    return True


def make_uscc(prefix17: str) -> str:
    """Append the check character to 17 characters (for tests and demo data).

    The prefix is normalised first, so lower case is fine.
    """
    prefix17 = normalise_uscc(prefix17)
    return prefix17 + uscc_check_char(prefix17)
