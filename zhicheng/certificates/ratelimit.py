"""Rate limits of the public pages anyone can call: certificate lookups and objections to a
result publicity. Counted per client address by the core limiter (``zhicheng.core.ratelimit``:
the same client address, trusted proxy header and fixed window as logins and registrations);
only the limits are the certificates' own, each from its setting.
"""

from __future__ import annotations

from django.conf import settings

from zhicheng.core.ratelimit import Limit, client_ip
from zhicheng.core.ratelimit import count_hit as hit

__all__ = ["Limit", "client_ip", "hit", "minutes", "objection_limit", "verification_limit"]


def _configured(scope: str, name: str, default: tuple[int, int]) -> Limit:
    count, window = getattr(settings, name, None) or default
    return Limit(scope, int(count), int(window))


def verification_limit() -> Limit:
    """``ZHICHENG_VERIFY_RATE`` = (lookups, seconds); default 20 lookups per 10 minutes."""
    return _configured("verify", "ZHICHENG_VERIFY_RATE", (20, 600))


def objection_limit() -> Limit:
    """``ZHICHENG_OBJECTION_RATE`` = (objections, seconds); default 5 per hour."""
    return _configured("objection", "ZHICHENG_OBJECTION_RATE", (5, 3600))


def minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)
