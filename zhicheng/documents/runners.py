"""How an export job gets run.

``ZHICHENG_JOB_RUNNER`` (setting or environment variable) picks the runner:

- ``"celery"`` (the default when a broker is configured): the job id goes to the Celery queue
  once the creating transaction commits (``tasks.run_export_job``); a worker runs it. The
  task is acknowledged only when it has finished, so a worker that dies hands it back, and
  ``jobs.run_job`` claims the job with a conditional update, so it runs once.
- ``"thread"`` (the embedded default): a daemon thread started once the creating transaction
  commits, so the thread sees the job row; it closes its own database connections.
- ``"inline"``: run at once in the caller (tests, management commands).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction


def run_inline(job_id: int) -> None:
    from zhicheng.documents.jobs import run_job

    run_job(job_id)


def _thread_main(job_id: int) -> None:
    from zhicheng.documents.jobs import run_job

    try:
        run_job(job_id)
    finally:
        connections.close_all()


def run_in_thread(job_id: int) -> None:
    def start() -> None:
        threading.Thread(target=_thread_main, args=(job_id,), name=f"export-job-{job_id}", daemon=True).start()

    transaction.on_commit(start)


def run_in_celery(job_id: int) -> None:
    from zhicheng.documents.tasks import run_export_job

    # robust: a broker that cannot be reached is logged, not raised to the committed request;
    # the job stays queued and the periodic sweep (tasks.sweep_stale_exports) sends it again.
    transaction.on_commit(lambda: run_export_job.delay(job_id), robust=True)


RUNNERS: dict[str, Callable[[int], None]] = {"inline": run_inline, "thread": run_in_thread, "celery": run_in_celery}


def runner_name() -> str:
    return settings.ZHICHENG_JOB_RUNNER


def dispatch(job_id: int) -> None:
    name = runner_name()
    try:
        runner = RUNNERS[name]
    except KeyError:
        raise ImproperlyConfigured(f"ZHICHENG_JOB_RUNNER={name!r}: 可选 {', '.join(RUNNERS)}") from None
    runner(job_id)
