"""Date arithmetic of the title conventions (DOMAIN §8, W 第二十条).

"年" means full calendar years (周年), counted to **and including** the cut-off day: a period
from ``start`` to ``end`` (both days included) holds as many years as there are
anniversaries of ``start`` on or before the day after ``end``. Work from 2019-01-01 to a
2024-12-31 cut-off is therefore 6 full years, from 2019-01-02 only 5.

An anniversary of 29 February falls on 1 March in a year without that day (the period
then ends on 28 February, which is where a year that started on 29 February ends).

Several periods (work in different jobs, say) are merged where they overlap or touch, then
laid end to end: the years are those of one period that ends where the last one ends and is
as long as all of them together. For a single period this is the plain anniversary count.

Months (social insurance, ``YYYY-MM``) are handled as month indices ``year * 12 + month - 1``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)

Period = tuple[date, date]  # first and last day, both included


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end``, both days included (0 if ``end`` < ``start``)."""
    after = end + ONE_DAY
    if after <= start:
        return 0
    years = after.year - start.year
    if (after.month, after.day) < (start.month, start.day):
        years -= 1
    return years


def add_years(day: date, years: int) -> date:
    """The ``years``-th anniversary of ``day`` (29 February → 1 March when the year has none)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return date(day.year + years, 3, 1)


def completes_years_on(start: date, years: int) -> date:
    """The last day of the first ``years`` full years from ``start``: the cut-off on which
    ``full_years(start, cut_off) == years`` first holds."""
    return add_years(start, years) - ONE_DAY


def age_on(birth: date, day: date) -> int:
    """Age in the everyday (legal) sense: the birthday itself completes the year."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def clip_periods(periods: Iterable[tuple[date, date | None]], until: date) -> list[Period]:
    """Periods with open ends (``None``) run to ``until``; everything after ``until`` is cut
    off; periods that start after ``until`` or end before they start are dropped."""
    out: list[Period] = []
    for start, end in periods:
        last = until if end is None or end > until else end
        if start <= last:
            out.append((start, last))
    return out


def merge_periods(periods: Iterable[Period]) -> list[Period]:
    """Sorted periods with overlapping or adjacent ones merged."""
    merged: list[Period] = []
    for start, end in sorted(periods):
        if merged and start <= merged[-1][1] + ONE_DAY:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def total_days(periods: Iterable[Period]) -> int:
    """Days covered by already merged periods (both ends included)."""
    return sum((end - start).days + 1 for start, end in periods)


def merged_full_years(periods: Iterable[tuple[date, date | None]], until: date) -> int:
    """Full years of several periods: clipped to ``until``, merged, laid end to end."""
    return full_years_of_merged(merge_periods(clip_periods(periods, until)))


def full_years_of_merged(merged: list[Period]) -> int:
    """:func:`merged_full_years` of periods already clipped and merged."""
    if not merged:
        return 0
    if len(merged) == 1:
        return full_years(*merged[0])
    last = merged[-1][1]
    return full_years(last - timedelta(days=total_days(merged) - 1), last)


def merged_completion_day(periods: Iterable[tuple[date, date | None]], until: date, years: int) -> date | None:
    """The cut-off on which ``years`` full years would be reached if the last period went on
    (``None`` when there is no period, or it has ended before ``until``)."""
    return completion_day_of_merged(merge_periods(clip_periods(periods, until)), until, years)


def completion_day_of_merged(merged: list[Period], until: date, years: int) -> date | None:
    """:func:`merged_completion_day` of periods already clipped to ``until`` and merged."""
    if not merged or merged[-1][1] != until:
        return None
    virtual_start = until - timedelta(days=total_days(merged) - 1)
    return completes_years_on(virtual_start, years)


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def count_months(periods: Iterable[tuple[int, int | None]], until: int) -> int:
    """Months covered by month-index periods (both months included, open ends run to
    ``until``), overlaps counted once, nothing after ``until``."""
    spans = sorted((start, until if end is None or end > until else end) for start, end in periods)
    total = 0
    current_start = current_end = None
    for start, end in spans:
        if start > end:
            continue
        if current_end is not None and start <= current_end + 1:
            current_end = max(current_end, end)
            continue
        if current_end is not None:
            total += current_end - current_start + 1
        current_start, current_end = start, end
    if current_end is not None:
        total += current_end - current_start + 1
    return total


def years_before(day: date, years: int) -> date:
    """First day of the ``years`` full years that end on ``day`` ("within the last N years"):
    the latest ``x`` with ``full_years(x, day) >= years``; the day before lies outside."""
    after = day + ONE_DAY
    try:
        return after.replace(year=after.year - years)
    except ValueError:  # the day after is 29 February; that year has none
        return date(after.year - years, 2, 28)
