"""Fixtures of the application tests: the demo (an open Wenzhou plan, eligible applicants with
approved archives) and helpers that fill each step of a draft through the services."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image

from tests.factories import MINIMAL_PDF
from zhicheng.accounts.models import User
from zhicheng.applications import selectors, services
from zhicheng.applications.models import Application
from zhicheng.applications.photo import validate_photo
from zhicheng.archive.models import Appointment, TitleHeld
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
from zhicheng.core.uploads import PDF
from zhicheng.plans.models import Plan
from zhicheng.reference.models import TitleLevel

ZHANG = "13900000002"  # Wenzhou, eligible for engineer (10.1b)
HUANG = "13900000032"  # Wenzhou, 2023 professional CE 10 hours short


def jpeg(width: int = 300, height: int = 400, size: int | None = 40 * 1024) -> bytes:
    """A JPEG of ``width`` × ``height`` padded after its end marker to exactly ``size`` bytes."""
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 210, 230)).save(buffer, "JPEG", quality=90)
    data = buffer.getvalue()
    if size is not None:
        assert len(data) <= size, f"image already {len(data)} bytes"
        data += b"\0" * (size - len(data))
    return data


def photo_file(**kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile("照片.jpg", jpeg(**kwargs), content_type="image/jpeg")


def pdf_file(name: str = "材料.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, MINIMAL_PDF, content_type="application/pdf")


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


@pytest.fixture
def open_plan(demo) -> Plan:
    return Plan.objects.get(number=DEMO_OPEN_NUMBER)


@pytest.fixture
def zhang(demo) -> User:
    return User.objects.get(mobile=ZHANG)


@pytest.fixture
def huang(demo) -> User:
    return User.objects.get(mobile=HUANG)


def info_data(application: Application, **overrides) -> dict:
    plan = application.plan
    data = {
        "level": application.level,
        "application_type": "normal",
        "subspecialty": plan.subspecialties.first(),
        "qualification_type": Application.QualificationType.TITLE,
        "has_appointment": True,
        "acceptance_point": application.acceptance_point or plan.acceptance_points.first(),
        "claims": [],
    }
    return {**data, **overrides}


def info_records(user: User) -> list:
    return [*TitleHeld.objects.filter(owner=user), *Appointment.objects.filter(owner=user)]


def start(user: User, plan: Plan, level: str = "engineer", now=None) -> Application:
    return services.application_start(actor=user, plan=plan, level=TitleLevel.objects.get(code=level), now=now)


def complete_draft(user: User, plan: Plan, level: str = "engineer", now=None) -> Application:
    """A draft with every step done through the services, ready to submit."""
    application = start(user, plan, level, now)
    upload = photo_file()
    services.application_save_photo(actor=user, application=application, upload=upload, size=validate_photo(upload))
    services.application_sign_pledge(actor=user, application=application, ip="127.0.0.1")
    services.application_save_info(
        actor=user, application=application, data=info_data(application), info_records=info_records(user)
    )
    everything = selectors.approved_records(user).values_list("pk", flat=True)
    services.application_select_records(actor=user, application=application, record_ids=list(everything))
    return Application.objects.get(pk=application.pk)


def add_recommendation(user: User, application: Application, id_number: str, name: str = "王专家"):
    data = {
        "expert_name": name,
        "expert_id_number": id_number,
        "title_level": "senior_engineer",
        "specialty": "机械工程",
        "employer_name": "温州大学",
        "province": "浙江",
        "is_relevant": True,
    }
    return services.recommendation_add(
        actor=user, application=application, data=data, letter=pdf_file("推荐信.pdf"), letter_kind=PDF
    )
