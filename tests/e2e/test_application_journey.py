"""Browser journey of an application: the demo applicant follows the recommendation to the open
plan, completes the six steps with real uploads, submits, and sees the timeline.

Run alone with ``pytest tests/e2e/test_application_journey.py``; see ``conftest.py`` for the browser.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.applications.conftest import ZHANG, jpeg
from tests.factories import MINIMAL_PDF
from zhicheng.applications.models import Application
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER, DEMO_PASSWORD

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_loaded(reference_loaded):
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115


def test_demo_applicant_applies_through_the_six_steps(page: Page, live_server, demo_loaded, js_errors):
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(ZHANG)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    # The recommendation names the open Wenzhou plan, engineer, eligible — apply from there.
    recommended = page.locator(f"[data-recommended-plan='{DEMO_OPEN_NUMBER}']")
    expect(recommended.locator("[data-verdict]")).to_have_text("符合申报条件")
    recommended.get_by_test_id("apply-recommended").click()

    # 1 photo (a real JPEG, 300×400)
    expect(page.get_by_role("heading", name="第 1 步：上传照片")).to_be_visible()
    page.locator("#id_photo").set_input_files(
        files=[{"name": "证件照.jpg", "mimeType": "image/jpeg", "buffer": jpeg(300, 400, 45 * 1024)}]
    )
    page.get_by_role("button", name="保存照片并下一步").click()

    # 2 pledge
    expect(page.get_by_test_id("pledge-text")).to_contain_text("本人郑重承诺")
    page.locator("#id_agree").check()
    page.get_by_role("button", name="签署并下一步").click()

    # 3 information: normal route, on the assistant-engineer title with its appointment
    expect(page.get_by_role("heading", name="第 3 步：申报信息")).to_be_visible()
    page.locator("#id_application_type").select_option("normal")
    if page.locator("#id_subspecialty").count():
        page.locator("#id_subspecialty").select_option(index=1)
    page.get_by_label("专业技术职务任职资格", exact=True).check()
    page.locator("#id_titles_0").check()
    page.get_by_label("有", exact=True).check()
    page.locator("#id_appointments_0").check()
    expect(page.locator("#id_acceptance_point")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("button", name="保存并下一步").click()

    # 4 records: everything approved is preselected
    expect(page.get_by_role("heading", name="第 4 步：提取业绩档案")).to_be_visible()
    expect(page.locator("[data-record-type=continuing_education] input:checked")).not_to_have_count(0)
    page.get_by_role("button", name="提取并下一步").click()

    # 5 attachments: a real PDF
    expect(page.get_by_role("heading", name="第 5 步：相关附件")).to_be_visible()
    page.locator("#id_att-kind").select_option("other")
    page.locator("#id_att-file").set_input_files(
        files=[{"name": "其他佐证材料.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="上传附件").click()
    expect(page.locator("#attachments")).to_contain_text("其他佐证材料.pdf")
    page.get_by_role("button", name="下一步：预览并提交").click()

    # 6 preview: no problems, the engine's verdict; submit (a double click makes one submission)
    expect(page.get_by_test_id("problems")).to_have_count(0)
    expect(page.get_by_test_id("verdict")).to_contain_text("符合申报条件")
    page.get_by_role("button", name="提交申报").dblclick()

    expect(page.get_by_test_id("status")).to_have_text("已提交，单位审核中")
    application = Application.objects.get(applicant__mobile=ZHANG)
    expect(page.get_by_test_id("number")).to_have_text(application.number)
    timeline = page.get_by_test_id("timeline")
    expect(timeline).to_contain_text("提交申报")
    expect(timeline.locator("[data-state=current]").first).to_contain_text("单位公示")
    expect(page.get_by_test_id("expected-next")).to_contain_text("个工作日")
    assert application.status_changes.count() == 1

    page.get_by_role("navigation").get_by_role("link", name="个人中心").click()
    expect(page.get_by_test_id("my-applications")).to_contain_text("已提交，单位审核中")
    assert js_errors == []
