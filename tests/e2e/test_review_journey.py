"""Browser journey of the review chain on the demo: the employer approves after its publicity,
the county office returns the application with a reason, the applicant reads it, resubmits,
and the application is back at the employer without a new publicity period.

Run alone with ``pytest tests/e2e/test_review_journey.py``; see ``conftest.py`` for the browser.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.applications.conftest import ZHANG, complete_draft
from zhicheng.accounts.models import User
from zhicheng.applications import services
from zhicheng.applications.models import Application
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER, DEMO_PASSWORD
from zhicheng.plans.models import Plan

pytestmark = pytest.mark.e2e

EMPLOYER_ADMIN, COUNTY_REVIEWER = "13900000001", "13900000003"


def log_in(page: Page, mobile: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(mobile)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()


@pytest.fixture
def submitted(reference_loaded) -> Application:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    zhang = User.objects.get(mobile=ZHANG)
    application = complete_draft(zhang, Plan.objects.get(number=DEMO_OPEN_NUMBER))
    application = services.application_submit(actor=zhang, application=application)
    # Five working days pass: the publicity period ends today.
    Application.objects.filter(pk=application.pk).update(publicity_ends_on=timezone.localdate())
    return application


def test_employer_approves_county_returns_applicant_resubmits(page: Page, live_server, submitted, js_errors):
    number = submitted.number

    # The employer's admin finds it in the queue and approves, recording the publicity outcome.
    log_in(page, EMPLOYER_ADMIN)
    page.get_by_role("navigation").get_by_role("link", name="职称申报审核").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("publicity")).to_contain_text("单位公示至")
    page.get_by_label("审核通过", exact=True).check()
    page.locator("#id_reason").fill("经公示无异议，同意推荐。")
    page.locator("#id_publicity_outcome").select_option("no_objection")
    page.get_by_role("button", name="提交审核结果").click()
    expect(page.get_by_test_id("queue")).not_to_contain_text(number)
    log_out(page)

    # The county office returns it with a reason.
    log_in(page, COUNTY_REVIEWER)
    page.get_by_role("navigation").get_by_role("link", name="职称申报审核").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_test_id("log")).to_contain_text("经公示无异议，同意推荐。")
    page.get_by_label("退回修改", exact=True).check()
    page.locator("#id_reason").fill("劳动合同起止时间与社保记录不一致，请核对")
    page.get_by_role("button", name="提交审核结果").click()
    log_out(page)

    # The applicant reads the reason and resubmits from the preview.
    log_in(page, ZHANG)
    expect(page.get_by_test_id("my-applications")).to_contain_text("已退回修改")
    page.goto(f"/applications/{submitted.pk}/")
    expect(page.get_by_test_id("returned")).to_contain_text("劳动合同起止时间与社保记录不一致")
    page.get_by_role("link", name="修改并重新提交").click()
    page.locator("[data-step=preview]").click()
    expect(page.get_by_test_id("problems")).to_have_count(0)
    page.get_by_role("button", name="提交申报").click()
    expect(page.get_by_test_id("status")).to_have_text("已提交，单位审核中")
    expect(page.get_by_test_id("timeline").locator("[data-state=current]")).to_contain_text("用人单位审核")

    application = Application.objects.get(pk=submitted.pk)
    assert application.stage_order == 1 and application.publicity_ends_on == timezone.localdate()
    assert list(application.status_changes.values_list("action", flat=True)) == [
        "submit",
        "approve",
        "return",
        "resubmit",
    ]
    assert js_errors == []
