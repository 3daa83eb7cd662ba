"""The demo data loads idempotently and every demo persona reaches its own home."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhicheng.accounts.models import User
from zhicheng.core.audit import verify_chain
from zhicheng.core.management.commands.load_demo import DEMO_PASSWORD
from zhicheng.orgs.models import Committee, Organisation

pytestmark = pytest.mark.django_db

PERSONA_HOMES = {
    "13900000000": "admin-home",
    "13900000002": "applicant-home",
    "13900000001": "employer-home",
    "13900000009": "employer-home",
    "13900000003": "office-home",
    "13900000004": "office-home",
    "13900000005": "office-home",
    "13900000006": "office-home",
}


@pytest.fixture
def demo(reference_data, capsys):
    call_command("load_demo")
    return capsys.readouterr().out


def test_demo_prints_every_login(demo):
    assert DEMO_PASSWORD in demo
    for mobile in PERSONA_HOMES:
        assert mobile in demo


def test_demo_is_idempotent(demo):
    counts = (User.objects.count(), Organisation.objects.count(), Committee.objects.count())
    call_command("load_demo")
    assert (User.objects.count(), Organisation.objects.count(), Committee.objects.count()) == counts


def test_demo_has_seed_committees_and_one_pending_employer(demo):
    names = set(Committee.objects.values_list("name", flat=True))
    assert "温州市企业人员机电专业工程师职务任职资格评审委员会" in names
    assert any("上虞" in name for name in names) and any("宁波" in name for name in names)
    assert any("机械" in name for name in names)
    pending = Organisation.objects.filter(kind="employer", status="pending")
    assert list(pending.values_list("name", flat=True)) == ["平阳县恒远机电有限公司"]


def test_demo_actions_are_in_a_valid_audit_chain(demo):
    report = verify_chain()
    assert report.ok and report.checked > 10


@pytest.mark.parametrize(("mobile", "home"), PERSONA_HOMES.items())
def test_each_persona_logs_in_to_its_own_home(client, demo, mobile, home):
    response = client.post(reverse("accounts:login"), {"login": mobile, "password": DEMO_PASSWORD}, follow=True)
    assert response.status_code == 200
    assert f'data-testid="{home}"' in response.content.decode()
