"""One place that answers "may this user do X to this object".

Each app registers its rules in its ``permissions.py`` (imported from ``AppConfig.ready``)
with ``@rule("code")``; views and APIs call ``can`` or ``require``. An unknown code is a
programming error and raises, so a typo never silently grants or denies.

Superusers pass every rule except the owner-only ones (``@rule("code", owner_only=True)``):
actions that belong to the applicant or owner themself (editing their own draft, changing
their own archive records). There the rule decides for a superuser as for anyone, so an
administrator never acts as an applicant on someone else's application or archive.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied

RuleFunc = Callable[[Any, Any], bool]
_RULES: dict[str, RuleFunc] = {}
_OWNER_ONLY: set[str] = set()


def rule(code: str, *, owner_only: bool = False) -> Callable[[RuleFunc], RuleFunc]:
    """Register ``code``; ``owner_only``: superusers get no bypass, the rule alone decides."""

    def register(func: RuleFunc) -> RuleFunc:
        if code in _RULES and _RULES[code] is not func:
            raise ValueError(f"permission rule {code!r} registered twice")
        _RULES[code] = func
        if owner_only:
            _OWNER_ONLY.add(code)
        return func

    return register


def can(user: Any, code: str, obj: Any = None) -> bool:
    try:
        check = _RULES[code]
    except KeyError:
        raise LookupError(f"unknown permission {code!r}") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser and code not in _OWNER_ONLY:
        return True
    return bool(check(user, obj))


def require(user: Any, code: str, obj: Any = None) -> None:
    """Raise ``PermissionDenied`` (HTTP 403) unless ``can(user, code, obj)``."""
    if not can(user, code, obj):
        raise PermissionDenied("您没有权限执行此操作。")


def registered_codes() -> list[str]:
    return sorted(_RULES)


def owner_only_codes() -> list[str]:
    return sorted(_OWNER_ONLY)
