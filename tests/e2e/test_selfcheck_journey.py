"""Browser journey: an anonymous visitor checks whether he may apply (张工, step 3 of JOURNEYS.md).

Run alone with ``pytest tests/e2e/test_selfcheck_journey.py``; see ``conftest.py`` for the browser.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.e2e


def fill_row(page: Page, prefix: str, **values: str) -> None:
    for name, value in values.items():
        field = page.locator(f"[name='{prefix}-{name}']")
        if field.evaluate("el => el.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def test_anonymous_visitor_checks_a_wenzhou_engineer_profile(page: Page, live_server, js_errors):
    # From the public navigation to the self-check page, Wenzhou engineer pre-selected.
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="申报条件自测").click()
    expect(page.get_by_role("heading", name="申报条件自测", level=1)).to_be_visible()
    expect(page.locator("#id_policy")).to_have_value("wz-jidian-2020")
    expect(page.locator("#id_level")).to_have_value("engineer")
    expect(page.locator("#id_deadline")).to_have_value("2024-10-31")

    # Changing the level re-renders the form for it (selfcheck.js), and back.
    page.locator("#id_level").select_option("technician")
    expect(page.locator("#id_level")).to_have_value("technician")
    expect(page.get_by_role("heading", name="声明的条件")).to_have_count(0)  # technicians have no claims
    page.locator("#id_level").select_option("engineer")
    expect(page.get_by_role("heading", name="声明的条件")).to_be_visible()
    expect(page.locator("#id_deadline")).to_have_value("2024-10-31")

    # A minimal profile: bachelor, assistant engineer since 2018, work, insurance, CE, assessments.
    fill_row(page, "education-0", level="bachelor", major="机械工程", graduated="2012-07-01")
    page.locator("[name='education-0-degree']").check()
    fill_row(page, "titles-0", level="assistant_engineer", obtained="2018-06-30")
    fill_row(page, "work-0", start="2012-07-01")
    fill_row(page, "social_insurance-0", region="330381")
    page.locator("[name='social_insurance-0-start']").fill("2012-07")
    # "添加一行" works without losing what was typed.
    page.locator("#section-titles").get_by_role("button", name="添加一行").click()
    expect(page.locator("[name='titles-2-level']")).to_be_visible()
    expect(page.locator("[name='titles-0-obtained']")).to_have_value("2018-06-30")
    expect(page.locator("[name='education-0-major']")).to_have_value("机械工程")
    for i in range(3):
        fill_row(page, f"continuing_education-{i}", professional="60", general_public="18", industry_public="12")
    for i, result in enumerate(("pass", "good", "excellent")):
        fill_row(page, f"assessments-{i}", result=result)

    page.get_by_role("button", name="开始自测", exact=True).last.click()

    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_have_text(re.compile("符合申报条件"))
    expect(verdict).not_to_have_text(re.compile("暂不符合"))
    expect(page.get_by_test_id("met-routes")).to_contain_text("温职改办〔2020〕5号 第十条（一）")
    route = page.locator("[data-route='wz-jidian-2020/engineer/10.1b']")
    expect(route).to_contain_text("已满足")
    expect(route).to_contain_text("取得助理工程师，任职 6 年")
    expect(page.get_by_test_id("score-sheet")).to_be_visible()
    expect(page.get_by_test_id("self-score")).not_to_be_empty()
    page.screenshot(path="/tmp/e2e-selfcheck.png", full_page=True)  # noqa: S108 - for reviewers

    # Ten hours short in 2023: the check says so, and the verdict turns.
    page.locator("[name='continuing_education-1-professional']").fill("50")
    page.get_by_role("button", name="开始自测", exact=True).last.click()
    expect(page.get_by_test_id("verdict")).to_have_text(re.compile("暂不符合申报条件"))
    expect(page.locator("[data-route='wz-jidian-2020/engineer/10.1b']")).to_contain_text(
        "2023 年专业科目学时还差 10 学时"
    )
    assert js_errors == []
