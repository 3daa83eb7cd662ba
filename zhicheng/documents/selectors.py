"""Reads for the documents: which plan's roster a user may export and which applications it
lists, each stage's opinion on an application, and a user's export jobs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from zhicheng.applications.models import Application, PlanOffice, StatusChange
from zhicheng.core.permissions import can
from zhicheng.documents.models import ExportJob
from zhicheng.documents.permissions import exporter_office_ids
from zhicheng.plans.models import SHANGHAI, Plan


def takes_part(offices: set[int], plan: Plan) -> bool:
    """Whether one of ``offices`` takes part in ``plan``: the committee's body, an office named
    by a stage or an acceptance point, or one that one of its applications reached."""
    if not offices:
        return False
    if plan.committee.organising_body_id in offices:
        return True
    return (
        plan.stages.filter(organisation_id__in=offices).exists()
        or plan.acceptance_points.filter(office_id__in=offices).exists()
        or PlanOffice.objects.filter(plan=plan, office_id__in=offices).exists()
    )


def plan_for_roster(user: Any, pk: Any) -> Plan:
    """The plan ``pk`` if ``user`` may export its roster; 404 otherwise, like any object one may
    not see."""
    plan = Plan.objects.select_related("committee").filter(pk=pk).first()
    if plan is None or not can(user, "roster.export", plan):
        raise Http404("没有找到该计划。")
    return plan


def roster_applications(user: Any, plan: Plan, stage: int | None = None) -> QuerySet[Application]:
    """The submitted applications of ``plan`` in ``user``'s roster: those held or acted on by an
    office where the user exports rosters (staff: all); with ``stage``, only those at that stage
    now or acted on at it."""
    applications = Application.objects.filter(plan=plan).exclude(status=Application.Status.DRAFT)
    if not (user.is_staff or user.is_superuser):
        offices = exporter_office_ids(user)
        acted = StatusChange.objects.filter(application=OuterRef("pk"), office_id__in=offices)
        applications = applications.filter(Q(current_office_id__in=offices) | Exists(acted))
    if stage is not None:
        at_stage = StatusChange.objects.filter(application=OuterRef("pk"), stage_order=stage)
        applications = applications.filter(Q(stage_order=stage) | Exists(at_stage))
    return applications.select_related("applicant", "level", "district__parent", "current_office").order_by(
        "district__code", "number", "pk"
    )


def stage_choices(plan: Plan) -> list[tuple[int, str]]:
    return [(s.order, f"{s.order}. {s.label}") for s in plan.stages.order_by("order")]


# --- Stage opinions --------------------------------------------------------------------------


@dataclass
class StageOpinion:
    """One stage of the chain as the forms print it: whose box, and what was written in it."""

    order: int
    label: str
    office_kind: str
    office: str = ""
    opinion: str = ""
    reviewer: str = ""
    day: date | None = None

    @property
    def signed(self) -> bool:
        return self.day is not None


def stage_opinions(application: Application) -> list[StageOpinion]:
    """Every stage of the plan, with the approval given at it since the last (re)submission.

    A return restarts the review at the employer, so only approvals after the latest submission
    count; a stage not yet passed keeps an empty box for the stamp."""
    changes = list(application.status_changes.select_related("actor", "office").order_by("at", "pk"))
    starts = [
        i for i, c in enumerate(changes) if c.action in (StatusChange.Action.SUBMIT, StatusChange.Action.RESUBMIT)
    ]
    current = changes[starts[-1] + 1 :] if starts else changes
    approvals = {c.stage_order: c for c in current if c.action == StatusChange.Action.APPROVE}
    out = []
    for stage in application.plan.stages.select_related("organisation").order_by("order"):
        opinion = StageOpinion(stage.order, stage.label, stage.office_kind)
        change = approvals.get(stage.order)
        if change is not None:
            opinion.office = change.office.name if change.office else ""
            opinion.opinion = change.reason
            opinion.reviewer = change.actor.real_name or ""
            opinion.day = timezone.localtime(change.at, SHANGHAI).date()
        elif stage.organisation is not None:
            opinion.office = stage.organisation.name
        out.append(opinion)
    return out


def opinion_of_kind(opinions: list[StageOpinion], kinds: tuple[str, ...]) -> StageOpinion | None:
    """The first stage whose office is of one of ``kinds``."""
    return next((o for o in opinions if o.office_kind in kinds), None)


# --- Export jobs -----------------------------------------------------------------------------


def job_for(user: Any, public_id: Any) -> ExportJob:
    job = ExportJob.objects.select_related("created_by").filter(public_id=public_id).first()
    if job is None or not can(user, "documents.export_job", job):
        raise Http404("没有找到该导出任务。")
    return job


def recent_jobs(user: Any, plan: Plan, limit: int = 10) -> list[ExportJob]:
    return list(ExportJob.objects.filter(created_by=user, parameters__plan=plan.pk)[:limit])


# --- The 破格 self-score form's source -------------------------------------------------------


def self_score_source(application: Application) -> dict[str, Any]:
    """What the 破格 self-score form prints: the snapshot once submitted; for a draft (the
    applicant signs the form and uploads it in step 5, before submitting) the same keys from
    the draft and the engine's verdict on it now."""
    if not application.is_draft:
        return application.snapshot or {}
    from zhicheng.accounts.models import ApplicantProfile
    from zhicheng.applications.selectors import evaluate_application

    verdict = evaluate_application(application) if application.info_saved_at else None
    profile = ApplicantProfile.objects.select_related("employer").filter(user=application.applicant).first()
    return {
        "person": {
            "name": application.applicant.real_name,
            "employer": profile.employer.name if profile and profile.employer else "",
        },
        "result": verdict.result if verdict else None,
        "self_score_remarks": dict(application.self_score_remarks),
        "recommendations": [
            {
                "expert_name": r.expert_name,
                "title_level": r.get_title_level_display(),
                "specialty": r.specialty,
                "employer": r.employer_name,
                "province": r.province,
            }
            for r in application.recommendations.all()
        ],
    }
