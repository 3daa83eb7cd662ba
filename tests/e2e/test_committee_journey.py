"""Browser journey of the committee (issue 7): the committee secretary draws the panel, imports
the exam and interview scores from the XLSX template and opens the vote; a panel member scores
张伟's application and casts a ballot (the other members' ballots go through the services); the
secretary closes and confirms the vote (giving the reason the 75 % guard asks for) and opens the
result publicity; after it, the city title office publishes the results with a document number;
the holder downloads the certificate, its QR code is decoded from the rendered PDF page, and an
anonymous visitor opens that link and sees the certificate valid. The public results list names
张伟, and a tampered certificate number fails the verification form.

Run alone with ``pytest tests/e2e/test_committee_journey.py``; see ``conftest.py`` for the browser.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from pathlib import Path

import pypdfium2
import pytest
import zxingcpp
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from tests import factories
from tests.applications.conftest import ZHANG
from tests.applications.test_workflow import qualified
from tests.factories import MINIMAL_PDF
from zhicheng.accounts.models import User
from zhicheng.applications.models import Application
from zhicheng.applications.workflow import today_in_shanghai
from zhicheng.archive import services as archive_services
from zhicheng.certificates import numbers
from zhicheng.certificates.models import Certificate, ResultPublicity
from zhicheng.core.management.commands.load_demo import DEMO_OPEN_NUMBER, DEMO_PASSWORD
from zhicheng.core.uploads import PDF
from zhicheng.evaluation import selectors
from zhicheng.evaluation.models import Decision, Expert, PanelScore, VoteSession
from zhicheng.evaluation.services import pool, vote
from zhicheng.evaluation.xlsx import CONTENT_TYPE
from zhicheng.plans.models import Plan

pytestmark = pytest.mark.e2e

EMPLOYER_ADMIN, SECRETARY, EXPERT, CITY_OFFICER = "13900000001", "13900000004", "13900000005", "13900000006"
DOCUMENT = "温职改〔2024〕31号"
PASS_RATE_REASON = "本批次仅一人申报，理论考试、面试答辩和专家评议均达到标准。"
COMMENT = "专利转化成效明显，设计能力突出，同意推荐。"


def log_in(page: Page, mobile: str) -> None:
    page.goto("/accounts/login/")
    page.locator("#id_login").fill(mobile)
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))


def log_out(page: Page) -> None:
    page.get_by_role("button", name="退出").click()
    expect(page.get_by_role("navigation").get_by_role("link", name="登录")).to_be_visible()


def nav(page: Page, label: str) -> None:
    page.get_by_role("navigation").get_by_role("link", name=label, exact=True).click()


def open_plan_tab(page: Page, tab: str) -> None:
    """评审组织 → the open plan → one of its tabs (the committee office's way to a plan)."""
    nav(page, "评审组织")
    page.get_by_test_id("plans").locator(f"[data-plan='{DEMO_OPEN_NUMBER}']").get_by_role("link").click()
    page.get_by_role("link", name=tab, exact=True).click()
    expect(page.get_by_role("link", name=tab, exact=True)).to_have_attribute("aria-current", "page")


def decoded_qr_codes(pdf: bytes) -> list[str]:
    """Scan the first page of ``pdf`` as a phone would: render it, then find the QR codes."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


def tampered(number: str) -> str:
    """The number with the last digit of its serial changed: the check character then fails."""
    digit = str((int(number[13]) + 1) % 10)
    return number[:13] + digit + number[14:]


def add_flagged_award(zhang: User) -> None:
    """An award the scoring standard leaves to the panel (a county first prize, 8th of the team:
    the standard lists ranks 1–6), added by 张伟 and approved by his employer's admin."""
    evidence = SimpleUploadedFile("获奖证书.pdf", MINIMAL_PDF, content_type="application/pdf")
    data = {
        "name": "瑞安市科学技术进步奖",
        "achievement_name": "数控车床夹具快速换型技术",
        "level": "county",
        "grade": 1,
        "rank": 8,
        "awarded_on": date(2023, 11, 20),
        "issuer": "瑞安市人民政府",
    }
    award = archive_services.record_create(actor=zhang, record_type="award", data=data, evidence=[(evidence, PDF)])
    archive_services.record_approve(actor=User.objects.get(mobile=EMPLOYER_ADMIN), record=award)


@pytest.fixture
def committee_ready(reference_loaded) -> dict:
    """The demo; 张伟 (with an award for the panel to score) qualified through the real review
    chain on the open plan; every expert of the plan committee's pool who may judge him given an
    account (刘振华 has the demo's)."""
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cache.clear()  # rate-limit counters of the public verification
    plan = Plan.objects.get(number=DEMO_OPEN_NUMBER)
    zhang = User.objects.get(mobile=ZHANG)
    add_flagged_award(zhang)
    application = qualified(zhang, plan)
    assert [f["item"] for f in selectors.flagged_items(application)] == ["awards[0]"]
    secretary = User.objects.get(mobile=SECRETARY)
    for expert in Expert.objects.filter(committee=plan.committee, user__isnull=True).exclude(name="陈国栋"):
        account = factories.UserFactory(real_name=expert.name)
        pool.expert_update(actor=secretary, expert=expert, data={"user": account})
    return {"plan": plan, "application": application}


def test_committee_evaluates_results_are_published_and_the_certificate_verifies(
    page: Page, live_server, browser, browser_context_args, committee_ready, js_errors
):
    plan, application = committee_ready["plan"], committee_ready["application"]
    number, pk = application.number, application.pk

    # --- The secretary draws the panel and imports the exam and interview scores -------------------
    log_in(page, SECRETARY)
    open_plan_tab(page, "概况")
    expect(page.get_by_test_id("steps")).to_contain_text("资格审查通过 1 人")
    page.get_by_role("link", name="专业审议组", exact=True).click()
    page.locator("#id_size").fill("6")
    page.get_by_role("button", name="抽取", exact=True).click()
    expect(page.get_by_role("status").filter(has_text="已抽取 6 名专家")).to_be_visible()
    expect(page.get_by_test_id("members").locator("tbody tr")).to_have_count(6)
    expect(page.get_by_test_id("draws")).to_contain_text("已复核")
    row = page.get_by_test_id("assignments").locator(f"tr[data-application='{pk}']")
    expect(row).to_contain_text("刘振华")
    expect(row).to_contain_text("陈国栋（同一工作单位）")  # his colleague at 华东机械 stands aside

    page.get_by_role("link", name="考试与面试成绩").click()
    with page.expect_download() as download_info:
        page.get_by_test_id("template").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    workbook = load_workbook(io.BytesIO(Path(download.path()).read_bytes()))
    sheet = workbook.worksheets[0]
    assert [c.value for c in sheet[1]] == ["申报编号", "姓名", "申报级别", "理论考试成绩", "面试答辩成绩"]
    assert (sheet["A2"].value, sheet["B2"].value) == (number, "张伟") and sheet.max_row == 2
    sheet["D2"], sheet["E2"] = 85, 78.5
    filled = io.BytesIO()
    workbook.save(filled)
    page.locator("#id_import-file").set_input_files(
        files=[{"name": "成绩.xlsx", "mimeType": CONTENT_TYPE, "buffer": filled.getvalue()}]
    )
    page.get_by_role("button", name="导入").click()
    expect(page.get_by_role("status").filter(has_text="导入成功：1 名申报人的成绩有更新")).to_be_visible()
    row = page.get_by_test_id("exam-entry").locator(f"tr[data-application='{pk}']")
    expect(row.locator(f"#id_exam_{pk}")).to_have_value(re.compile(r"^85(\.0+)?$"))
    expect(row.locator(f"#id_interview_{pk}")).to_have_value(re.compile(r"^78\.50?$"))
    expect(row).to_contain_text("21.25")  # 85 / 100 of 25 points
    expect(row).to_contain_text("15.70")  # 78.5 / 100 of 20 points
    expect(row).not_to_contain_text("不及格")
    log_out(page)
    assert js_errors == []

    # --- The panel member scores 张伟 ----------------------------------------------------------------
    log_in(page, EXPERT)
    nav(page, "我的评审任务")
    page.get_by_test_id("assignments").get_by_role("link", name="张伟").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("张伟")
    expect(page.get_by_role("heading", name="量化评分表（政策引擎按提交内容计算）")).to_be_visible()
    page.get_by_label("重点推荐", exact=True).check()
    # the award the standard leaves to the panel: points up to the achievements cap
    flag = page.get_by_label(re.compile(r"第 1 条（酌情量分）$"))
    expect(flag).to_have_count(1)
    expect(page.locator("main form")).to_contain_text("（第 8 名）：量化标准仅列第 1—6 名，其他排名由评议专家酌情量分")
    flag.fill("6.5")
    page.locator("#id_comment").fill(COMMENT)
    page.get_by_role("button", name="提交评审意见").click()
    expect(page.get_by_role("status").filter(has_text="已保存对 张伟 的评审意见")).to_be_visible()
    expect(page.get_by_test_id("assignments")).to_contain_text("重点推荐")
    score = PanelScore.objects.get(assignment__application=application, assignment__member__expert__name="刘振华")
    assert score.recommendation == "strong" and score.comment == COMMENT
    assert score.flagged_points == {"awards[0]": "6.5"}
    log_out(page)
    assert js_errors == []

    # --- The secretary opens the vote ---------------------------------------------------------------
    log_in(page, SECRETARY)
    open_plan_tab(page, "评委会表决")
    page.get_by_role("button", name="开始投票").click()
    expect(page.get_by_test_id("vote-status")).to_have_text("投票中")
    turnout = page.get_by_test_id("turnout")
    expect(turnout.locator("li")).to_have_count(5)  # everyone who judges 张伟, not 陈国栋
    expect(turnout).not_to_contain_text("已投票")
    log_out(page)
    assert js_errors == []

    # --- The panel member casts the ballot; the others vote through the services -------------------------
    log_in(page, EXPERT)
    nav(page, "我的评审任务")
    page.get_by_test_id("ballot-status").get_by_role("link", name="去投票").click()
    ballot = page.get_by_test_id("ballot").locator(f"tr[data-application='{pk}']")
    expect(ballot).to_contain_text("张伟")
    ballot.get_by_label("同意", exact=True).check()
    page.get_by_role("button", name=re.compile("提交表决票")).click()
    expect(page.get_by_test_id("voted")).to_contain_text("您已于")
    nav(page, "我的评审任务")
    expect(page.get_by_test_id("ballot-status")).to_contain_text("您已投票")
    log_out(page)
    assert js_errors == []

    for member, voted in selectors.voters(VoteSession.objects.get(plan=plan)):
        if not voted:  # the four other members who judge 张伟
            vote.ballot_cast(actor=member.expert.user, plan=plan, choices={pk: "yes"})

    # --- The secretary closes the vote, confirms it with the reason, and opens the publicity ------------
    log_in(page, SECRETARY)
    open_plan_tab(page, "评委会表决")
    expect(page.get_by_test_id("turnout")).not_to_contain_text("未投票")
    page.get_by_role("button", name="结束投票并计票").click()
    expect(page.get_by_test_id("vote-status")).to_have_text("投票已结束")
    tally = page.get_by_test_id("tally").locator(f"tr[data-application='{pk}']")
    expect(tally).to_contain_text("达到（5/5）")
    expect(tally).to_contain_text("均及格")
    expect(tally.get_by_test_id("result")).to_have_text("通过")
    expect(page.get_by_test_id("pass-rate")).to_contain_text("通过 1 / 1 人，通过率 100.0%")
    # Above 75 %: the page asks for a reason, and refuses without one.
    expect(page.get_by_text("通过率超过 75%，须填写理由后才能确认。")).to_be_visible()
    page.get_by_role("button", name="确认表决结果").click()
    expect(page.get_by_role("alert").filter(has_text="通过率 100.0%（1/1）超过 75%")).to_be_visible()
    page.locator("#id_reason").fill(PASS_RATE_REASON)
    page.get_by_role("button", name="确认表决结果").click()
    expect(page.get_by_role("status").filter(has_text="表决结果已确认并锁定：1 / 1 人通过")).to_be_visible()
    expect(page.get_by_test_id("confirmed")).to_contain_text(PASS_RATE_REASON)
    decision = Decision.objects.get(application=application)
    assert (decision.yes, decision.no, decision.abstain, decision.passed) == (5, 0, 0, True)
    assert VoteSession.objects.get(plan=plan).pass_rate_reason == PASS_RATE_REASON

    page.get_by_role("navigation").get_by_role("link", name="评审结果公示管理").click()
    page.get_by_test_id("result-plans").locator("tr", has_text=DEMO_OPEN_NUMBER).get_by_role("link").click()
    expect(page.get_by_test_id("pending")).to_contain_text("张伟")
    page.locator("#id_note").fill("公示期间如有异议，请实名向评委会办公室反映。")
    page.get_by_role("button", name="在门户网站发布评审结果公示").click()
    expect(page.get_by_role("status").filter(has_text="已在门户网站发布评审结果公示")).to_be_visible()
    expect(page.get_by_test_id("publicity-entries")).to_contain_text("张伟")
    expect(page.get_by_test_id("publicity-period")).to_contain_text("公示中")
    log_out(page)
    assert js_errors == []

    # --- The publicity period passes; the city title office publishes -------------------------------
    publicity = ResultPublicity.objects.get(plan=plan)
    today = today_in_shanghai()
    ResultPublicity.objects.filter(pk=publicity.pk).update(starts_on=today - timedelta(days=7), ends_on=today)

    log_in(page, CITY_OFFICER)
    nav(page, "评审结果公布")
    page.get_by_test_id("result-plans").locator("tr", has_text=DEMO_OPEN_NUMBER).get_by_role("link").click()
    page.get_by_role("link", name=publicity.title).click()
    expect(page.get_by_test_id("publicity-period")).to_contain_text("可以公布")
    expect(page.get_by_test_id("publish-too-early")).to_have_count(0)
    page.locator("#id_document_number").fill(DOCUMENT)
    page.locator("#id_confirm").check()
    page.get_by_role("button", name="公布并签发电子证书").click()
    expect(page.get_by_role("status").filter(has_text="评审结果已公布，签发电子证书 1 本")).to_be_visible()
    certificate = Certificate.objects.get(application=application)
    issued = page.get_by_test_id("certificates")
    expect(issued).to_contain_text(certificate.number)
    expect(issued).to_contain_text("张伟")
    expect(page.get_by_test_id("publicity-period")).to_contain_text(f"已公布（{DOCUMENT}")
    assert Application.objects.get(pk=pk).status == "approved"
    log_out(page)
    assert js_errors == []

    # --- The holder downloads the certificate; its QR code is scanned -------------------------------
    log_in(page, ZHANG)
    page.goto(f"/applications/{pk}/")
    holder = page.get_by_test_id("certificate-link")
    expect(holder).to_contain_text(certificate.number)
    with page.expect_download() as download_info:
        holder.get_by_role("link", name="下载电子证书（PDF）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = Path(download.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    verify_url = f"{live_server.url}/verify/{certificate.token}/"
    assert decoded_qr_codes(pdf) == [verify_url]
    holder.get_by_role("link", name="证书详情与验证链接").click()
    expect(page.get_by_test_id("verify-url")).to_have_text(verify_url)
    log_out(page)
    assert js_errors == []

    # --- An anonymous visitor opens the scanned link, the results list, and the verification form -------
    visitor = browser.new_context(**browser_context_args)
    anonymous = visitor.new_page()
    visitor_errors: list[str] = []
    anonymous.on("pageerror", lambda error: visitor_errors.append(f"{anonymous.url}: {error}"))
    try:
        anonymous.goto(verify_url)
        expect(anonymous.get_by_test_id("current-user")).to_have_count(0)  # nobody is logged in
        expect(anonymous.get_by_test_id("verify-valid")).to_contain_text("证书有效")
        details = anonymous.get_by_test_id("verify-details")
        expect(details).to_contain_text("张伟")
        expect(details).to_contain_text("工程师（中级）")
        expect(details).to_contain_text(certificate.number)
        expect(details).to_contain_text(DOCUMENT)
        expect(details).not_to_contain_text(User.objects.get(mobile=ZHANG).id_number)

        anonymous.get_by_role("navigation").locator("a[href='/results/']").click()
        earlier = anonymous.get_by_test_id("earlier-publicities")
        expect(earlier).to_contain_text(f"已公布（{DOCUMENT}）")
        earlier.get_by_role("link", name=publicity.title).click()
        entries = anonymous.get_by_test_id("publicity-entries")
        expect(entries.locator("tbody tr")).to_have_count(1)
        expect(entries.locator("tbody tr")).to_contain_text("张伟")
        expect(entries.locator("tbody tr")).to_contain_text("通过")

        anonymous.get_by_role("navigation").get_by_role("link", name="证书验证").click()
        forged = tampered(certificate.number)
        assert forged != certificate.number and not numbers.is_well_formed(forged)
        anonymous.locator("#id_number").fill(forged)
        anonymous.locator("#id_name").fill("张伟")
        anonymous.get_by_role("button", name="查询").click()
        expect(anonymous.get_by_test_id("verify-not-found")).to_contain_text("未查询到匹配的证书")
        expect(anonymous.get_by_test_id("verify-valid")).to_have_count(0)
        anonymous.locator("#id_number").fill(certificate.number)
        anonymous.locator("#id_name").fill("张伟")
        anonymous.get_by_role("button", name="查询").click()
        expect(anonymous.get_by_test_id("verify-valid")).to_contain_text("证书有效")
    finally:
        visitor.close()
    assert visitor_errors == []
    assert js_errors == []
