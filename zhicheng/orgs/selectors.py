"""Reads about organisations and what a user may do through them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from zhicheng.orgs.models import ROLE_PERMISSIONS, Membership, Organisation, Role


def active_memberships(user: Any) -> QuerySet[Membership]:
    return Membership.objects.filter(user=user, is_active=True).select_related("organisation", "committee")


def user_roles(user: Any) -> set[str]:
    """The roles a user holds anywhere, plus ``applicant`` and ``platform_admin`` where they apply."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cached = getattr(user, "_zc_roles", None)
    if cached is not None:
        return cached
    roles = set(active_memberships(user).values_list("role", flat=True))
    if user.is_staff:
        roles.add("platform_admin")
    if user.id_number:
        roles.add("applicant")
    user._zc_roles = roles
    return roles


def permission_codes_in(user: Any, organisation: Organisation) -> frozenset[str]:
    """Every permission code the user holds in ``organisation`` through active memberships."""
    codes: set[str] = set()
    for membership in active_memberships(user).filter(organisation=organisation):
        codes |= membership.permission_codes
    return frozenset(codes)


def organisations_of(user: Any, role: str) -> QuerySet[Organisation]:
    return Organisation.objects.filter(memberships__user=user, memberships__role=role, memberships__is_active=True)


def approved_employers_matching(keyword: str, limit: int = 20) -> QuerySet[Organisation]:
    """Approved employers whose name contains ``keyword`` (callers require ≥ 4 characters)."""
    return Organisation.objects.filter(
        kind=Organisation.Kind.EMPLOYER, status=Organisation.Status.APPROVED, name__contains=keyword.strip()
    ).select_related("region")[:limit]


def employers_pending_review() -> QuerySet[Organisation]:
    return (
        Organisation.objects.filter(kind=Organisation.Kind.EMPLOYER, status=Organisation.Status.PENDING)
        .select_related("region", "region__parent")
        .order_by("created_at")
    )


def holders_of(employer: Organisation) -> list[Any]:
    """The employer's account holders, first registered first."""
    memberships = Membership.objects.filter(organisation=employer, role=Role.EMPLOYER_ADMIN, is_active=True)
    return [m.user for m in memberships.select_related("user").order_by("created_at")]


def office_ids_with_permission(user: Any, code: str) -> set[int]:
    """Organisations where ``user`` holds an active role granting ``code`` (cached per request user)."""
    if not getattr(user, "is_authenticated", False):
        return set()
    cache = user.__dict__.setdefault("_zc_offices_by_code", {})
    if code not in cache:
        roles = [role for role, codes in ROLE_PERMISSIONS.items() if code in codes]
        cache[code] = set(
            Membership.objects.filter(user=user, role__in=roles, is_active=True).values_list(
                "organisation_id", flat=True
            )
        )
    return cache[code]
