"""Identity numbers: resident IDs, HK/Macao/Taiwan permits and foreign permanent residence cards."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.lib import idnumbers
from zhicheng.lib.idnumbers import (
    FOREIGN_PERMANENT,
    HK_MACAO_RESIDENCE,
    RESIDENT,
    TAIWAN_RESIDENCE,
    IdNumber,
    InvalidIdNumber,
    gb11643_check_char,
    is_valid_id_number,
    make_foreign_permanent_id,
    make_resident_id,
    mask_id_number,
    parse_id_number,
)

TODAY = date(2025, 6, 30)

# The two worked examples printed in GB 11643-1999 itself.
STANDARD_FEMALE = "11010519491231002X"  # 北京市朝阳区, 1949-12-31, female
STANDARD_1880 = "440524188001010014"  # 广东省汕头市潮阳县, 1880-01-01, male


def error_of(raw: str | None, *, today: date = TODAY) -> InvalidIdNumber:
    with pytest.raises(InvalidIdNumber) as caught:
        parse_id_number(raw, today=today)
    return caught.value


def with_char(number: str, index: int, char: str) -> str:
    return number[:index] + char + number[index + 1 :]


class TestCheckCharacter:
    def test_standard_examples(self) -> None:
        assert gb11643_check_char(STANDARD_FEMALE[:17]) == "X"
        assert gb11643_check_char(STANDARD_1880[:17]) == "4"

    @pytest.mark.parametrize("body", ["", "1234567890123456", "123456789012345678", "1234567890123456X", "١" * 17])
    def test_rejects_a_malformed_body(self, body: str) -> None:
        with pytest.raises(ValueError, match="17 ASCII digits"):
            gb11643_check_char(body)


class TestResidentId:
    def test_standard_example_parses(self) -> None:
        assert parse_id_number(STANDARD_FEMALE, today=TODAY) == IdNumber(
            number=STANDARD_FEMALE, id_type=RESIDENT, birth_date=date(1949, 12, 31), gender="female"
        )

    def test_lower_case_x_is_normalised(self) -> None:
        assert parse_id_number(STANDARD_FEMALE.lower(), today=TODAY).number == STANDARD_FEMALE

    def test_spaces_and_full_width_characters_are_tolerated(self) -> None:
        full_width = "１１０１０５ １９４９１２３１ ００２ｘ"
        assert parse_id_number(f"  {full_width}\t", today=TODAY).number == STANDARD_FEMALE

    def test_make_resident_id_defaults(self) -> None:
        number = make_resident_id()
        assert number == "330302199001011235"
        parsed = parse_id_number(number, today=TODAY)
        assert (parsed.id_type, parsed.birth_date, parsed.gender) == (RESIDENT, date(1990, 1, 1), "male")

    @pytest.mark.parametrize(
        ("seq", "gender"), [("001", "male"), ("002", "female"), ("129", "male"), ("990", "female")]
    )
    def test_gender_comes_from_the_17th_digit(self, seq: str, gender: str) -> None:
        assert parse_id_number(make_resident_id(seq=seq), today=TODAY).gender == gender

    @pytest.mark.parametrize("area", ["110105", "330302", "150000", "460100", "500101", "540102", "650102", "710000"])
    def test_accepted_areas(self, area: str) -> None:
        assert parse_id_number(make_resident_id(area=area), today=TODAY).id_type == RESIDENT

    @pytest.mark.parametrize("area", ["000000", "100000", "160000", "240000", "380000", "470000", "550000", "700000"])
    def test_unknown_province_is_rejected(self, area: str) -> None:
        error = error_of(make_resident_id(area=area))
        assert (str(error), error.code) == ("身份证号码中的地区代码无效", "area")

    def test_wrong_check_character(self) -> None:
        error = error_of(with_char(STANDARD_FEMALE, 17, "1"))
        assert (str(error), error.code) == ("身份证号码校验位不正确", "check_digit")

    def test_leap_day_is_a_real_date(self) -> None:
        assert parse_id_number(make_resident_id(birth=date(2000, 2, 29)), today=TODAY).birth_date == date(2000, 2, 29)

    @pytest.mark.parametrize("birth", ["19900230", "19000229", "19901301", "19900001", "19900100", "00000000"])
    def test_impossible_birth_date(self, birth: str) -> None:
        body = f"330302{birth}123"
        error = error_of(body + gb11643_check_char(body))
        assert (str(error), error.code) == ("身份证号码中的出生日期无效", "birth_date")

    def test_birth_before_1900_is_rejected_even_with_a_correct_check_character(self) -> None:
        error = error_of(STANDARD_1880)
        assert str(error) == "身份证号码中的出生日期无效：不能早于1900年"
        assert error.code == "birth_date"

    def test_first_of_1900_is_accepted(self) -> None:
        assert parse_id_number(make_resident_id(birth=date(1900, 1, 1)), today=TODAY).birth_date == date(1900, 1, 1)

    def test_birth_today_is_accepted_but_tomorrow_is_not(self) -> None:
        assert is_valid_id_number(make_resident_id(birth=TODAY), today=TODAY)
        error = error_of(make_resident_id(birth=TODAY + timedelta(days=1)))
        assert str(error) == "身份证号码中的出生日期无效：不能晚于今天"

    def test_today_defaults_to_the_real_today(self) -> None:
        assert is_valid_id_number(make_resident_id(birth=date.today()))
        assert not is_valid_id_number(make_resident_id(birth=date.today() + timedelta(days=1)))


class TestResidencePermits:
    @pytest.mark.parametrize(
        ("area", "id_type"),
        [("810000", HK_MACAO_RESIDENCE), ("820000", HK_MACAO_RESIDENCE), ("830000", TAIWAN_RESIDENCE)],
    )
    def test_permit_area_codes(self, area: str, id_type: str) -> None:
        parsed = parse_id_number(make_resident_id(area=area, birth=date(1988, 8, 8), seq="456"), today=TODAY)
        assert (parsed.id_type, parsed.birth_date, parsed.gender) == (id_type, date(1988, 8, 8), "female")

    def test_permit_check_character_is_verified(self) -> None:
        number = make_resident_id(area="810000")
        assert error_of(with_char(number, 17, "X" if number[17] != "X" else "0")).code == "check_digit"

    @pytest.mark.parametrize("area", ["810100", "820001", "831000", "840000", "890000"])
    def test_other_codes_in_the_8x_range_are_rejected(self, area: str) -> None:
        assert error_of(make_resident_id(area=area)).code == "area"

    def test_labels(self) -> None:
        assert parse_id_number(make_resident_id(area="830000"), today=TODAY).id_type_label == "台湾居民居住证"


class TestForeignPermanentNew:
    def test_parses(self) -> None:
        number = make_foreign_permanent_id(province="33", nationality="840", birth=date(1985, 6, 15), seq="002")
        assert number.startswith("933840198506150")
        assert parse_id_number(number, today=TODAY) == IdNumber(
            number=number, id_type=FOREIGN_PERMANENT, birth_date=date(1985, 6, 15), gender="female"
        )

    def test_label(self) -> None:
        assert parse_id_number(make_foreign_permanent_id(), today=TODAY).id_type_label == "外国人永久居留身份证"

    def test_check_character(self) -> None:
        number = make_foreign_permanent_id()
        assert error_of(with_char(number, 17, "X" if number[17] != "X" else "0")).code == "check_digit"

    @pytest.mark.parametrize("province", ["00", "10", "71", "81", "83", "91", "99"])
    def test_issuing_province_must_be_on_the_mainland(self, province: str) -> None:
        assert error_of(make_foreign_permanent_id(province=province)).code == "area"

    def test_birth_date(self) -> None:
        body = "933840" + "19850230" + "001"
        assert str(error_of(body + gb11643_check_char(body))) == "身份证号码中的出生日期无效"
        future = make_foreign_permanent_id(birth=TODAY + timedelta(days=1))
        assert str(error_of(future)) == "身份证号码中的出生日期无效：不能晚于今天"


class TestForeignPermanentOld:
    def test_parses(self) -> None:
        assert parse_id_number("USA330085061501", today=TODAY) == IdNumber(
            number="USA330085061501", id_type=FOREIGN_PERMANENT, birth_date=date(1985, 6, 15), gender=None
        )

    def test_lower_case_is_normalised(self) -> None:
        assert parse_id_number(" usa3300 850615 01 ", today=TODAY).number == "USA330085061501"

    def test_two_digit_year_picks_the_latest_century_not_in_the_future(self) -> None:
        assert parse_id_number("CAN110020011501", today=TODAY).birth_date == date(2020, 1, 15)
        assert parse_id_number("CAN110020011501", today=date(2019, 1, 1)).birth_date == date(1920, 1, 15)
        assert parse_id_number("CAN110099123101", today=TODAY).birth_date == date(1999, 12, 31)
        assert parse_id_number("CAN110000022901", today=TODAY).birth_date == date(2000, 2, 29)

    @pytest.mark.parametrize("number", ["USA330085023001", "USA330085130101", "USA330085000101", "USA330085063201"])
    def test_impossible_birth_date(self, number: str) -> None:
        error = error_of(number)
        assert (str(error), error.code) == ("身份证号码中的出生日期无效", "birth_date")

    def test_future_birth_date_when_both_centuries_are_ahead(self) -> None:
        assert str(error_of("USA330085061501", today=date(1985, 6, 14))) == "身份证号码中的出生日期无效：不能晚于今天"

    @pytest.mark.parametrize("number", ["USA33008506150X", "USA3300850615AB", "US1330085061501", "USA-30085061501"])
    def test_malformed(self, number: str) -> None:
        assert error_of(number).code in {"characters", "length"}

    def test_letters_then_bad_digits_explains_the_old_format(self) -> None:
        assert str(error_of("USA33008506150X")) == "外国人永久居留身份证号码格式不正确：15位号码应为3位字母加12位数字"


class TestShapeErrors:
    @pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
    def test_required(self, raw: str | None) -> None:
        error = error_of(raw)
        assert (str(error), error.code) == ("请填写身份证号码", "required")

    @pytest.mark.parametrize("raw", ["1", "33030219900101123", "3303021990010112355", "33030219900101X"])
    def test_length(self, raw: str) -> None:
        error = error_of(raw)
        assert (str(error), error.code) == ("身份证号码应为18位", "length")

    def test_old_fifteen_digit_resident_ids_are_explained(self) -> None:
        assert str(error_of("330302900101123")) == "身份证号码应为18位，15位的旧号码已停止使用"

    @pytest.mark.parametrize(
        "raw", ["33030219900101123A", "3303021990010112X5", "X30302199001011235", "330302-990010-1235"]
    )
    def test_characters(self, raw: str) -> None:
        error = error_of(raw)
        assert (str(error), error.code) == ("身份证号码含有无效字符：前17位应为数字，最后一位应为数字或X", "characters")

    def test_exception_is_a_value_error(self) -> None:
        error = error_of("1")
        assert isinstance(error, ValueError)
        assert error.message == str(error) == error.args[0]

    def test_is_valid(self) -> None:
        assert is_valid_id_number(STANDARD_FEMALE)
        assert not is_valid_id_number(STANDARD_1880)
        assert not is_valid_id_number(None)
        assert not is_valid_id_number("hello")


class TestMask:
    @pytest.mark.parametrize(
        ("number", "masked"),
        [
            ("33030219900101123X", "330302********123X"),
            ("33030219900101123x", "330302********123X"),
            ("USA330085061501", "USA********1501"),
            ("12345678", "****5678"),
            ("1234", "****"),
            ("", ""),
        ],
    )
    def test_mask(self, number: str, masked: str) -> None:
        assert mask_id_number(number) == masked

    def test_masked_property(self) -> None:
        assert parse_id_number(STANDARD_FEMALE, today=TODAY).masked == "110105********002X"


class TestMakers:
    @pytest.mark.parametrize(
        ("area", "seq"), [("33030", "123"), ("3303021", "123"), ("33030a", "123"), ("330302", "12")]
    )
    def test_make_resident_id_rejects_bad_parts(self, area: str, seq: str) -> None:
        with pytest.raises(ValueError, match="must be"):
            make_resident_id(area=area, seq=seq)

    @pytest.mark.parametrize(
        "kwargs", [{"province": "3"}, {"nationality": "84"}, {"seq": "0001"}, {"nationality": "USA"}]
    )
    def test_make_foreign_permanent_id_rejects_bad_parts(self, kwargs: dict[str, str]) -> None:
        with pytest.raises(ValueError, match="must be"):
            make_foreign_permanent_id(**kwargs)


# --- properties -------------------------------------------------------------

resident_areas = st.sampled_from(sorted(idnumbers._RESIDENT_PROVINCES)).flatmap(
    lambda province: st.from_regex(rf"\A{province}[0-9]{{4}}\Z")
)
births = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
sequences = st.from_regex(r"\A[0-9]{3}\Z")
valid_numbers = st.one_of(
    st.builds(make_resident_id, resident_areas, births, sequences),
    st.builds(make_resident_id, st.sampled_from(["810000", "820000", "830000"]), births, sequences),
    st.builds(
        make_foreign_permanent_id,
        st.sampled_from(sorted(idnumbers._MAINLAND_PROVINCES)),
        st.from_regex(r"\A[0-9]{3}\Z"),
        births,
        sequences,
    ),
)


@given(resident_areas, births, sequences)
def test_generated_resident_ids_round_trip(area: str, birth: date, seq: str) -> None:
    parsed = parse_id_number(make_resident_id(area, birth, seq), today=TODAY)
    assert parsed.id_type == RESIDENT
    assert parsed.birth_date == birth
    assert parsed.gender == ("male" if int(seq[-1]) % 2 else "female")


@given(valid_numbers, st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_any_single_character_change_is_caught(number: str, index: int, char: str) -> None:
    """MOD 11-2 detects every single substitution (the other checks may fire first)."""
    changed = with_char(number, index, char)
    if changed != number:
        assert not is_valid_id_number(changed, today=TODAY)


@given(valid_numbers, st.integers(min_value=0, max_value=16))
def test_any_adjacent_transposition_is_caught(number: str, index: int) -> None:
    swapped = number[:index] + number[index + 1] + number[index] + number[index + 2 :]
    if swapped != number:
        assert not is_valid_id_number(swapped, today=TODAY)


@given(valid_numbers)
def test_lower_case_and_padding_do_not_matter(number: str) -> None:
    assert parse_id_number(f" {number.lower()} ", today=TODAY).number == number


@given(st.text())
def test_arbitrary_text_never_crashes(raw: str) -> None:
    try:
        parsed = parse_id_number(raw, today=TODAY)
    except InvalidIdNumber as error:
        assert str(error)
    else:
        assert len(parsed.number) in {15, 18}


@given(valid_numbers)
def test_mask_keeps_the_ends_and_the_length(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:6] == number[:6]
    assert masked[-4:] == number[-4:]
    assert masked[6:-4] == "********"
