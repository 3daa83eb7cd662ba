"""The pages through the test client with real permissions: the committee office's walk from
the pool to the confirmed vote, the expert's assignments, scoring form and ballot, and 404 for
everyone who may not see a plan, an expert or an application."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests import factories
from tests.evaluation.conftest import make_qualified, secretary_of_another_committee
from zhicheng.evaluation.models import Assignment, BallotReceipt, Decision, Expert, PanelDraw, PanelScore
from zhicheng.evaluation.services import exams, panel, vote
from zhicheng.orgs.models import Membership, Organisation, Role
from zhicheng.reference.models import Region, TitleLevel

pytestmark = pytest.mark.django_db


def page(client, name, *args, status=200, **kwargs):
    response = client.get(reverse(f"evaluation:{name}", args=args), **kwargs)
    assert response.status_code == status, (name, response.status_code)
    return response.content.decode() if status == 200 else ""


@pytest.fixture
def drawn(secretary, open_plan, zhang_qualified):
    """All six demo experts on the panel: 刘振华 judges 张伟, 陈国栋 (his colleague) does not."""
    panel.panel_draw(actor=secretary, plan=open_plan, size=6)
    return zhang_qualified


def test_the_office_draws_a_panel_and_replaces_a_member(client, secretary, open_plan, zhang_qualified):
    client.force_login(secretary)
    home = page(client, "index")
    assert open_plan.number in home and "评审组织" in home and reverse("evaluation:pool") in home
    assert "刘振华" in page(client, "pool")
    assert "符合条件的 <strong>6</strong> 名专家" in page(client, "panel", open_plan.pk)

    response = client.post(reverse("evaluation:panel_draw", args=[open_plan.pk]), {"size": "5"}, follow=True)
    record = PanelDraw.objects.get()
    html = response.content.decode()
    assert f"随机种子 {record.seed}" in html  # in the message
    assert f'data-seed="{record.seed}"' in html and "已复核" in html
    assert "陈国栋（同一工作单位）" in html or "陈国栋" not in [m.expert.name for m in record.panel.members.all()]

    member = record.panel.members.first()
    url = reverse("evaluation:member_replace", args=[open_plan.pk, member.pk])
    response = client.post(url, {"reason": "出国访问"}, follow=True)
    assert "已谢绝；替补抽取" in response.content.decode()
    assert PanelDraw.objects.filter(kind="replacement", replaces=member).exists()


def test_the_office_keeps_the_pool(client, secretary, open_plan, zhang):
    client.force_login(secretary)
    form = {
        "committee": str(open_plan.committee_id),
        "name": "周新",
        "title_level": str(TitleLevel.objects.get(code="senior_engineer").pk),
        "specialty": "机械制造",
        "region": str(Region.objects.get(code="330302").pk),
        "employer": "",
        "mobile": "139",
        "is_active": "on",
    }
    response = client.post(reverse("evaluation:expert_create"), form)
    assert response.status_code == 400 and "没有找到使用该手机号的注册用户" in response.content.decode()
    user = factories.UserFactory()
    response = client.post(reverse("evaluation:expert_create"), {**form, "mobile": user.mobile})
    expert = Expert.objects.get(name="周新")
    assert response.status_code == 302 and expert.user == user
    assert Membership.objects.filter(user=user, role=Role.EXPERT, committee=open_plan.committee).exists()

    url = reverse("evaluation:relation_add", args=[expert.pk])
    relation = {"rel-person_name": "张伟", "rel-id_number": "330381198805123517", "rel-kind": "kin"}
    response = client.post(url, relation)
    assert response.status_code == 400 and "身份证件号码有误" in response.content.decode()
    response = client.post(url, {**relation, "rel-id_number": zhang.id_number}, follow=True)
    assert "张伟（亲属关系）" in response.content.decode()


def test_exam_scores_entry_template_and_import_with_row_errors(client, secretary, open_plan, drawn):
    client.force_login(secretary)
    url = reverse("evaluation:exams", args=[open_plan.pk])
    response = client.post(url, {f"exam_{drawn.pk}": "50", f"interview_{drawn.pk}": "49.5"}, follow=True)
    html = response.content.decode()
    assert "已保存 1 名申报人的成绩" in html and "12.50" in html and "不及格" in html  # the interview

    response = client.get(reverse("evaluation:exams_template", args=[open_plan.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book["成绩"]
    assert sheet["A2"].value == drawn.number and sheet["D2"].value == 50
    sheet["E2"] = "很好"
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "成绩.xlsx"
    buffer.seek(0)
    response = client.post(reverse("evaluation:exams_import", args=[open_plan.pk]), {"import-file": buffer})
    html = response.content.decode()
    assert response.status_code == 400 and 'data-testid="import-errors"' in html
    assert "第 2 行 E 列（面试答辩成绩）：“很好”不是数字" in html

    sheet["E2"] = 88
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.name = "成绩.xlsx"
    buffer.seek(0)
    response = client.post(
        reverse("evaluation:exams_import", args=[open_plan.pk]), {"import-file": buffer}, follow=True
    )
    assert "导入成功：1 名申报人的成绩有更新" in response.content.decode()
    assert drawn.exam_result.interview_raw == 88


def test_the_expert_scores_and_votes_and_the_office_confirms(client, secretary, expert_user, open_plan, drawn):
    flagged = make_qualified(open_plan)
    panel.assignments_refresh(actor=secretary, plan=open_plan)
    exams.exam_results_save(
        actor=secretary,
        plan=open_plan,
        entries={a.pk: {"exam_raw": 80, "interview_raw": 80} for a in (drawn, flagged)},
    )
    client.force_login(expert_user)
    mine = page(client, "my_assignments")
    assert "张伟" in mine and "我的评审任务" in mine
    zhang_assignment = Assignment.objects.get(member__expert__user=expert_user, application=drawn)
    html = page(client, "assignment", zhang_assignment.pk)
    assert 'data-testid="score-sheet"' in html and "科研项目" in html and drawn.applicant.id_number not in html

    other = Assignment.objects.get(member__expert__user=expert_user, application=flagged)
    html = page(client, "assignment", other.pk)
    assert "由评审专家酌情量分" in html and "省级奖项由评议专家酌情量分" in html
    url = reverse("evaluation:assignment", args=[other.pk])
    response = client.post(url, {"recommendation": "strong", "flag_0": "4"})
    assert response.status_code == 400
    response = client.post(url, {"recommendation": "strong", "flag_0": "4", "flag_1": "2.5", "comment": "好"})
    assert response.status_code == 302
    assert PanelScore.objects.get(assignment=other).points() == {"awards[0]": 4, "awards[1]": 2.5}

    # the office opens the vote; the expert casts one ballot
    client.force_login(secretary)
    client.post(reverse("evaluation:vote_open", args=[open_plan.pk]))
    assert "未投票" in page(client, "vote", open_plan.pk)
    client.force_login(expert_user)
    ballot_url = reverse("evaluation:ballot", args=[open_plan.pk])
    assert "去投票" in page(client, "my_assignments")
    response = client.post(ballot_url, {f"vote_{drawn.pk}": "yes"})
    assert response.status_code == 400 and "请选择同意、不同意或弃权" in response.content.decode()
    response = client.post(ballot_url, {f"vote_{drawn.pk}": "yes", f"vote_{flagged.pk}": "abstain"}, follow=True)
    assert 'data-testid="voted"' in response.content.decode()
    assert BallotReceipt.objects.filter(member__expert__user=expert_user).count() == 1

    # while open the office sees who voted, not the counts; after closing, the tally and the guard
    client.force_login(secretary)
    html = page(client, "vote", open_plan.pk)
    assert "刘振华：已投票" in html and 'data-testid="tally"' not in html
    client.post(reverse("evaluation:vote_close", args=[open_plan.pk]))
    html = page(client, "vote", open_plan.pk)
    assert 'data-testid="tally"' in html and "通过 1 / 2 人" in html
    response = client.post(reverse("evaluation:vote_confirm", args=[open_plan.pk]), {"reason": ""}, follow=True)
    assert "已确认并锁定" in response.content.decode()
    assert {d.application_id: d.passed for d in Decision.objects.all()} == {drawn.pk: True, flagged.pk: False}
    sheet_html = page(client, "sheet", open_plan.pk)
    assert "重点推荐 1" in sheet_html and "含酌情量分 6.5" in sheet_html


def test_the_75_percent_guard_on_the_page(client, secretary, expert_user, open_plan, drawn):
    exams.exam_results_save(actor=secretary, plan=open_plan, entries={drawn.pk: {"exam_raw": 60, "interview_raw": 60}})
    vote.vote_open(actor=secretary, plan=open_plan)
    vote.ballot_cast(actor=expert_user, plan=open_plan, choices={drawn.pk: "yes"})
    vote.vote_close(actor=secretary, plan=open_plan)
    client.force_login(secretary)
    assert "超过 75%" in page(client, "vote", open_plan.pk)
    url = reverse("evaluation:vote_confirm", args=[open_plan.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "须填写理由后才能确认" in response.content.decode()
    assert not Decision.objects.exists()
    response = client.post(url, {"reason": "仅一人参评"}, follow=True)
    assert "仅一人参评" in response.content.decode() and Decision.objects.get().passed


def test_others_get_404(client, secretary, expert_user, open_plan, drawn, zhang):
    vote.vote_open(actor=secretary, plan=open_plan)
    assignment = Assignment.objects.get(member__expert__user=expert_user, application=drawn)
    expert = Expert.objects.get(committee=open_plan.committee, name="刘振华")
    office_pages = [
        ("plan", open_plan.pk),
        ("panel", open_plan.pk),
        ("exams", open_plan.pk),
        ("exams_template", open_plan.pk),
        ("sheet", open_plan.pk),
        ("vote", open_plan.pk),
        ("expert", expert.pk),
    ]
    expert_pages = [("assignment", assignment.pk), ("ballot", open_plan.pk)]

    # another committee's office
    client.force_login(secretary_of_another_committee())
    page(client, "index")
    for name, pk in office_pages + expert_pages:
        page(client, name, pk, status=404)
    response = client.post(reverse("evaluation:panel_draw", args=[open_plan.pk]), {"size": "3"})
    assert response.status_code == 404

    # an expert who is not on this panel (an expert of the Ningbo pool)
    outsider = factories.UserFactory()
    nb = Organisation.objects.get(name="宁波市市场监督管理局")
    Membership.objects.create(user=outsider, organisation=nb, role=Role.EXPERT)
    client.force_login(outsider)
    for name, pk in office_pages + expert_pages:
        page(client, name, pk, status=404)
    page(client, "my_assignments", status=404)
    page(client, "index", status=404)

    # the applicant himself
    client.force_login(zhang)
    for name, pk in office_pages + expert_pages:
        page(client, name, pk, status=404)
    page(client, "index", status=404)
    page(client, "pool", status=404)
    page(client, "my_assignments", status=404)

    # a panel member may not open an applicant they avoid: 陈国栋 gets an account for this
    chen = Expert.objects.get(committee=open_plan.committee, name="陈国栋")
    chen.user = factories.UserFactory()
    chen.save()
    Membership.objects.create(user=chen.user, organisation=open_plan.committee.organising_body, role=Role.EXPERT)
    avoided = Assignment.objects.filter(application=drawn).first()
    client.force_login(chen.user)
    page(client, "assignment", avoided.pk, status=404)
    assert "张伟" not in page(client, "my_assignments")


def test_navigation_for_the_office_and_the_expert(client, secretary, expert_user, drawn):
    client.force_login(secretary)
    html = page(client, "index")
    assert re.search(r'href="/evaluation/"[^>]*>评审组织', html) and "专家库" in html
    client.force_login(expert_user)
    assert re.search(r'href="/evaluation/my/"[^>]*>我的评审任务', page(client, "my_assignments"))
