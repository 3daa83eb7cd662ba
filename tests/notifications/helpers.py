"""Test doubles for backends."""

from __future__ import annotations

from zhicheng.notifications.backends import BaseSmsBackend, SendError


class RefusingSmsBackend(BaseSmsBackend):
    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        raise SendError("网关拒绝：余额不足")


class CrashingSmsBackend(BaseSmsBackend):
    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        raise RuntimeError("boom")


class BrokenEmailBackend:
    def __init__(self, *args, **kwargs) -> None:
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")
