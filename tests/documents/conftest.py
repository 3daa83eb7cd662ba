"""Fixtures of the document tests: the demo's open Wenzhou plan with 张伟's application submitted
through the services, brought further along the chain by writing the history rows directly
(the review workflow has its own tests), and the demo's office staff."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from tests import factories
from tests.applications.conftest import HUANG, ZHANG, complete_draft
from zhicheng.accounts.models import User
from zhicheng.applications import services
from zhicheng.applications.models import Application, StatusChange
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
from zhicheng.orgs.models import Organisation, Role
from zhicheng.plans.models import Plan, PlanStage

EMPLOYER_ADMIN = "13900000001"  # 瑞安市华东机械有限公司, 张伟's employer
COUNTY_REVIEWER = "13900000003"  # 瑞安市人力社保局: office_reviewer (roster.export)
CITY_OFFICER = "13900000006"  # 温州市人力社保局（职改办）: the open plan's last stage


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=io.StringIO())


@pytest.fixture
def open_plan(demo) -> Plan:
    return Plan.objects.get(number=DEMO_OPEN_NUMBER)


def user(mobile: str) -> User:
    return User.objects.get(mobile=mobile)


@pytest.fixture
def zhang(demo) -> User:
    return user(ZHANG)


@pytest.fixture
def huang(demo) -> User:
    return user(HUANG)


@pytest.fixture
def employer_admin(demo) -> User:
    return user(EMPLOYER_ADMIN)


@pytest.fixture
def county_reviewer(demo) -> User:
    return user(COUNTY_REVIEWER)


@pytest.fixture
def city_officer(demo) -> User:
    return user(CITY_OFFICER)


@pytest.fixture
def outsider(demo) -> User:
    """A reviewer (with ``roster.export``) at a Ningbo office, outside the open Wenzhou plan."""
    office = Organisation.objects.get(name="宁波市鄞州区人力资源和社会保障局")
    return factories.member_of(office, Role.OFFICE_REVIEWER, real_name="鄞州审核员")


@pytest.fixture
def submitted(zhang, open_plan) -> Application:
    return services.application_submit(actor=zhang, application=complete_draft(zhang, open_plan))


def stage_office(application: Application, stage: PlanStage) -> Organisation:
    if stage.organisation is not None:
        return stage.organisation
    if stage.office_kind == PlanStage.OfficeKind.ACCEPTANCE_POINT:
        return application.acceptance_point.office
    return Organisation.objects.get(pk=application.snapshot["person"]["employer_id"])


def opinion(stage: PlanStage) -> str:
    return f"同意推荐（{stage.label}）"


def approve_stages(application: Application, upto: int | None = None) -> Application:
    """Approvals at each stage (up to ``upto``), a day apart; the last one qualifies it."""
    stages = list(application.plan.stages.order_by("order"))
    upto = upto or stages[-1].order
    start = application.submitted_at
    for stage in stages:
        if stage.order > upto:
            break
        office = stage_office(application, stage)
        StatusChange.objects.create(
            application=application,
            from_status="in_review",
            to_status="in_review",
            action=StatusChange.Action.APPROVE,
            actor=office.memberships.first().user if office.memberships.exists() else application.applicant,
            reason=opinion(stage),
            office=office,
            stage_order=stage.order,
            stage_label=stage.label,
            at=start + timedelta(days=stage.order),
        )
    following = [s for s in stages if s.order > upto]
    if following:
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.IN_REVIEW,
            stage_order=following[0].order,
            current_office=stage_office(application, following[0]),
        )
    else:
        Application.objects.filter(pk=application.pk).update(
            status=Application.Status.QUALIFIED, stage_order=None, current_office=None
        )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def qualified(submitted) -> Application:
    return approve_stages(submitted)


def make_exceptional(application: Application, *, remarks: dict | None = None, experts: int = 2) -> Application:
    """Turn a submitted application into a 破格 one: its type, remarks and experts in the snapshot
    (the engine's score is already there: the Wenzhou standard scores every applicant)."""
    snapshot = dict(application.snapshot)
    snapshot["info"] = {**snapshot["info"], "application_type": "exceptional"}
    route = {
        "id": "wz-jidian-2020/engineer/10.2",
        "application_type": "exceptional",
        "clause": "温职改办〔2020〕5号 第十条（二）",
        "met": True,
        "checks": [{"id": "achievements", "met": True, "expected": "业绩突出", "actual": "主持市级科研项目 1 项"}],
    }
    snapshot["result"] = {**snapshot["result"], "routes": [*snapshot["result"]["routes"], route]}
    snapshot["self_score_remarks"] = remarks or {}
    snapshot["recommendations"] = [
        {
            "expert_name": name,
            "title_level": "高级工程师（副高级）",
            "specialty": "机械工程",
            "employer": "温州大学",
            "province": "浙江",
        }
        for name in ("王专家", "李专家")[:experts]
    ]
    Application.objects.filter(pk=application.pk).update(application_type="exceptional", snapshot=snapshot)
    return Application.objects.get(pk=application.pk)


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def compact(text: str) -> str:
    """Extracted text without white space (table cells may break lines anywhere)."""
    return "".join(text.split())


def local_date(moment) -> str:
    day = timezone.localtime(moment).date()
    return f"{day.year}年{day.month}月{day.day}日"
