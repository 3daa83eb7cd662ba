"""Identity document numbers accepted by the platform.

Four kinds of number are recognised:

* 居民身份证 (GB 11643-1999): 6-digit area code, 8-digit birth date, 3-digit
  sequence (odd last digit = male), ISO 7064 MOD 11-2 check character.
* 港澳居民居住证: same layout, area code 810000 (Hong Kong) or 820000 (Macao).
* 台湾居民居住证: same layout, area code 830000.
* 外国人永久居留身份证, in two generations:

  - 2017 card, 15 characters: 3-letter nationality code + 12 digits; the birth
    date is YYMMDD at positions 8-13. Only the shape and the date are checked.
  - 2023 card, 18 characters: '9' + 2-digit province code + 3-digit numeric
    nationality code + 8-digit birth date + 3-digit sequence + MOD 11-2 check
    character (the same rule as the resident ID).

Input is forgiving: full-width characters are folded to ASCII (NFKC), white
space anywhere is dropped and a lower-case 'x' becomes 'X'. Error messages are
in Simplified Chinese because they are shown to applicants as they are.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

IdType = Literal["resident", "hk_macao_residence", "taiwan_residence", "foreign_permanent"]
Gender = Literal["male", "female"]

RESIDENT: Final = "resident"
HK_MACAO_RESIDENCE: Final = "hk_macao_residence"
TAIWAN_RESIDENCE: Final = "taiwan_residence"
FOREIGN_PERMANENT: Final = "foreign_permanent"

ID_TYPE_LABELS: Final[dict[str, str]] = {
    RESIDENT: "居民身份证",
    HK_MACAO_RESIDENCE: "港澳居民居住证",
    TAIWAN_RESIDENCE: "台湾居民居住证",
    FOREIGN_PERMANENT: "外国人永久居留身份证",
}
GENDER_LABELS: Final[dict[str, str]] = {"male": "男", "female": "女"}

# Messages shown to users, kept together so forms and tests can refer to them.
MSG_REQUIRED: Final = "请填写身份证号码"
MSG_LENGTH: Final = "身份证号码应为18位"
MSG_FIFTEEN_DIGITS: Final = "身份证号码应为18位，15位的旧号码已停止使用"
MSG_CHARACTERS: Final = "身份证号码含有无效字符：前17位应为数字，最后一位应为数字或X"
MSG_FOREIGN_OLD_FORMAT: Final = "外国人永久居留身份证号码格式不正确：15位号码应为3位字母加12位数字"
MSG_AREA: Final = "身份证号码中的地区代码无效"
MSG_BIRTH_DATE: Final = "身份证号码中的出生日期无效"
MSG_BIRTH_DATE_FUTURE: Final = "身份证号码中的出生日期无效：不能晚于今天"
MSG_BIRTH_DATE_TOO_EARLY: Final = "身份证号码中的出生日期无效：不能早于1900年"
MSG_CHECK_DIGIT: Final = "身份证号码校验位不正确"

# GB 11643-1999 / ISO 7064 MOD 11-2.
_WEIGHTS: Final = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS: Final = "10X98765432"

# Province-level codes a mainland resident ID may start with (GB/T 2260).
# 81/82/83 are only valid as the exact residence-permit codes below.
_RESIDENT_PROVINCES: Final = frozenset(
    [*map(str, range(11, 16)), "21", "22", "23", *map(str, range(31, 38)), *map(str, range(41, 47))]
    + [*map(str, range(50, 55)), *map(str, range(61, 66)), "71"]
)
# The 2023 foreign permanent residence card records where it was issued:
# mainland provinces only.
_MAINLAND_PROVINCES: Final = _RESIDENT_PROVINCES - {"71"}
_PERMIT_AREAS: Final[dict[str, IdType]] = {
    "810000": HK_MACAO_RESIDENCE,
    "820000": HK_MACAO_RESIDENCE,
    "830000": TAIWAN_RESIDENCE,
}

_EARLIEST_BIRTH: Final = date(1900, 1, 1)
_EIGHTEEN_RE: Final = re.compile(r"[0-9]{17}[0-9X]")
_FOREIGN_OLD_RE: Final = re.compile(r"[A-Z]{3}[0-9]{12}")
_WHITESPACE_RE: Final = re.compile(r"\s+")


class InvalidIdNumber(ValueError):
    """An identity number that cannot be accepted; ``str()`` is a Chinese message.

    ``code`` is a short machine-readable reason (``"required"``, ``"length"``,
    ``"characters"``, ``"area"``, ``"birth_date"``, ``"check_digit"``), handy as
    a Django ``ValidationError`` code.
    """

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class IdNumber:
    """A validated identity number and the facts it carries."""

    number: str
    id_type: IdType
    birth_date: date
    gender: Gender | None

    @property
    def id_type_label(self) -> str:
        return ID_TYPE_LABELS[self.id_type]

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def normalise_id_number(raw: str) -> str:
    """Fold full-width characters, drop all white space and upper-case."""
    return _WHITESPACE_RE.sub("", unicodedata.normalize("NFKC", raw)).upper()


def gb11643_check_char(body: str) -> str:
    """The MOD 11-2 check character for a 17-digit body."""
    if len(body) != 17 or not body.isascii() or not body.isdigit():
        raise ValueError(f"expected 17 ASCII digits, got {body!r}")
    total = sum(int(digit) * weight for digit, weight in zip(body, _WEIGHTS, strict=True))
    return _CHECK_CHARS[total % 11]


def parse_id_number(raw: str | None, *, today: date | None = None) -> IdNumber:
    """Validate ``raw`` and return what it tells us, or raise :class:`InvalidIdNumber`.

    ``today`` (default: ``date.today()``) bounds the birth date from above.
    """
    number = normalise_id_number(raw or "")
    today = today or date.today()
    if not number:
        raise InvalidIdNumber(MSG_REQUIRED, "required")
    if len(number) == 15:
        return _parse_fifteen(number, today)
    if len(number) != 18:
        raise InvalidIdNumber(MSG_LENGTH, "length")
    if not _EIGHTEEN_RE.fullmatch(number):
        raise InvalidIdNumber(MSG_CHARACTERS, "characters")
    if number[0] == "9":
        return _parse_foreign_new(number, today)
    return _parse_resident_layout(number, today)


def is_valid_id_number(raw: str | None, *, today: date | None = None) -> bool:
    try:
        parse_id_number(raw, today=today)
    except InvalidIdNumber:
        return False
    return True


def mask_id_number(number: str) -> str:
    """Hide the middle of a number for display: ``330302********123X``.

    18 characters keep the first 6 and last 4, 15 characters the first 3 and
    last 4. Anything else (it should not happen) keeps only the last 4, and
    very short strings are masked entirely, so nothing leaks by accident.
    """
    number = normalise_id_number(number)
    head = {18: 6, 15: 3}.get(len(number), 0)
    tail = 4 if len(number) > 4 else 0
    return number[:head] + "*" * (len(number) - head - tail) + number[len(number) - tail :]


def make_resident_id(area: str = "330302", birth: date = date(1990, 1, 1), seq: str = "123") -> str:
    """Build a well-formed 18-character number (resident ID or HK/Macao/Taiwan permit).

    For tests and demo data. ``seq``'s last digit sets the gender (odd = male).
    """
    _require_digits(area, 6, "area")
    _require_digits(seq, 3, "seq")
    body = f"{area}{birth:%Y%m%d}{seq}"
    return body + gb11643_check_char(body)


def make_foreign_permanent_id(
    province: str = "33",
    nationality: str = "840",
    birth: date = date(1985, 6, 15),
    seq: str = "001",
) -> str:
    """Build a well-formed 2023-style foreign permanent residence number (for tests and demo data)."""
    _require_digits(province, 2, "province")
    _require_digits(nationality, 3, "nationality")
    _require_digits(seq, 3, "seq")
    body = f"9{province}{nationality}{birth:%Y%m%d}{seq}"
    return body + gb11643_check_char(body)


def _require_digits(value: str, length: int, name: str) -> None:
    if len(value) != length or not value.isascii() or not value.isdigit():
        raise ValueError(f"{name} must be {length} ASCII digits, got {value!r}")


def _parse_fifteen(number: str, today: date) -> IdNumber:
    if number.isdigit():
        raise InvalidIdNumber(MSG_FIFTEEN_DIGITS, "length")
    if not number[:3].isalpha():
        raise InvalidIdNumber(MSG_LENGTH, "length")
    if not _FOREIGN_OLD_RE.fullmatch(number):
        raise InvalidIdNumber(MSG_FOREIGN_OLD_FORMAT, "characters")
    birth = _two_digit_year_birth_date(number[7:13], today)
    return IdNumber(number=number, id_type=FOREIGN_PERMANENT, birth_date=birth, gender=None)


def _parse_foreign_new(number: str, today: date) -> IdNumber:
    if number[1:3] not in _MAINLAND_PROVINCES:
        raise InvalidIdNumber(MSG_AREA, "area")
    return _finish_eighteen(number, FOREIGN_PERMANENT, today)


def _parse_resident_layout(number: str, today: date) -> IdNumber:
    return _finish_eighteen(number, _resident_layout_type(number[:6]), today)


def _resident_layout_type(area: str) -> IdType:
    """Which document an 18-character number with this area code is."""
    if area in _PERMIT_AREAS:
        return _PERMIT_AREAS[area]
    if area[:2] in _RESIDENT_PROVINCES:
        return RESIDENT
    raise InvalidIdNumber(MSG_AREA, "area")


def _finish_eighteen(number: str, id_type: IdType, today: date) -> IdNumber:
    """Checks shared by every 18-character number: birth date, then check character."""
    birth = _eight_digit_birth_date(number[6:14], today)
    if gb11643_check_char(number[:17]) != number[17]:
        raise InvalidIdNumber(MSG_CHECK_DIGIT, "check_digit")
    gender: Gender = "male" if int(number[16]) % 2 else "female"
    return IdNumber(number=number, id_type=id_type, birth_date=birth, gender=gender)


def _eight_digit_birth_date(digits: str, today: date) -> date:
    birth = _real_date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    if birth is None:
        raise InvalidIdNumber(MSG_BIRTH_DATE, "birth_date")
    if birth < _EARLIEST_BIRTH:
        raise InvalidIdNumber(MSG_BIRTH_DATE_TOO_EARLY, "birth_date")
    if birth > today:
        raise InvalidIdNumber(MSG_BIRTH_DATE_FUTURE, "birth_date")
    return birth


def _two_digit_year_birth_date(digits: str, today: date) -> date:
    """Resolve YYMMDD to the latest real date in 1900-2099 that is not after ``today``."""
    yy, month, day = int(digits[:2]), int(digits[2:4]), int(digits[4:6])
    for century in (2000, 1900):
        birth = _real_date(century + yy, month, day)
        if birth is not None and birth <= today:
            return birth
    if _real_date(1900 + yy, month, day) is None and _real_date(2000 + yy, month, day) is None:
        raise InvalidIdNumber(MSG_BIRTH_DATE, "birth_date")
    raise InvalidIdNumber(MSG_BIRTH_DATE_FUTURE, "birth_date")


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
