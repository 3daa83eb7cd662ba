"""One place that answers "may this user do X to this object".

Each app registers its rules in its ``permissions.py`` (imported from ``AppConfig.ready``)
with ``@rule("code")``; views and APIs call ``can`` or ``require``. An unknown code is a
programming error and raises, so a typo never silently grants or denies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

RuleFunc = Callable[[Any, Any], bool]
_RULES: dict[str, RuleFunc] = {}


def rule(code: str) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        if code in _RULES and _RULES[code] is not func:
            raise ValueError(f"permission rule {code!r} registered twice")
        _RULES[code] = func
        return func

    return register


def can(user: Any, code: str, obj: Any = None) -> bool:
    try:
        check = _RULES[code]
    except KeyError:
        raise LookupError(f"unknown permission {code!r}") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return bool(check(user, obj))


def require(user: Any, code: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` (HTTP 403) unless ``can(user, code, obj)``."""
    if not can(user, code, obj):
        raise PermissionDenied("您没有权限执行此操作。")


def registered_codes() -> list[str]:
    return sorted(_RULES)
