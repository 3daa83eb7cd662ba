"""Celery tasks of notifications: deliver one queued SMS or e-mail.

Idempotent: the task locks the message row (``SELECT … FOR UPDATE SKIP LOCKED``) and only
sends a message that is still ``queued``; a second copy of the task (a retry, a redelivery
after a worker died) finds it sent, or being sent by another worker, and does nothing.

Retries: a backend failure keeps the message queued with the reason and tries again after
30 s, 1, 2, 4, 8 minutes (with jitter); after the last attempt the message is ``failed``,
as the synchronous path records it. The delivery log shows each state.

A database error (the database restarting) retries the task the same way, and a worker
that starts, and the periodic sweep (``sweep_stale_notifications``, every
``STALE_WORK_AFTER_SECONDS`` — five minutes — from ``celery beat``), re-queue messages that
waited that long without a single attempt (their task was lost with the broker's memory, or
never sent: a web worker killed between its commit and the hand-over), so no notice is left
behind.

The one case that can hand a message over twice: a worker killed after the gateway accepted
it and before the row was updated (the lock is released with the dead connection, the task
is handed out again). That is the price of never losing a notice; both hand-overs carry the
message's key (``Idempotency-Key``), so a gateway that de-duplicates by it delivers it once.
"""

from __future__ import annotations

import logging
import random
from datetime import timedelta

from celery import shared_task
from celery.signals import worker_ready
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone

from zhicheng.celery import stale_after  # the project's Celery app, before any shared_task
from zhicheng.notifications import services
from zhicheng.notifications.models import Message, Status

logger = logging.getLogger(__name__)

MAX_RETRIES = 5
FIRST_DELAY = 30  # seconds; doubles each retry


def backoff(retries: int) -> int:
    """Seconds before retry number ``retries + 1``: 30, 60, 120 … with ±20 % jitter."""
    base = FIRST_DELAY * 2**retries
    return max(1, int(base * random.uniform(0.8, 1.2)))  # noqa: S311 - jitter, not security


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=MAX_RETRIES,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=FIRST_DELAY,
    retry_backoff_max=600,
)
def deliver_message(self, message_id: int) -> str:
    """Send queued message ``message_id``; returns what happened (for the worker's log)."""
    retry = False
    with transaction.atomic():
        message = Message.objects.select_for_update(skip_locked=True).filter(pk=message_id).first()
        if message is None:
            exists = Message.objects.filter(pk=message_id).exists()
            return "being sent by another worker" if exists else "no such message"
        if message.status != Status.QUEUED:
            return f"already {message.status}"
        error = services.attempt_send(message)
        final = not error or self.request.retries >= self.max_retries
        services.record_outcome(message, error, final=final)
        retry = not final
    if retry:
        raise self.retry(countdown=backoff(self.request.retries))
    return message.status


def requeue_stale_messages(*, older_than: timedelta | None = None) -> int:
    """Queue again the messages still waiting for their first attempt after ``older_than``."""
    waited = stale_after() if older_than is None else older_than
    stale = Message.objects.filter(
        status=Status.QUEUED, attempts=0, created_at__lt=timezone.now() - waited
    ).values_list("pk", flat=True)
    count = 0
    for message_id in stale.iterator():
        deliver_message.delay(message_id)
        count += 1
    if count:
        logger.info("re-queued %s notification(s) that waited without an attempt", count)
    return count


@shared_task(ignore_result=True)
def sweep_stale_notifications() -> int:
    """Periodic (``CELERY_BEAT_SCHEDULE``): queue again the messages whose task was lost."""
    return requeue_stale_messages()


@worker_ready.connect
def _requeue_on_start(**_kwargs: object) -> None:
    try:
        requeue_stale_messages()
    except Exception:  # a worker starts even when the database is not there yet
        logger.exception("could not re-queue stale notifications")
