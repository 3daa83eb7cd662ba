"""The individual window is inclusive to 23:59:59 of its last day, Asia/Shanghai."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from zhicheng.plans.models import Plan

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def test_window_boundaries(make_plan, wz_committee):
    plan = make_plan(wz_committee)
    before = datetime(2022, 7, 31, 23, 59, 59, tzinfo=SH)
    start = datetime(2022, 8, 1, 0, 0, 0, tzinfo=SH)
    last_second = datetime(2022, 10, 20, 23, 59, 59, tzinfo=SH)
    next_day = datetime(2022, 10, 21, 0, 0, 0, tzinfo=SH)
    assert plan.status_at(before) == Plan.Status.UPCOMING
    assert plan.is_open(start)
    assert plan.is_open(last_second)
    assert plan.is_open(last_second + timedelta(microseconds=999_999))
    assert not plan.is_open(next_day)
    assert plan.status_at(next_day) == Plan.Status.CLOSED
    # The same moments expressed in UTC give the same answers.
    assert plan.is_open(last_second.astimezone(ZoneInfo("UTC")))
    assert not plan.is_open(next_day.astimezone(ZoneInfo("UTC")))
    assert plan.individual_last_day == date(2022, 10, 20)


def test_window_boundaries_in_queries(make_plan, wz_committee):
    plan = make_plan(wz_committee)
    at = lambda *a: datetime(*a, tzinfo=SH)  # noqa: E731
    assert list(Plan.objects.open_at(at(2022, 8, 1, 0, 0, 0))) == [plan]
    assert list(Plan.objects.open_at(at(2022, 10, 20, 23, 59, 59))) == [plan]
    assert list(Plan.objects.open_at(at(2022, 10, 21, 0, 0, 0))) == []
    assert list(Plan.objects.open_at(at(2022, 7, 31, 23, 59, 59))) == []


def test_status_texts(make_plan, wz_committee):
    plan = make_plan(wz_committee)
    assert plan.status_text(datetime(2022, 9, 1, tzinfo=SH)) == "申报中，2022-10-20 23:59:59 截止"
    assert plan.status_text(datetime(2022, 7, 1, tzinfo=SH)) == "2022-08-01 00:00 开始申报"
    assert plan.status_text(datetime(2023, 1, 1, tzinfo=SH)) == "已截止"


def test_created_plan_has_explicit_types_stages_and_audit(make_plan, wz_committee):
    from zhicheng.core.audit import entries_for

    plan = make_plan(wz_committee)
    assert "normal" in plan.application_types and "exceptional" in plan.application_types
    assert [s.order for s in plan.stages.all()] == [1, 2, 3, 4]
    assert [e.action for e in entries_for(plan)] == ["plan.create"]
