"""Re-authentication for sensitive actions: the password must have been entered within the
last ``ZHICHENG_REAUTH_MINUTES`` (default 10) minutes — at login or on the confirmation page
(``accounts:reauth``). Used before exporting rosters with full ID numbers."""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

SESSION_KEY = "zc_password_confirmed_at"


def window_seconds() -> int:
    return int(getattr(settings, "ZHICHENG_REAUTH_MINUTES", 10)) * 60


def mark(request: HttpRequest) -> None:
    request.session[SESSION_KEY] = int(time.time())


def is_fresh(request: HttpRequest) -> bool:
    confirmed = request.session.get(SESSION_KEY)
    return isinstance(confirmed, int) and 0 <= time.time() - confirmed <= window_seconds()


def redirect_to_confirm(request: HttpRequest, next_url: str | None = None) -> HttpResponseRedirect:
    query = urlencode({"next": next_url or request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('accounts:reauth')}?{query}")


@receiver(user_logged_in)
def _password_entered_at_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    # force_login (tests, registration) goes through here as well: only a password login counts.
    if request is not None and request.method == "POST" and "password" in request.POST:
        mark(request)
