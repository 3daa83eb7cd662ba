"""The full-year convention (DOMAIN §8, W 第二十条) to the day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from zhicheng.rules import dates

D = date
DAY = timedelta(days=1)


@pytest.mark.parametrize(
    ("start", "end", "years"),
    [
        (D(2019, 1, 1), D(2024, 12, 31), 6),  # DOMAIN §8: to and including the cut-off
        (D(2019, 1, 2), D(2024, 12, 31), 5),
        (D(2020, 6, 30), D(2024, 12, 31), 4),  # POLICY_API: title obtained 2020-06-30
        (D(2020, 7, 1), D(2021, 6, 30), 1),  # exactly one year
        (D(2020, 7, 1), D(2021, 6, 29), 0),
        (D(2024, 12, 31), D(2024, 12, 31), 0),  # one day
        (D(2025, 1, 1), D(2024, 12, 31), 0),  # starts after the end
        (D(2020, 2, 29), D(2021, 2, 28), 1),  # 29 Feb: the year ends on 28 Feb
        (D(2020, 2, 29), D(2021, 2, 27), 0),
        (D(2020, 2, 29), D(2024, 2, 28), 4),
        (D(2019, 3, 1), D(2020, 2, 29), 1),  # a year over a leap day
        (D(2019, 3, 1), D(2020, 2, 28), 0),
        (D(2000, 1, 1), D(2024, 12, 31), 25),
    ],
)
def test_full_years(start, end, years):
    assert dates.full_years(start, end) == years


def _brute_full_years(start: date, end: date) -> int:
    """Count anniversaries on or before the day after ``end`` one by one."""
    n = 0
    while True:
        y = start.year + n + 1
        try:
            anniversary = start.replace(year=y)
        except ValueError:
            anniversary = D(y, 3, 1)
        if anniversary <= end + DAY:
            n += 1
        else:
            return n


dates_st = st.dates(min_value=D(1960, 1, 1), max_value=D(2060, 12, 31))


@given(dates_st, dates_st)
def test_full_years_matches_counting_anniversaries(start, end):
    assume(start <= end + DAY)
    assert dates.full_years(start, end) == _brute_full_years(start, end)


@given(dates_st, st.integers(min_value=0, max_value=40))
def test_completes_years_on_is_the_first_cutoff(start, n):
    day = dates.completes_years_on(start, n)
    assert dates.full_years(start, day) == n
    if n:
        assert dates.full_years(start, day - DAY) == n - 1


@given(dates_st, st.integers(min_value=1, max_value=40))
def test_years_before_is_the_first_day_of_the_window(day, n):
    first = dates.years_before(day, n)
    assert dates.full_years(first, day) == n
    assert dates.full_years(first - DAY, day) == n  # one day more is not one year more
    assert dates.full_years(first + DAY, day) == n - 1


@pytest.mark.parametrize(
    ("birth", "day", "age"),
    [
        (D(1964, 12, 31), D(2024, 12, 31), 60),  # the birthday completes the year
        (D(1965, 1, 1), D(2024, 12, 31), 59),
        (D(1964, 2, 29), D(2024, 2, 28), 59),
        (D(1964, 2, 29), D(2024, 2, 29), 60),
    ],
)
def test_age_on(birth, day, age):
    assert dates.age_on(birth, day) == age


def test_clip_periods_open_end_runs_to_until_and_later_periods_drop():
    until = D(2024, 12, 31)
    periods = [
        (D(2020, 1, 1), None),
        (D(2025, 1, 1), None),
        (D(2023, 1, 1), D(2026, 1, 1)),
        (D(2022, 5, 1), D(2022, 4, 1)),
    ]
    assert dates.clip_periods(periods, until) == [(D(2020, 1, 1), until), (D(2023, 1, 1), until)]


def test_merge_periods_merges_overlapping_and_adjacent():
    merged = dates.merge_periods(
        [
            (D(2015, 1, 1), D(2016, 12, 31)),
            (D(2010, 1, 1), D(2012, 6, 30)),
            (D(2012, 7, 1), D(2013, 1, 1)),
            (D(2016, 6, 1), D(2017, 1, 1)),
        ]
    )
    assert merged == [(D(2010, 1, 1), D(2013, 1, 1)), (D(2015, 1, 1), D(2017, 1, 1))]


@pytest.mark.parametrize(
    ("periods", "years"),
    [
        ([(D(2019, 1, 1), None)], 6),
        ([(D(2019, 1, 2), None)], 5),
        # overlapping periods count once
        ([(D(2019, 1, 1), None), (D(2020, 1, 1), D(2021, 12, 31))], 6),
        # 5 years, a one-year gap, then 9 years: laid end to end → 14
        ([(D(2010, 1, 1), D(2014, 12, 31)), (D(2016, 1, 1), None)], 14),
        # two half years make a year: 182 + 183 days laid end to end, ending 2021-07-02,
        # span 2020-07-03 … 2021-07-02 (no leap day) = one year; a day less is not
        ([(D(2020, 1, 1), D(2020, 6, 30)), (D(2021, 1, 1), D(2021, 7, 2))], 1),
        ([(D(2020, 1, 1), D(2020, 6, 30)), (D(2021, 1, 1), D(2021, 7, 1))], 0),
        ([], 0),
        ([(D(2025, 1, 1), None)], 0),
    ],
)
def test_merged_full_years(periods, years):
    assert dates.merged_full_years(periods, D(2024, 12, 31)) == years


period_st = st.tuples(dates_st, st.one_of(st.none(), dates_st)).filter(lambda p: p[1] is None or p[1] >= p[0])


@given(st.lists(period_st, max_size=5), dates_st)
def test_merged_years_ignore_order_and_duplicates(periods, until):
    a = dates.merged_full_years(periods, until)
    assert dates.merged_full_years(list(reversed(periods)), until) == a
    assert dates.merged_full_years(periods + periods, until) == a


@given(st.lists(period_st, max_size=4), period_st, dates_st)
def test_adding_a_period_never_lowers_the_years(periods, extra, until):
    assert dates.merged_full_years(periods + [extra], until) >= dates.merged_full_years(periods, until)


@given(st.lists(period_st, min_size=1, max_size=4), dates_st)
def test_merged_years_at_least_the_longest_period(periods, until):
    total = dates.merged_full_years(periods, until)
    for p in periods:
        assert total >= dates.merged_full_years([p], until)


@given(st.lists(period_st, max_size=4), dates_st, st.integers(min_value=1, max_value=400))
def test_later_cutoff_never_lowers_the_years(periods, until, days):
    assert dates.merged_full_years(periods, until + timedelta(days=days)) >= dates.merged_full_years(periods, until)


def test_merged_completion_day():
    # one open period: the anniversary-based day
    assert dates.merged_completion_day([(D(2020, 6, 30), None)], D(2024, 12, 31), 5) == D(2025, 6, 29)
    # a period that has ended cannot complete
    assert dates.merged_completion_day([(D(2020, 1, 1), D(2021, 1, 1))], D(2024, 12, 31), 5) is None
    assert dates.merged_completion_day([], D(2024, 12, 31), 5) is None


@pytest.mark.parametrize(
    ("periods", "until", "months"),
    [
        ([(dates.month_index(2024, 8), None)], dates.month_index(2024, 10), 3),  # Aug, Sep, Oct
        ([(dates.month_index(2024, 9), None)], dates.month_index(2024, 10), 2),
        ([(dates.month_index(2024, 11), None)], dates.month_index(2024, 10), 0),
        ([(dates.month_index(2020, 1), dates.month_index(2020, 3))], dates.month_index(2024, 10), 3),
        # overlaps count once; adjacent periods join
        (
            [
                (dates.month_index(2020, 1), dates.month_index(2020, 6)),
                (dates.month_index(2020, 4), dates.month_index(2020, 9)),
                (dates.month_index(2020, 10), dates.month_index(2020, 12)),
            ],
            dates.month_index(2024, 10),
            12,
        ),
        ([(dates.month_index(2024, 5), dates.month_index(2024, 3))], dates.month_index(2024, 10), 0),
    ],
)
def test_count_months(periods, until, months):
    assert dates.count_months(periods, until) == months


def test_month_label_roundtrip():
    assert dates.month_label(dates.month_index(2024, 1)) == "2024-01"
    assert dates.month_label(dates.month_index(2024, 12)) == "2024-12"
