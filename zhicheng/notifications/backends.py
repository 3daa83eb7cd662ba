"""SMS backends, chosen by dotted path in ``settings.SMS_BACKEND``.

Every backend has ``send(*, mobile, content, key="")`` and raises on failure (``SendError``
for a refusal or network problem); ``services.deliver`` turns that into a ``failed`` message.
``key`` names the message (``zhicheng-message-<id>``) and is the same on every attempt at it:
a gateway that de-duplicates by it delivers a message once even when a worker that died
after the hand-over sends it again.
E-mail does not live here: it goes through Django's mail API and ``settings.EMAIL_BACKEND``.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime
from pathlib import Path
from typing import IO, TypedDict

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class SendError(Exception):
    """The message could not be delivered; ``str(exc)`` says why."""


class BaseSmsBackend:
    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        raise NotImplementedError


def get_sms_backend(path: str | None = None) -> BaseSmsBackend:
    return import_string(path or settings.SMS_BACKEND)()


class ConsoleSmsBackend(BaseSmsBackend):
    """Development: writes each SMS to standard output (like Django's console e-mail backend)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        self.stream.write(f"[SMS] {timezone.localtime():%Y-%m-%d %H:%M:%S} → {mobile}: {content}\n")
        self.stream.flush()
        logger.info("SMS to %s written to console", mobile)


_file_lock = threading.Lock()


class FileSmsBackend(BaseSmsBackend):
    """Appends one JSON line per SMS to ``SMS_FILE_PATH/sms-YYYYMMDD.jsonl`` (Beijing date)."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.SMS_FILE_PATH)

    def path_for(self, moment: datetime) -> Path:
        return self.directory / f"sms-{timezone.localtime(moment):%Y%m%d}.jsonl"

    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        now = timezone.now()
        line = json.dumps(
            {"time": timezone.localtime(now).isoformat(), "mobile": mobile, "content": content, "key": key},
            ensure_ascii=False,
        )
        with _file_lock:
            self.directory.mkdir(parents=True, exist_ok=True)
            with self.path_for(now).open("a", encoding="utf-8") as fh:
                fh.write(line + "\n")


class SentSms(TypedDict):
    mobile: str
    content: str
    key: str
    sent_at: datetime


# Like ``django.core.mail.outbox``: tests read (``outbox[-1]["content"]``) and clear it.
outbox: list[SentSms] = []


class LocmemSmsBackend(BaseSmsBackend):
    """Tests: appends ``{"mobile", "content", "key", "sent_at"}`` to the module-level ``outbox``."""

    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        outbox.append(SentSms(mobile=mobile, content=content, key=key, sent_at=timezone.now()))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A gateway that redirects a POST is misconfigured; report it instead of following."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGatewaySmsBackend(BaseSmsBackend):
    """POSTs ``{"mobile", "content", "id"}`` as JSON to ``SMS_GATEWAY_URL`` with a bearer token
    and the message's key as ``id`` and as the ``Idempotency-Key`` header.

    Any non-2xx answer, network error or timeout raises ``SendError`` with the reason.
    """

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None) -> None:
        self.url = url if url is not None else settings.SMS_GATEWAY_URL
        self.token = token if token is not None else settings.SMS_GATEWAY_TOKEN
        self.timeout = timeout if timeout is not None else float(getattr(settings, "SMS_GATEWAY_TIMEOUT", 10))
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ImproperlyConfigured("SMS_GATEWAY_URL must be an http(s) URL for HttpGatewaySmsBackend.")
        self._opener = urllib.request.build_opener(_NoRedirect)

    def send(self, *, mobile: str, content: str, key: str = "") -> None:
        fields = {"mobile": mobile, "content": content, **({"id": key} if key else {})}
        payload = json.dumps(fields, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - scheme checked in __init__
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Accept": "application/json",
                "Authorization": f"Bearer {self.token}",
                **({"Idempotency-Key": key} if key else {}),
            },
        )
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                status = response.status
                body = response.read(500)
        except urllib.error.HTTPError as exc:
            detail = _snippet(exc.read(200) if exc.fp else b"")
            raise SendError(f"短信网关返回 HTTP {exc.code}{(': ' + detail) if detail else ''}") from exc
        except urllib.error.URLError as exc:
            raise SendError(f"无法连接短信网关：{exc.reason}") from exc
        except TimeoutError as exc:
            raise SendError(f"短信网关超时（{self.timeout:g} 秒）") from exc
        except OSError as exc:
            raise SendError(f"短信网关网络错误：{exc}") from exc
        if not 200 <= status < 300:
            raise SendError(f"短信网关返回 HTTP {status}: {_snippet(body)}")


def _snippet(raw: bytes) -> str:
    return raw.decode("utf-8", "replace").strip()[:200]
