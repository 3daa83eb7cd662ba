"""Authentication by mobile number or ID number, with account lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest

from zhicheng.accounts.models import User


def find_user_by_login(login: str) -> User | None:
    """The user whose mobile or ID number is ``login`` (ID numbers compared upper-case)."""
    login = (login or "").strip()
    if not login:
        return None
    return User.objects.filter(mobile=login).first() or User.objects.with_id_number(login).first()


class MobileOrIdNumberBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        user = find_user_by_login(username or kwargs.get("mobile") or "")
        if user is None:
            User().set_password(password)  # same time cost as a real check
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
