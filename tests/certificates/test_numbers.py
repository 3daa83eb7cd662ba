"""Certificate numbers: the layout, the check character, and what it catches."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.certificates import numbers
from zhicheng.lib.idnumbers import gb11643_check_char

NUMBER = numbers.compose(numbers.prefix("330300", 2024, 3), 1)


def test_layout_city_year_level_serial_check():
    assert NUMBER[:14] == "33032024300001" and len(NUMBER) == 15
    assert numbers.is_well_formed(NUMBER)


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_the_check_character_is_the_id_numbers_scheme(body):
    assert numbers.check_char(body) == gb11643_check_char(body)


def test_every_single_digit_change_is_caught():
    for i in range(15):
        for replacement in "0123456789X":
            if replacement == NUMBER[i] or (replacement == "X" and i < 14):
                continue
            tampered = NUMBER[:i] + replacement + NUMBER[i + 1 :]
            assert not numbers.is_well_formed(tampered), tampered


def test_every_swap_of_neighbours_is_caught():
    for serial in range(1, 400):
        number = numbers.compose("330320243", serial)
        for i in range(14):
            swapped = number[:i] + number[i + 1] + number[i] + number[i + 2 :]
            if swapped != number:
                assert not numbers.is_well_formed(swapped), (number, swapped)


@pytest.mark.parametrize(
    "typed",
    [NUMBER, f" {NUMBER[:4]} {NUMBER[4:8]} {NUMBER[8:]} ", "-".join([NUMBER[:4], NUMBER[4:]]), NUMBER.lower()],
)
def test_typing_is_forgiving(typed):
    assert numbers.is_well_formed(numbers.normalise(typed))


def test_full_width_digits_are_folded():
    full_width = "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in NUMBER)
    assert numbers.normalise(full_width) == NUMBER


@pytest.mark.parametrize("bad", ["", "3303", NUMBER + "1", "X" + NUMBER[1:], "33032024300001A"])
def test_malformed_numbers(bad):
    assert not numbers.is_well_formed(numbers.normalise(bad))


def test_prefix_needs_a_region_code_and_a_four_digit_year():
    with pytest.raises(ValueError):
        numbers.prefix("33", 2024, 3)
    with pytest.raises(ValueError):
        numbers.compose("330320243", 100000)
