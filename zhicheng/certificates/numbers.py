"""Certificate numbers: ``CCCC YYYY L NNNNN K`` written as 15 characters without spaces.

- ``CCCC``  the first four digits of the committee's region code (the city: 3303 = 温州);
- ``YYYY``  the year of issue;
- ``L``     the title level's rank (1 技术员 … 3 工程师 … 5 正高级工程师);
- ``NNNNN`` a serial, counted per city, year and level (``CertificateSequence``);
- ``K``     the ISO 7064 MOD 11-2 check character (0–9 or X) of the 14 digits before it — the
  same scheme as the resident ID number's last character (GB 11643), so it catches every
  single mistyped digit and every swap of two neighbouring digits.

A number whose check character does not hold is refused before the database is asked, so a
tampered or mistyped number never finds another person's certificate.
"""

from __future__ import annotations

import re
import unicodedata

BODY_LENGTH = 14
NUMBER_LENGTH = BODY_LENGTH + 1
SERIAL_DIGITS = 5
_CHECK_CHARS = "0123456789X"
_NUMBER_RE = re.compile(r"\d{14}[\dX]")
_SEPARATORS_RE = re.compile(r"[\s\-_·.]+")


def check_char(body: str) -> str:
    """ISO 7064 MOD 11-2 check character of a string of ASCII digits."""
    if not body or not body.isascii() or not body.isdigit():
        raise ValueError(f"expected ASCII digits, got {body!r}")
    total = 0
    for digit in body:
        total = (total + int(digit)) * 2 % 11
    return _CHECK_CHARS[(12 - total) % 11]


def prefix(city_code: str, year: int, level_rank: int) -> str:
    """The first nine characters, shared by the serials of one city, year and level."""
    city = (city_code or "")[:4]
    if len(city) != 4 or not city.isdigit():
        raise ValueError(f"expected a region code starting with four digits, got {city_code!r}")
    if not 1000 <= year <= 9999 or not 0 <= level_rank <= 9:
        raise ValueError("year must have four digits and the level rank one")
    return f"{city}{year:04d}{level_rank:d}"


def compose(number_prefix: str, serial: int) -> str:
    if not 1 <= serial < 10**SERIAL_DIGITS:
        raise ValueError(f"serial out of range: {serial}")
    body = f"{number_prefix}{serial:0{SERIAL_DIGITS}d}"
    return body + check_char(body)


def normalise(raw: str | None) -> str:
    """Fold full-width characters, drop spaces and separators, upper-case (a typed ``x`` is ``X``)."""
    return _SEPARATORS_RE.sub("", unicodedata.normalize("NFKC", raw or "")).upper()


def is_well_formed(number: str) -> bool:
    """15 characters whose last one is the check character of the 14 digits before it."""
    return bool(_NUMBER_RE.fullmatch(number)) and check_char(number[:BODY_LENGTH]) == number[BODY_LENGTH]
