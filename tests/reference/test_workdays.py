"""Working days with the administrators' ``HolidayOverride`` rows applied."""

from __future__ import annotations

from datetime import date

import pytest

from zhicheng.reference import selectors
from zhicheng.reference.models import HolidayOverride

pytestmark = pytest.mark.django_db

WARNING_2027 = "2027 年的法定节假日安排尚未录入，工作日暂按周一至周五计算，请管理员在“节假日调整”中录入。"


def test_package_years_need_no_override():
    # 2024 National Day: Friday 09-27, then make-up Sunday 09-29, Monday 09-30, holiday to 10-07.
    assert selectors.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)
    assert selectors.working_days_between(date(2024, 9, 27), date(2024, 10, 10)) == 5
    assert selectors.calendar_warnings([2024, 2025, 2026]) == []


def test_without_overrides_2027_is_monday_to_friday_and_warned():
    assert not selectors.workday_calendar().is_year_official(2027)
    assert selectors.calendar_warnings([2026, 2027, 2027]) == [WARNING_2027]
    assert selectors.missing_years(date(2026, 6, 1), date(2027, 3, 1)) == [2027]
    # Thursday 2026-12-31 → Friday 2027-01-01 and Monday 2027-01-04.
    assert selectors.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 2
    assert selectors.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 1)


def test_a_2027_override_makes_the_year_official_and_changes_counting():
    HolidayOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    assert selectors.workday_calendar().is_year_official(2027)
    assert selectors.calendar_warnings([2027]) == []
    assert not selectors.is_working_day(date(2027, 1, 1))
    assert selectors.working_days_between(date(2026, 12, 31), date(2027, 1, 4)) == 1
    assert selectors.add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)


def test_a_working_weekend_override_counts():
    HolidayOverride.objects.create(day=date(2027, 2, 6), is_working_day=True, name="春节调休上班")
    assert selectors.is_working_day(date(2027, 2, 6))
    assert selectors.add_working_days(date(2027, 2, 5), 1) == date(2027, 2, 6)


def test_edits_and_deletions_take_effect_despite_the_cache():
    override = HolidayOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    first = selectors.workday_calendar()
    assert selectors.workday_calendar() is first  # unchanged table: cached
    assert not first.is_working_day(date(2027, 1, 1))

    override.is_working_day = True
    override.save()
    assert selectors.is_working_day(date(2027, 1, 1))

    override.delete()
    assert not selectors.workday_calendar().is_year_official(2027)
    assert selectors.calendar_warnings([2027]) == [WARNING_2027]


def test_one_query_per_lookup_once_cached(django_assert_num_queries):
    HolidayOverride.objects.create(day=date(2027, 1, 1), is_working_day=False, name="元旦")
    selectors.workday_calendar()
    with django_assert_num_queries(1):
        selectors.add_working_days(date(2027, 1, 1), 10)
