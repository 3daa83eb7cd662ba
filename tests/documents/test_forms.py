"""The publicity form (公示表), the 破格 self-score form (seed 000 annex) and the 破格 approval form
(seed 001 annex 4): what each prints and who may have it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.applications.conftest import complete_draft
from tests.documents.conftest import approve_stages, compact, make_exceptional, opinion, pdf_text
from zhicheng.applications.models import Application
from zhicheng.core.models import AuditEntry
from zhicheng.documents.official import score_rows
from zhicheng.plans.models import SHANGHAI

pytestmark = pytest.mark.django_db


def get(client, viewer, application: Application, slug: str):
    client.force_login(viewer)
    return client.get(reverse("documents:pdf", args=[application.pk, slug]))


def day(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


# --- 公示表 -----------------------------------------------------------------------------------


def test_employer_downloads_the_publicity_form(client, employer_admin, submitted):
    response = get(client, employer_admin, submitted, "publicity-form")
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    text = compact(pdf_text(response.content))
    for label in (
        "公示表",
        "姓名",
        "性别",
        "出生年月",
        "学历（学位）",
        "现有资格",
        "申报资格",
        "申报方式",
        "主要业绩成果",
    ):
        assert label in text
    assert "张伟" in text and "男" in text and "1988.05" in text
    assert "大学本科·浙江工业大学·机械设计制造及其自动化" in text
    assert "助理工程师（机械设计与制造）" in text and "工程师" in text and "正常申报" in text
    assert "高精度数控车床主轴热变形补偿技术研究" in text and "一种数控车床用快速定位夹具" in text
    assert "瑞安市华东机械有限公司" in text
    first_day = timezone.localtime(submitted.first_submitted_at, SHANGHAI).date()  # the day in Shanghai
    assert f"公示期{day(first_day)}至{day(submitted.publicity_ends_on)}" in text
    assert "联系电话" in text
    assert AuditEntry.objects.filter(action="documents.publicity_form_downloaded", actor=employer_admin).exists()


def test_no_publicity_form_for_a_draft(client, zhang, open_plan):
    draft = complete_draft(zhang, open_plan)
    assert get(client, zhang, draft, "publicity-form").status_code == 403


def test_publicity_form_is_404_for_others(client, huang, outsider, submitted):
    assert get(client, huang, submitted, "publicity-form").status_code == 404
    assert get(client, outsider, submitted, "publicity-form").status_code == 404


# --- 破格申报自评赋分表 ---------------------------------------------------------------------------


def test_self_score_form_prints_the_engine_score_remarks_and_experts(client, zhang, submitted):
    remarks = {"education": "本科学历专业对口", "patents[0]": "第一发明人"}
    application = make_exceptional(submitted, remarks=remarks)
    response = get(client, zhang, application, "self-score-form")
    assert response.status_code == 200
    text = compact(pdf_text(response.content))
    for label in ("破格申报工程师自评赋分表", "评价指标", "自评赋分", "备注说明", "基本条件（最高20分）", "学历"):
        assert label in text
    for label in ("资历", "专业工作年限", "职称任职年限", "技术职务", "继续教育", "成果业绩（最高35分）", "知识产权"):
        assert label in text
    assert "合计" in text and "专家1推荐意见" in text and "专家2推荐意见" in text and "签名" in text
    assert "张伟" in text and "瑞安市华东机械有限公司" in text
    assert "本科学历专业对口" in text and "第一发明人" in text
    assert "王专家" in text and "李专家" in text
    score = application.snapshot["result"]["score"]
    assert f"合计{score['self_score']:g}" in text


def test_the_applicant_prints_it_from_the_draft(client, zhang, open_plan):
    draft = complete_draft(zhang, open_plan)
    Application.objects.filter(pk=draft.pk).update(application_type="exceptional")
    response = get(client, zhang, draft, "self-score-form")
    assert response.status_code == 200
    text = compact(pdf_text(response.content))
    assert "草稿预览" in text and "张伟" in text and "学历" in text


def test_exceptional_forms_only_for_exceptional_applications(client, zhang, qualified):
    assert get(client, zhang, qualified, "self-score-form").status_code == 404
    assert get(client, zhang, qualified, "approval-form").status_code == 404


def test_self_score_rows_follow_the_seed_layout():
    score = {
        "items": [
            {"id": "education", "part": "basic", "label": "学历", "points": 5.0, "note": "本科"},
            {"id": "work_years", "part": "basic", "label": "资历·专业工作年限", "points": 4.0, "note": "14 年"},
            {"id": "assessment", "part": "basic", "label": "年度（绩效）考核", "points": 1.0, "note": "优秀"},
            {"id": "basic:cap", "part": "basic", "label": "基本条件", "points": -0.5, "note": "不超过 20 分"},
            {"id": "papers[0]", "part": "achievements", "label": "论文著作", "points": 14.0, "note": "专著"},
            {"id": "papers[1]", "part": "achievements", "label": "论文著作", "points": 10.0, "note": "核心"},
            {"id": "papers:cap", "part": "achievements", "label": "论文著作", "points": -4.0, "note": "不超过 20 分"},
            {"id": "mountain", "part": "bonus", "label": "山区县工作加分", "points": 1.5, "note": "3 年"},
        ]
    }
    rows = score_rows(score, {"papers[1]": "第一作者"})
    by_label = {(r.indicator or r.group, r.sub): r for r in rows}
    assert by_label[("学历", "")].points == 5.0
    assert by_label[("资历", "专业工作年限")].points == 4.0
    assert by_label[("论文著作（最高20分）", "")].points == 20.0
    assert by_label[("论文著作（最高20分）", "")].remarks == ["第一作者"]
    # the seed has no row for these: printed in their part, the bonus after the achievements
    basic = [r for r in rows if r.group.startswith("基本条件")]
    assert [r.indicator for r in basic][-2:] == ["年度（绩效）考核", "超出上限扣减"]
    assert basic[0].group_span == len(basic) and all(r.group_span == 0 for r in basic[1:])
    seniority = [r for r in rows if r.indicator == "资历"]
    assert [r.indicator_span for r in seniority] == [3, 0, 0]
    assert rows[-1].group == "加分" and rows[-1].points == 1.5


# --- 破格推荐审批表 --------------------------------------------------------------------------------


def test_approval_form_prints_the_reasons_and_the_opinions(client, zhang, submitted):
    application = make_exceptional(approve_stages(submitted))
    response = get(client, zhang, application, "approval-form")
    assert response.status_code == 200
    text = compact(pdf_text(response.content))
    for label in ("破格推荐工程师专业技术职务任职资格审批表", "姓名", "出生年月", "工作单位", "行政职务"):
        assert compact(label) in text
    for label in ("专业工作年限", "何年何校何专业毕业", "现聘任专业技术职务", "聘任时间", "简历", "破格推荐理由"):
        assert label in text
    assert "所在单位意见" in text and "人力社保部门意见" in text
    assert "2010年浙江工业大学机械设计制造及其自动化大学本科" in text
    assert "2010-07-01至今·瑞安市华东机械有限公司·机械设计" in text
    assert "温职改办〔2020〕5号第十条（二）" in text and "主持市级科研项目1项" in text
    stages = list(application.plan.stages.order_by("order"))
    assert compact(opinion(stages[0])) in text  # the employer's box
    assert compact(opinion(stages[1])) in text  # the county HR's box (acceptance point)


def test_approval_form_waits_for_the_submission(client, zhang, open_plan):
    draft = complete_draft(zhang, open_plan)
    Application.objects.filter(pk=draft.pk).update(application_type="exceptional")
    assert get(client, zhang, draft, "approval-form").status_code == 403
