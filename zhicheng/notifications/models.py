"""Messages sent to people: inbox notices (站内信), SMS (短信) and e-mail (电子邮件).

One row per channel per notice. ``status`` tracks delivery (inbox messages are delivered when
created); ``read_at`` tracks reading and only applies to the inbox.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme


class Channel(models.TextChoices):
    INBOX = "inbox", "站内信"
    SMS = "sms", "短信"
    EMAIL = "email", "电子邮件"


class Status(models.TextChoices):
    QUEUED = "queued", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Message(models.Model):
    Channel = Channel
    Status = Status

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="接收人",
        null=True,
        blank=True,
        # Delivery records outlive an account so the delivery log stays complete.
        on_delete=models.SET_NULL,
        related_name="messages",
    )
    channel = models.CharField("渠道", max_length=10, choices=Channel.choices)
    address = models.CharField("接收地址", max_length=254, blank=True, help_text="短信为手机号码，邮件为电子邮箱")
    template = models.CharField("模板代码", max_length=60)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    status = models.CharField("发送状态", max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField("失败原因", blank=True)
    attempts = models.PositiveSmallIntegerField("发送次数", default=0)
    related_url = models.CharField("相关链接", max_length=500, blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = verbose_name_plural = "消息"
        indexes = [
            models.Index(fields=["recipient", "channel", "-created_at"], name="notif_msg_inbox_idx"),
            models.Index(fields=["channel", "status", "-created_at"], name="notif_msg_delivery_idx"),
        ]

    def __str__(self) -> str:
        return f"[{self.get_channel_display()}] {self.subject}"

    @property
    def is_unread(self) -> bool:
        return self.channel == Channel.INBOX and self.read_at is None

    @property
    def masked_address(self) -> str:
        """The address as the delivery log shows it: ``139****0002``, ``a***@example.com``."""
        address = self.address
        if "@" in address:
            name, _, domain = address.partition("@")
            return f"{name[:1]}***@{domain}"
        if len(address) <= 7:
            return "*" * len(address)
        return f"{address[:3]}{'*' * (len(address) - 7)}{address[-4:]}"

    @property
    def link(self) -> str:
        """``related_url`` when it is a path on this site, else "" (never an outside or script URL)."""
        url = self.related_url
        if url.startswith("/") and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            return url
        return ""
