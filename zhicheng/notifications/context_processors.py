"""Template context: the number of unread inbox messages for the navigation badge."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from zhicheng.notifications.selectors import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    return {"unread_count": unread_count(getattr(request, "user", None))}
