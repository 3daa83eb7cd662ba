"""Fixtures for plans: committees with their offices, secretaries and a plan builder."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests import factories
from zhicheng.orgs.models import AcceptancePoint, Committee, Membership, Organisation, Role
from zhicheng.plans import services
from zhicheng.plans.models import Plan, end_of_day, start_of_day
from zhicheng.reference.models import Region, Series, Specialty, TitleLevel


def _office(name: str, code: str, kind: str = Organisation.Kind.ASSOCIATION) -> Organisation:
    return Organisation.objects.create(
        name=name, kind=kind, region=Region.objects.get(code=code), status=Organisation.Status.APPROVED
    )


@pytest.fixture
def wz_committee(reference_data) -> Committee:
    body = _office("测试温州机电协会", "330300")
    return Committee.objects.create(
        name="测试温州机电评委会",
        organising_body=body,
        specialty=Specialty.objects.get(code="electromechanical_manufacturing"),
        region=Region.objects.get(code="330300"),
    )


@pytest.fixture
def nb_committee(reference_data) -> Committee:
    body = _office("测试宁波市场监管局", "330200", Organisation.Kind.INDUSTRY_BODY)
    return Committee.objects.create(
        name="测试宁波质量评委会",
        organising_body=body,
        specialty=Specialty.objects.get(code="quality_technology_foundation"),
        region=Region.objects.get(code="330200"),
    )


def secretary_of(committee: Committee, **fields: Any):
    user = factories.UserFactory(**fields)
    Membership.objects.create(
        user=user, organisation=committee.organising_body, committee=committee, role=Role.COMMITTEE_SECRETARY
    )
    return user


@pytest.fixture
def wz_secretary(wz_committee):
    return secretary_of(wz_committee)


@pytest.fixture
def nb_secretary(nb_committee):
    return secretary_of(nb_committee)


@pytest.fixture
def ruian_point(wz_committee) -> AcceptancePoint:
    office = _office("测试瑞安人社局", "330381", Organisation.Kind.HR_BUREAU)
    return AcceptancePoint.objects.create(name="测试瑞安受理点", office=office, region=office.region)


def plan_data(committee: Committee, **overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "number": "2022-00533",
        "year": 2022,
        "name": "2022年度温州市企业人员机电专业中、初级专业技术职务任职资格评审申报计划",
        "committee": committee,
        "series": Series.objects.get(code="engineering"),
        "specialty": Specialty.objects.get(code="electromechanical_manufacturing"),
        "subspecialties": [],
        "levels": list(TitleLevel.objects.filter(code__in=["technician", "assistant_engineer", "engineer"])),
        "application_types": [],
        "policy_id": "wz-jidian-2020",
        "acceptance_points": [],
        "individual_start": start_of_day(date(2022, 8, 1)),
        "individual_end": end_of_day(date(2022, 10, 20)),
        "employer_deadline": date(2022, 11, 2),
        "seniority_cutoff": date(2022, 12, 31),
        "achievements_cutoff": date(2022, 7, 31),
        "publicity_working_days": 5,
        "remark": "",
        "is_published": True,
    }
    data.update(overrides)
    return data


CHAIN = [
    {"order": 1, "office_kind": "employer", "label": "用人单位审核推荐", "deadline": date(2022, 11, 2)},
    {"order": 2, "office_kind": "acceptance_point", "label": "县级人力社保部门资格审查"},
    {"order": 3, "office_kind": "committee", "label": "评委会办公室资格审查"},
    {"order": 4, "office_kind": "title_office", "label": "市人力社保局资格审查"},
]


@pytest.fixture
def make_plan(platform_admin):
    def make(committee: Committee, stages: list[dict[str, Any]] | None = None, **overrides: Any) -> Plan:
        if stages is None:  # the 2022 deadlines only fit the 2022 window
            stages = CHAIN if "individual_end" not in overrides else [{**s, "deadline": None} for s in CHAIN]
        return services.plan_create(actor=platform_admin, data=plan_data(committee, **overrides), stages=stages)

    return make
