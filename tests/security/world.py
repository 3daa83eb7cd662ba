"""The world the security tests run in: the demo, 张伟's application submitted to his
employer, and one persona per role (see ``PERSONAS``).

Built once per module with ``django_db_blocker`` inside an outer transaction that is rolled
back when the module ends, so the tests see it without rebuilding it and leave nothing behind.
"""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.management import call_command
from django.db import transaction

PERSONAS = (
    "anonymous",
    "applicant_a",
    "applicant_b",
    "employer_a",
    "employer_other",
    "county_in_chain",
    "county_outside",
    "committee_office",
    "expert",
    "city_office",
    "admin",
)

MOBILES = {
    "applicant_a": "13900000002",  # 张伟
    "applicant_b": "13900000032",  # 黄志远
    "employer_a": "13900000001",  # 瑞安市华东机械有限公司
    "employer_other": "13900000011",
    "county_in_chain": "13900000003",  # 瑞安市人社局
    "committee_office": "13900000004",
    "expert": "13900000005",
    "city_office": "13900000006",
    "admin": "13900000000",
}

MISSING = 987654  # a primary key no object has


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    objects: dict[str, Any] = field(default_factory=dict)

    def user(self, persona: str):
        return self.users.get(persona)


def build_world() -> World:
    from tests import factories
    from tests.applications.conftest import complete_draft
    from zhicheng.accounts.models import User
    from zhicheng.applications import services as app_services
    from zhicheng.archive.models import Evidence
    from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER
    from zhicheng.documents.models import ExportJob
    from zhicheng.evaluation.models import Expert
    from zhicheng.integrity.models import IntegrityRecord
    from zhicheng.notifications.models import Message
    from zhicheng.orgs.models import Organisation, Role
    from zhicheng.plans.models import Plan
    from zhicheng.portal.models import Notice

    call_command("load_reference", verbosity=0)
    call_command("load_demo", stdout=io.StringIO())
    world = World()
    for persona, mobile in MOBILES.items():
        world.users[persona] = User.objects.get(mobile=mobile)
    pingyang = Organisation.objects.get(name="平阳县人力资源和社会保障局")
    world.users["county_outside"] = factories.member_of(pingyang, Role.OFFICE_REVIEWER, real_name="平阳审核员")
    world.users["anonymous"] = None

    a = world.users["applicant_a"]
    plan = Plan.objects.get(number=DEMO_OPEN_NUMBER)
    application = app_services.application_submit(actor=a, application=complete_draft(a, plan))
    evidence = Evidence.objects.filter(record__owner=a).select_related("record").first()
    if evidence is None:  # pragma: no cover - the demo gives 张伟 evidence
        raise RuntimeError("the demo gave 张伟 no evidence file")
    record = evidence.record
    employer = Organisation.objects.get(pk=application.snapshot["person"]["employer_id"])
    job = ExportJob.objects.create(
        kind=ExportJob.Kind.ROSTER, parameters={"plan": plan.pk}, created_by=world.users["county_in_chain"]
    )
    message = Message.objects.filter(recipient=a, channel=Message.Channel.INBOX).first()  # only these are marked read
    integrity = IntegrityRecord.objects.create(
        person=world.users["applicant_b"],
        kind=IntegrityRecord.Kind.PLAGIARISM,
        description="安全测试：剽窃他人成果",
        found_on=date(2024, 1, 10),
        banned_from=date(2024, 1, 10),
        banned_until=date(2025, 1, 9),
        recorded_by=world.users["city_office"],
    )
    world.objects.update(
        plan=plan,
        application=application,
        record=record,
        evidence=evidence,
        employer=employer,
        job=job,
        message=message,
        integrity=integrity,
        expert=Expert.objects.filter(committee=plan.committee).first(),
        notice=Notice.objects.first(),
        attachment=application.attachments.first() if hasattr(application, "attachments") else None,
    )
    return world


class WorldScope:
    """An outer transaction holding the world for one module; rolled back on ``close``."""

    def __init__(self, django_db_blocker) -> None:
        self.blocker = django_db_blocker
        self.atomic = transaction.atomic()

    def open(self) -> World:
        self.blocker.unblock()
        self.atomic.__enter__()
        try:
            return build_world()
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        transaction.set_rollback(True)
        self.atomic.__exit__(None, None, None)
        self.blocker.restore()


def random_token() -> str:
    return uuid.uuid4().hex
