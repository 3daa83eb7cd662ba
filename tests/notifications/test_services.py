from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhicheng.core.audit import verify_chain
from zhicheng.core.models import AuditEntry
from zhicheng.notifications import backends, services
from zhicheng.notifications.message_templates import REDACTED, MissingContext, UnknownTemplate
from zhicheng.notifications.models import Channel, Message, Status
from zhicheng.notifications.selectors import deliveries, inbox_for, unread_count

pytestmark = pytest.mark.django_db

REFUSING = "tests.notifications.helpers.RefusingSmsBackend"
CRASHING = "tests.notifications.helpers.CrashingSmsBackend"


def audit_actions(message: Message) -> list[str]:
    return list(
        AuditEntry.objects.filter(object_type="notifications.message", object_id=str(message.pk)).values_list(
            "action", flat=True
        )
    )


def test_notify_creates_inbox_and_sms_and_sends_the_sms(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        inbox, sms = services.notify(
            recipient=alice,
            template="employer_approved",
            context={"organisation": "杭州某某科技有限公司"},
            related_url="/orgs/mine/",
        )
        # The SMS waits for the commit (a rolled-back change announces nothing).
        sms.refresh_from_db()
        assert sms.status == Status.QUEUED and sms.attempts == 0 and backends.outbox == []
        assert audit_actions(sms) == []

    assert (inbox.channel, sms.channel) == (Channel.INBOX, Channel.SMS)
    assert inbox.status == Status.SENT and inbox.read_at is None and inbox.related_url == "/orgs/mine/"
    assert inbox.subject == "单位注册审核通过"
    assert "杭州某某科技有限公司" in inbox.body and not inbox.body.startswith("【")

    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 1 and sms.sent_at is not None and sms.error == ""
    assert sms.address == alice.mobile
    assert len(backends.outbox) == 1
    assert backends.outbox[0]["mobile"] == alice.mobile
    assert backends.outbox[0]["content"] == sms.body
    assert sms.body.startswith("【职称平台】")

    assert audit_actions(inbox) == ["notification.sent"]
    assert audit_actions(sms) == ["notification.sent"]
    assert verify_chain().ok


def test_failing_backend_records_failure_and_does_not_raise(alice, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = REFUSING

    with django_capture_on_commit_callbacks(execute=True):
        messages = services.notify(
            recipient=alice, template="account_locked", context={"minutes": 15}, channels=["sms"]
        )

    (sms,) = messages
    sms.refresh_from_db()
    assert sms.status == Status.FAILED
    assert sms.error == "网关拒绝：余额不足"
    assert sms.attempts == 1 and sms.sent_at is None
    assert audit_actions(sms) == ["notification.failed"]
    assert AuditEntry.objects.get(action="notification.failed").data["error"] == "网关拒绝：余额不足"


def test_unexpected_backend_exception_is_recorded_and_callers_change_stands(
    alice, settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = CRASHING

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        alice.real_name = "李丽丽"
        alice.save(update_fields=["real_name"])
        (sms,) = services.notify(recipient=alice, template="account_locked", context={"minutes": 15}, channels=["sms"])

    alice.refresh_from_db()
    assert alice.real_name == "李丽丽"
    sms.refresh_from_db()
    assert sms.status == Status.FAILED and sms.error == "boom"


def test_a_misconfigured_backend_path_is_recorded_as_failure(alice, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = "zhicheng.notifications.backends.NoSuchBackend"

    with django_capture_on_commit_callbacks(execute=True):
        sms = services.send_sms(mobile=alice.mobile, template="account_locked", context={"minutes": 5})

    assert sms.status == Status.FAILED and "NoSuchBackend" in sms.error


def test_deliver_retries_a_failed_message_and_skips_a_sent_one(alice, settings, django_capture_on_commit_callbacks):
    settings.SMS_BACKEND = REFUSING
    with django_capture_on_commit_callbacks(execute=True):
        sms = services.send_sms(mobile=alice.mobile, template="account_locked", context={"minutes": 5}, user=alice)
    assert sms.status == Status.FAILED

    settings.SMS_BACKEND = "zhicheng.notifications.backends.LocmemSmsBackend"
    services.deliver(sms)
    sms.refresh_from_db()
    assert sms.status == Status.SENT and sms.attempts == 2 and sms.error == ""

    services.deliver(sms)
    assert sms.attempts == 2
    assert len(backends.outbox) == 1
    assert audit_actions(sms) == ["notification.failed", "notification.sent"]


def test_send_sms_to_a_number_without_a_user():
    sms = services.send_sms(
        mobile="13900001111", template="password_reset_code", context={"code": "123456", "minutes": 10}
    )

    assert sms.recipient is None and sms.address == "13900001111" and sms.status == Status.SENT
    assert backends.outbox[0]["mobile"] == "13900001111"
    assert "123456" in backends.outbox[0]["content"]
    assert backends.outbox[0]["content"].startswith("【职称平台】")


def test_secret_code_is_sent_but_never_stored(alice):
    (sms,) = services.notify(
        recipient=alice, template="password_reset_code", context={"code": "654321", "minutes": 10}, channels=["sms"]
    )

    assert "654321" in backends.outbox[0]["content"]
    sms.refresh_from_db()
    assert "654321" not in sms.body and REDACTED in sms.body
    assert not AuditEntry.objects.filter(data__icontains="654321").exists()


def test_sms_without_mobile_is_recorded_as_failed_and_not_sent(alice):
    alice.mobile = ""

    (sms,) = services.notify(recipient=alice, template="account_locked", context={"minutes": 15}, channels=["sms"])

    assert sms.status == Status.FAILED and sms.error == services.NO_MOBILE and sms.attempts == 0
    assert backends.outbox == []
    assert audit_actions(sms) == ["notification.failed"]


def test_email_goes_through_django_mail(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        (email,) = services.notify(
            recipient=alice,
            template="employer_rejected",
            context={"organisation": "甲公司", "reason": "营业执照模糊"},
            channels=["email"],
        )
        assert email.status == Status.QUEUED and mail.outbox == []  # sent when the change commits

    assert email.status == Status.SENT and email.address == "alice@example.com"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["alice@example.com"]
    assert mail.outbox[0].subject == "单位注册审核未通过"
    assert "营业执照模糊" in mail.outbox[0].body


def test_email_without_address_is_failed(bob):
    (email,) = services.notify(recipient=bob, template="account_locked", context={"minutes": 15}, channels=["email"])

    assert email.status == Status.FAILED and email.error == services.NO_EMAIL
    assert mail.outbox == []


def test_email_backend_failure_is_recorded(alice, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notifications.helpers.BrokenEmailBackend"

    with django_capture_on_commit_callbacks(execute=True):
        (email,) = services.notify(
            recipient=alice, template="account_locked", context={"minutes": 15}, channels=["email"]
        )

    assert email.status == Status.FAILED and "SMTP" in email.error


def test_unknown_template_or_missing_context_raises_before_writing(alice):
    with pytest.raises(UnknownTemplate):
        services.notify(recipient=alice, template="no_such_template", context={})
    with pytest.raises(MissingContext):
        services.notify(recipient=alice, template="employer_rejected", context={"organisation": "甲公司"})
    with pytest.raises(ValueError, match="channels"):
        services.notify(recipient=alice, template="account_locked", context={"minutes": 1}, channels=["fax"])

    assert not Message.objects.exists()
    assert backends.outbox == []


def test_mark_read_and_mark_all_read(alice, bob):
    first, _ = services.notify(recipient=alice, template="account_locked", context={"minutes": 1})
    second, _ = services.notify(recipient=alice, template="account_locked", context={"minutes": 2})
    services.notify(recipient=bob, template="account_locked", context={"minutes": 3})
    assert unread_count(alice) == 2

    services.mark_read(user=alice, message=first)
    first.refresh_from_db()
    assert first.read_at is not None
    assert unread_count(alice) == 1

    read_at = first.read_at
    services.mark_read(user=alice, message=first)
    first.refresh_from_db()
    assert first.read_at == read_at

    assert services.mark_all_read(user=alice) == 1
    assert unread_count(alice) == 0
    assert unread_count(bob) == 1


def test_mark_read_refuses_someone_elses_message(alice, bob):
    message, _ = services.notify(recipient=alice, template="account_locked", context={"minutes": 1})

    with pytest.raises(PermissionDenied):
        services.mark_read(user=bob, message=message)
    message.refresh_from_db()
    assert message.read_at is None


def test_selectors(alice, bob, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    services.notify(recipient=alice, template="account_locked", context={"minutes": 1})
    latest, _ = services.notify(recipient=alice, template="employer_approved", context={"organisation": "乙"})

    assert [m.pk for m in inbox_for(alice)][0] == latest.pk
    assert inbox_for(alice).count() == 2
    assert all(m.channel == Channel.INBOX for m in inbox_for(alice))
    assert inbox_for(bob).count() == 0
    assert inbox_for(AnonymousUser()).count() == 0
    assert unread_count(AnonymousUser()) == 0
    assert deliveries().count() == 2
    assert deliveries(channel="sms", status="failed").count() == 0
