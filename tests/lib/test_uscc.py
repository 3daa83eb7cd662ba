"""Unified Social Credit Code (GB 32100-2015)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.lib.uscc import ALPHABET, InvalidUscc, is_valid_uscc, make_uscc, parse_uscc, uscc_check_char

# Codes published by the companies themselves (licence pages, annual reports).
PUBLISHED = [
    "91330100716105852F",  # 阿里巴巴（中国）有限公司
    "914403001922038216",  # 华为技术有限公司
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司
    "91110000802100433B",  # 北京百度网讯科技有限公司
    "91110108551385082Q",  # 小米科技有限责任公司
]


def error_of(raw: str | None) -> InvalidUscc:
    with pytest.raises(InvalidUscc) as caught:
        parse_uscc(raw)
    return caught.value


def with_char(code: str, index: int, char: str) -> str:
    return code[:index] + char + code[index + 1 :]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_are_valid(code: str) -> None:
    assert parse_uscc(code) == code
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize("code", PUBLISHED)
def test_published_codes_with_a_wrong_check_character_are_rejected(code: str) -> None:
    wrong = "0" if code[17] != "0" else "1"
    error = error_of(code[:17] + wrong)
    assert (str(error), error.code) == ("统一社会信用代码校验位不正确", "check_digit")


def test_check_value_31_maps_to_zero() -> None:
    # Find a prefix whose weighted sum is a multiple of 31: its check character is "0".
    prefix = next(p for p in (f"91330000{n:09d}" for n in range(100)) if uscc_check_char(p) == "0")
    assert make_uscc(prefix) == prefix + "0"
    assert is_valid_uscc(prefix + "0")


def test_lower_case_spaces_and_full_width_are_normalised() -> None:
    assert parse_uscc(" 9144030071526726xg ") == "9144030071526726XG"
    assert parse_uscc("９１３３０１００ ７１６１０５８５２Ｆ") == "91330100716105852F"


@pytest.mark.parametrize("raw", [None, "", "  ", "\u3000"])
def test_required(raw: str | None) -> None:
    error = error_of(raw)
    assert (str(error), error.code) == ("请填写统一社会信用代码", "required")


@pytest.mark.parametrize("raw", ["9133010071610585", "91330100716105852", "91330100716105852F0"])
def test_length(raw: str) -> None:
    error = error_of(raw)
    assert (str(error), error.code) == ("统一社会信用代码应为18位", "length")


@pytest.mark.parametrize("bad", ["I", "O", "S", "V", "Z", "-", "*", "中"])
def test_characters_outside_the_alphabet(bad: str) -> None:
    error = error_of(with_char(PUBLISHED[0], 12, bad))
    assert error.code == "characters"
    assert str(error).startswith("统一社会信用代码含有无效字符")


def test_area_code_must_be_digits() -> None:
    code = make_uscc("91AB0100716105852")
    error = error_of(code)
    assert (str(error), error.code) == ("统一社会信用代码第3至8位应为数字（登记管理机关行政区划码）", "area")


def test_exception_is_a_value_error() -> None:
    error = error_of("x")
    assert isinstance(error, ValueError)
    assert error.message == str(error) == error.args[0]


def test_is_valid() -> None:
    assert is_valid_uscc(PUBLISHED[1])
    assert not is_valid_uscc(None)
    # Sometimes quoted as an example, but its check character does not match ("A" would).
    assert not is_valid_uscc("91110000100000589B")


def test_make_uscc_normalises_the_prefix() -> None:
    assert make_uscc("9144030071526726x") == "9144030071526726XG"


@pytest.mark.parametrize("prefix", ["", "9133010071610585", "913301007161058520", "9133010071610585O"])
def test_make_uscc_rejects_bad_prefixes(prefix: str) -> None:
    with pytest.raises(ValueError, match="expected 17 characters"):
        make_uscc(prefix)


# --- properties -------------------------------------------------------------

prefixes = st.builds(
    lambda head, area, org: head + area + org,
    st.text(ALPHABET, min_size=2, max_size=2),
    st.from_regex(r"\A[0-9]{6}\Z"),
    st.text(ALPHABET, min_size=9, max_size=9),
)


@given(prefixes)
def test_made_codes_are_valid(prefix: str) -> None:
    code = make_uscc(prefix)
    assert parse_uscc(code.lower()) == code
    assert len(code) == 18


@given(prefixes, st.integers(min_value=0, max_value=17), st.sampled_from(ALPHABET))
def test_every_single_substitution_is_caught(prefix: str, index: int, char: str) -> None:
    """31 is prime and no weight is 0 mod 31, so any one changed character breaks the check."""
    code = make_uscc(prefix)
    changed = with_char(code, index, char)
    if changed != code:
        assert not is_valid_uscc(changed)


@given(prefixes, st.integers(min_value=0, max_value=16))
def test_every_adjacent_transposition_is_caught(prefix: str, index: int) -> None:
    code = make_uscc(prefix)
    swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
    if swapped != code:
        assert not is_valid_uscc(swapped)


@given(st.text())
def test_arbitrary_text_never_crashes(raw: str) -> None:
    try:
        code = parse_uscc(raw)
    except InvalidUscc as error:
        assert str(error)
    else:
        assert len(code) == 18
