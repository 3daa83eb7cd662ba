"""Reads about notifications."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhicheng.notifications.models import Channel, Message


def inbox_for(user: Any) -> QuerySet[Message]:
    """``user``'s inbox messages (站内信), newest first; empty for anonymous users."""
    if not getattr(user, "is_authenticated", False):
        return Message.objects.none()
    return Message.objects.filter(recipient=user, channel=Channel.INBOX).order_by("-created_at", "-id")


def unread_count(user: Any) -> int:
    """How many of ``user``'s inbox messages are unread (one COUNT query; 0 for anonymous)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Message.objects.filter(recipient=user, channel=Channel.INBOX, read_at__isnull=True).count()


def deliveries(*, channel: str = "", status: str = "") -> QuerySet[Message]:
    """SMS and e-mail messages for the delivery log, newest first, optionally filtered."""
    qs = Message.objects.exclude(channel=Channel.INBOX).select_related("recipient").order_by("-created_at", "-id")
    if channel:
        qs = qs.filter(channel=channel)
    if status:
        qs = qs.filter(status=status)
    return qs
