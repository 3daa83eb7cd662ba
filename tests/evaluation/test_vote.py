"""The committee's vote: 2/3 of the votes cast at its edges, one secret ballot per member, the
75 % guard, and the lock once the result is confirmed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import models

from tests.evaluation.conftest import add_expert, make_qualified, passing_exams, voting_experts
from zhicheng.core.models import AuditEntry
from zhicheng.evaluation import selectors
from zhicheng.evaluation.models import (
    Assignment,
    BallotReceipt,
    Decision,
    Expert,
    PanelMember,
    VoteSession,
    VoteTally,
)
from zhicheng.evaluation.services import exams, panel, pool, scoring, vote
from zhicheng.evaluation.services.common import EvaluationError

pytestmark = pytest.mark.django_db
D = Decimal


def ready_to_vote(secretary, plan, *, voters: int, applicants: int = 1):
    """``voters`` experts with accounts on the panel, ``applicants`` who passed exam and
    interview, and the vote open."""
    experts = voting_experts(plan.committee, voters)
    applications = [make_qualified(plan) for _ in range(applicants)]
    passing_exams(secretary, plan, applications)
    panel.panel_draw(actor=secretary, plan=plan, size=voters)
    vote.vote_open(actor=secretary, plan=plan)
    return experts, applications


def cast(plan, experts, application, choices: list[str]) -> None:
    for expert, choice in zip(experts, choices, strict=True):
        vote.ballot_cast(actor=expert.user, plan=plan, choices={application.pk: choice})


@pytest.mark.parametrize(
    ("voters", "yes", "passed"),
    [(21, 14, True), (20, 13, False)],
    ids=["14-of-21-passes", "13-of-20-fails"],
)
def test_two_thirds_of_the_votes_cast_at_the_edge(secretary, open_plan, voters, yes, passed):
    experts, [application] = ready_to_vote(secretary, open_plan, voters=voters)
    others = voters - yes
    cast(open_plan, experts, application, ["yes"] * yes + ["no"] * (others - 3) + ["abstain"] * 3)
    vote.vote_close(actor=secretary, plan=open_plan)
    [decision] = vote.vote_confirm(actor=secretary, plan=open_plan, reason="演示")
    assert (decision.yes, decision.no, decision.abstain, decision.cast) == (yes, others - 3, 3, voters)
    assert decision.passed is passed and decision.confirmed_at is not None
    assert Decision.objects.get(application=application).passed is passed


def test_the_ballot_is_secret(secretary, open_plan):
    experts, applications = ready_to_vote(secretary, open_plan, voters=3, applicants=2)
    first, second = applications
    vote.ballot_cast(actor=experts[0].user, plan=open_plan, choices={first.pk: "yes", second.pk: "no"})
    vote.ballot_cast(actor=experts[1].user, plan=open_plan, choices={first.pk: "no", second.pk: "abstain"})

    # who voted is stored, how they voted is not: a receipt has no choice, a tally no voter
    receipt_fields = {f.name for f in BallotReceipt._meta.get_fields()}
    assert receipt_fields == {"id", "session", "member", "cast_at"}
    tally_fields = {f.name for f in VoteTally._meta.get_fields()}
    assert tally_fields == {"id", "session", "application", "yes", "no", "abstain"}
    assert not any(isinstance(f, models.DateTimeField) for f in VoteTally._meta.get_fields())
    assert BallotReceipt.objects.count() == 2
    counts = {t.application_id: (t.yes, t.no, t.abstain) for t in VoteTally.objects.all()}
    assert counts == {first.pk: (1, 1, 0), second.pk: (0, 1, 1)}  # one counter per applicant, no row per ballot
    for entry in AuditEntry.objects.filter(action="evaluation.ballot_cast"):
        assert entry.data == {"applications": 2}
    # nothing else the ballot wrote names a choice
    assert not AuditEntry.objects.filter(action__startswith="evaluation.ballot").exclude(data={"applications": 2})


def test_one_ballot_per_member_covering_exactly_their_applicants(secretary, open_plan):
    experts, [first, second] = ready_to_vote(secretary, open_plan, voters=3, applicants=2)
    user = experts[0].user
    with pytest.raises(EvaluationError, match="每位申报人"):
        vote.ballot_cast(actor=user, plan=open_plan, choices={first.pk: "yes"})
    with pytest.raises(EvaluationError, match="同意、不同意或弃权"):
        vote.ballot_cast(actor=user, plan=open_plan, choices={first.pk: "yes", second.pk: "maybe"})
    vote.ballot_cast(actor=user, plan=open_plan, choices={first.pk: "yes", second.pk: "yes"})
    with pytest.raises(EvaluationError, match="已投过票"):
        vote.ballot_cast(actor=user, plan=open_plan, choices={first.pk: "no", second.pk: "no"})
    # closing and reopening lets the others vote, never a second ballot
    vote.vote_close(actor=secretary, plan=open_plan)
    with pytest.raises(EvaluationError, match="不在投票时间"):
        vote.ballot_cast(actor=experts[1].user, plan=open_plan, choices={first.pk: "no", second.pk: "no"})
    vote.vote_open(actor=secretary, plan=open_plan)
    with pytest.raises(EvaluationError, match="已投过票"):
        vote.ballot_cast(actor=user, plan=open_plan, choices={first.pk: "no", second.pk: "no"})
    vote.ballot_cast(actor=experts[1].user, plan=open_plan, choices={first.pk: "no", second.pk: "yes"})
    assert {t.application_id: t.yes for t in VoteTally.objects.all()} == {first.pk: 1, second.pk: 2}
    turnout = {m.expert_id: voted for m, voted in selectors.voters(VoteSession.objects.get())}
    assert turnout == {experts[0].pk: True, experts[1].pk: True, experts[2].pk: False}


def test_a_member_never_votes_on_an_applicant_they_avoid(secretary, open_plan):
    experts = voting_experts(open_plan.committee, 3)
    colleague = make_qualified(open_plan, employer=None)
    pool.expert_update(actor=secretary, expert=experts[0], data={"employer": colleague.applicant.profile.employer})
    other = make_qualified(open_plan)
    passing_exams(secretary, open_plan, [colleague, other])
    panel.panel_draw(actor=secretary, plan=open_plan, size=3)
    vote.vote_open(actor=secretary, plan=open_plan)
    seat = PanelMember.objects.get(expert=experts[0])
    assert [a.pk for a in selectors.ballot_applications(seat, VoteSession.objects.get())] == [other.pk]
    with pytest.raises(EvaluationError):
        vote.ballot_cast(actor=experts[0].user, plan=open_plan, choices={colleague.pk: "yes", other.pk: "yes"})


def test_an_expert_off_the_panel_cannot_vote(secretary, open_plan, expert_user):
    experts, [application] = ready_to_vote(secretary, open_plan, voters=3)
    with pytest.raises(PermissionDenied):
        vote.ballot_cast(actor=expert_user, plan=open_plan, choices={application.pk: "yes"})


def test_failing_the_exam_fails_whatever_the_votes(secretary, open_plan):
    experts, [application] = ready_to_vote(secretary, open_plan, voters=3)
    exams.exam_results_save(actor=secretary, plan=open_plan, entries={application.pk: {"exam_raw": D("49.5")}})
    cast(open_plan, experts, application, ["yes"] * 3)
    vote.vote_close(actor=secretary, plan=open_plan)
    [outcome] = selectors.vote_outcomes(VoteSession.objects.get())
    assert outcome.vote_passed and not outcome.exam.passed and not outcome.passed


def test_a_pass_rate_above_75_percent_needs_a_reason(secretary, open_plan):
    experts, applications = ready_to_vote(secretary, open_plan, voters=3, applicants=4)
    for user in (e.user for e in experts):
        vote.ballot_cast(actor=user, plan=open_plan, choices={a.pk: "yes" for a in applications})
    vote.vote_close(actor=secretary, plan=open_plan)
    rate = selectors.pass_rate(selectors.vote_outcomes(VoteSession.objects.get()))
    assert (rate.passed, rate.total, rate.exceeds_limit, rate.percent) == (4, 4, True, D("100.0"))
    with pytest.raises(EvaluationError, match="超过 75%"):
        vote.vote_confirm(actor=secretary, plan=open_plan, reason="  ")
    assert not Decision.objects.exists()
    vote.vote_confirm(actor=secretary, plan=open_plan, reason="本批申报人业绩突出，经评委会讨论同意。")
    session = VoteSession.objects.get()
    assert session.is_confirmed and session.pass_rate_reason.startswith("本批申报人")
    assert Decision.objects.filter(passed=True).count() == 4


def test_exactly_75_percent_needs_no_reason(secretary, open_plan):
    experts, applications = ready_to_vote(secretary, open_plan, voters=3, applicants=4)
    for user in (e.user for e in experts):
        choices = {a.pk: "yes" for a in applications}
        choices[applications[-1].pk] = "no"
        vote.ballot_cast(actor=user, plan=open_plan, choices=choices)
    vote.vote_close(actor=secretary, plan=open_plan)
    decisions = vote.vote_confirm(actor=secretary, plan=open_plan)
    assert [d.passed for d in decisions] == [True, True, True, False]


def test_nothing_changes_after_confirmation(secretary, open_plan):
    experts, [application] = ready_to_vote(secretary, open_plan, voters=3)
    scored_before = Assignment.objects.get(member__expert=experts[0], application=application)
    cast(open_plan, experts[:2], application, ["yes", "yes"])
    vote.vote_close(actor=secretary, plan=open_plan)
    vote.vote_confirm(actor=secretary, plan=open_plan, reason="仅一人申报")
    decision = Decision.objects.get(application=application)
    frozen = (decision.yes, decision.no, decision.abstain, decision.passed, decision.confirmed_at)

    member = PanelMember.objects.filter(panel__plan=open_plan).first()
    attempts = [
        lambda: vote.vote_open(actor=secretary, plan=open_plan),
        lambda: vote.vote_close(actor=secretary, plan=open_plan),
        lambda: vote.vote_confirm(actor=secretary, plan=open_plan, reason="再次确认"),
        lambda: exams.exam_results_save(actor=secretary, plan=open_plan, entries={application.pk: {"exam_raw": D(1)}}),
        lambda: exams.score_scale_set(
            actor=secretary, plan=open_plan, exam_full_marks=D(200), interview_full_marks=D(200)
        ),
        lambda: panel.member_replace(actor=secretary, member=member, reason="谢绝"),
        lambda: panel.assignments_refresh(actor=secretary, plan=open_plan),
        lambda: scoring.panel_score_save(
            actor=experts[0].user,
            assignment=scored_before,
            recommendation="strong",
            flagged_points={"awards[0]": D(1), "awards[1]": D(1)},
        ),
    ]
    for attempt in attempts:
        with pytest.raises(EvaluationError, match="已确认"):
            attempt()
    with pytest.raises(EvaluationError, match="不在投票时间"):
        vote.ballot_cast(actor=experts[2].user, plan=open_plan, choices={application.pk: "no"})
    with pytest.raises(exams.ImportRejected):
        exams.exam_results_import(actor=secretary, plan=open_plan, data=b"", filename="x.xlsx")

    decision.refresh_from_db()
    assert (decision.yes, decision.no, decision.abstain, decision.passed, decision.confirmed_at) == frozen
    assert Decision.objects.count() == 1 and VoteSession.objects.get().is_confirmed


def test_opening_the_vote_freezes_the_panel(secretary, open_plan):
    experts, [application] = ready_to_vote(secretary, open_plan, voters=3)
    add_expert(open_plan.committee)
    member = PanelMember.objects.filter(panel__plan=open_plan).first()
    with pytest.raises(EvaluationError, match="表决已开始"):
        panel.member_replace(actor=secretary, member=member, reason="谢绝")
    with pytest.raises(EvaluationError, match="正在进行中"):
        vote.vote_open(actor=secretary, plan=open_plan)
    assert Expert.objects.filter(committee=open_plan.committee, is_active=True).count() == 4


def test_an_administrator_without_a_seat_is_refused_not_a_server_error(secretary, open_plan):
    from tests import factories

    experts, [application] = ready_to_vote(secretary, open_plan, voters=3)
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    with pytest.raises(PermissionDenied):
        vote.ballot_cast(actor=admin, plan=open_plan, choices={application.pk: "yes"})
