"""What the evaluation services share: the error they raise and the lock after confirmation."""

from __future__ import annotations

from zhicheng.evaluation.models import VoteSession
from zhicheng.plans.models import Plan


class EvaluationError(Exception):
    """A step the evaluation's state refuses, with a message for the person who tried."""


def ensure_not_confirmed(plan: Plan) -> VoteSession | None:
    """The plan's vote session (locked for this transaction), refusing once it is confirmed."""
    session = VoteSession.objects.select_for_update().filter(plan=plan).first()
    if session is not None and session.is_confirmed:
        raise EvaluationError("本计划的评审结果已确认，不能再更改。")
    return session


def ensure_vote_not_started(plan: Plan) -> None:
    """Panel composition and scoring are frozen once the vote has opened."""
    if ensure_not_confirmed(plan) is not None:
        raise EvaluationError("评委会表决已开始，专业审议组和专家评分不能再更改。")
