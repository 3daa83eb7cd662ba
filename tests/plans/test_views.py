"""The committee office's plan form: Chinese errors beside the fields, and who may use it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.plans.conftest import secretary_of
from zhicheng.core.audit import entries_for
from zhicheng.plans import services
from zhicheng.plans.models import Plan
from zhicheng.reference.models import Series, Specialty, TitleLevel

pytestmark = pytest.mark.django_db


def post_data(committee, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "2022-00533",
        "year": "2022",
        "name": "2022年度温州市企业人员机电专业中、初级专业技术职务任职资格评审申报计划",
        "committee": str(committee.pk),
        "series": str(Series.objects.get(code="engineering").pk),
        "specialty": str(Specialty.objects.get(code="electromechanical_manufacturing").pk),
        "policy_id": "wz-jidian-2020",
        "levels": [
            str(pk)
            for pk in TitleLevel.objects.filter(code__in=["assistant_engineer", "engineer"]).values_list(
                "pk", flat=True
            )
        ],
        "application_types": ["normal", "exceptional"],
        "individual_start": "2022-08-01T00:00",
        "individual_end": "2022-10-20",
        "employer_deadline": "2022-11-02",
        "seniority_cutoff": "2022-12-31",
        "achievements_cutoff": "2022-07-31",
        "publicity_working_days": "5",
        "remark": "",
        "is_published": "on",
        "stages-TOTAL_FORMS": "3",
        "stages-INITIAL_FORMS": "0",
        "stages-MIN_NUM_FORMS": "0",
        "stages-MAX_NUM_FORMS": "1000",
        "stages-0-order": "1",
        "stages-0-office_kind": "employer",
        "stages-0-label": "用人单位审核推荐",
        "stages-0-deadline": "2022-11-02",
        "stages-1-order": "2",
        "stages-1-office_kind": "acceptance_point",
        "stages-1-label": "县级人力社保部门资格审查",
        "stages-1-deadline": "2022-11-15",
        "stages-2-order": "",
        "stages-2-office_kind": "",
        "stages-2-label": "",
        "stages-2-deadline": "",
    }
    data.update(overrides)
    return data


def field_errors(html: str, name: str) -> list[str]:
    return re.findall(rf'data-field-error="{re.escape(name)}">([^<]*)<', html)


def test_secretary_creates_plan_for_own_committee(client, wz_committee, wz_secretary):
    client.force_login(wz_secretary)
    response = client.post(reverse("plans:create"), post_data(wz_committee))
    plan = Plan.objects.get(number="2022-00533")
    assert response.status_code == 302 and response.url == reverse("plans:detail", args=[plan.pk])
    assert plan.committee == wz_committee and plan.created_by == wz_secretary
    assert plan.application_types == ["normal", "exceptional"]
    assert [(s.order, s.label) for s in plan.stages.all()] == [(1, "用人单位审核推荐"), (2, "县级人力社保部门资格审查")]
    assert plan.individual_last_day.isoformat() == "2022-10-20"
    assert [e.action for e in entries_for(plan)] == ["plan.create"]
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "2022-10-20 23:59:59" in page and "县级人力社保部门资格审查" in page and "已截止" in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"individual_end": "2022-07-01"}, "individual_end", "个人申报截止时间应晚于开始时间"),
        ({"employer_deadline": "2022-10-01"}, "employer_deadline", "单位推荐截止日不得早于个人申报截止日"),
        ({"policy_id": "no-such-policy"}, "policy_id", "政策“no-such-policy”不存在"),
        ({"seniority_cutoff": "2023-12-31"}, "seniority_cutoff", "资历计算截止日应在计划年度"),
        ({"achievements_cutoff": "2023-01-01"}, "achievements_cutoff", "业绩截止日不得晚于资历计算截止日"),
        ({"levels": []}, "levels", "请至少选择一个申报级别"),
        ({"application_types": ["private"]}, "application_types", "不包含以下申报类型：private"),
        ({"stages-1-deadline": "2022-11-01"}, "stages-1-deadline", "审核截止日应按环节顺序排列"),
        ({"stages-1-order": "1"}, "stages-1-order", "顺序不能重复"),
    ],
)
def test_form_errors_beside_fields(client, wz_committee, wz_secretary, overrides, field, message):
    client.force_login(wz_secretary)
    response = client.post(reverse("plans:create"), post_data(wz_committee, **overrides))
    assert response.status_code == 400
    errors = field_errors(response.content.decode(), field)
    assert any(message in e for e in errors), errors
    assert not Plan.objects.exists()


def test_levels_must_belong_to_policy(client, wz_committee, wz_secretary):
    client.force_login(wz_secretary)
    technician = str(TitleLevel.objects.get(code="technician").pk)
    response = client.post(
        reverse("plans:create"), post_data(wz_committee, policy_id="nb-quality-2024", levels=[technician])
    )
    assert response.status_code == 400
    assert any("所选政策不包含以下级别：技术员" in e for e in field_errors(response.content.decode(), "levels"))


def test_secretary_cannot_create_for_another_committee(client, wz_committee, nb_committee, nb_secretary):
    client.force_login(nb_secretary)
    response = client.post(reverse("plans:create"), post_data(wz_committee, policy_id="wz-jidian-2020"))
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "committee")
    assert not Plan.objects.exists()


def test_service_refuses_other_committee(wz_committee, nb_secretary):
    from django.core.exceptions import PermissionDenied

    from tests.plans.conftest import plan_data

    with pytest.raises(PermissionDenied):
        services.plan_create(actor=nb_secretary, data=plan_data(wz_committee), stages=[])


def test_only_own_secretary_or_staff_edits(client, make_plan, wz_committee, wz_secretary, nb_secretary, platform_admin):
    plan = make_plan(wz_committee)
    url = reverse("plans:edit", args=[plan.pk])
    applicant = factories.ApplicantFactory()
    client.force_login(applicant)
    assert client.get(url).status_code == 403
    assert client.get(reverse("plans:create")).status_code == 403
    assert client.get(reverse("plans:manage_list")).status_code == 403
    client.force_login(nb_secretary)
    assert client.get(url).status_code == 403
    assert client.post(url, post_data(wz_committee)).status_code == 403
    assert client.get(reverse("plans:edit", args=[plan.pk + 999])).status_code == 404
    assert "2022-00533" not in client.get(reverse("plans:manage_list")).content.decode()
    client.force_login(wz_secretary)
    assert client.get(url).status_code == 200
    assert "2022-00533" in client.get(reverse("plans:manage_list")).content.decode()
    client.force_login(platform_admin)
    assert client.get(url).status_code == 200
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_edit_updates_plan_and_chain(client, make_plan, wz_committee, wz_secretary):
    plan = make_plan(wz_committee)
    client.force_login(wz_secretary)
    page = client.get(reverse("plans:edit", args=[plan.pk])).content.decode()
    assert 'value="2022-10-20"' in page and "市人力社保局资格审查" in page
    response = client.post(
        reverse("plans:edit", args=[plan.pk]), post_data(wz_committee, name="改名后的计划", individual_end="2022-10-25")
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.name == "改名后的计划" and plan.individual_last_day.isoformat() == "2022-10-25"
    assert plan.stages.count() == 2
    assert [e.action for e in entries_for(plan)] == ["plan.create", "plan.update"]


def test_unpublished_plan_hidden_from_public(client, make_plan, wz_committee, wz_secretary):
    plan = make_plan(wz_committee, is_published=False)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 404
    client.force_login(wz_secretary)
    assert client.get(reverse("plans:detail", args=[plan.pk])).status_code == 200


def test_secretary_membership_without_committee_grants_nothing(client, wz_committee, make_plan):
    from zhicheng.orgs.models import Membership, Role

    plan = make_plan(wz_committee)
    user = factories.UserFactory()
    Membership.objects.create(user=user, organisation=wz_committee.organising_body, role=Role.COMMITTEE_SECRETARY)
    client.force_login(user)
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 403
    other = secretary_of(wz_committee)
    client.force_login(other)
    assert client.get(reverse("plans:edit", args=[plan.pk])).status_code == 200


def test_duplicate_number_error_beside_field(client, make_plan, wz_committee, wz_secretary):
    make_plan(wz_committee)
    client.force_login(wz_secretary)
    assert client.get(reverse("plans:create")).status_code == 200
    response = client.post(reverse("plans:create"), post_data(wz_committee))
    assert response.status_code == 400
    assert any("计划编号" in e for e in field_errors(response.content.decode(), "number"))
    assert Plan.objects.count() == 1


def test_detail_says_open_now_opens_on_or_closed(client, make_plan, wz_committee):
    from datetime import timedelta

    from django.utils import timezone

    from zhicheng.plans.models import end_of_day, start_of_day

    today = timezone.localdate()
    closed = make_plan(wz_committee)
    open_plan = make_plan(
        wz_committee,
        number="OPEN",
        individual_start=start_of_day(today),
        individual_end=end_of_day(today),
        employer_deadline=None,
    )
    later = make_plan(
        wz_committee,
        number="LATER",
        individual_start=start_of_day(today + timedelta(days=3)),
        individual_end=end_of_day(today + timedelta(days=9)),
        employer_deadline=None,
    )
    assert "已截止" in client.get(reverse("plans:detail", args=[closed.pk])).content.decode()
    page = client.get(reverse("plans:detail", args=[open_plan.pk])).content.decode()
    assert f"申报中，{today:%Y-%m-%d} 23:59:59 截止" in page and "通知未载明" in page
    page = client.get(reverse("plans:detail", args=[later.pk])).content.decode()
    assert f"{today + timedelta(days=3):%Y-%m-%d} 00:00 开始申报" in page
