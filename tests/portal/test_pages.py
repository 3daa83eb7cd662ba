"""Public pages and each persona's own home."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories
from zhicheng.orgs.models import Role
from zhicheng.portal.models import Notice

pytestmark = pytest.mark.django_db


def test_home_is_public_with_notices_and_entry_points(client, reference_data):
    Notice.objects.create(title="关于开展2024年度企业人员机械专业评审工作的通知", body="正文")
    html = client.get(reverse("portal:home")).content.decode()
    assert "关于开展2024年度企业人员机械专业评审工作的通知" in html
    for name in ("accounts:login", "accounts:register", "orgs:employer_register", "reference:calendar"):
        assert reverse(name) in html


def test_unpublished_notice_is_hidden(client):
    notice = Notice.objects.create(title="草稿通知", body="x", is_published=False)
    assert client.get(reverse("portal:notice", args=[notice.pk])).status_code == 404


def test_dashboard_requires_login(client):
    assert client.get(reverse("portal:dashboard")).status_code == 302


def test_applicant_home_asks_for_basic_information(client, reference_data):
    person = factories.ApplicantFactory()
    client.force_login(person)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="applicant-home"' in html and "完善个人基本信息" in html


def test_employer_admin_home_shows_status(client, employer, employer_admin):
    client.force_login(employer_admin)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="employer-home"' in html and employer.name in html and "已通过" in html


@pytest.mark.parametrize("role", [Role.OFFICE_REVIEWER, Role.COMMITTEE_SECRETARY, Role.EXPERT, Role.CITY_TITLE_OFFICER])
def test_office_personas_see_their_organisation(client, reference_data, role):
    office = factories.OfficeFactory()
    user = factories.member_of(office, role)
    client.force_login(user)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="office-home"' in html and office.name in html


def test_admin_home_counts_pending_employers(client, platform_admin, reference_data):
    factories.EmployerFactory(status="pending")
    client.force_login(platform_admin)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-testid="admin-home"' in html and "<strong>1</strong>" in html


def test_navigation_is_role_aware(client, employer, employer_admin, platform_admin):
    client.force_login(employer_admin)
    html = client.get(reverse("portal:home")).content.decode()
    assert reverse("orgs:my_employer") in html and reverse("orgs:employer_queue") not in html
    client.force_login(platform_admin)
    assert reverse("orgs:employer_queue") in client.get(reverse("portal:home")).content.decode()


def test_english_is_selectable(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get(reverse("portal:home")).content.decode()
    assert '<html lang="en">' in html
    assert "Log in" in html and "Review calendar" in html and "Notices" in html


def test_chinese_is_the_default_whatever_the_browser_asks(client):
    html = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-CN">' in html and "登录" in html


def test_pages_forbid_inline_and_foreign_scripts(client):
    policy = client.get(reverse("portal:home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]


def test_employer_home_counts_staff_records_waiting_for_review(client, employer, employer_admin):
    from zhicheng.archive import services as archive_services

    person = factories.ApplicantFactory(profile__employer=employer)
    archive_services.record_create(
        actor=person,
        record_type="assessment",
        data={"year": 2023, "result": "pass"},
    )
    client.force_login(employer_admin)
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert '<strong data-testid="pending-records">1</strong>' in html


def test_demo_applicant_home_recommends_the_open_plan_with_its_verdict(client, reference_data):
    from django.core.management import call_command

    from zhicheng.accounts.models import User

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115, PTH123
    client.force_login(User.objects.get(mobile="13900000002"))
    html = client.get(reverse("portal:dashboard")).content.decode()
    assert 'data-recommended-plan="DEMO-2024-WZJX-OPEN"' in html and "符合申报条件" in html
