"""The review workflow (ARCHITECTURE §The workflow): one table of moves, one ``transition``.

States are ``Application.Status`` (DOMAIN §7). The review chain is the plan's ``PlanStage``
list: an application enters stage 1 (the employer) at submission; each approval moves it to
the next stage's office, and the last approval qualifies it (资格审查通过). Any stage may return
it for changes (back to the applicant; a resubmission restarts at the employer **without** a
new publicity period) or reject it (terminal). The applicant may withdraw before the employer
decides.

Every move locks the row (``select_for_update``), checks the table and the actor's right, writes
the new state, appends a ``StatusChange`` (who, when, from, to, why, at which office) and an
audit entry, and the notices to the applicant (and the next office) — rows of the same
transaction, sent once it commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from zhicheng.applications.models import (
    Application,
    DeadlineExtension,
    ExpertRecommendation,
    PlanOffice,
    Routing,
    StatusChange,
)
from zhicheng.core.audit import log_action
from zhicheng.core.permissions import can
from zhicheng.orgs.models import Organisation
from zhicheng.plans.models import SHANGHAI, PlanStage

S = Application.Status
A = StatusChange.Action
APPLICANT, REVIEWER, PUBLISHER, INTEGRITY = "applicant", "reviewer", "publisher", "integrity"
# The permission each kind of actor needs, and on what (the application or its plan).
PERMISSIONS = {
    REVIEWER: ("application.review", False),
    PUBLISHER: ("results.publish", True),
    INTEGRITY: ("integrity.manage", False),
}


@dataclass(frozen=True)
class Move:
    source: str
    action: str
    target: str
    by: str


MOVES = (
    Move(S.DRAFT, A.SUBMIT, S.SUBMITTED, APPLICANT),
    Move(S.RETURNED, A.RESUBMIT, S.SUBMITTED, APPLICANT),
    Move(S.SUBMITTED, A.WITHDRAW, S.WITHDRAWN, APPLICANT),
    Move(S.RETURNED, A.WITHDRAW, S.WITHDRAWN, APPLICANT),
    Move(S.SUBMITTED, A.APPROVE, S.IN_REVIEW, REVIEWER),  # S.QUALIFIED after the last stage
    Move(S.IN_REVIEW, A.APPROVE, S.IN_REVIEW, REVIEWER),
    Move(S.SUBMITTED, A.RETURN, S.RETURNED, REVIEWER),
    Move(S.IN_REVIEW, A.RETURN, S.RETURNED, REVIEWER),
    Move(S.SUBMITTED, A.REJECT, S.REJECTED, REVIEWER),
    Move(S.IN_REVIEW, A.REJECT, S.REJECTED, REVIEWER),
    # after the committee's vote and the result publicity, the city office publishes the list
    Move(S.QUALIFIED, A.PUBLISH_PASS, S.APPROVED, PUBLISHER),
    Move(S.QUALIFIED, A.PUBLISH_FAIL, S.NOT_APPROVED, PUBLISHER),
    # falsification found later: the title is revoked (DOMAIN §11) — through
    # certificates.services.title_revoke, which withdraws the certificate in the same transaction
    Move(S.APPROVED, A.REVOKE, S.REVOKED, INTEGRITY),
)
_TABLE = {(m.source, m.action): m for m in MOVES}
ENDED = (S.WITHDRAWN, S.REJECTED)


class WorkflowError(Exception):
    """A move the table or the rules refuse, with a message for the person who tried."""


def allowed_actions(application: Application, by: str) -> list[str]:
    return [m.action for m in MOVES if m.source == application.status and m.by == by]


def today_in_shanghai(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


# --- Routing -------------------------------------------------------------------------------


def stages_of(application: Application) -> list[PlanStage]:
    return list(application.plan.stages.select_related("organisation").order_by("order"))


def office_for(application: Application, stage: PlanStage) -> Organisation | None:
    """The office that reviews ``application`` at ``stage``: the applicant's employer, the chosen
    acceptance point's office, the stage's named office, or an office of the stage's kind in the
    applicant's county (else its city); the committee stage falls back to the committee's body."""
    kind = stage.office_kind
    if kind == PlanStage.OfficeKind.EMPLOYER:
        employer_id = (application.snapshot or {}).get("person", {}).get("employer_id")
        return Organisation.objects.filter(pk=employer_id).first()
    if kind == PlanStage.OfficeKind.ACCEPTANCE_POINT:
        point = application.acceptance_point
        return point.office if point else None
    if stage.organisation is not None:
        return stage.organisation
    if kind == PlanStage.OfficeKind.COMMITTEE:
        return application.plan.committee.organising_body
    district = application.district
    for region in (district, getattr(district, "parent", None)):
        if region is None:
            continue
        office = Organisation.objects.filter(kind=kind, region=region).order_by("pk").first()
        if office is not None:
            return office
    return None


def _stage_deadline(application: Application, stage: PlanStage) -> date | None:
    if stage.deadline:
        return stage.deadline
    return application.plan.employer_deadline if stage.office_kind == PlanStage.OfficeKind.EMPLOYER else None


def _enter(application: Application, stage: PlanStage, now: datetime) -> None:
    office = office_for(application, stage)
    if office is None:
        raise WorkflowError(f"未找到“{stage.label}”环节的审核单位，请联系评委会办公室。")
    PlanOffice.objects.bulk_create([PlanOffice(plan_id=application.plan_id, office=office)], ignore_conflicts=True)
    Routing.objects.bulk_create(
        [Routing(application=application, office=office, arrived_at=now)],
        update_conflicts=True,
        unique_fields=["office", "application"],
        update_fields=["arrived_at"],
    )
    application.stage_order = stage.order
    application.current_office = office
    application.stage_entered_at = now
    application.stage_deadline = _stage_deadline(application, stage)


def _leave_chain(application: Application) -> None:
    application.stage_order = None
    application.current_office = None
    application.stage_entered_at = None
    application.stage_deadline = None


def _end(application: Application) -> None:
    """Withdrawn or rejected: the year and the experts' recommendation slots are free again."""
    _leave_chain(application)
    application.active_year = None
    ExpertRecommendation.objects.filter(application=application).update(slot=None)


