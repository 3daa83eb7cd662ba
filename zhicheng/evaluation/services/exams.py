"""Exam (理论考试) and interview (面试答辩) scores: the full marks, entry per applicant, and the
XLSX import — all or nothing."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.evaluation import selectors, xlsx
from zhicheng.evaluation.models import ExamResult, ScoreScale
from zhicheng.evaluation.services.common import EvaluationError, ensure_not_confirmed
from zhicheng.evaluation.thresholds import plain
from zhicheng.plans.models import Plan

FIELDS = ("exam_raw", "interview_raw")


class ImportRejected(EvaluationError):
    """The file has errors (``errors``, by row and column); nothing was imported."""

    def __init__(self, errors: list[xlsx.RowError]) -> None:
        super().__init__(f"文件有 {len(errors)} 处错误，未导入任何成绩。")
        self.errors = errors


@transaction.atomic
def score_scale_set(*, actor: Any, plan: Plan, exam_full_marks: Decimal, interview_full_marks: Decimal) -> ScoreScale:
    require(actor, "evaluation.manage", plan)
    ensure_not_confirmed(plan)
    if exam_full_marks <= 0 or interview_full_marks <= 0:
        raise EvaluationError("满分应大于 0。")
    results = ExamResult.objects.filter(application__plan=plan)
    if (
        results.filter(exam_raw__gt=exam_full_marks).exists()
        or results.filter(interview_raw__gt=interview_full_marks).exists()
    ):
        raise EvaluationError("已录入的成绩中有高于新满分的，请先核对成绩。")
    scale, _ = ScoreScale.objects.update_or_create(
        plan=plan, defaults={"exam_full_marks": exam_full_marks, "interview_full_marks": interview_full_marks}
    )
    log_action(
        actor=actor,
        action="evaluation.score_scale",
        obj=plan,
        data={"exam_full_marks": str(exam_full_marks), "interview_full_marks": str(interview_full_marks)},
    )
    return scale


@transaction.atomic
def exam_results_save(
    *, actor: Any, plan: Plan, entries: dict[int, dict[str, Decimal | None]], source: str = "form"
) -> int:
    """Set raw scores: ``entries`` maps an application id to the fields to set (``exam_raw``,
    ``interview_raw``; None clears). Every entry is checked before anything is written.
    Returns how many applicants' scores changed."""
    require(actor, "evaluation.manage", plan)
    ensure_not_confirmed(plan)
    applications = {a.pk: a for a in selectors.evaluated_applications(plan)}
    scale = selectors.score_scale(plan)
    full = {"exam_raw": scale.exam_full_marks, "interview_raw": scale.interview_full_marks}
    for application_id, values in entries.items():
        if application_id not in applications:
            raise EvaluationError("只能为本计划资格审查通过的申报录入成绩。")
        for name, value in values.items():
            if name not in FIELDS:
                raise ValueError(f"unknown score field {name!r}")
            if value is not None and not 0 <= value <= full[name]:
                raise EvaluationError(f"成绩应在 0 到满分 {plain(full[name])} 之间。")
    now = timezone.now()
    changed: dict[str, dict[str, str | None]] = {}
    existing = {r.application_id: r for r in ExamResult.objects.select_for_update().filter(application_id__in=entries)}
    for application_id, values in entries.items():
        result = existing.get(application_id) or ExamResult(application_id=application_id, updated_by=actor)
        diff = {name: value for name, value in values.items() if getattr(result, name) != value}
        if not diff:
            continue
        for name, value in diff.items():
            setattr(result, name, value)
        result.updated_by, result.updated_at = actor, now
        result.save()
        number = applications[application_id].number or str(application_id)
        changed[number] = {name: None if value is None else str(value) for name, value in diff.items()}
    if changed:
        log_action(actor=actor, action="evaluation.exam_scores", obj=plan, data={"source": source, "changed": changed})
    return len(changed)


def exam_results_import(*, actor: Any, plan: Plan, data: bytes, filename: str) -> int:
    """Import a filled template: every row is checked first; with any error nothing is imported
    (``ImportRejected``); otherwise all its scores are saved in one transaction."""
    require(actor, "evaluation.manage", plan)
    applications = {a.number: a for a in selectors.evaluated_applications(plan) if a.number}
    scale = selectors.score_scale(plan)
    parsed = xlsx.parse(
        data,
        names={number: a.applicant.real_name for number, a in applications.items()},
        full_marks={"exam_raw": scale.exam_full_marks, "interview_raw": scale.interview_full_marks},
    )
    if parsed.errors:
        raise ImportRejected(parsed.errors)
    entries: dict[int, dict[str, Decimal | None]] = {
        applications[number].pk: dict(values) for number, values in parsed.entries.items()
    }
    return exam_results_save(actor=actor, plan=plan, entries=entries, source=f"import:{filename}")
