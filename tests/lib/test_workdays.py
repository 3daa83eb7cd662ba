"""Mainland working days: chinesecalendar data, administrator overrides, Monday-Friday fallback."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from zhicheng.lib import workdays
from zhicheng.lib.workdays import WorkdayCalendar

D = date
CAL = WorkdayCalendar()

# 2024 National Day: 10-01..10-07 off; Sunday 09-29 and Saturday 10-12 worked.
NATIONAL_DAY_2024 = [D(2024, 10, day) for day in range(1, 8)]


class TestNationalDay2024:
    def test_holiday_is_rest(self) -> None:
        assert not any(CAL.is_working_day(day) for day in NATIONAL_DAY_2024)

    def test_make_up_weekend_days_are_working(self) -> None:
        assert D(2024, 9, 29).weekday() == 6
        assert D(2024, 10, 12).weekday() == 5
        assert CAL.is_working_day(D(2024, 9, 29))
        assert CAL.is_working_day(D(2024, 10, 12))

    def test_ordinary_weekend_is_rest(self) -> None:
        assert not CAL.is_working_day(D(2024, 9, 28))
        assert not CAL.is_working_day(D(2024, 10, 13))

    def test_add_one_day_before_the_holiday(self) -> None:
        assert CAL.add_working_days(D(2024, 9, 27), 1) == D(2024, 9, 29)
        assert CAL.add_working_days(D(2024, 9, 29), 1) == D(2024, 9, 30)
        assert CAL.add_working_days(D(2024, 9, 30), 1) == D(2024, 10, 8)

    def test_five_day_publicity_from_friday_27_september(self) -> None:
        # 09-29, 09-30, 10-08, 10-09, 10-10
        assert CAL.add_working_days(D(2024, 9, 27), 5) == D(2024, 10, 10)

    def test_counting_from_a_holiday_start_day(self) -> None:
        # The start never counts, even on a holiday; the first working day after 10-01 is 10-08.
        assert CAL.add_working_days(D(2024, 10, 1), 1) == D(2024, 10, 8)
        assert CAL.add_working_days(D(2024, 10, 1), 5) == D(2024, 10, 12)
        assert CAL.add_working_days(D(2024, 10, 7), 5) == D(2024, 10, 12)

    def test_working_days_between_across_the_holiday(self) -> None:
        assert CAL.working_days_between(D(2024, 9, 27), D(2024, 10, 10)) == 5
        assert CAL.working_days_between(D(2024, 9, 30), D(2024, 10, 7)) == 0
        assert CAL.working_days_between(D(2024, 9, 30), D(2024, 10, 8)) == 1
        # October 2024: 23 weekdays, minus 5 holiday weekdays, plus Saturday 10-12 = 19; plus 09-29 and 09-30.
        assert CAL.working_days_between(D(2024, 9, 27), D(2024, 10, 31)) == 2 + 19
        # September 2024: 21 weekdays, minus Mid-Autumn 09-16 and 09-17, plus Saturday 09-14 and Sunday 09-29.
        assert CAL.working_days_between(D(2024, 8, 31), D(2024, 9, 30)) == 21

    def test_n_zero_returns_start(self) -> None:
        assert CAL.add_working_days(D(2024, 10, 3), 0) == D(2024, 10, 3)

    def test_negative_n_counts_backwards(self) -> None:
        assert CAL.add_working_days(D(2024, 10, 8), -1) == D(2024, 9, 30)
        assert CAL.add_working_days(D(2024, 10, 8), -2) == D(2024, 9, 29)
        assert CAL.add_working_days(D(2024, 10, 8), -3) == D(2024, 9, 27)


class TestOtherKnownYears:
    def test_spring_festival_2025(self) -> None:
        assert not CAL.is_working_day(D(2025, 1, 28))  # 除夕 (a Tuesday)
        assert CAL.is_working_day(D(2025, 1, 26))  # make-up Sunday
        assert CAL.is_working_day(D(2025, 2, 8))  # make-up Saturday

    def test_2026_is_already_in_the_package(self) -> None:
        assert CAL.is_year_official(2026)
        assert CAL.is_working_day(D(2026, 1, 4))  # a Sunday worked for New Year
        assert not CAL.is_working_day(D(2026, 10, 1))

    def test_agrees_with_the_package_for_every_known_day(self) -> None:
        day = D(2004, 1, 1)
        while day.year <= 2026:
            assert CAL.is_working_day(day) == chinese_calendar.is_workday(day), day
            day += timedelta(days=1)

    def test_year_lengths(self) -> None:
        # Typically 247-252 working days a year.
        for year in range(2004, 2027):
            assert 245 <= CAL.working_days_between(D(year - 1, 12, 31), D(year, 12, 31)) <= 252


class TestUnknownYears:
    def test_2027_falls_back_to_monday_to_friday(self) -> None:
        assert not CAL.is_year_official(2027)
        assert CAL.is_working_day(D(2027, 1, 1))  # a Friday; New Year unknown without overrides
        assert not CAL.is_working_day(D(2027, 1, 2))
        assert not CAL.is_working_day(D(2027, 1, 3))
        assert CAL.add_working_days(D(2027, 1, 1), 1) == D(2027, 1, 4)
        assert CAL.working_days_between(D(2026, 12, 31), D(2027, 12, 31)) == 261

    def test_years_before_the_package_also_fall_back(self) -> None:
        assert not CAL.is_year_official(2003)
        assert CAL.is_working_day(D(2003, 10, 1))  # a Wednesday
        assert not CAL.is_working_day(D(2003, 10, 4))

    def test_overrides_for_2027_are_honoured_and_make_the_year_official(self) -> None:
        cal = WorkdayCalendar({D(2027, 1, 1): False, D(2027, 1, 2): True})
        assert cal.is_year_official(2027)
        assert not cal.is_year_official(2028)
        assert not cal.is_working_day(D(2027, 1, 1))
        assert cal.is_working_day(D(2027, 1, 2))
        assert cal.add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 2)
        assert cal.add_working_days(D(2026, 12, 31), 2) == D(2027, 1, 4)
        assert cal.working_days_between(D(2026, 12, 31), D(2027, 1, 4)) == 2

    def test_crossing_from_a_known_into_an_unknown_year(self) -> None:
        assert CAL.add_working_days(D(2026, 12, 30), 2) == D(2027, 1, 1)
        assert CAL.working_days_between(D(2026, 12, 25), D(2027, 1, 8)) == 10

    def test_missing_years(self) -> None:
        assert CAL.missing_years(D(2025, 3, 1), D(2029, 2, 1)) == [2027, 2028, 2029]
        assert CAL.missing_years(D(2024, 1, 1), D(2026, 12, 31)) == []
        assert CAL.missing_years(D(2029, 1, 1), D(2025, 1, 1)) == []
        assert WorkdayCalendar({D(2028, 5, 1): False}).missing_years(D(2026, 1, 1), D(2029, 1, 1)) == [2027, 2029]


class TestOverrides:
    def test_overrides_beat_the_package(self) -> None:
        cal = WorkdayCalendar({D(2024, 10, 7): True, D(2024, 10, 8): False, D(2024, 9, 29): False})
        assert cal.is_working_day(D(2024, 10, 7))
        assert not cal.is_working_day(D(2024, 10, 8))
        assert not cal.is_working_day(D(2024, 9, 29))
        assert cal.add_working_days(D(2024, 9, 27), 2) == D(2024, 10, 7)
        assert cal.working_days_between(D(2024, 9, 27), D(2024, 10, 9)) == 3

    def test_override_that_repeats_the_default_changes_nothing(self) -> None:
        cal = WorkdayCalendar({D(2024, 10, 1): False, D(2024, 10, 12): True, D(2027, 3, 1): True})
        for day in (D(2024, 10, 1), D(2024, 10, 12), D(2027, 3, 1)):
            assert cal.is_working_day(day) == CAL.is_working_day(day)

    def test_overrides_are_copied(self) -> None:
        source = {D(2027, 1, 1): False}
        cal = WorkdayCalendar(source)
        source[D(2027, 1, 1)] = True
        assert not cal.is_working_day(D(2027, 1, 1))
        with pytest.raises(TypeError):
            cal.overrides[D(2027, 1, 1)] = True  # type: ignore[index]

    def test_datetime_keys_and_arguments_are_treated_as_dates(self) -> None:
        cal = WorkdayCalendar({datetime(2027, 1, 1, 9, 30): False})
        assert not cal.is_working_day(D(2027, 1, 1))
        assert not cal.is_working_day(datetime(2027, 1, 1, 18, 0))
        assert cal.add_working_days(datetime(2024, 9, 30, 23, 59), 1) == D(2024, 10, 8)
        assert cal.working_days_between(datetime(2024, 9, 27, 8), datetime(2024, 10, 10, 8)) == 5


class TestBetweenEdges:
    def test_empty_and_reversed_ranges(self) -> None:
        assert CAL.working_days_between(D(2024, 10, 8), D(2024, 10, 8)) == 0
        assert CAL.working_days_between(D(2024, 10, 9), D(2024, 10, 8)) == 0

    def test_end_inclusive_start_exclusive(self) -> None:
        assert CAL.working_days_between(D(2024, 10, 7), D(2024, 10, 8)) == 1
        assert CAL.working_days_between(D(2024, 10, 8), D(2024, 10, 9)) == 1

    def test_long_ranges_are_fast_and_consistent(self) -> None:
        start = D(2004, 1, 1)
        end = CAL.add_working_days(start, 10_000)
        assert CAL.working_days_between(start, end) == 10_000

    def test_package_is_asked_about_each_year_once(self, monkeypatch: pytest.MonkeyPatch) -> None:
        calls: list[date] = []
        real = chinese_calendar.is_workday

        def counting(day: date) -> bool:
            calls.append(day)
            return real(day)

        workdays._package_exceptions.cache_clear()
        monkeypatch.setattr(chinese_calendar, "is_workday", counting)
        try:
            cal = WorkdayCalendar()
            for _ in range(20):
                cal.add_working_days(D(2024, 3, 1), 400)
                WorkdayCalendar().working_days_between(D(2024, 1, 1), D(2025, 12, 31))
            assert len(calls) <= 2 * 367
        finally:
            workdays._package_exceptions.cache_clear()


# --- properties -------------------------------------------------------------

days = st.dates(min_value=D(2002, 1, 1), max_value=D(2029, 12, 31))
counts = st.integers(min_value=0, max_value=400)
override_maps = st.dictionaries(
    st.dates(min_value=D(2024, 6, 1), max_value=D(2027, 12, 31)), st.booleans(), max_size=30
)
calendars = st.one_of(st.just(CAL), override_maps.map(WorkdayCalendar))


def brute_force_between(cal: WorkdayCalendar, a: date, b: date) -> int:
    total, day = 0, a
    while day < b:
        day += timedelta(days=1)
        total += cal.is_working_day(day)
    return total


@given(calendars, days, st.integers(min_value=1, max_value=400))
def test_result_is_a_working_day(cal: WorkdayCalendar, start: date, n: int) -> None:
    assert cal.is_working_day(cal.add_working_days(start, n))


@given(calendars, days, counts)
def test_between_inverts_add(cal: WorkdayCalendar, start: date, n: int) -> None:
    assert cal.working_days_between(start, cal.add_working_days(start, n)) == n


@given(calendars, days, counts, counts)
def test_monotonic_in_n(cal: WorkdayCalendar, start: date, n: int, m: int) -> None:
    low, high = sorted((n, m))
    assert cal.add_working_days(start, low) <= cal.add_working_days(start, high)
    if low < high:
        assert cal.add_working_days(start, low) < cal.add_working_days(start, high)


@given(calendars, days, st.integers(min_value=1, max_value=400))
def test_no_working_day_is_skipped(cal: WorkdayCalendar, start: date, n: int) -> None:
    """The n-th working day is one day after the (n-1)-th, or only rest days lie between them."""
    previous = cal.add_working_days(start, n - 1)
    result = cal.add_working_days(start, n)
    assert cal.working_days_between(previous, result) == 1
    assert cal.working_days_between(previous, result - timedelta(days=1)) == 0


@given(calendars, days, st.integers(min_value=0, max_value=200))
def test_between_matches_day_by_day_count(cal: WorkdayCalendar, start: date, span: int) -> None:
    end = start + timedelta(days=span)
    assert cal.working_days_between(start, end) == brute_force_between(cal, start, end)


@given(calendars, days, days, days)
def test_between_is_additive(cal: WorkdayCalendar, x: date, y: date, z: date) -> None:
    a, b, c = sorted((x, y, z))
    assert cal.working_days_between(a, c) == cal.working_days_between(a, b) + cal.working_days_between(b, c)


@given(calendars, days, counts)
def test_backwards_undoes_forwards_from_a_working_day(cal: WorkdayCalendar, start: date, n: int) -> None:
    anchor = cal.add_working_days(start, 1)
    assert cal.add_working_days(cal.add_working_days(anchor, n), -n) == anchor


@given(override_maps, days)
def test_overrides_always_win(overrides: dict[date, bool], day: date) -> None:
    cal = WorkdayCalendar(overrides)
    if day in overrides:
        assert cal.is_working_day(day) is overrides[day]
    else:
        assert cal.is_working_day(day) == CAL.is_working_day(day)
    for override_day in overrides:
        assert cal.is_year_official(override_day.year)
