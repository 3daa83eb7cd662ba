"""Fixed-window rate limits per client address, kept in the Django cache (Redis in production,
local memory otherwise), for the endpoints anyone can hammer: logging in, registering,
asking for SMS codes, checking codes, and the policy API.

Each scope has a default ``(count, seconds)``; the setting ``ZHICHENG_RATE_LIMITS`` (a dict
of scope → ``(count, seconds)``) overrides any of them. Per-account protection is separate:
the account lockout after repeated wrong passwords (``accounts.services``) and the per-code
attempt limit of SMS codes.

The public certificate lookup and result-publicity objections (``certificates.ratelimit``)
count through the same ``client_ip`` and ``count_hit`` with limits of their own settings.

The client address is ``REMOTE_ADDR``; behind a proxy that sets a trusted header, name the
header's ``META`` key in the ``ZHICHENG_CLIENT_IP_HEADER`` setting or environment variable
(e.g. ``HTTP_X_REAL_IP``; for ``X-Forwarded-For`` the first address is taken). Cache keys
hold a hash of the address, never the address (or header value) itself.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

DEFAULTS: dict[str, tuple[int, int]] = {
    "login": (60, 300),  # attempts per 5 minutes (each account also locks after repeated failures)
    "register": (20, 3600),
    "sms": (20, 3600),  # SMS code requests (each number also waits a minute between codes)
    "sms_confirm": (30, 600),
    "policy_api": (120, 60),
}


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "ZHICHENG_CLIENT_IP_HEADER", "") or os.environ.get("ZHICHENG_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def limit_for(scope: str) -> Limit:
    configured = (getattr(settings, "ZHICHENG_RATE_LIMITS", None) or {}).get(scope)
    count, window = configured or DEFAULTS[scope]
    return Limit(scope, int(count), int(window))


def count_hit(limit: Limit, ip: str, now: float | None = None) -> tuple[bool, int]:
    """Count one call from ``ip`` in ``limit``'s current window: ``(allowed, seconds until the
    window resets)``."""
    now = time.time() if now is None else now
    window_start = int(now // limit.window) * limit.window
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    key = f"zc:rl:{limit.scope}:{digest}:{window_start}"
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        count = 1
    return count <= limit.count, max(1, int(window_start + limit.window - now))


def hit(scope: str, request: HttpRequest, now: float | None = None) -> int | None:
    """Count one call of ``scope`` from this client: ``None`` when allowed, else the seconds
    until the window resets."""
    allowed, retry_after = count_hit(limit_for(scope), client_ip(request), now)
    return None if allowed else retry_after


def message(retry_after: int) -> str:
    if retry_after < 60:
        return f"操作过于频繁，请 {retry_after} 秒后再试。"
    return f"操作过于频繁，请 {(retry_after + 59) // 60} 分钟后再试。"


def too_many(request: HttpRequest, retry_after: int, *, json: bool = False) -> HttpResponse:
    """The 429 answer: a Chinese page (or JSON ``detail`` for the API) with ``Retry-After``."""
    text = message(retry_after)
    if json:
        response: HttpResponse = JsonResponse({"detail": [{"loc": "", "msg": text}]}, status=429)
    else:
        response = render(request, "core/rate_limited.html", {"message": text}, status=429)
    response["Retry-After"] = str(retry_after)
    return response
