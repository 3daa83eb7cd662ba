"""Running export jobs: each kind has an exporter that writes the file and reports progress;
``run_job`` claims a queued job, runs its exporter and records the result or the error.

``run_job`` is what a runner calls (``runners``: inline, a thread, later a Celery task); it
claims the job with a conditional update, so a job handed to two workers runs once.
"""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.documents import official, pdf, selectors
from zhicheng.documents.models import ExportJob
from zhicheng.documents.roster import write_roster
from zhicheng.plans.models import Plan

logger = logging.getLogger(__name__)


class Reporter:
    """Writes the job's progress (and, once known, its total) straight to its row."""

    def __init__(self, job: ExportJob) -> None:
        self.job_id = job.pk

    def total(self, total: int) -> None:
        ExportJob.objects.filter(pk=self.job_id).update(total=total, progress=0)

    def __call__(self, done: int) -> None:
        ExportJob.objects.filter(pk=self.job_id).update(progress=done)


def _scope(job: ExportJob) -> tuple[Plan, int | None, str, Any]:
    plan = Plan.objects.select_related("committee").get(pk=job.parameters["plan"])
    stage = job.parameters.get("stage")
    label = dict(selectors.stage_choices(plan)).get(stage, "") if stage else ""
    return plan, stage, label, selectors.roster_applications(job.created_by, plan, stage)


def export_roster(job: ExportJob, report: Reporter) -> tuple[str, bytes, int]:
    plan, _stage, label, applications = _scope(job)
    report.total(applications.count())
    buffer = io.BytesIO()
    count = write_roster(
        applications.iterator(chunk_size=500),
        buffer,
        plan=plan,
        stage_label=label,
        full_ids=bool(job.parameters.get("full_ids")),
        progress=report,
    )
    return f"{plan.number}-评审对象资格审查花名册.xlsx", buffer.getvalue(), count


def export_review_forms(job: ExportJob, report: Reporter) -> tuple[str, bytes, int]:
    """Every review form of the roster's applications, one PDF each, in a ZIP."""
    plan, _stage, _label, applications = _scope(job)
    report.total(applications.count())
    buffer = io.BytesIO()
    count = 0
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for count, application in enumerate(applications, start=1):
            name = (application.snapshot or {}).get("person", {}).get("name", "")
            data = pdf.render_pdf("documents/pdf/review_form.html", official.review_form(application))
            archive.writestr(f"{application.number}-{name}-评审表.pdf", data)
            report(count)
    return f"{plan.number}-评审表.zip", buffer.getvalue(), count


Exporter = Callable[[ExportJob, Reporter], tuple[str, bytes, int]]
EXPORTERS: dict[str, Exporter] = {
    ExportJob.Kind.ROSTER: export_roster,
    ExportJob.Kind.REVIEW_FORMS: export_review_forms,
}
SUFFIXES = {ExportJob.Kind.ROSTER: "xlsx", ExportJob.Kind.REVIEW_FORMS: "zip"}


def run_job(job_id: int) -> None:
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return  # already taken by another worker, or finished
    job = ExportJob.objects.select_related("created_by").get(pk=job_id)
    try:
        name, data, count = EXPORTERS[job.kind](job, Reporter(job))
    except Exception as error:
        logger.exception("export job %s failed", job.public_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000], finished_at=timezone.now()
        )
        return
    job.result.save(f"{job.public_id}.{SUFFIXES[job.kind]}", ContentFile(data), save=False)
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        result=job.result.name,
        result_name=name,
        progress=count,
        total=count,
        finished_at=timezone.now(),
    )
    log_action(
        actor=job.created_by,
        action="documents.export_done",
        obj=job,
        data={"kind": job.kind, **job.parameters, "rows": count},
    )