# --- Who may act ---------------------------------------------------------------------------


def current_stage(application: Application) -> PlanStage | None:
    if application.stage_order is None:
        return None
    return next((s for s in stages_of(application) if s.order == application.stage_order), None)


def _check_actor(actor: Any, application: Application, move: Move) -> None:
    if move.by == APPLICANT:
        if application.applicant_id != getattr(actor, "pk", None):
            raise PermissionDenied("只有申报人本人可以执行此操作。")
        return
    code, on_plan = PERMISSIONS[move.by]
    if application.applicant_id == getattr(actor, "pk", None) or not can(
        actor, code, application.plan if on_plan else application
    ):
        raise PermissionDenied("该申报当前不在您单位的审核环节。" if move.by == REVIEWER else "您没有权限执行此操作。")


def _check_employer_approval(application: Application, now: datetime, outcome: str, handling: str) -> None:
    """The employer approves only after the publicity period, recording how it went."""
    if application.publicity_ends_on and today_in_shanghai(now) < application.publicity_ends_on:
        raise WorkflowError(
            f"单位公示期未满：公示至 {application.publicity_ends_on:%Y-%m-%d}（第 "
            f"{application.plan.publicity_working_days} 个工作日），当天起方可审核通过。"
        )
    if application.publicity_outcome:
        return  # a resubmission: the publicity was held and recorded the first time
    if outcome not in Application.PublicityOutcome.values:
        raise WorkflowError("请填写公示结果（无异议 / 有异议）。")
    if outcome == Application.PublicityOutcome.OBJECTION and not handling.strip():
        raise WorkflowError("公示有异议的，请填写异议的处理情况。")
    application.publicity_outcome = outcome
    application.publicity_handling = handling.strip()


# --- The moves -----------------------------------------------------------------------------


def record(
    *,
    application: Application,
    actor: Any,
    action: str,
    source: str,
    now: datetime,
    reason: str = "",
    stage: PlanStage | None = None,
    office: Organisation | None = None,
) -> StatusChange:
    """Append the history row and the audit entry of a move already applied to ``application``
    (``stage`` and ``office``: where a reviewer acted; empty for the applicant's moves)."""
    change = StatusChange.objects.create(
        application=application,
        from_status=source,
        to_status=application.status,
        action=action,
        actor=actor,
        reason=reason,
        office=office,
        stage_order=stage.order if stage else None,
        stage_label=stage.label if stage else "",
        at=now,
    )
    log_action(
        actor=actor,
        action=f"application.{action}",
        obj=application,
        data={"from": source, "to": application.status, "stage": change.stage_order, "reason": reason[:500]},
    )
    from zhicheng.applications import notices

    # The notices are rows of this transaction (a process killed right after the commit
    # cannot lose them); they are handed to the gateway only once it commits.
    notices.after_move(application, change)
    return change


