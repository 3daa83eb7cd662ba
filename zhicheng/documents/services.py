"""Writes of the documents app: starting an export job, and the audit entry of every document
handed out (who took which form of whose application, or which roster with which IDs)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from zhicheng.core.audit import log_action
from zhicheng.core.permissions import require
from zhicheng.documents import runners
from zhicheng.documents.models import ExportJob
from zhicheng.plans.models import Plan


def export_job_start(
    *, actor: Any, kind: str, plan: Plan, stage: int | None = None, full_ids: bool = False
) -> ExportJob:
    """Queue an export of ``plan``'s roster (or its review forms) and hand it to the runner."""
    require(actor, "roster.export", plan)
    if full_ids:
        require(actor, "roster.full_ids", plan)
    if kind not in ExportJob.Kind.values:
        raise ValueError(f"unknown export kind {kind!r}")
    with transaction.atomic():
        job = ExportJob.objects.create(
            kind=kind,
            parameters={"plan": plan.pk, "stage": stage, "full_ids": full_ids},
            created_by=actor,
        )
        log_action(
            actor=actor,
            action="documents.export_requested",
            obj=plan,
            data={"job": str(job.public_id), **job.parameters, "kind": kind},
        )
    runners.dispatch(job.pk)
    job.refresh_from_db()
    return job


def record_download(*, actor: Any, document: str, obj: models.Model) -> None:
    """Log that ``actor`` downloaded ``document`` (e.g. ``review_form``) of ``obj``."""
    log_action(actor=actor, action=f"documents.{document}_downloaded", obj=obj)
