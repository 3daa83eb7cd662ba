"""Celery tasks of documents: run an export job (a roster, a batch of review forms).

The job's row is what the user sees (status, progress, the file or the error); the task only
gets it run. ``jobs.run_job`` claims a queued job with a conditional update, so two copies of
the task run it once.

A worker that dies while running a job leaves it ``running``; the broker hands the task out
again (acknowledged only when finished) marked *redelivered*, and that copy puts the job back
in the queue before running it. The same happens when the database dropped during the job and
the task is retried. A worker that starts, and the periodic sweep (``sweep_stale_exports``,
every ``STALE_WORK_AFTER_SECONDS`` — five minutes — from ``celery beat``), re-send the jobs
still ``queued`` after that long (their message was lost with the broker's memory or never
sent): a duplicate is harmless.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from zhicheng.celery import stale_after  # the project's Celery app, before any shared_task
from zhicheng.documents.jobs import run_job
from zhicheng.documents.models import ExportJob

logger = logging.getLogger(__name__)


def reclaim(job_id: int) -> int:
    """Put a job left ``running`` by a dead worker back to ``queued``; 1 if it was."""
    count = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        status=ExportJob.Status.QUEUED, started_at=None, progress=0
    )
    if count:
        logger.warning("export job %s was left running by a worker that stopped; running it again", job_id)
    return count


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=8,
)
def run_export_job(self, job_id: int) -> str:
    """Run export job ``job_id``; returns its status (for the worker's log)."""
    delivery = self.request.delivery_info or {}
    if delivery.get("redelivered") or self.request.retries:
        reclaim(job_id)
    run_job(job_id)
    return ExportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or "missing"


def requeue_stale_jobs(*, older_than: timedelta | None = None) -> int:
    """Send again the jobs still ``queued`` after ``older_than`` (their message was lost)."""
    waited = stale_after() if older_than is None else older_than
    stale = ExportJob.objects.filter(
        status=ExportJob.Status.QUEUED, created_at__lt=timezone.now() - waited
    ).values_list("pk", flat=True)
    count = 0
    for job_id in stale.iterator():
        run_export_job.delay(job_id)
        count += 1
    if count:
        logger.info("re-sent %s export job(s) still queued", count)
    return count


@shared_task(ignore_result=True)
def sweep_stale_exports() -> int:
    """Periodic (``CELERY_BEAT_SCHEDULE``): send again the jobs whose message was lost."""
    return requeue_stale_jobs()


@worker_ready.connect
def _requeue_on_start(**_kwargs: object) -> None:
    try:
        requeue_stale_jobs()
    except Exception:  # a worker starts even when the database is not there yet
        logger.exception("could not re-send stale export jobs")
