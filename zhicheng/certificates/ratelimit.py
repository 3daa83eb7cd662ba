"""A fixed-window rate limit per client address, kept in the Django cache (Redis in production,
local memory otherwise), for the public pages that anyone can call: certificate lookups and
objections to a result publicity.

The client address is ``REMOTE_ADDR``; behind a proxy that sets a trusted header, name the
header's ``META`` key in the ``ZHICHENG_CLIENT_IP_HEADER`` setting or environment variable
(e.g. ``HTTP_X_REAL_IP``; for ``X-Forwarded-For`` the first address is taken).
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


def _configured(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, None)
    return tuple(value) if value else default  # type: ignore[return-value]


def verification_limit() -> Limit:
    """``ZHICHENG_VERIFY_RATE`` = (lookups, seconds); default 20 lookups per 10 minutes."""
    count, window = _configured("ZHICHENG_VERIFY_RATE", (20, 600))
    return Limit("verify", count, window)


def objection_limit() -> Limit:
    """``ZHICHENG_OBJECTION_RATE`` = (objections, seconds); default 5 per hour."""
    count, window = _configured("ZHICHENG_OBJECTION_RATE", (5, 3600))
    return Limit("objection", count, window)


def client_ip(request: HttpRequest) -> str:
    header = getattr(settings, "ZHICHENG_CLIENT_IP_HEADER", "") or os.environ.get("ZHICHENG_CLIENT_IP_HEADER", "")
    value = request.META.get(header, "") if header else ""
    value = value.split(",")[0].strip() if value else ""
    return value or request.META.get("REMOTE_ADDR", "") or "unknown"


def _key(limit: Limit, ip: str, window_start: int) -> str:
    digest = hashlib.sha256(ip.encode()).hexdigest()[:32]
    return f"zc:rate:{limit.scope}:{digest}:{window_start}"


def hit(limit: Limit, ip: str, now: float | None = None) -> tuple[bool, int]:
    """Count one call from ``ip``; ``(allowed, seconds until the window resets)``."""
    now = time.time() if now is None else now
    window_start = int(now // limit.window) * limit.window
    retry_after = max(1, int(window_start + limit.window - now))
    key = _key(limit, ip, window_start)
    cache.add(key, 0, timeout=limit.window + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=limit.window + 5)
        count = 1
    return count <= limit.count, retry_after


def minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)
