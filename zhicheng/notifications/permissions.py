"""Permission rules of the notifications app (see ``zhicheng.core.permissions``)."""

from __future__ import annotations

from typing import Any

from zhicheng.core.permissions import rule


@rule("notifications.view_delivery_log")
def view_delivery_log(user: Any, obj: Any = None) -> bool:
    """Platform staff see the SMS and e-mail delivery log."""
    return bool(user.is_staff)
