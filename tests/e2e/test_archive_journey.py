"""Browser journey of the performance archive: an applicant adds a record with its evidence,
the employer's admin approves it in the review queue, the applicant sees it approved.

Run alone with ``pytest tests/e2e/test_archive_journey.py``; see ``conftest.py`` for the browser.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests import factories
from tests.factories import MINIMAL_PDF, PASSWORD
from zhicheng.archive.models import Education, Record
from zhicheng.notifications.models import Message

pytestmark = pytest.mark.e2e

SCHOOL = "浙江工业大学"
MAJOR = "机械设计制造及其自动化"


def log_in(page: Page, login: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(login)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_test_id("current-user")).to_have_count(0)


def test_an_education_record_is_added_approved_and_seen_approved(page: Page, live_server, reference_loaded, js_errors):
    employer = factories.EmployerFactory(name="瑞安市浙南精工机械有限公司")
    admin = factories.employer_admin_of(employer, real_name="陈经办")
    applicant = factories.ApplicantFactory(real_name="林工程", profile__employer=employer)

    # 1. The applicant opens the archive from the navigation and adds a degree with its PDF.
    log_in(page, applicant.mobile)
    page.get_by_role("navigation").get_by_role("link", name="我的业绩档案").click()
    expect(page.get_by_role("heading", name="我的业绩档案")).to_be_visible()
    expect(page.get_by_test_id("archive-not-ready")).to_contain_text("尚未填写“教育经历”")
    page.locator("tr[data-type=education]").get_by_role("link", name="新增").click()
    expect(page.get_by_role("heading", name="新增教育经历")).to_be_visible()
    page.locator("#id_level").select_option("bachelor")
    page.locator("#id_school").fill(SCHOOL)
    page.locator("#id_major").fill(MAJOR)
    page.locator("#id_is_relevant").check()
    page.locator("#id_has_degree").check()
    page.locator("#id_degree_name").fill("工学学士")
    page.locator("#id_start_date").fill("2006-09-01")
    page.locator("#id_graduated_on").fill("2010-07-01")
    page.locator("#id_evidence").set_input_files(
        files=[{"name": "学历备案表及毕业证书.pdf", "mimeType": "application/pdf", "buffer": MINIMAL_PDF}]
    )
    page.get_by_role("button", name="保存并提交审核").click()

    # The upload goes by XHR; the page then moves to the record, pending review.
    expect(page).to_have_url(re.compile(r"/archive/records/\d+/$"))
    expect(page.get_by_role("status").first).to_contain_text("已保存“教育经历”，等待单位审核")
    expect(page.get_by_role("heading", name="教育经历")).to_contain_text("待审核")
    expect(page.locator("[data-evidence]")).to_contain_text("学历备案表及毕业证书.pdf")
    record = Education.objects.get(owner=applicant)
    assert record.status == Record.Status.PENDING and record.school == SCHOOL
    log_out(page)

    # 2. The employer's admin finds it in the review queue and approves it.
    log_in(page, admin.mobile)
    page.get_by_role("navigation").get_by_role("link", name="业绩档案审核").click()
    expect(page.get_by_role("heading", name="业绩档案审核")).to_be_visible()
    row = page.locator("tbody tr", has_text="林工程")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("教育经历")
    expect(row).to_contain_text(SCHOOL)
    expect(row).to_contain_text("1 个")
    row.get_by_role("link", name="审核").click()
    expect(page).to_have_url(re.compile(rf"/archive/records/{record.pk}/$"))
    expect(page.get_by_text("申报人：林工程")).to_be_visible()
    page.get_by_role("button", name="审核通过").click()
    expect(page).to_have_url(re.compile(r"/archive/review/$"))
    expect(page.get_by_role("status").first).to_contain_text("已审核通过：林工程的“教育经历”")
    expect(page.locator("tbody tr", has_text="林工程")).to_have_count(0)  # no longer pending
    record.refresh_from_db()
    assert (record.status, record.reviewed_by_id) == (Record.Status.APPROVED, admin.pk)
    log_out(page)

    # 3. The applicant sees the record approved, and was told in the inbox.
    log_in(page, applicant.mobile)
    page.goto("/archive/")
    expect(page.locator("tr[data-type=education]")).to_contain_text("1")
    page.locator("tr[data-type=education]").get_by_role("link", name="教育经历").click()
    listing = page.locator("tbody tr", has_text=SCHOOL)
    expect(listing).to_contain_text("审核通过")
    listing.get_by_role("link", name="查看").click()
    expect(page.get_by_role("heading", name="教育经历")).to_contain_text("审核通过")
    expect(page.get_by_test_id("record-history")).to_contain_text("审核通过")
    expect(page.get_by_test_id("record-history")).to_contain_text("陈经办")
    assert Message.objects.filter(recipient=applicant, template="archive_reviewed").count() == 1

    # 4. The applicant runs the self-check from the archive: the approved degree feeds it.
    page.goto("/dashboard/")
    page.get_by_role("link", name="用我的档案自测申报条件").click()
    page.get_by_test_id("archive-selfcheck").get_by_role("button", name="用我的业绩档案自测").click()
    expect(page.get_by_test_id("from-archive")).to_be_visible()
    expect(page.get_by_test_id("verdict")).to_be_visible()
    education = page.locator("[data-check=education]").first
    expect(education.get_by_test_id("check-sources")).to_contain_text(SCHOOL)
    assert js_errors == []
