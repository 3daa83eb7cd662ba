"""Reads of reference data: the working-day calendar, the plan calendars and the regions.

Working days
------------
:func:`workday_calendar` builds a :class:`~zhicheng.lib.workdays.WorkdayCalendar` from the
``HolidayOverride`` rows. It is cached per process, keyed on a cheap aggregate of the table
(row count, highest id, latest ``updated_at``), so every call costs one small query and an
override added, edited or deleted in the admin takes effect on the next call — in every
process, since the key is read from the database. (Bulk ``QuerySet.update()`` does not touch
``updated_at``; call :func:`clear_workday_cache` after one.)

Use the module-level helpers in services and views::

    add_working_days(day, 5)          # the 5th working day strictly after ``day``
    working_days_between(a, b)        # working days d with a < d <= b
    calendar_warnings([2026, 2027])   # Chinese warnings for years without official holidays
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Max, Q, QuerySet

from zhicheng.lib.workdays import WorkdayCalendar
from zhicheng.reference.models import HolidayOverride, PlanCalendar, PlanCalendarEntry, Region

# --- working days --------------------------------------------------------------------------

_cache_lock = threading.Lock()
_cached: tuple[tuple, WorkdayCalendar] | None = None

MISSING_YEAR_WARNING = "{year} 年的法定节假日安排尚未录入，工作日暂按周一至周五计算，请管理员在“节假日调整”中录入。"


def _overrides_key() -> tuple:
    agg = HolidayOverride.objects.aggregate(n=Count("id"), top=Max("id"), latest=Max("updated_at"))
    return (agg["n"], agg["top"], agg["latest"])


def workday_calendar() -> WorkdayCalendar:
    """The mainland working-day calendar with the administrators' overrides applied."""
    global _cached
    key = _overrides_key()
    cached = _cached
    if cached is not None and cached[0] == key:
        return cached[1]
    overrides = dict(HolidayOverride.objects.values_list("day", "is_working_day"))
    calendar = WorkdayCalendar(overrides)
    with _cache_lock:
        _cached = (key, calendar)
    return calendar


def clear_workday_cache() -> None:
    global _cached
    with _cache_lock:
        _cached = None


def is_working_day(day: date) -> bool:
    return workday_calendar().is_working_day(day)


def add_working_days(day: date, n: int) -> date:
    """The ``n``-th working day strictly after ``day`` (before it for negative ``n``)."""
    return workday_calendar().add_working_days(day, n)


def working_days_between(a: date, b: date) -> int:
    """The number of working days ``d`` with ``a < d <= b`` (0 when ``b <= a``)."""
    return workday_calendar().working_days_between(a, b)


def missing_years(start: date, end: date) -> list[int]:
    """Years between ``start`` and ``end`` (inclusive) whose holidays are not known."""
    return workday_calendar().missing_years(start, end)


def calendar_warnings(years: Iterable[int]) -> list[str]:
    """One Chinese warning per year (ascending, once each) whose holiday arrangement is not known."""
    calendar = workday_calendar()
    missing = [year for year in sorted(set(years)) if not calendar.is_year_official(year)]
    return [MISSING_YEAR_WARNING.format(year=year) for year in missing]


# --- plan calendars (年度评审计划安排) ---------------------------------------------------------

SEARCH_FIELDS = ("series_name", "titles", "receiving_unit")


def plan_calendars() -> QuerySet[PlanCalendar]:
    """Every loaded calendar, newest year first, with its city."""
    return PlanCalendar.objects.select_related("city").order_by("-year", "city__code")


def calendar_entries(calendar: PlanCalendar, q: str = "") -> QuerySet[PlanCalendarEntry]:
    """The rows of ``calendar`` in printed order; ``q`` keeps rows matching every word of it.

    A word matches a row when it occurs in the series (专业) name, the titles or the receiving
    unit — including values the row takes from a merged cell above it.
    """
    rows = PlanCalendarEntry.objects.filter(year=calendar.year, city_id=calendar.city_id)
    for word in q.split()[:10]:
        condition = Q()
        for name in SEARCH_FIELDS:
            condition |= Q(**{f"{name}__icontains": word})
        rows = rows.filter(condition)
    return rows.order_by("row_number", "sub_number")


# --- regions -------------------------------------------------------------------------------


def cities_with_counties() -> list[tuple[Region, list[Region]]]:
    """Zhejiang's cities in code order, each with its county-level divisions (one query)."""
    regions = list(Region.objects.filter(level__in=[Region.Level.CITY, Region.Level.COUNTY]).order_by("code"))
    counties: dict[int, list[Region]] = {}
    for region in regions:
        if region.level == Region.Level.COUNTY and region.parent_id is not None:
            counties.setdefault(region.parent_id, []).append(region)
    return [(city, counties.get(city.pk, [])) for city in regions if city.level == Region.Level.CITY]
