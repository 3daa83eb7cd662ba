"""Health of a running server, and what people see when a part is down.

``healthz`` (``GET /healthz``, no login) checks the three parts a request may need — the
database (``SELECT 1``), the cache (a write and a read) and the queue (the Celery broker is
reachable, with how many tasks wait) — and answers 200 with each part's status and time, or
503 naming the part that is down. It never shows addresses, user names or error messages
(they may hold secrets): only the kind of error.

``server_error`` is the 500 handler: when the error is the database being unreachable or
the connection dropping it answers 503 with a page that says so (the transaction was rolled
back by the database, so nothing was half-written; the submission is idempotent, so trying
again is safe); any other error gets a plain 500 page. Neither page touches the database.
"""

from __future__ import annotations

import contextlib
import logging
import sys
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0  # seconds


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = {"status": "ok", **check()}
    except Exception as error:  # any failure of a part is reported, never raised
        logger.warning("health check %s failed: %s", check.__name__, type(error).__name__)
        result = {"status": "down", "error": type(error).__name__}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def check_database() -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        connection.close()  # the next request reconnects
        raise
    return {"vendor": connection.vendor}


def check_cache() -> dict[str, Any]:
    key, value = f"healthz:{uuid.uuid4().hex}", "1"
    cache.set(key, value, timeout=10)
    if cache.get(key) != value:
        raise RuntimeError("cache did not return the value written")
    cache.delete(key)
    return {"backend": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]}


def check_queue() -> dict[str, Any]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return {"mode": "in-process"}
    from kombu.exceptions import ChannelError

    from zhicheng.celery import app

    with app.connection_for_read() as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        channel = conn.default_channel
        queue = settings.CELERY_TASK_DEFAULT_QUEUE
        try:
            _name, waiting, _consumers = channel.queue_declare(queue=queue, passive=True)
        except ChannelError:  # no worker has declared the queue yet: nothing waits in it
            waiting = 0
        return {"mode": "broker", "transport": conn.transport_cls, "queue": queue, "waiting": waiting}


CHECKS: dict[str, Callable[[], dict[str, Any]]] = {
    "database": check_database,
    "cache": check_cache,
    "queue": check_queue,
}


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    parts = {name: _timed(check) for name, check in CHECKS.items()}
    healthy = all(part["status"] == "ok" for part in parts.values())
    body = {"status": "ok" if healthy else "down", "time": timezone.now().isoformat(), "checks": parts}
    return JsonResponse(body, status=200 if healthy else 503, json_dumps_params={"ensure_ascii": False})


def is_database_outage(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError | InterfaceError)


def server_error(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
    """handler500: 503 with an explanation when the database is unreachable, else 500."""
    outage = is_database_outage(sys.exc_info()[1])
    if outage:
        with contextlib.suppress(DatabaseError):
            connection.close()  # drop the broken connection; the next request opens a new one
    try:
        html = render_to_string("core/error_page.html", {"outage": outage})
    except Exception:  # the error page itself must never fail
        html = FALLBACK[outage]
    response = HttpResponse(html, status=503 if outage else 500)
    if outage:
        response["Retry-After"] = "30"
    response["Cache-Control"] = "no-store"
    return response


FALLBACK = {
    True: "<!doctype html><title>服务暂时不可用</title><h1 data-error=database-unavailable>服务暂时不可用</h1>"
    "<p>数据库暂时无法连接，请稍后重试。Service temporarily unavailable.</p>",
    False: "<!doctype html><title>服务器错误</title><h1 data-error=server-error>服务器错误</h1>"
    "<p>请稍后重试。Server error.</p>",
}
