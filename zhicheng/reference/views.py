"""Public reference pages: the yearly review calendar and the list of regions."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from zhicheng.reference import selectors

MAX_QUERY_LENGTH = 100


def calendar(request: HttpRequest) -> HttpResponse:
    """年度评审计划安排: every row of the chosen year's calendar, filtered by keyword ``q``.

    Always three queries at most (calendars, total rows, matching rows), however many rows.
    An htmx request gets only the results fragment.
    """
    calendars = list(selectors.plan_calendars())
    q = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    chosen = None
    year = request.GET.get("year", "")
    city = request.GET.get("city", "")
    if calendars:
        matching = [c for c in calendars if (not year or str(c.year) == year) and (not city or c.city.code == city)]
        chosen = matching[0] if matching else calendars[0]
    rows: list = []
    total = 0
    if chosen is not None:
        rows = list(selectors.calendar_entries(chosen, q))
        total = selectors.calendar_entries(chosen).count() if q else len(rows)
    context = {
        "calendars": calendars,
        "calendar": chosen,
        "rows": rows,
        "total": total,
        "q": q,
    }
    template = "reference/_calendar_results.html" if request.headers.get("HX-Request") else "reference/calendar.html"
    return render(request, template, context)


def regions(request: HttpRequest) -> HttpResponse:
    """浙江省行政区划: cities and their county-level divisions, mountain counties marked."""
    groups = selectors.cities_with_counties()
    counties = [county for _, items in groups for county in items]
    context = {
        "groups": groups,
        "county_count": len(counties),
        "mountain_count": sum(1 for county in counties if county.is_mountain_county),
    }
    return render(request, "reference/regions.html", context)
