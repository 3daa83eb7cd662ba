"""Working days in mainland China (法定工作日), for publicity periods and deadlines.

Where a day's status comes from, highest priority first:

1. an administrator's override (``overrides`` maps a day to True = working,
   False = rest);
2. the ``chinesecalendar`` package, which knows the State Council holiday
   notices for a fixed range of years (2004-2026 in version 1.11.0) and raises
   ``NotImplementedError`` outside it;
3. otherwise Monday to Friday.

A year is "official" when the package knows it or an override falls in it;
:meth:`WorkdayCalendar.missing_years` lets callers warn administrators that a
plan reaches into a year whose holidays nobody has entered yet.

Implementation: every year is reduced to two small sets of exceptions to the
Monday-Friday rule (weekdays off, weekend days worked). Counting working days
is then arithmetic on weekdays plus a bisect into those sets, and the package
is asked about each year at most once per process.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import chinese_calendar

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class _YearExceptions:
    """Departures from Monday-Friday within one year, as sorted tuples."""

    rest_weekdays: tuple[date, ...] = ()
    working_weekends: tuple[date, ...] = ()

    def is_working_day(self, day: date) -> bool:
        if day.weekday() < 5:
            return not _contains(self.rest_weekdays, day)
        return _contains(self.working_weekends, day)

    def adjustment(self, after: date, until: date) -> int:
        """Working weekend days minus rest weekdays in ``(after, until]``."""
        return _count_in(self.working_weekends, after, until) - _count_in(self.rest_weekdays, after, until)


_NO_EXCEPTIONS = _YearExceptions()


class WorkdayCalendar:
    """Mainland working days with optional per-day overrides.

    The overrides are copied when the calendar is built and never change;
    per-year results are cached on the instance.
    """

    def __init__(self, overrides: Mapping[date, bool] | None = None) -> None:
        cleaned = {_as_date(day): bool(working) for day, working in (overrides or {}).items()}
        self._overrides: Mapping[date, bool] = MappingProxyType(cleaned)
        self._override_years = frozenset(day.year for day in cleaned)
        self._years: dict[int, _YearExceptions] = {}

    @property
    def overrides(self) -> Mapping[date, bool]:
        return self._overrides

    def is_working_day(self, day: date) -> bool:
        day = _as_date(day)
        return self._exceptions(day.year).is_working_day(day)

    def is_year_official(self, year: int) -> bool:
        """True when the year's holidays are known (package data or administrator overrides)."""
        return year in self._override_years or _package_exceptions(year) is not None

    def missing_years(self, start: date, end: date) -> list[int]:
        """Years from ``start.year`` to ``end.year`` inclusive that are not official ([] if end < start)."""
        return [year for year in range(start.year, end.year + 1) if not self.is_year_official(year)]

    def add_working_days(self, start: date, n: int) -> date:
        """The ``n``-th working day strictly after ``start``.

        ``start`` itself never counts, whether or not it is a working day, and
        ``n == 0`` returns ``start`` unchanged. So a publicity period of "5
        working days from submission" ends on ``add_working_days(submitted, 5)``:
        submitted on Friday 2024-09-27, day 1 is Sunday 2024-09-29 (a make-up
        working day), day 2 is Monday 2024-09-30, and days 3-5 are 2024-10-08..10
        after the National Day holiday.

        A negative ``n`` counts backwards: the ``|n|``-th working day strictly
        before ``start``.
        """
        day = _as_date(start)
        step = _ONE_DAY if n >= 0 else -_ONE_DAY
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """The number of working days ``d`` with ``a < d <= b`` (0 when ``b <= a``).

        The inverse of :meth:`add_working_days`:
        ``working_days_between(d, add_working_days(d, n)) == n`` for ``n >= 0``.
        """
        a, b = _as_date(a), _as_date(b)
        if b <= a:
            return 0
        count = _weekdays_up_to(b) - _weekdays_up_to(a)
        for year in range(a.year, b.year + 1):
            count += self._exceptions(year).adjustment(a, b)
        return count

    def _exceptions(self, year: int) -> _YearExceptions:
        if year not in self._years:
            self._years[year] = self._build_exceptions(year)
        return self._years[year]

    def _build_exceptions(self, year: int) -> _YearExceptions:
        base = _package_exceptions(year) or _NO_EXCEPTIONS
        if year not in self._override_years:
            return base
        rest = set(base.rest_weekdays)
        worked = set(base.working_weekends)
        for day, working in self._overrides.items():
            if day.year == year:
                _apply_override(day, working, rest, worked)
        return _YearExceptions(tuple(sorted(rest)), tuple(sorted(worked)))


def _apply_override(day: date, working: bool, rest: set[date], worked: set[date]) -> None:
    """Record one override as an exception to Monday-Friday (or remove one)."""
    is_weekday = day.weekday() < 5
    if is_weekday and working:
        rest.discard(day)
    elif is_weekday:
        rest.add(day)
    elif working:
        worked.add(day)
    else:
        worked.discard(day)


@functools.cache
def _package_exceptions(year: int) -> _YearExceptions | None:
    """The package's exceptions for ``year``, or None when it has no data for it."""
    try:
        chinese_calendar.is_workday(date(year, 1, 1))
    except NotImplementedError:
        return None
    rest: list[date] = []
    worked: list[date] = []
    day = date(year, 1, 1)
    while day.year == year:
        is_workday = chinese_calendar.is_workday(day)
        if day.weekday() < 5 and not is_workday:
            rest.append(day)
        elif day.weekday() >= 5 and is_workday:
            worked.append(day)
        day += _ONE_DAY
    return _YearExceptions(tuple(rest), tuple(worked))


def _weekdays_up_to(day: date) -> int:
    """How many Mondays-Fridays lie in ``[0001-01-01, day]`` (0001-01-01 was a Monday)."""
    ordinal = day.toordinal()
    return 5 * (ordinal // 7) + min(ordinal % 7, 5)


def _contains(days: tuple[date, ...], day: date) -> bool:
    index = bisect.bisect_left(days, day)
    return index < len(days) and days[index] == day


def _count_in(days: tuple[date, ...], after: date, until: date) -> int:
    """How many of the sorted ``days`` lie in ``(after, until]``."""
    return bisect.bisect_right(days, until) - bisect.bisect_right(days, after)


def _as_date(value: date) -> date:
    """Accept datetimes too, but compare and hash as plain dates."""
    return value.date() if isinstance(value, datetime) else value