def enter_first_stage(application: Application, now: datetime) -> None:
    stages = stages_of(application)
    if not stages:
        raise WorkflowError("该计划尚未设置审核流程，暂不能提交，请联系评委会办公室。")
    _enter(application, stages[0], now)


def transition(
    *,
    actor: Any,
    application: Application,
    action: str,
    reason: str = "",
    publicity_outcome: str = "",
    publicity_handling: str = "",
    now: datetime | None = None,
) -> Application:
    """Apply ``action`` (withdraw, approve, return, reject; publish_pass / publish_fail by the
    city office; revoke) to ``application``.

    Submission and resubmission go through ``services.application_submit``, which checks the
    submission rules first and then enters the chain here.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("plan__committee").get(pk=application.pk)
        move = _TABLE.get((locked.status, action))
        if move is None or action in (A.SUBMIT, A.RESUBMIT):
            raise WorkflowError(f"当前状态“{locked.get_status_display()}”不能执行“{A(action).label}”。")
        _check_actor(actor, locked, move)
        reason = reason.strip()
        if action in (A.RETURN, A.REJECT, A.REVOKE) and not reason:
            raise WorkflowError("请填写退回或不通过的原因。" if action == A.RETURN else "请填写原因。")
        if action in (A.PUBLISH_PASS, A.PUBLISH_FAIL) and not reason:
            raise WorkflowError("请填写公布文件的文号。")
        if action == A.APPROVE and not reason:
            raise WorkflowError("请填写审核意见。")
        stage, office, source = current_stage(locked), locked.current_office, locked.status
        _apply(locked, move, stage, now, publicity_outcome, publicity_handling)
        locked.save()
        acted_at = (stage, office) if move.by == REVIEWER else (None, None)
        record(
            application=locked,
            actor=actor,
            action=action,
            source=source,
            reason=reason,
            now=now,
            stage=acted_at[0],
            office=acted_at[1],
        )
    return locked


def _apply(
    application: Application, move: Move, stage: PlanStage | None, now: datetime, outcome: str, handling: str
) -> None:
    if move.action == A.APPROVE:
        if stage is not None and stage.office_kind == PlanStage.OfficeKind.EMPLOYER:
            _check_employer_approval(application, now, outcome, handling)
        following = [s for s in stages_of(application) if stage is None or s.order > stage.order]
        if following:
            application.status = S.IN_REVIEW
            _enter(application, following[0], now)
        else:
            application.status = S.QUALIFIED
            _leave_chain(application)
        return
    application.status = move.target
    if move.target == S.RETURNED:
        _leave_chain(application)
    elif move.target in ENDED:
        _end(application)


def conclude(
    *, actor: Any, application: Application, passed: bool, document_number: str, now: datetime | None = None
) -> Application:
    """The city office publishes the committee's result (after its publicity) under a document number."""
    action = A.PUBLISH_PASS if passed else A.PUBLISH_FAIL
    return transition(actor=actor, application=application, action=action, reason=document_number, now=now)


@transaction.atomic
def deadline_extend(*, actor: Any, application: Application, deadline: date, reason: str) -> DeadlineExtension:
    """An office extends this applicant's deadline at its stage, giving the reason."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.applicant_id == getattr(actor, "pk", None):
        raise PermissionDenied("不能延长本人申报的审核期限。")
    if not can(actor, "application.review", locked):
        raise PermissionDenied("该申报当前不在您单位的审核环节。")
    if not reason.strip():
        raise WorkflowError("请填写延期原因。")
    if locked.stage_deadline and deadline <= locked.stage_deadline:
        raise WorkflowError(f"延长后的截止日须晚于原截止日 {locked.stage_deadline:%Y-%m-%d}。")
    extension = DeadlineExtension.objects.create(
        application=locked,
        stage_order=locked.stage_order,
        previous_deadline=locked.stage_deadline,
        deadline=deadline,
        reason=reason.strip(),
        granted_by=actor,
    )
    locked.stage_deadline = deadline
    locked.save(update_fields=["stage_deadline", "updated_at"])
    log_action(
        actor=actor,
        action="application.deadline_extended",
        obj=locked,
        data={"stage": locked.stage_order, "from": str(extension.previous_deadline), "to": str(deadline)},
    )
    return extension
