"""Fixtures of the results and certificate tests: 张伟's application on the demo's open Wenzhou
plan, qualified through the real chain (``tests.applications.test_workflow.qualified``), with
the committee's confirmed decision written directly (the evaluation UI is built elsewhere)."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from tests.applications.conftest import demo, huang, open_plan, zhang  # noqa: F401  (fixtures)
from tests.applications.test_workflow import qualified
from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.certificates import services
from zhicheng.certificates.models import Certificate, ResultPublicity
from zhicheng.evaluation.models import Decision
from zhicheng.plans.models import SHANGHAI

SECRETARY = "13900000004"  # 陈静, office of the open plan's committee (机械工程学会)
CITY_OFFICER = "13900000006"  # 温州市职改办
COUNTY_REVIEWER = "13900000003"  # 瑞安市人社局
DOCUMENT = "温职改〔2024〕12号"


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=SHANGHAI)


def decide(application: Application, *, passed: bool = True) -> Decision:
    yes, no = (9, 2) if passed else (4, 7)
    return Decision.objects.create(
        application=application, yes=yes, no=no, abstain=0, passed=passed, confirmed_at=timezone.now()
    )


def user(mobile: str) -> User:
    return User.objects.get(mobile=mobile)


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def secretary(demo) -> User:  # noqa: F811
    return user(SECRETARY)


@pytest.fixture
def city_officer(demo) -> User:  # noqa: F811
    return user(CITY_OFFICER)


@pytest.fixture
def decided(zhang, open_plan) -> Application:  # noqa: F811
    application = qualified(zhang, open_plan)
    decide(application, passed=True)
    return application


def open_publicity(secretary: User, plan, now: datetime | None = None) -> ResultPublicity:
    return services.publicity_open(actor=secretary, plan=plan, note="异议受理电话：0577-88888888", now=now)


def publish(city_officer: User, publicity: ResultPublicity) -> list[Certificate]:
    """Publish on the publicity's last working day."""
    return services.publicity_publish(
        actor=city_officer, publicity=publicity, document_number=DOCUMENT, now=at(publicity.ends_on.isoformat(), 16)
    )


@pytest.fixture
def certificate(decided, secretary, city_officer) -> Certificate:
    publicity = open_publicity(secretary, decided.plan)
    (issued,) = publish(city_officer, publicity)
    return issued
