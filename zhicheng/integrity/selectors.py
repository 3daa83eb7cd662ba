"""Reads of the integrity archive."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from zhicheng.core.crypto import blind_indexes
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


# --- The city offices' pages -----------------------------------------------------------------


def _managing_organisations(user: Any) -> set[int]:
    from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership

    roles = [role for role, codes in ROLE_PERMISSIONS.items() if "integrity.manage" in codes]
    return set(
        Membership.objects.filter(user=user, role__in=roles, is_active=True).values_list("organisation_id", flat=True)
    )


def may_edit(user: Any, record: IntegrityRecord) -> bool:
    """Staff, the recorder, or a colleague of the recorder's office (with ``integrity.manage``)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser or user.is_staff:
        return True
    if record.recorded_by_id == user.pk:
        return True
    if record.recorded_by_id is None:
        return False
    mine = _managing_organisations(user)
    return bool(mine) and bool(mine & _managing_organisations(record.recorded_by))


def records(q: str = "", state: str = "") -> QuerySet[IntegrityRecord]:
    """The archive (one archive for the province: a ban applies wherever the person applies),
    searched by name, mobile, ID number or document number; ``state``: active / ended / annulled."""
    found = IntegrityRecord.objects.select_related("person", "recorded_by")
    q = q.strip()
    if q:
        found = found.filter(
            Q(person__real_name__contains=q)
            | Q(person__id_number_index__in=blind_indexes(q))
            | Q(person__mobile=q)
            | Q(document_number__contains=q)
        )
    today = timezone.localdate()
    if state == "active":
        found = found.filter(revoked_at__isnull=True, banned_until__gte=today)
    elif state == "ended":
        found = found.filter(revoked_at__isnull=True, banned_until__lt=today)
    elif state == "annulled":
        found = found.filter(revoked_at__isnull=False)
    return found
