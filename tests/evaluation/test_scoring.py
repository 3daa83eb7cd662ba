"""The panel's scoring and the aggregate sheet: points for every flagged item, the mean of the
members' points inside the 35-point cap, and the total of DOMAIN §9."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tests.evaluation.conftest import make_qualified, passing_exams, voting_experts
from zhicheng.core.models import AuditEntry
from zhicheng.evaluation import sheet
from zhicheng.evaluation.models import Assignment
from zhicheng.evaluation.services import panel, scoring, vote
from zhicheng.evaluation.services.common import EvaluationError

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def scored_setup(secretary, open_plan):
    experts = voting_experts(open_plan.committee, 3)
    application = make_qualified(open_plan)
    passing_exams(secretary, open_plan, [application])  # 80 / 100 and 70 / 100
    panel.panel_draw(actor=secretary, plan=open_plan, size=3)
    assignments = [Assignment.objects.get(member__expert=e, application=application) for e in experts]
    return experts, application, assignments


DEFAULT_POINTS = (D(4), D(3))


def save(expert, assignment, recommendation="general", points=DEFAULT_POINTS, comment=""):
    return scoring.panel_score_save(
        actor=expert.user,
        assignment=assignment,
        recommendation=recommendation,
        flagged_points={"awards[0]": points[0], "awards[1]": points[1]},
        comment=comment,
    )


def test_the_sheet_adds_the_mean_of_the_members_points(secretary, open_plan, scored_setup):
    experts, application, assignments = scored_setup
    save(experts[0], assignments[0], "strong", (D(4), D(3)), "业绩突出")
    save(experts[1], assignments[1], "general", (D(6), D(4)))
    [row] = sheet.aggregate(open_plan)
    assert row.panel_points == D("8.5")  # mean(4, 6) + mean(3, 4)
    assert (row.basic, row.engine_achievements, row.achievements, row.bonus) == (D(12), D(20), D("28.5"), D("1.5"))
    assert (row.exam.exam, row.exam.interview) == (D("20.00"), D("14.00"))
    assert row.total == D("76.00")  # 12 + 28.5 + 20 + 14 + 1.5
    assert row.recommendations == [("重点推荐", 1), ("一般推荐", 1), ("不推荐", 0)]
    assert row.judges == 3 and len(row.scores) == 2


def test_achievements_stay_within_35(secretary, open_plan, scored_setup):
    experts, application, assignments = scored_setup
    save(experts[0], assignments[0], points=(D(20), D(20)))
    [row] = sheet.aggregate(open_plan)
    assert row.panel_points == D(40) and row.achievements == D(35)


def test_a_score_needs_every_flagged_item_within_range(scored_setup):
    experts, application, assignments = scored_setup
    with pytest.raises(EvaluationError, match="每个由专家酌情量分"):
        scoring.panel_score_save(
            actor=experts[0].user, assignment=assignments[0], recommendation="strong", flagged_points={}
        )
    with pytest.raises(EvaluationError, match="0 到 35"):
        save(experts[0], assignments[0], points=(D(36), D(0)))
    with pytest.raises(EvaluationError, match="推荐意见"):
        save(experts[0], assignments[0], recommendation="maybe")
    first = save(experts[0], assignments[0], "not_recommended", comment="  材料不足  ")
    changed = save(experts[0], assignments[0], "general")
    assert changed.pk == first.pk and changed.recommendation == "general" and changed.comment == ""
    assert AuditEntry.objects.filter(action="evaluation.panel_score").count() == 2


def test_a_member_scores_only_their_own_assignment(scored_setup, expert_user):
    experts, application, assignments = scored_setup
    with pytest.raises(PermissionDenied):
        save(experts[1], assignments[0])
    with pytest.raises(PermissionDenied):
        scoring.panel_score_save(
            actor=expert_user, assignment=assignments[0], recommendation="strong", flagged_points={}
        )


def test_scores_are_frozen_once_the_vote_opens(secretary, open_plan, scored_setup):
    experts, application, assignments = scored_setup
    save(experts[0], assignments[0])
    vote.vote_open(actor=secretary, plan=open_plan)
    with pytest.raises(EvaluationError, match="表决已开始"):
        save(experts[0], assignments[0], "strong")
