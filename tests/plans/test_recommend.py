"""Recommendation on the demo data: the right plans, the engine's verdict, bounded queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhicheng.accounts.models import User
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
from zhicheng.plans import services
from zhicheng.plans.models import Plan, end_of_day, start_of_day
from zhicheng.plans.selectors import MAX_RECOMMENDED, recommend_plans

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def user(mobile: str) -> User:
    return User.objects.get(mobile=mobile)


def open_copy(number: str, source: str) -> Plan:
    """An open copy of a demo plan (window around today, dates of the policy year kept)."""
    plan = Plan.objects.get(number=source)
    today = timezone.localdate()
    admin = User.objects.get(mobile="13900000000")
    data = {
        **{f: getattr(plan, f) for f in services.SCALAR_FIELDS},
        "number": number,
        "individual_start": start_of_day(today - timedelta(days=1)),
        "individual_end": end_of_day(today + timedelta(days=5)),
        "employer_deadline": today + timedelta(days=6),
        **{f: list(getattr(plan, f).all()) for f in services.M2M_FIELDS},
    }
    return services.plan_create(actor=admin, data=data, stages=[])


def test_eligible_wenzhou_applicant_gets_open_wenzhou_plan(demo):
    recs = recommend_plans(user("13900000002"))
    assert [r.plan.number for r in recs] == [DEMO_OPEN_NUMBER]
    rec = recs[0]
    assert rec.is_open and rec.level.code == "engineer"
    assert rec.eligible is True and rec.verdict == "符合申报条件" and rec.route == "10.1b" and rec.reasons == []
    assert rec.why == "您的单位在瑞安市，该计划受理温州市各县（市、区）申报"
    assert (
        rec.selfcheck_url
        == reverse("eligibility:selfcheck") + f"?policy=wz-jidian-2020&level=engineer&source=archive&plan={rec.plan.pk}"
    )


def test_wenzhou_applicant_short_of_ce_gets_reason(demo):
    recs = recommend_plans(user("13900000032"))
    assert [r.plan.number for r in recs] == [DEMO_OPEN_NUMBER]
    rec = recs[0]
    assert rec.eligible is False and rec.verdict == "暂不符合"
    assert any("2023 年专业科目学时还差 10 学时" in reason for reason in rec.reasons)
    assert rec.why.startswith("您的单位在龙湾区")


def test_region_decides_ningbo_never_to_wenzhou(demo):
    open_copy("OPEN-NB", "2024-NBZL")
    open_copy("OPEN-SY", "2023-SYJD")
    wenzhou = {r.plan.number for r in recommend_plans(user("13900000002"))}
    assert wenzhou == {DEMO_OPEN_NUMBER}
    ningbo = recommend_plans(user("13900000022"))
    assert [r.plan.number for r in ningbo] == ["OPEN-NB"]
    assert ningbo[0].eligible is True
    assert ningbo[0].why == "您的单位在鄞州区，该计划受理宁波市各县（市、区）申报"
    shangyu = recommend_plans(user("13900000012"))
    assert [r.plan.number for r in shangyu] == ["OPEN-SY"]
    assert shangyu[0].eligible is True and shangyu[0].why == "您的单位在上虞区，该计划受理上虞区的申报"


def test_closed_plans_are_not_recommended(demo):
    Plan.objects.filter(number=DEMO_OPEN_NUMBER).update(individual_end=timezone.now() - timedelta(seconds=1))
    assert recommend_plans(user("13900000002")) == []


def test_open_first_then_upcoming(demo):
    upcoming = open_copy("UPCOMING-WZ", "2024-WZJX")
    upcoming.individual_start = timezone.now() + timedelta(days=2)
    upcoming.save()
    recs = recommend_plans(user("13900000002"))
    assert [r.plan.number for r in recs] == [DEMO_OPEN_NUMBER, "UPCOMING-WZ"]
    assert recs[1].status == Plan.Status.UPCOMING


def test_query_count_is_bounded(demo):
    applicant = user("13900000002")
    with CaptureQueriesContext(connection) as one:
        assert len(recommend_plans(applicant)) == 1
    for n in range(12):
        open_copy(f"OPEN-WZ-{n:02d}", "2024-WZJX")
    with CaptureQueriesContext(connection) as many:
        recs = recommend_plans(applicant)
    assert len(recs) == MAX_RECOMMENDED
    assert len(many.captured_queries) <= MAX_RECOMMENDED * len(one.captured_queries)


def test_search_page_shows_recommendation(client, demo):
    client.force_login(user("13900000032"))
    page = client.get(reverse("plans:search")).content.decode()
    assert f'data-recommended-plan="{DEMO_OPEN_NUMBER}"' in page
    assert "暂不符合" in page and "2023 年专业科目学时还差 10 学时" in page
    assert "您的单位在龙湾区，该计划受理温州市各县（市、区）申报" in page
    assert "source=archive" in page


def test_anonymous_gets_no_recommendation(client, demo):
    from django.contrib.auth.models import AnonymousUser

    assert recommend_plans(AnonymousUser()) == []
    assert 'id="recommendations"' not in client.get(reverse("plans:search")).content.decode()
