"""Background work through Celery: export jobs and notification deliveries are idempotent,
retried, and picked up again after a worker died. Run eagerly here (no broker); the real
worker and broker are exercised by ``test_failures``."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from tests import factories
from tests.applications.conftest import demo, open_plan  # noqa: F401 - fixtures
from zhicheng.celery import app as celery_app
from zhicheng.documents import services as document_services
from zhicheng.documents import tasks as document_tasks
from zhicheng.documents.models import ExportJob
from zhicheng.notifications import backends, services
from zhicheng.notifications import tasks as notification_tasks
from zhicheng.notifications.backends import BaseSmsBackend, SendError
from zhicheng.notifications.models import Channel, Message, Status

pytestmark = pytest.mark.django_db


class FlakySmsBackend(BaseSmsBackend):
    """Refuses the first ``failures`` messages, then delivers to the locmem outbox."""

    failures = 1

    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        if FlakySmsBackend.failures > 0:
            FlakySmsBackend.failures -= 1
            raise SendError("网关繁忙")
        backends.LocmemSmsBackend().send(mobile=mobile, content=content, key=key)


@pytest.fixture
def person(db):
    return factories.UserFactory(real_name="李丽", mobile="13800009999")


@pytest.fixture
def with_broker(settings):
    """Settings as with a broker configured (the task's ``delay`` is captured, not sent)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    with mock.patch.object(notification_tasks.deliver_message, "delay") as delay:
        yield delay


@pytest.fixture
def eager_retries(settings):
    """Eager ``apply`` runs a task's retries at once when errors are not propagated."""
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    assert celery_app.conf.task_eager_propagates is False


def queued_sms(person) -> Message:
    return Message.objects.create(
        recipient=person, channel=Channel.SMS, address=person.mobile, template="account_locked", subject="s", body="b"
    )


# --- Notifications ----------------------------------------------------------------------------


def test_without_a_broker_notify_delivers_when_the_change_commits(
    person, sms_outbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inbox, sms = services.notify(recipient=person, template="account_locked", context={"minutes": 15})
        assert sms.status == Status.QUEUED and sms_outbox == []  # nothing sent before the commit

    assert len(callbacks) == 1
    sms.refresh_from_db()
    assert sms.status == Status.SENT and len(sms_outbox) == 1


def test_with_a_broker_the_sms_waits_for_the_worker_after_commit(
    person, sms_outbox, with_broker, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        inbox, sms = services.notify(recipient=person, template="account_locked", context={"minutes": 15})
        assert not with_broker.called  # nothing is queued before the transaction commits

    assert len(callbacks) == 1
    with_broker.assert_called_once_with(sms.pk)
    sms.refresh_from_db()
    assert sms.status == Status.QUEUED and sms.attempts == 0 and sms_outbox == []
    assert inbox.status == Status.SENT


def test_a_secret_is_never_put_in_the_queue(person, sms_outbox, with_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (sms,) = services.notify(
            recipient=person,
            template="password_reset_code",
            context={"code": "654321", "minutes": 10},
            channels=["sms"],
        )

    assert not with_broker.called
    assert sms.status == Status.SENT and "654321" in sms_outbox[0]["content"]


def test_the_task_sends_once_and_a_second_copy_does_nothing(person, sms_outbox):
    sms = queued_sms(person)

    first = notification_tasks.deliver_message.apply(args=[sms.pk])
    second = notification_tasks.deliver_message.apply(args=[sms.pk])

    assert first.result == Status.SENT and second.result == "already sent"
    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 1 and len(sms_outbox) == 1


def test_a_refused_message_is_retried_then_sent(person, sms_outbox, settings, eager_retries):
    settings.SMS_BACKEND = f"{__name__}.FlakySmsBackend"
    FlakySmsBackend.failures = 2
    sms = queued_sms(person)

    notification_tasks.deliver_message.apply(args=[sms.pk])  # eager: retries run at once

    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 3 and sms.error == ""
    assert len(sms_outbox) == 1


def test_after_the_last_retry_the_message_is_failed_with_the_reason(person, sms_outbox, settings, eager_retries):
    settings.SMS_BACKEND = "tests.notifications.helpers.RefusingSmsBackend"
    sms = queued_sms(person)

    notification_tasks.deliver_message.apply(args=[sms.pk])

    sms.refresh_from_db()
    assert sms.status == Status.FAILED and "余额不足" in sms.error
    assert sms.attempts == notification_tasks.MAX_RETRIES + 1
    assert sms_outbox == []


def test_between_retries_the_message_stays_queued_with_the_reason(person, settings):
    settings.SMS_BACKEND = "tests.notifications.helpers.RefusingSmsBackend"
    sms = queued_sms(person)
    task = notification_tasks.deliver_message
    task.push_request(retries=0, is_eager=False, called_directly=False)
    try:
        with (
            mock.patch.object(task, "retry", side_effect=RuntimeError("retry scheduled")) as retry,
            pytest.raises(RuntimeError, match="retry scheduled"),
        ):
            task.run(sms.pk)
    finally:
        task.pop_request()

    assert 24 <= retry.call_args.kwargs["countdown"] <= 36  # 30 s ± 20 %, truncated
    sms.refresh_from_db()
    assert sms.status == Status.QUEUED and sms.attempts == 1 and "余额不足" in sms.error


def test_the_sweeps_wait_as_long_as_the_setting_says(person, with_broker, settings):
    waiting = queued_sms(person)
    Message.objects.filter(pk=waiting.pk).update(created_at=timezone.now() - timedelta(seconds=30))

    assert notification_tasks.requeue_stale_messages() == 0  # default: five minutes
    settings.STALE_WORK_AFTER_SECONDS = 20
    assert notification_tasks.requeue_stale_messages() == 1
    assert notification_tasks.requeue_stale_messages(older_than=timedelta(0)) == 1  # zero is a wait too
    with_broker.assert_called_with(waiting.pk)


def test_backoff_doubles():
    assert [notification_tasks.backoff(n) // 10 for n in range(0, 1)] in ([2], [3])
    assert 0.8 * 480 <= notification_tasks.backoff(4) <= 1.2 * 480


def test_a_worker_starting_requeues_messages_left_without_an_attempt(person, with_broker):
    old, fresh, tried = queued_sms(person), queued_sms(person), queued_sms(person)
    Message.objects.filter(pk__in=[old.pk, tried.pk]).update(created_at=timezone.now() - timedelta(minutes=10))
    Message.objects.filter(pk=tried.pk).update(attempts=1)

    assert notification_tasks.requeue_stale_messages() == 1
    with_broker.assert_called_once_with(old.pk)
    assert fresh.pk != old.pk


# --- Export jobs ------------------------------------------------------------------------------


@pytest.fixture
def exporter(open_plan):  # noqa: F811
    return factories.UserFactory(is_staff=True, real_name="平台管理员")


def job_of(exporter, plan, **fields) -> ExportJob:
    return ExportJob.objects.create(
        kind=ExportJob.Kind.ROSTER, parameters={"plan": plan.pk}, created_by=exporter, **fields
    )


def run_as(task, *args, **request):
    task.push_request(**request)
    try:
        return task.run(*args)
    finally:
        task.pop_request()


def test_the_celery_runner_queues_the_job_after_commit(
    exporter,
    open_plan,  # noqa: F811
    settings,
    django_capture_on_commit_callbacks,
):
    settings.ZHICHENG_JOB_RUNNER = "celery"
    with (
        mock.patch.object(document_tasks.run_export_job, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = document_services.export_job_start(actor=exporter, kind="roster", plan=open_plan)
        assert not delay.called

    delay.assert_called_once_with(job.pk)
    assert job.status == ExportJob.Status.QUEUED


def test_the_task_runs_a_queued_job_once(exporter, open_plan):  # noqa: F811
    job = job_of(exporter, open_plan)

    assert document_tasks.run_export_job.apply(args=[job.pk]).result == "done"
    finished = ExportJob.objects.get(pk=job.pk).finished_at
    assert document_tasks.run_export_job.apply(args=[job.pk]).result == "done"
    assert ExportJob.objects.get(pk=job.pk).finished_at == finished  # not run again


def test_a_job_held_by_a_live_worker_is_left_alone(exporter, open_plan):  # noqa: F811
    job = job_of(exporter, open_plan, status=ExportJob.Status.RUNNING, started_at=timezone.now())

    assert run_as(document_tasks.run_export_job, job.pk, delivery_info={}, retries=0) == "running"


def test_a_redelivered_task_runs_the_job_a_dead_worker_left_running(exporter, open_plan):  # noqa: F811
    job = job_of(exporter, open_plan, status=ExportJob.Status.RUNNING, started_at=timezone.now(), progress=3)

    result = run_as(document_tasks.run_export_job, job.pk, delivery_info={"redelivered": True}, retries=0)

    assert result == "done"
    job.refresh_from_db()
    assert job.status == ExportJob.Status.DONE and job.result.name


def test_a_retried_task_runs_the_job_it_left_running(exporter, open_plan):  # noqa: F811
    job = job_of(exporter, open_plan, status=ExportJob.Status.RUNNING, started_at=timezone.now())

    assert run_as(document_tasks.run_export_job, job.pk, delivery_info={}, retries=1) == "done"


def test_a_worker_starting_resends_jobs_still_queued(exporter, open_plan):  # noqa: F811
    old, fresh = job_of(exporter, open_plan), job_of(exporter, open_plan)
    ExportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(minutes=10))

    with mock.patch.object(document_tasks.run_export_job, "delay") as delay:
        assert document_tasks.requeue_stale_jobs() == 1

    delay.assert_called_once_with(old.pk)
    assert fresh.status == ExportJob.Status.QUEUED


def test_a_broker_that_cannot_be_reached_at_commit_leaves_the_message_for_the_sweep(
    person, settings, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerDown

    settings.CELERY_TASK_ALWAYS_EAGER = False
    with (
        mock.patch.object(notification_tasks.deliver_message, "delay", side_effect=BrokerDown("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        inbox, sms = services.notify(recipient=person, template="account_locked", context={"minutes": 15})

    sms.refresh_from_db()
    assert sms.status == Status.QUEUED  # the change stands; the notice waits for the sweep
    Message.objects.filter(pk=sms.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    with mock.patch.object(notification_tasks.deliver_message, "delay") as delay:
        assert notification_tasks.sweep_stale_notifications.apply().result == 1
    delay.assert_called_once_with(sms.pk)


def test_the_sweeps_are_scheduled(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks == {
        "zhicheng.documents.tasks.sweep_stale_exports",
        "zhicheng.notifications.tasks.sweep_stale_notifications",
    }
    assert document_tasks.sweep_stale_exports.name in tasks
