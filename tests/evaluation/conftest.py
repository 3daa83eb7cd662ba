"""Fixtures of the evaluation tests: the demo's open Wenzhou plan (machinery committee) with
its expert pool (``load_demo`` puts six experts in it), 张伟 qualified through the real review
chain, and synthetic qualified applications for the cases that need many applicants."""

from __future__ import annotations

import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from tests import factories
from tests.applications.conftest import demo, huang, open_plan, zhang  # noqa: F401  (fixtures)
from tests.applications.test_workflow import qualified
from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.evaluation.models import Expert
from zhicheng.evaluation.services import exams, pool
from zhicheng.orgs.models import Committee, Membership, Organisation, Role
from zhicheng.plans.models import Plan
from zhicheng.reference.models import Region, TitleLevel

SECRETARY = "13900000004"  # 陈静: the office of both Wenzhou committees
EXPERT = "13900000005"  # 刘振华: in both Wenzhou pools, works at 黄志远's employer
_numbers = itertools.count(1)

FLAGGED_SCORE = {
    "basic": 12.0,
    "achievements": 20.0,
    "bonus": 1.5,
    "self_score": 33.5,
    "items": [
        {"id": "education", "part": "basic", "label": "学历", "points": 12.0, "note": "大学本科"},
        {"id": "patents[0]", "part": "achievements", "label": "专利", "points": 20.0, "note": "发明专利"},
        {"id": "awards[0]", "part": "achievements", "label": "获奖", "points": 0.0, "note": "省级二等奖"},
        {"id": "awards[1]", "part": "achievements", "label": "获奖", "points": 0.0, "note": "市级一等奖"},
        {"id": "mountain", "part": "bonus", "label": "山区县工作加分", "points": 1.5, "note": "3 年"},
    ],
    "flagged": [
        {"item": "awards[0]", "reason": "省级奖项由评议专家酌情量分"},
        {"item": "awards[1]", "reason": "市级一等奖由评议专家酌情量分"},
    ],
}


@pytest.fixture
def secretary(demo) -> User:  # noqa: F811
    return User.objects.get(mobile=SECRETARY)


@pytest.fixture
def expert_user(demo) -> User:  # noqa: F811
    return User.objects.get(mobile=EXPERT)


@pytest.fixture
def zhang_qualified(zhang, open_plan) -> Application:  # noqa: F811
    return qualified(zhang, open_plan)


def make_qualified(plan: Plan, *, employer: Organisation | None = None, score: dict | None = None) -> Application:
    """A qualified application of a new applicant, its snapshot reduced to what the evaluation
    reads (the person and the engine's score)."""
    employer = employer or factories.EmployerFactory()
    user = factories.ApplicantFactory(profile__employer=employer)
    snapshot = {
        "person": {
            "name": user.real_name,
            "id_number": user.id_number,
            "employer": employer.name,
            "employer_id": employer.pk,
        },
        "result": {
            "policy": "wz-jidian-2020",
            "level": "engineer",
            "eligible": True,
            "routes": [],
            "checks": [],
            "score": score or FLAGGED_SCORE,
        },
    }
    return Application.objects.create(
        applicant=user,
        plan=plan,
        level=TitleLevel.objects.get(code="engineer"),
        status=Application.Status.QUALIFIED,
        number=f"{plan.number}-T{next(_numbers):05d}",
        snapshot=snapshot,
        submitted_at=timezone.now(),
    )


def add_expert(committee: Committee, *, user: User | None = None, employer: Organisation | None = None, **extra):
    """An expert (senior engineer) in ``committee``'s pool, added by a platform administrator."""
    admin = User.objects.get(mobile="13900000000")
    data = {
        "committee": committee,
        "name": extra.pop("name", f"专家{next(_numbers)}"),
        "title_level": TitleLevel.objects.get(code=extra.pop("level", "senior_engineer")),
        "specialty": "机械工程",
        "region": Region.objects.get(code="330300"),
        "employer": employer,
        "user": user,
        "is_active": True,
        **extra,
    }
    return pool.expert_create(actor=admin, data=data)


def voting_experts(committee: Committee, count: int) -> list[Expert]:
    """``count`` experts with login accounts, the only active ones in the pool."""
    Expert.objects.filter(committee=committee).update(is_active=False)
    return [add_expert(committee, user=factories.UserFactory()) for _ in range(count)]


def passing_exams(actor: User, plan: Plan, applications: list[Application]) -> None:
    entries = {a.pk: {"exam_raw": Decimal(80), "interview_raw": Decimal(70)} for a in applications}
    exams.exam_results_save(actor=actor, plan=plan, entries=entries)


def secretary_of_another_committee() -> User:
    """The Ningbo committee's office: a committee secretary, but not of the Wenzhou plans."""
    committee = Committee.objects.get(name__startswith="宁波市质量技术基础")
    user = factories.UserFactory()
    Membership.objects.create(
        user=user, organisation=committee.organising_body, committee=committee, role=Role.COMMITTEE_SECRETARY
    )
    return user
