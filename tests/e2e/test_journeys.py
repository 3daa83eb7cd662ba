"""Browser journeys: employer registration and approval, applicant registration and basic info.

Run alone with ``pytest tests/e2e`` (or ``-m e2e``); see ``conftest.py`` for the browser setup.
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect

from tests.factories import MINIMAL_PDF, PASSWORD
from zhicheng.accounts.models import User
from zhicheng.lib.idnumbers import make_resident_id
from zhicheng.lib.uscc import make_uscc
from zhicheng.notifications.models import Channel, Message, Status
from zhicheng.orgs.models import Organisation
from zhicheng.reference.models import Region

pytestmark = pytest.mark.e2e

DASHBOARD_SCREENSHOT = "/tmp/e2e-dashboard.png"  # noqa: S108 - a fixed path asked for by reviewers

EMPLOYER_NAME = "瑞安市浙南精工机械有限公司"
EMPLOYER_KEYWORD = "浙南精工"  # 4+ characters: what the applicant types in the employer search
HOLDER_NAME = "陈经办"
HOLDER_MOBILE = "13905770001"
ADMIN_MOBILE = "13905770002"
APPLICANT_NAME = "林工程"
APPLICANT_MOBILE = "13905770003"
APPLICANT_ID = make_resident_id(area="330381", birth=date(1990, 5, 17), seq="031")  # odd: male


def log_in(page: Page, login: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(password)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="登录", exact=True)).to_be_visible()
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def test_employer_registered_approved_and_chosen_by_an_applicant(page: Page, live_server, reference_loaded, js_errors):
    county = Region.objects.get(code="330381")  # 温州市 瑞安市

    # 1. The employer registers itself; its holder's account is created and logged in.
    page.goto("/orgs/employers/register/")
    expect(page.get_by_role("heading", name="用人单位注册")).to_be_visible()
    page.locator("#id_name").fill(EMPLOYER_NAME)
    page.locator("#id_uscc").fill(make_uscc("91330381MA2TE2E01"))
    page.locator("#id_county").select_option(str(county.pk))
    page.locator("#id_nature").select_option(Organisation.Nature.PRIVATE)
    page.locator("#id_annual_revenue_wan").fill("3500")
    page.locator("#id_staff_count").fill("320")
    page.locator("#id_address").fill("瑞安市安阳街道万松东路 88 号")
    page.locator("#id_phone").fill("0577-65800000")
    page.locator("#id_authorisation_letter").set_input_files(
        files=[{"name": "授权委托证明.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.locator("#id_holder_name").fill(HOLDER_NAME)
    page.locator("#id_holder_mobile").fill(HOLDER_MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.get_by_role("button", name="提交注册").click()

    # 2. The holder lands on the employer's page: pending review.
    expect(page).to_have_url(re.compile(r"/orgs/employers/mine/$"))
    expect(page.get_by_role("heading", name=EMPLOYER_NAME)).to_be_visible()
    expect(page.get_by_test_id("employer-status")).to_have_text("待审核")
    expect(page.get_by_test_id("current-user")).to_have_text(HOLDER_NAME)
    employer = Organisation.objects.get(name=EMPLOYER_NAME)
    assert employer.status == Organisation.Status.PENDING
    assert employer.authorisation_letter
    log_out(page)

    # 3. A platform administrator approves it.
    User.objects.create_user(mobile=ADMIN_MOBILE, password=PASSWORD, real_name="平台管理员", is_staff=True)
    log_in(page, ADMIN_MOBILE)
    page.goto("/orgs/employers/review/")
    row = page.locator("tbody tr", has_text=EMPLOYER_NAME)
    expect(row).to_have_count(1)
    row.get_by_role("link", name="审核").click()
    expect(page).to_have_url(re.compile(rf"/orgs/employers/{employer.pk}/review/$"))
    expect(page.get_by_role("heading", name=EMPLOYER_NAME)).to_contain_text("待审核")
    page.get_by_role("button", name="审核通过").click()
    expect(page).to_have_url(re.compile(r"/orgs/employers/review/$"))
    expect(page.get_by_role("status")).to_contain_text(f"已通过“{EMPLOYER_NAME}”的注册")
    expect(page.locator("tbody tr", has_text=EMPLOYER_NAME)).to_have_count(0)  # no longer pending
    employer.refresh_from_db()
    assert employer.status == Organisation.Status.APPROVED
    log_out(page)

    # The holder was told by SMS.
    sms = Message.objects.filter(channel=Channel.SMS, address=HOLDER_MOBILE, template="employer_approved")
    assert sms.count() == 1, list(Message.objects.values("channel", "address", "template", "status", "error"))
    assert sms.get().status == Status.SENT
    assert sms.get().recipient.mobile == HOLDER_MOBILE

    # 4. An applicant registers and is sent to the basic information page.
    page.goto("/accounts/register/")
    page.locator("#id_real_name").fill(APPLICANT_NAME)
    page.locator("#id_id_number").fill(APPLICANT_ID)
    page.locator("#id_mobile").fill(APPLICANT_MOBILE)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password_confirm").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="注册").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("status")).to_contain_text("注册成功")
    # Birth date and gender come from the ID number.
    expect(page.locator("#id_birth_date")).to_have_value("1990-05-17")
    expect(page.locator("#id_gender")).to_have_value("male")

    # 5. Basic information; the employer is found by a 4-character keyword (htmx) and clicked.
    page.locator("#id_political_status").select_option("masses")
    page.locator("#id_work_start").fill("2012-07-01")
    page.locator("#id_series").select_option(label="工程技术")
    page.locator("#employer-keyword").fill(EMPLOYER_KEYWORD)
    choice = page.locator(f"#employer-results [data-employer-id='{employer.pk}']")
    expect(choice).to_contain_text(EMPLOYER_NAME)
    choice.click()
    expect(page.locator("#employer-selected")).to_have_text(EMPLOYER_NAME)
    expect(page.locator("#employer-picker input[name=employer]")).to_have_value(str(employer.pk))
    expect(page.locator("#employer-results")).to_be_empty()
    page.locator("#id_employer_address").fill("瑞安市安阳街道万松东路 88 号")
    page.locator("#id_department").fill("研发部")
    page.locator("#id_position").fill("设计工程师")
    page.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/$"))
    expect(page.get_by_role("status")).to_contain_text("个人基本信息已保存")
    expect(page.locator("[data-field-error]")).to_have_count(0)
    expect(page.get_by_test_id("employer-selected")).to_have_text(EMPLOYER_NAME)

    # 6. Log out and in again (with the ID number): the applicant's home shows the employer.
    log_out(page)
    log_in(page, APPLICANT_ID)
    expect(page.get_by_test_id("current-user")).to_have_text(APPLICANT_NAME)
    home = page.get_by_test_id("applicant-home")
    expect(home).to_contain_text(EMPLOYER_NAME)
    expect(home).to_contain_text("已通过")
    expect(home).to_contain_text("工程技术")
    expect(home).to_contain_text("2012年7月")
    page.screenshot(path=DASHBOARD_SCREENSHOT, full_page=True)

    applicant = User.objects.get(mobile=APPLICANT_MOBILE)
    assert applicant.profile.employer == employer
    assert applicant.profile.is_complete
    assert js_errors == []


def test_anonymous_visitor_switches_to_english_and_reads_the_calendar(
    page: Page, live_server, reference_loaded, js_errors
):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")

    # The select submits its own form (static/js/app.js); set_language redirects back here.
    page.locator("select[name=language]").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Home", exact=True)).to_be_visible()

    page.goto("/reference/calendar/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is remembered
    rows = page.locator("#calendar-table tbody tr[data-row]")
    expect(rows.first).to_be_visible()
    assert rows.count() > 10
    expect(page.get_by_test_id("calendar-count")).to_contain_text(str(rows.count()))
    assert js_errors == []
