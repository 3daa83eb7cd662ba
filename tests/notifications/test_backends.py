from __future__ import annotations

import io
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from zhicheng.notifications import backends
from zhicheng.notifications.backends import (
    ConsoleSmsBackend,
    FileSmsBackend,
    HttpGatewaySmsBackend,
    LocmemSmsBackend,
    SendError,
    get_sms_backend,
)
from zhicheng.notifications.models import Status
from zhicheng.notifications.services import deliver, send_sms


class FakeGateway:
    """A tiny SMS gateway on 127.0.0.1 that records requests and answers with ``status``."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.status = 200
        self.delay = 0.0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length", 0))
                gateway.requests.append(
                    {
                        "path": self.path,
                        "authorization": self.headers.get("Authorization"),
                        "content_type": self.headers.get("Content-Type"),
                        "idempotency_key": self.headers.get("Idempotency-Key"),
                        "json": json.loads(self.rfile.read(length)),
                    }
                )
                if gateway.delay:
                    time.sleep(gateway.delay)
                body = b'{"ok": true}' if gateway.status < 300 else "内部错误".encode()
                try:
                    self.send_response(gateway.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sms/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> FakeGateway:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway(settings):
    with FakeGateway() as gw:
        settings.SMS_GATEWAY_URL = gw.url
        settings.SMS_GATEWAY_TOKEN = "secret-token"
        yield gw


def test_http_gateway_posts_json_with_bearer_token_and_the_messages_key(gateway):
    HttpGatewaySmsBackend().send(mobile="13800000000", content="【职称平台】你好", key="zhicheng-message-7")

    (request,) = gateway.requests
    assert request["path"] == "/sms/send"
    assert request["authorization"] == "Bearer secret-token"
    assert request["content_type"].startswith("application/json")
    assert request["json"] == {"mobile": "13800000000", "content": "【职称平台】你好", "id": "zhicheng-message-7"}
    assert request["idempotency_key"] == "zhicheng-message-7"


def test_without_a_key_the_gateway_gets_no_empty_one(gateway):
    HttpGatewaySmsBackend().send(mobile="13800000000", content="x")

    (request,) = gateway.requests
    assert request["idempotency_key"] is None and "id" not in request["json"]


def test_every_attempt_at_one_message_carries_the_same_key(db, gateway, settings, django_capture_on_commit_callbacks):
    """A gateway that de-duplicates by key delivers a message once, however often a worker
    that died mid-send hands it over again."""
    settings.SMS_BACKEND = "zhicheng.notifications.backends.HttpGatewaySmsBackend"
    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        first = send_sms(mobile="13800000000", template="account_locked", context={"minutes": 5})
    gateway.status = 200
    deliver(first)
    with django_capture_on_commit_callbacks(execute=True):
        other = send_sms(mobile="13800000000", template="account_locked", context={"minutes": 5})

    keys = [r["idempotency_key"] for r in gateway.requests]
    assert keys == [f"zhicheng-message-{first.pk}", f"zhicheng-message-{first.pk}", f"zhicheng-message-{other.pk}"]
    assert first.status == Status.SENT and first.attempts == 2


def test_http_gateway_500_raises_send_error_with_reason(gateway):
    gateway.status = 500

    with pytest.raises(SendError, match="HTTP 500") as info:
        HttpGatewaySmsBackend().send(mobile="13800000000", content="x")
    assert "内部错误" in str(info.value)


def test_http_gateway_timeout_raises_send_error(gateway):
    gateway.delay = 1.0

    with pytest.raises(SendError, match="超时"):
        HttpGatewaySmsBackend(timeout=0.2).send(mobile="13800000000", content="x")


def test_http_gateway_unreachable_raises_send_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(SendError, match="无法连接"):
        HttpGatewaySmsBackend(url=f"http://127.0.0.1:{port}/", token="t", timeout=2).send(mobile="1", content="x")


def test_http_gateway_needs_an_http_url():
    with pytest.raises(ImproperlyConfigured):
        HttpGatewaySmsBackend(url="", token="t")
    with pytest.raises(ImproperlyConfigured):
        HttpGatewaySmsBackend(url="file:///etc/passwd", token="t")


@pytest.mark.django_db
def test_failed_gateway_delivery_is_recorded_on_the_message(gateway, settings, django_capture_on_commit_callbacks):

    settings.SMS_BACKEND = "zhicheng.notifications.backends.HttpGatewaySmsBackend"
    with django_capture_on_commit_callbacks(execute=True):
        sent = send_sms(mobile="13800000000", template="account_locked", context={"minutes": 5})
    assert sent.status == Status.SENT

    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        failed = send_sms(mobile="13800000000", template="account_locked", context={"minutes": 5})
    assert failed.status == Status.FAILED and "HTTP 503" in failed.error
    assert len(gateway.requests) == 2


def test_file_backend_appends_a_json_line_per_sms_in_a_daily_file(tmp_path):
    # tests/conftest.py points SMS_FILE_PATH at tmp_path / "sms".
    backend = FileSmsBackend()
    backend.send(mobile="13800000000", content="【职称平台】一", key="zhicheng-message-1")
    backend.send(mobile="13900000000", content="【职称平台】二")

    path = tmp_path / "sms" / f"sms-{timezone.localdate():%Y%m%d}.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["mobile"], r["content"]) for r in lines] == [
        ("13800000000", "【职称平台】一"),
        ("13900000000", "【职称平台】二"),
    ]
    assert "time" in lines[0] and [r["key"] for r in lines] == ["zhicheng-message-1", ""]


def test_console_backend_writes_the_message():
    stream = io.StringIO()
    ConsoleSmsBackend(stream=stream).send(mobile="13800000000", content="【职称平台】验证码 1")
    assert "13800000000" in stream.getvalue() and "验证码 1" in stream.getvalue()


def test_locmem_backend_is_the_test_default():
    backend = get_sms_backend()
    assert isinstance(backend, LocmemSmsBackend)
    backend.send(mobile="1", content="x")
    assert backends.outbox[-1]["mobile"] == "1"
