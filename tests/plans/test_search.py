"""Plan search: filters, open plans only by default, pagination, a constant query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhicheng.plans import selectors
from zhicheng.plans.models import end_of_day, start_of_day
from zhicheng.reference.models import Series, Specialty, TitleLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(make_plan, wz_committee, nb_committee):
    today = timezone.localdate()
    open_window = {
        "individual_start": start_of_day(today - timedelta(days=10)),
        "individual_end": end_of_day(today + timedelta(days=10)),
        "employer_deadline": today + timedelta(days=20),
        "year": today.year,
        "seniority_cutoff": date(today.year, 12, 31),
        "achievements_cutoff": date(today.year, 8, 31),
    }
    closed = make_plan(wz_committee)  # 2022-00533, closed
    wz_open = make_plan(
        wz_committee,
        number="OPEN-WZ",
        name="温州市企业人员机电专业中、初级评审申报计划（开放）",
        **open_window,
    )
    nb_open = make_plan(
        nb_committee,
        number="OPEN-NB",
        name="宁波市质量技术基础专业中级评审申报计划",
        policy_id="nb-quality-2024",
        specialty=Specialty.objects.get(code="quality_technology_foundation"),
        levels=[TitleLevel.objects.get(code="engineer")],
        application_types=["normal"],
        **open_window,
    )
    return closed, wz_open, nb_open


def numbers(qs) -> list[str]:
    return sorted(p.number for p in qs)


def test_open_only_by_default(plans):
    assert numbers(selectors.search_plans()) == ["OPEN-NB", "OPEN-WZ"]
    assert numbers(selectors.search_plans(include_closed=True)) == ["2022-00533", "OPEN-NB", "OPEN-WZ"]


def test_filters(plans):
    assert numbers(selectors.search_plans(q="机电")) == ["OPEN-WZ"]
    assert numbers(selectors.search_plans(q="机电", include_closed=True)) == ["2022-00533", "OPEN-WZ"]
    assert numbers(selectors.search_plans(q="2022-00533", include_closed=True)) == ["2022-00533"]
    assert numbers(selectors.search_plans(q="宁波 质量")) == ["OPEN-NB"]
    assert numbers(selectors.search_plans(q="宁波 机电")) == []
    technician = TitleLevel.objects.get(code="technician")
    assert numbers(selectors.search_plans(level=technician)) == ["OPEN-WZ"]
    assert numbers(selectors.search_plans(application_type="exceptional")) == ["OPEN-WZ"]
    assert numbers(selectors.search_plans(application_type="normal")) == ["OPEN-NB", "OPEN-WZ"]
    assert numbers(selectors.search_plans(application_type="private")) == []
    assert numbers(selectors.search_plans(series=Series.objects.get(code="engineering"))) == ["OPEN-NB", "OPEN-WZ"]


def test_search_page(client, plans):
    page = client.get(reverse("plans:search")).content.decode()
    assert "OPEN-WZ" in page and "OPEN-NB" in page and "2022-00533" not in page
    assert "共 2 个计划" in page
    page = client.get(reverse("plans:search"), {"q": "机电", "include_closed": "on"}).content.decode()
    assert "2022-00533" in page and "OPEN-WZ" in page and "OPEN-NB" not in page
    assert "已截止" in page and "申报中" in page
    assert "个人申报截止时间：2022-10-20 23:59:59" in page
    level = TitleLevel.objects.get(code="technician").pk
    page = client.get(reverse("plans:search"), {"level": level, "application_type": "skill"}).content.decode()
    assert "OPEN-WZ" in page and "OPEN-NB" not in page


def test_pagination_and_constant_queries(client, make_plan, plans, wz_committee, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("plans:search"), {"include_closed": "on", "application_type": "normal"})
    for n in range(25):
        make_plan(wz_committee, number=f"2022-1{n:04d}")
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("plans:search"), {"include_closed": "on", "application_type": "normal"})
    assert len(many.captured_queries) == len(few.captured_queries)
    page = response.content.decode()
    assert "共 28 个计划" in page and "第 1 / 2 页" in page
    second = client.get(reverse("plans:search"), {"include_closed": "on", "page": 2}).content.decode()
    assert "第 2 / 2 页" in second and second.count("data-plan=") == 8
