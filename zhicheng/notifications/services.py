"""Writes for notifications: create messages and deliver them.

Messages are rows of the caller's transaction; sending waits for it to commit (a change
rolled back announces nothing). In the embedded default ``deliver`` then runs in the same
process; with a Celery broker configured, SMS and e-mail go through the queue instead
(``tasks.deliver_message``, queued once the creating transaction commits): the worker
retries a failing backend with backoff and records the outcome; a message already sent is
never sent again. Messages carrying a secret (a password-reset code) are sent at once: the
code is not put in the queue, and the person is waiting for it.
A failing backend never raises to the caller: the message is recorded as ``failed`` with
the reason, and the change that triggered the notice stands.

Missing addresses: when the recipient has no mobile (SMS) or no e-mail (e-mail), the
message is still created, as ``failed`` with 无手机号码 / 无电子邮箱, so the delivery log
shows that the person could not be reached on that channel.

Secrets: values a template marks secret (the password-reset code) are sent but stored
masked, so a stored message never reveals them.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from zhicheng.core.audit import log_action
from zhicheng.notifications import message_templates
from zhicheng.notifications.backends import SendError, get_sms_backend
from zhicheng.notifications.models import Channel, Message, Status

logger = logging.getLogger(__name__)

NO_MOBILE = "无手机号码"
NO_EMAIL = "无电子邮箱"
MAX_ERROR_LENGTH = 1000


def notify(
    *,
    recipient: Any,
    template: str,
    context: Mapping[str, Any],
    channels: Sequence[str] = (Channel.INBOX, Channel.SMS),
    related_url: str = "",
) -> list[Message]:
    """Send template ``template`` to ``recipient`` on each of ``channels``; one message each."""
    channels = list(dict.fromkeys(str(c) for c in channels))
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise ValueError(f"unknown notification channels {unknown}")
    # Render everything first: an unknown template or missing context raises before any write.
    plans = []
    for channel in channels:
        sent = message_templates.render(template, context, channel=channel)
        stored = message_templates.render(template, context, channel=channel, redact=True)
        plans.append((channel, sent, stored))

    messages: list[Message] = []
    with transaction.atomic():
        for channel, _sent, stored in plans:
            message = _create(
                recipient=recipient,
                channel=channel,
                address=_address_of(recipient, channel),
                template=template,
                subject=stored.subject,
                body=stored.body,
                related_url=related_url,
            )
            messages.append(message)
    for message, (_, sent, _) in zip(messages, plans, strict=True):
        if message.status == Status.QUEUED:
            _dispatch(message, body=sent.body)
    return messages


def send_sms(*, mobile: str, template: str, context: Mapping[str, Any], user: Any = None) -> Message:
    """Send template ``template`` by SMS to ``mobile`` (``user`` is the person, when known)."""
    sent = message_templates.render(template, context, channel=Channel.SMS)
    stored = message_templates.render(template, context, channel=Channel.SMS, redact=True)
    with transaction.atomic():
        message = _create(
            recipient=user,
            channel=Channel.SMS,
            address=(mobile or "").strip(),
            template=template,
            subject=stored.subject,
            body=stored.body,
        )
    if message.status == Status.QUEUED:
        _dispatch(message, body=sent.body)
    return message


def _dispatch(message: Message, *, body: str) -> None:
    """Deliver once the surrounding transaction commits (a rolled-back change announces
    nothing): here when there is no broker, else through the queue. A secret in the text (a
    login code) is sent at once, never put in the queue."""
    if body != message.body:
        deliver(message, body=body)
        return
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: deliver(message), robust=True)
        return
    from zhicheng.notifications.tasks import deliver_message

    # robust: an unreachable broker is logged, not raised to the committed change; the message
    # stays queued and the periodic sweep (tasks.sweep_stale_notifications) sends it again.
    transaction.on_commit(lambda: deliver_message.delay(message.pk), robust=True)


def deliver(message: Message, *, body: str | None = None) -> Message:
    """Hand a queued SMS or e-mail to its backend and record the outcome. Never raises.

    ``body`` is the text to send when it differs from the stored one (secrets unmasked);
    by default the stored body is sent. Already-sent and inbox messages are left alone.
    """
    if message.channel == Channel.INBOX or message.status == Status.SENT:
        return message
    error = attempt_send(message, body=body)
    record_outcome(message, error)
    return message


def attempt_send(message: Message, *, body: str | None = None) -> str:
    """Hand the message to its backend once; "" when accepted, else why not. Never raises."""
    content = message.body if body is None else body
    try:
        if not message.address:
            raise SendError(NO_MOBILE if message.channel == Channel.SMS else NO_EMAIL)
        if message.channel == Channel.SMS:
            get_sms_backend().send(mobile=message.address, content=content, key=f"zhicheng-message-{message.pk}")
        else:
            count = send_mail(message.subject, content, settings.DEFAULT_FROM_EMAIL, [message.address])
            if count != 1:
                raise SendError("邮件服务未接受该邮件")
    except Exception as exc:  # any backend failure is recorded, never raised
        error = (str(exc) or exc.__class__.__name__)[:MAX_ERROR_LENGTH]
        logger.warning("Delivery of message %s (%s) failed: %s", message.pk, message.channel, error)
        return error
    return ""


def record_outcome(message: Message, error: str, *, final: bool = True) -> None:
    """Count the attempt and store its outcome: sent, failed, or (``final=False``) still
    queued for another attempt with the reason of this one. Sent and failed are audited."""
    with transaction.atomic():
        message.attempts += 1
        message.error = error
        if not error:
            message.status = Status.SENT
            message.sent_at = timezone.now()
        elif final:
            message.status = Status.FAILED
        message.save(update_fields=["attempts", "error", "status", "sent_at"])
        if message.status != Status.QUEUED:
            _log(message)


def mark_read(*, user: Any, message: Message) -> Message:
    """Mark one of ``user``'s inbox messages read; someone else's raises ``PermissionDenied``."""
    if message.channel != Channel.INBOX or message.recipient_id is None or message.recipient_id != user.pk:
        raise PermissionDenied("只能将本人的站内信标记为已读。")
    if message.read_at is None:
        now = timezone.now()
        with transaction.atomic():
            Message.objects.filter(pk=message.pk, read_at__isnull=True).update(read_at=now)
        message.read_at = now
    return message


def mark_all_read(*, user: Any) -> int:
    """Mark every unread inbox message of ``user`` read; returns how many changed."""
    with transaction.atomic():
        return Message.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True).update(
            read_at=timezone.now()
        )


def _address_of(recipient: Any, channel: str) -> str:
    if channel == Channel.SMS:
        return (getattr(recipient, "mobile", "") or "").strip()
    if channel == Channel.EMAIL:
        return (getattr(recipient, "email", "") or "").strip()
    return ""


def _create(
    *,
    recipient: Any,
    channel: str,
    address: str,
    template: str,
    subject: str,
    body: str,
    related_url: str = "",
) -> Message:
    """Create a message; inbox messages are delivered on creation, unreachable ones fail."""
    now = timezone.now()
    message = Message(
        recipient=recipient,
        channel=channel,
        address=address,
        template=template,
        subject=subject[:200],
        body=body,
        related_url=related_url,
        created_at=now,
    )
    if channel == Channel.INBOX:
        if recipient is None:
            raise ValueError("an inbox message needs a recipient")
        message.status, message.sent_at, message.attempts = Status.SENT, now, 1
    elif not address:
        message.status = Status.FAILED
        message.error = NO_MOBILE if channel == Channel.SMS else NO_EMAIL
    message.save()
    if message.status != Status.QUEUED:
        _log(message)
    return message


def _log(message: Message) -> None:
    action = "notification.sent" if message.status == Status.SENT else "notification.failed"
    data: dict[str, Any] = {
        "channel": message.channel,
        "template": message.template,
        "recipient": message.recipient_id,
        "attempts": message.attempts,
    }
    if message.error:
        data["error"] = message.error
    log_action(actor=None, action=action, obj=message, data=data)
