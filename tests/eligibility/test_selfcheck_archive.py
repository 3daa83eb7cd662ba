"""Self-check from the person's own approved archive, with the records behind each check."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.archive.models import Record

pytestmark = pytest.mark.django_db
URL = reverse("eligibility:selfcheck")


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123


def _archive_check(client, mobile, policy="wz-jidian-2020", level="engineer"):
    client.force_login(User.objects.get(mobile=mobile))
    return client.get(URL, {"source": "archive", "policy": policy, "level": level})


def test_eligible_demo_applicant_sees_verdict_and_sources(client, demo):
    response = _archive_check(client, "13900000002")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="from-archive"' in html and "符合申报条件" in html
    assert "第十条（一）" in html
    assert html.count('data-testid="check-sources"') >= 3
    ce_record = Record.objects.filter(owner__mobile="13900000002", record_type="continuing_education").first()
    assert reverse("archive:record_detail", args=[ce_record.pk]) in html


def test_applicant_missing_ce_hours_sees_what_is_missing(client, demo):
    html = _archive_check(client, "13900000032").content.decode()
    assert "暂不符合申报条件" in html
    assert "2023 年专业科目学时还差 10 学时" in html


@pytest.mark.parametrize(("mobile", "policy"), [("13900000012", "sy-jidian-2023"), ("13900000022", "nb-quality-2024")])
def test_other_cities_demo_applicants_are_eligible(client, demo, mobile, policy):
    html = _archive_check(client, mobile, policy=policy).content.decode()
    assert "符合申报条件" in html and "暂不符合" not in html


def test_only_own_records_feed_the_check(client, demo):
    other = Record.objects.filter(owner__mobile="13900000012").values_list("pk", flat=True)
    html = _archive_check(client, "13900000002").content.decode()
    for pk in other:
        assert reverse("archive:record_detail", args=[pk]) not in html


def test_anonymous_archive_request_falls_back_to_the_blank_form(client):
    response = client.get(URL, {"source": "archive", "policy": "wz-jidian-2020", "level": "engineer"})
    assert response.status_code == 200
    assert 'data-testid="from-archive"' not in response.content.decode()
    assert 'data-testid="archive-selfcheck"' not in response.content.decode()


def test_archive_selfcheck_query_count_is_bounded(client, demo, django_assert_max_num_queries):
    """One query per record type (the profile builder) plus a few: constant in the record count."""
    client.force_login(User.objects.get(mobile="13900000002"))
    with django_assert_max_num_queries(35):
        client.get(URL, {"source": "archive", "policy": "wz-jidian-2020", "level": "engineer"})


def test_a_plan_link_evaluates_with_the_plans_own_dates(client, demo):
    from zhicheng.plans.models import Plan

    plan = Plan.objects.get(number="2022-00533")  # the 2022 plan: seniority to 2022-12-31
    client.force_login(User.objects.get(mobile="13900000002"))
    html = client.get(URL, {"source": "archive", "plan": plan.pk, "level": "engineer"}).content.decode()
    assert "2022-00533" in html and "2022-12-31" in html
    # 3 full years as assistant engineer by 2022-12-31 (title 2019-12-01): 10.1b needs 4.
    assert "暂不符合申报条件" in html


def test_an_unknown_plan_id_falls_back_to_the_policy_defaults(client, demo):
    client.force_login(User.objects.get(mobile="13900000002"))
    response = client.get(URL, {"source": "archive", "plan": "999999", "policy": "wz-jidian-2020", "level": "engineer"})
    assert response.status_code == 200 and "符合申报条件" in response.content.decode()
