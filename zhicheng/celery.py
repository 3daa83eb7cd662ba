"""The Celery application: background work (exports, PDF batches, notifications).

Production runs workers against a Redis broker (``CELERY_BROKER_URL``, else ``REDIS_URL``):

    .venv/bin/celery -A zhicheng worker --concurrency 2 --loglevel INFO

With no broker configured (the embedded demo, the test suite) ``CELERY_TASK_ALWAYS_EAGER``
is on and nothing needs a worker: the callers (``documents.runners``, ``notifications``)
then keep their in-process paths.

Settings are Django's ``CELERY_*`` names (``zhicheng/settings.py``). Results are not stored
in Celery: what the user sees lives in the rows the tasks update (an export job's status and
file, a message's delivery status), so a task that runs twice finds its work done.
"""

from __future__ import annotations

import os
from datetime import timedelta

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhicheng.settings")

app = Celery("zhicheng")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def stale_after() -> timedelta:
    """How long queued work waits before the sweeps send it again (``STALE_WORK_AFTER_SECONDS``)."""
    from django.conf import settings

    return timedelta(seconds=settings.STALE_WORK_AFTER_SECONDS)
