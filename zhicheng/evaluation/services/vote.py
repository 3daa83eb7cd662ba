"""The committee's secret vote: open (or reopen), ballots, close, confirm.

Secrecy: a ballot writes a ``BallotReceipt`` (who voted, when) and adds one to a counter per
applicant (``VoteTally``); no row holds a member's choice, and the audit entry of a ballot
names the voter but not the choices. Tallies are shown only once the vote is closed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.evaluation import selectors
from zhicheng.evaluation.models import BallotReceipt, Decision, Panel, VoteSession, VoteTally
from zhicheng.evaluation.services.common import EvaluationError, ensure_not_confirmed
from zhicheng.evaluation.services.panel import sync_assignments
from zhicheng.plans.models import Plan

CHOICES = {"yes": "同意", "no": "不同意", "abstain": "弃权"}


@transaction.atomic
def vote_open(*, actor: Any, plan: Plan) -> VoteSession:
    """Open the vote on the plan's qualified applicants (or reopen a closed one, so that members
    who have not voted yet can; ballots already cast stay)."""
    require(actor, "evaluation.manage", plan)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    session = ensure_not_confirmed(plan)
    now = timezone.now()
    if session is not None:
        if session.is_open:
            raise EvaluationError("投票正在进行中。")
        session.status, session.closed_at = VoteSession.Status.OPEN, None
        session.save(update_fields=["status", "closed_at"])
        log_action(actor=actor, action="evaluation.vote_reopen", obj=session, data={"plan": plan.number})
        return session
    panel = Panel.objects.filter(plan=plan).first()
    if panel is None:
        raise EvaluationError("请先抽取专业审议组。")
    sync_assignments(actor=actor, panel=panel)  # applicants qualified since the last update
    applications = list(selectors.qualified_applications(plan))
    if not applications:
        raise EvaluationError("本计划没有资格审查通过的申报。")
    session = VoteSession.objects.create(plan=plan, opened_at=now)
    VoteTally.objects.bulk_create(VoteTally(session=session, application=a) for a in applications)
    log_action(
        actor=actor,
        action="evaluation.vote_open",
        obj=session,
        data={"plan": plan.number, "applications": [a.number for a in applications]},
    )
    return session


@transaction.atomic
def vote_close(*, actor: Any, plan: Plan) -> VoteSession:
    require(actor, "evaluation.manage", plan)
    session = ensure_not_confirmed(plan)
    if session is None or not session.is_open:
        raise EvaluationError("投票没有在进行中。")
    session.status, session.closed_at = VoteSession.Status.CLOSED, timezone.now()
    session.save(update_fields=["status", "closed_at"])
    turnout = selectors.voters(session)
    log_action(
        actor=actor,
        action="evaluation.vote_close",
        obj=session,
        data={"voters": len(turnout), "voted": sum(1 for _m, voted in turnout if voted)},
    )
    return session


@transaction.atomic
def ballot_cast(*, actor: Any, plan: Plan, choices: dict[int, str]) -> BallotReceipt:
    """A member's one ballot of the session: a choice (yes / no / abstain) for every applicant
    assigned to them, recorded as a receipt and anonymous counts."""
    require(actor, "evaluation.score", plan)
    session = VoteSession.objects.select_for_update().filter(plan=plan).first()
    if session is None or not session.is_open:
        raise EvaluationError("现在不在投票时间。")
    member = selectors.seats_of(actor).filter(panel__plan=plan).first()
    if member is None:  # an administrator passes evaluation.score but holds no seat
        raise PermissionDenied("您不是本计划评审组的成员。")
    if session.receipts.filter(member=member).exists():
        raise EvaluationError("您已投过票，每位专家每次表决只能投一票。")
    ballot = {a.pk for a in selectors.ballot_applications(member, session)}
    if set(choices) != ballot:
        raise EvaluationError("请对每位申报人都作出选择（同意、不同意或弃权）。")
    if any(choice not in CHOICES for choice in choices.values()):
        raise EvaluationError("表决意见只能是同意、不同意或弃权。")
    try:
        with transaction.atomic():
            receipt = BallotReceipt.objects.create(session=session, member=member)
    except IntegrityError:
        raise EvaluationError("您已投过票，每位专家每次表决只能投一票。") from None
    for application_id, choice in choices.items():
        VoteTally.objects.filter(session=session, application_id=application_id).update(**{choice: F(choice) + 1})
    log_action(actor=actor, action="evaluation.ballot_cast", obj=session, data={"applications": len(choices)})
    return receipt


@transaction.atomic
def vote_confirm(*, actor: Any, plan: Plan, reason: str = "") -> list[Decision]:
    """Confirm the closed vote: one locked ``Decision`` per applicant — passed when yes ≥ 2/3 of
    the votes cast and both exam and interview reach 50 %. A pass rate above 75 % needs
    ``reason``. Afterwards every evaluation write of the plan refuses."""
    require(actor, "evaluation.manage", plan)
    session = ensure_not_confirmed(plan)
    if session is None or session.status != VoteSession.Status.CLOSED:
        raise EvaluationError("请先结束投票，再确认表决结果。")
    outcomes = selectors.vote_outcomes(session)
    rate = selectors.pass_rate(outcomes)
    reason = reason.strip()
    if rate.exceeds_limit and not reason:
        raise EvaluationError(f"通过率 {rate.percent}%（{rate.passed}/{rate.total}）超过 75%，须填写理由后才能确认。")
    applications = [o.application for o in outcomes]
    if Decision.objects.filter(application__in=applications).exists():
        raise EvaluationError("已有评审表决结果，不能重复确认。")
    now = timezone.now()
    decisions = Decision.objects.bulk_create(
        Decision(application=o.application, yes=o.yes, no=o.no, abstain=o.abstain, passed=o.passed, confirmed_at=now)
        for o in outcomes
    )
    session.status, session.confirmed_at, session.confirmed_by = VoteSession.Status.CONFIRMED, now, actor
    session.pass_rate_reason = reason
    session.save(update_fields=["status", "confirmed_at", "confirmed_by", "pass_rate_reason"])
    log_action(
        actor=actor,
        action="evaluation.vote_confirm",
        obj=session,
        data={
            "passed": rate.passed,
            "total": rate.total,
            "reason": reason,
            "results": {o.application.number: [o.yes, o.no, o.abstain, o.passed] for o in outcomes},
        },
    )
    return decisions
