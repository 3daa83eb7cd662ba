"""Reads of the integrity archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet

from zhicheng.integrity.models import IntegrityRecord


def bans_of(user: Any) -> QuerySet[IntegrityRecord]:
    """The person's unrevoked integrity records, latest ban first."""
    return IntegrityRecord.objects.filter(person=user, revoked_at__isnull=True).order_by("-banned_until")


def active_ban(user: Any, on: date) -> IntegrityRecord | None:
    """The ban in force on ``on`` that lasts longest, or None."""
    return bans_of(user).filter(banned_from__lte=on, banned_until__gte=on).first()


def profile_entries(user: Any) -> list[dict[str, str]]:
    """The bans as the policy engine's ``integrity`` list (POLICY_API)."""
    return [
        {"banned_from": r.banned_from.isoformat(), "banned_until": r.banned_until.isoformat()} for r in bans_of(user)
    ]
